"""Every XSS corpus payload, put in through every input and shown in headless Chromium: none runs.

Readers' input goes through the real forms (comment posting, display name,
the search box); editors' through the model validation the admin runs. Where
an input refuses a payload it is recorded as rejected, which is a pass. Every
page that shows the rest is loaded in Chromium with tripwires (see
`newsroom.tests.xss`), and the payload text must be there, as text.

The browser contexts bypass the Content-Security-Policy: the proof is our own
escaping and sanitizing. The CSP (no inline scripts on public pages) is a
second layer on top; the admin has none.
"""

import math
import uuid
from collections import Counter
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from articles import search
from articles.html import sanitize_body
from articles.models import Article, Citation, PhotoPlacement
from articles.tests.factories import (
    image_upload,
    make_article,
    make_citation,
    make_photo,
    make_section,
)
from discussion.names import normalise_display_name
from discussion.tests.factories import add_comment, comment_form, make_reader
from newsroom.tests.browser import BROWSER_TEST
from newsroom.tests.xss import (
    FEED_SCAN,
    Probe,
    Surface,
    Visit,
    load_corpus,
    report_details,
    report_table,
    visible,
)
from photos.models import Photo
from photos.tests.factories import upload_photo

pytestmark = BROWSER_TEST

CORPUS = load_corpus()
SECTIONS = 8  # 220 stories over 8 sections: each section feed (30 newest) holds all of its own
THREADS_PER_PAGE = 20
ADMIN_PER_PAGE = 100
# Admin change forms are the slowest pages (editor scripts, inlines): every Nth story.
ADMIN_FORM_EVERY = 10
REPORT: dict[str, Surface] = {}


@pytest.fixture
def no_rate_limits(settings):
    """The corpus posts hundreds of comments and searches in a minute, far past the limits."""
    settings.NEWSROOM_RATE_LIMITS = {scope: [] for scope in settings.NEWSROOM_RATE_LIMITS}


@pytest.fixture
def open_probe(browser, live_server):
    contexts = []

    def open_as(user=None):
        context = browser.new_context(bypass_csp=True)
        contexts.append(context)
        probe = Probe(context, live_server.url)
        if user is not None:
            log_in(probe, user)
        return probe

    yield open_as
    for context in contexts:
        context.close()


def log_in(probe, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    probe.page.context.clear_cookies()
    probe.page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": probe.base_url}]
    )


def publish_report(surfaces, probes, artifacts):
    """Print this test's rows and rewrite test-artifacts/xss-report.txt with every row so far."""
    for surface in surfaces:
        REPORT[surface.name] = surface
    loads = sum((p.loads for p in probes), Counter())
    seconds = sum((p.seconds for p in probes), Counter())
    console = [line for p in probes for line in p.console]
    print(f"\n{report_table(surfaces)}")
    print(f"{loads.total()} pages in {seconds.total():.1f} s; {len(console)} console messages")
    for kind, count in loads.items():
        print(f"  {kind}: {count} loads, {seconds[kind] / count * 1000:.0f} ms each")
    for line in console[:10]:
        print(f"  {line}")
    print("Rejected at input is a pass: the payload never reached a page.")
    everything = list(REPORT.values())
    (artifacts / "xss-report.txt").write_text(
        "XSS and HTML-injection corpus: "
        f"{len(CORPUS)} payloads ({CORPUS[0].text[:20]!r} …)\n"
        "executed and injected must be 0; rejected at input is a pass.\n\n"
        f"{report_table(everything)}\n{report_details(everything, CORPUS)}\n",
        encoding="utf-8",
    )


def assert_clean(surfaces):
    for surface in surfaces:
        assert not surface.executed, surface.executed[:20]
        assert not surface.injected, surface.injected[:20]
        assert len(surface.stored) == surface.tried - len(surface.rejected), surface.name
        assert surface.stored.isdisjoint(surface.rejected), surface.name


def first_error(response):
    form = response.context and response.context.get("form")
    errors = form.errors if form is not None else {}
    return (
        "; ".join(e for field in errors.values() for e in field) or f"HTTP {response.status_code}"
    )


# Readers: comments and display names ------------------------------------------------------


def test_reader_input_runs_no_script(open_probe, no_rate_limits, artifacts):
    comments, names = Surface("comment text"), Surface("display name")
    control = make_article(headline="A quiet council meeting", slug="control-story")
    plain = make_reader(display_name="Plain Reader", status="trusted")
    # A first page of other readers' comments, each with its Recommend form, as the pages
    # that show payloads have.
    neighbour = make_reader(display_name="Council Watcher", status="trusted")
    for number in range(THREADS_PER_PAGE):
        add_comment(control, neighbour, f"Point {number} of the agenda deserves a look.")
    add_comment(control, plain, "The minutes are worth reading.\n\nwww.example.org/minutes")
    desk_user = get_user_model().objects.create_superuser("desk", "desk@example.org", "x")

    reader_probe, desk_probe = open_probe(plain), open_probe(desk_user)
    reader_probe.baseline("story", control.get_absolute_url())
    reader_probe.baseline("my comments", reverse("commenting:my-comments"))
    desk_probe.baseline("desk", "/admin/django_comments_xtd/xtdcomment/")
    desk_probe.baseline("readers", "/admin/discussion/readerprofile/")

    # Comment text, through the comment form as a signed-in reader. The signed
    # form is read once; each post gets its own submission key, as a fresh page would.
    story = make_article(headline="Readers write in", slug="readers-write-in")
    author = make_reader(display_name="Corpus Author", status="trusted")
    client = Client()
    client.force_login(author)
    action, fields = comment_form(client.get(story.get_absolute_url()).content.decode())
    for payload in CORPUS:
        comments.tried += 1
        response = client.post(
            action, {**fields, "comment": payload.text, "submission_key": str(uuid.uuid4())}
        )
        if response.status_code != 302:
            comments.reject(payload, first_error(response))
    by_text = {p.text.strip(): p for p in CORPUS}
    # Which payload each comment on the page carries, and where it shows.
    carries = {}
    for comment in XtdComment.objects.filter(object_pk=str(story.pk)):
        payload = by_text[comment.comment]
        comments.stored.add(payload.number)
        carries[f"c{comment.pk}"] = (comments, payload, "text")

    # Display names, through the reader's display-name form; each reader then comments.
    named_story = make_article(headline="Who is commenting", slug="who-is-commenting")
    for payload in CORPUS:
        names.tried += 1
        reader = make_reader(status="trusted")
        client = Client()
        client.force_login(reader)
        response = client.post(reverse("commenting:display-name"), {"display_name": payload.text})
        reader.reader.refresh_from_db()
        # Display names are stored in NFKC form with their runs of spaces and line
        # breaks collapsed.
        if response.status_code == 302:
            assert reader.reader.display_name == normalise_display_name(payload.text)
            names.stored.add(payload.number)
            comment = add_comment(named_story, reader, "Signed with a strange name.")
            carries[f"c{comment.pk}"] = (names, payload, "author")
        else:
            names.reject(payload, first_error(response))

    def check_thread(path, surface, kind="story"):
        reader_probe.visit(kind, path, [surface])
        shown = reader_probe.page.eval_on_selector_all(
            ".comment, .my-comment",
            """els => els.map(el => ({
                id: el.id || el.querySelector("a[href*='#c']")?.hash.slice(1),
                text: el.querySelector(".comment__text")?.textContent || "",
                author: el.querySelector(".comment__author")?.textContent || ""}))""",
        )
        for entry in shown:
            if entry["id"] in carries:
                owner, payload, where = carries[entry["id"]]
                shown_as = normalise_display_name(payload.text) if owner is names else payload.text
                if visible(entry[where]) == visible(shown_as):
                    owner.rendered.add(payload.number)

    for target, count in ((story, len(comments.stored)), (named_story, len(names.stored))):
        surface = comments if target == story else names
        for page in range(1, math.ceil(count / THREADS_PER_PAGE) + 1):
            check_thread(f"{target.get_absolute_url()}?cpage={page}", surface)

    log_in(reader_probe, author)
    for page in range(1, math.ceil(len(comments.stored) / 20) + 1):
        check_thread(f"{reverse('commenting:my-comments')}?page={page}", comments, "my comments")

    both = [comments, names]
    total = XtdComment.objects.count()
    for page in range(math.ceil(total / 50)):
        desk_probe.visit("desk", f"/admin/django_comments_xtd/xtdcomment/?p={page}", both)
    for page in range(math.ceil((len(names.stored) + 2) / ADMIN_PER_PAGE)):
        desk_probe.visit("readers", f"/admin/discussion/readerprofile/?p={page}", [names])

    publish_report(both, [reader_probe, desk_probe], artifacts)
    assert_clean(both)
    assert comments.rendered == comments.stored
    assert names.rendered == names.stored


# Editors: stories, photos, sources; and readers' searches ---------------------------------

STORY_FACTS = """html => {
  const text = (selector) => document.querySelector(selector)?.textContent ?? "";
  const attr = (selector, name) => document.querySelector(selector)?.getAttribute(name) ?? "";
  const [article] = JSON.parse(
    document.querySelector('script[type="application/ld+json"]').textContent);
  return {
    title: document.title,
    headlines: [text(".story__headline"), attr('meta[property="og:title"]', "content"),
                attr('meta[name="twitter:title"]', "content"), article.headline],
    standfirsts: [text(".standfirst"), attr('meta[property="og:description"]', "content"),
                  attr('meta[name="description"]', "content"), article.description],
    body: text(".story__body"),
    expectedBody: new DOMParser().parseFromString(html, "text/html").body.textContent,
    caption: text("figure .caption"),
    credit: text("figure .credit"),
    alt: attr("figure img", "alt"),
    sourceTitle: text(".source__title"),
    sourceUrl: attr(".source__title", "href"),
  };
}"""

NEUTRAL = {
    "headline": "Story {n} kept a plain headline",
    "standfirst": "",
    "body": "<p>Story {n} kept a plain body.</p>",
    "caption": "Photo {n}, plainly captioned.",
    "credit": "Corpus Desk/Test Wire",
    "alt_text": "A plain brown rectangle.",
    "title": "Source {n}",
    "url": "https://sources.example.org/{n}",
}


def validated(make, values, payload, surfaces):
    """Build with the payload in every field; fields the model refuses are recorded and replaced."""
    try:
        return make(values)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            surfaces[name].reject(payload, "; ".join(messages))
            values[name] = NEUTRAL[name].format(n=payload.number)
        return make(values)


def store_story(payload, section, surfaces) -> Article:
    """One story carrying the payload in every editor field, validated as the admin does."""
    text = payload.text

    def article(values):
        story = Article(
            slug=f"corpus-{payload.number}",
            section=section,
            status=Article.Status.PUBLISHED,
            publish_at=timezone.now() - timedelta(minutes=payload.number),
            **values,
        )
        story.full_clean()
        story.save()
        return story

    def photo(values):
        return upload_photo(file=image_upload(width=32, height=20), fields=values)

    def citation(values):
        source = Citation(article=story, outlet="Corpus Wire", **values)
        source.full_clean()
        source.save()
        return source

    story = validated(article, dict(headline=text, standfirst=text, body=text), payload, surfaces)
    picture = validated(photo, dict(caption=text, credit=text, alt_text=text), payload, surfaces)
    PhotoPlacement.objects.create(article=story, photo=picture, role=PhotoPlacement.Role.LEAD)
    validated(citation, dict(title=text, url=text), payload, surfaces)
    return story


def stored_payloads(surfaces):
    """Which payloads the database holds, field by field, read back after saving."""
    number_of = {p.text: p.number for p in CORPUS}
    stories = Article.objects.filter(slug__startswith="corpus-")
    photos = Photo.objects.filter(placements__article__in=stories)
    columns = {
        "headline": stories.values_list("headline", flat=True),
        "standfirst": stories.values_list("standfirst", flat=True),
        "caption": photos.values_list("caption", flat=True),
        "credit": photos.values_list("credit", flat=True),
        "alt_text": photos.values_list("alt_text", flat=True),
        "title": Citation.objects.filter(article__in=stories).values_list("title", flat=True),
        "url": Citation.objects.filter(article__in=stories).values_list("url", flat=True),
    }
    for name, values in columns.items():
        surfaces[name].stored = {number_of[value] for value in values if value in number_of}
    # The body is stored sanitized.
    bodies = dict(stories.values_list("slug", "body"))
    surfaces["body"].stored = {
        p.number
        for p in CORPUS
        if p.number not in surfaces["body"].rejected
        and bodies[f"corpus-{p.number}"] == sanitize_body(p.text)
    }


def test_editor_input_and_searches_run_no_script(open_probe, no_rate_limits, artifacts):
    surfaces = {
        "headline": Surface("story headline"),
        "standfirst": Surface("story standfirst"),
        "body": Surface("story body (nh3)"),
        "caption": Surface("photo caption"),
        "credit": Surface("photo credit"),
        "alt_text": Surface("photo alt text"),
        "title": Surface("citation title"),
        "url": Surface("citation URL"),
    }
    searches = Surface("search query")
    sections = [make_section(name=f"Desk {i}", slug=f"desk-{i}") for i in range(SECTIONS)]
    control = make_article(
        headline="Harbour ferry timetable is cut", slug="control-story", section=sections[0]
    )
    # A wire-length caption, folded on phones as the payloads' long captions are.
    long_caption = "The harbour ferry leaves the pier on its last full-timetable run. " * 4
    PhotoPlacement.objects.create(
        article=control, photo=make_photo(caption=long_caption), role=PhotoPlacement.Role.LEAD
    )
    make_citation(control)
    editor = get_user_model().objects.create_superuser("editor", "ed@example.org", "x")

    # Baselines while the site holds no payload.
    reader, desk = open_probe(), open_probe(editor)
    reader.baseline("story", control.get_absolute_url())
    reader.baseline("home", "/")
    reader.baseline("section", sections[0].get_absolute_url())
    reader.baseline("search", "/search/?q=ferry")
    desk.baseline("article list", "/admin/articles/article/")
    desk.baseline("article form", f"/admin/articles/article/{control.pk}/change/")
    desk.baseline("photo list", "/admin/photos/photo/")
    photo_id = control.photo_placements.get().photo_id
    desk.baseline("photo form", f"/admin/photos/photo/{photo_id}/change/")

    stories = []
    for payload in CORPUS:
        for surface in surfaces.values():
            surface.tried += 1
        stories.append(store_story(payload, sections[payload.number % SECTIONS], surfaces))
    stored_payloads(surfaces)

    everything = list(surfaces.values())
    photo_fields = [surfaces[name] for name in ("caption", "credit", "alt_text")]
    page_shows = {
        "story": everything,
        "list": [surfaces[name] for name in ("headline", "standfirst", "alt_text")],
    }
    for payload, story in zip(CORPUS, stories, strict=True):
        story = Article.objects.for_detail().get(pk=story.pk)
        expected_body = "".join(segment.html for segment in story.reading_view().segments)
        reader.visit("story", story.get_absolute_url(), page_shows["story"])
        facts = reader.page.evaluate(STORY_FACTS, expected_body)
        checks = {
            "headline": all(visible(h) == visible(payload.text) for h in facts["headlines"]),
            "standfirst": all(visible(s) == visible(payload.text) for s in facts["standfirsts"]),
            "body": visible(facts["body"]) == visible(facts["expectedBody"]),
            "caption": visible(facts["caption"]) == visible(payload.text),
            "credit": visible(facts["credit"]) == visible(payload.text),
            "alt_text": facts["alt"] == payload.text,
            "title": visible(facts["sourceTitle"]) == visible(payload.text),
            "url": facts["sourceUrl"] == payload.text,
        }
        for name, shown in checks.items():
            if payload.number in surfaces[name].stored and shown:
                surfaces[name].rendered.add(payload.number)

    per_page = settings.NEWSROOM_PAGE_SIZE
    for page in range(1, math.ceil((len(stories) + 1) / per_page) + 1):
        reader.visit("home", f"/?page={page}", page_shows["list"])
    for section in sections:
        count = section.articles.count()
        for page in range(1, math.ceil(count / per_page) + 1):
            reader.visit("section", f"{section.get_absolute_url()}?page={page}", page_shows["list"])

    feeds = ["/feed/", "/feed/atom/"] + [
        f"{section.get_absolute_url()}{kind}"
        for section in sections
        for kind in ("feed/", "feed/atom/")
    ]
    feed_titles, feed_summaries = set(), set()
    for feed in feeds:
        scan = reader.page.evaluate(FEED_SCAN, feed)
        assert scan["status"] == 200, feed
        feed_titles |= {visible(item["title"]) for item in scan["items"]}
        feed_summaries |= {visible(item["summary"]) for item in scan["items"]}
        for name in ("headline", "standfirst"):
            surfaces[name].visits.append(Visit(url=feed, executed=[], injected=scan["problems"]))

    # A search is never refused (visit() insists on a 200), so every query counts as
    # stored; rendered means the search box shows it back, as typed.
    results = [searches, *page_shows["list"], surfaces["body"]]
    for payload in CORPUS:
        searches.tried += 1
        searches.stored.add(payload.number)
        reader.visit("search", f"/search/?q={quote(payload.text, safe='')}", results)
        shown = reader.attributes("#search-q", "value")[0]
        if visible(shown) == visible(search.clean_query(payload.text)):
            searches.rendered.add(payload.number)

    for page in range(math.ceil((len(stories) + 1) / ADMIN_PER_PAGE)):
        desk.visit("article list", f"/admin/articles/article/?p={page}", [surfaces["headline"]])
        desk.visit("photo list", f"/admin/photos/photo/?p={page}", photo_fields)
    for story in stories[::ADMIN_FORM_EVERY]:
        desk.visit("article form", f"/admin/articles/article/{story.pk}/change/", everything)
        photo_id = story.photo_placements.get().photo_id
        desk.visit("photo form", f"/admin/photos/photo/{photo_id}/change/", photo_fields)

    shown = [*everything, searches]
    publish_report(shown, [reader, desk], artifacts)
    print(f"{len(feeds)} feeds read: {len(feed_titles)} titles, {len(feed_summaries)} summaries")
    assert_clean(shown)
    stored_headlines = {
        visible(s.headline) for s in Article.objects.filter(slug__startswith="corpus-")
    }
    assert stored_headlines <= feed_titles
    stored_standfirsts = {visible(CORPUS[n - 1].text) for n in surfaces["standfirst"].stored}
    assert stored_standfirsts <= feed_summaries
    for name, surface in surfaces.items():
        assert surface.rendered == surface.stored, (name, sorted(surface.stored - surface.rendered))
    assert searches.rendered == searches.stored
