"""The anonymous page cache: hits, validators, exact invalidation, and no leaks."""

import gzip
import socket
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, override_settings
from django.urls import path
from django.utils import timezone

from articles.models import Article
from articles.previews import preview_path
from articles.services import publish_article, record_slug_change, unpublish_article
from articles.tests.factories import (
    make_article,
    make_author,
    make_photo,
    make_section,
    make_staff,
    place_photo,
)
from discussion.tests.factories import add_comment, make_moderator, make_reader
from moderation.services import approve_comment, reject_comment
from newsroom.tests.services import require_service
from pagecache import registry, versions
from pagecache.pages import cached_for_readers

pytestmark = pytest.mark.django_db


@cached_for_readers(shows=("form",))
def form_page(request):
    return HttpResponse(f"<input value='{get_token(request)}'>")


@cached_for_readers
def untagged_page(request):
    return HttpResponse("Shows nothing the cache knows of")


# What the tagged page shows, and a write the test makes land while it renders.
shown = {"text": "First text"}
during_render = []


@cached_for_readers(shows=("thing",))
def tagged_page(request):
    text = shown["text"]
    while during_render:
        during_render.pop()()
    return HttpResponse(text)


urlpatterns = [
    path("form/", form_page),
    path("untagged/", untagged_page),
    path("tagged/", tagged_page),
]


def get(url, client=None, **headers):
    response = (client or Client()).get(url, headers=headers)
    return response, response.content.decode()


class TestCachedResponses:
    def test_second_anonymous_request_is_served_from_the_cache(self, story):
        first, _ = get(story.get_absolute_url())
        second, html = get(story.get_absolute_url())
        assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
        assert "Ferry timetable cut" in html
        assert second["ETag"] == first["ETag"]
        assert "Last-Modified" in second
        assert set(second["Cache-Control"].split(", ")) == {
            "public",
            "max-age=0",
            "must-revalidate",
        }
        assert "Cookie" in second["Vary"]

    def test_a_hit_sends_the_headers_a_render_sends(self, story):
        first, _ = get(story.get_absolute_url())
        second, _ = get(story.get_absolute_url())
        for header in [
            "Content-Security-Policy",
            "Permissions-Policy",
            "Referrer-Policy",
            "X-Content-Type-Options",
            "X-Frame-Options",
            "Content-Type",
        ]:
            assert second[header] == first[header], header
        assert not second.cookies

    def test_stored_pages_go_out_gzipped_to_browsers_that_accept_it(self, story):
        plain_miss, html = get(story.get_absolute_url())
        plain_hit, _ = get(story.get_absolute_url())
        gzipped = Client().get(story.get_absolute_url(), headers={"accept-encoding": "gzip, br"})
        assert gzipped["Content-Encoding"] == "gzip"
        assert gzip.decompress(gzipped.content).decode() == html
        assert int(gzipped["Content-Length"]) == len(gzipped.content) < len(html) / 2
        for response in (plain_miss, plain_hit):
            assert "Content-Encoding" not in response
            assert int(response["Content-Length"]) == len(html.encode())
        assert "Accept-Encoding" in gzipped["Vary"] and "Cookie" in gzipped["Vary"]
        assert gzipped["ETag"] == plain_hit["ETag"]

    def test_signed_in_pages_are_not_compressed(self, story, client):
        client.force_login(make_reader())
        response = client.get(story.get_absolute_url(), headers={"accept-encoding": "gzip"})
        assert "Content-Encoding" not in response
        assert "csrfmiddlewaretoken" in response.content.decode()

    @pytest.mark.parametrize("url", ["/", "/section/world/", "/corrections/", "/sitemap.xml"])
    def test_lists_and_sitemap_are_cached(self, story, url):
        assert get(url)[0]["X-Page-Cache"] == "miss"
        assert get(url)[0]["X-Page-Cache"] == "hit"

    def test_conditional_requests_get_304_until_something_changes(self, story):
        first, _ = get(story.get_absolute_url())
        etag, modified = first["ETag"], first["Last-Modified"]
        assert get(story.get_absolute_url(), if_none_match=etag)[0].status_code == 304
        assert get(story.get_absolute_url(), if_modified_since=modified)[0].status_code == 304
        story.headline = "Ferry timetable restored"
        story.save()
        response, html = get(story.get_absolute_url(), if_none_match=etag)
        assert response.status_code == 200
        assert "Ferry timetable restored" in html

    @pytest.mark.parametrize("garbage", ['"', "W/", "*,,,", "x" * 5000, '"1.0", nonsense'])
    def test_garbage_if_none_match_is_ignored(self, story, garbage):
        response, _ = get(story.get_absolute_url(), if_none_match=garbage)
        # "*" matches any existing resource by definition (RFC 9110); the rest is noise.
        assert response.status_code in (200, 304) if "*" in garbage else response.status_code == 200

    def test_unknown_query_parameters_share_one_entry(self, story):
        url = story.get_absolute_url()
        assert get(url)[0]["X-Page-Cache"] == "miss"
        for query in ["?utm_source=x&utm_medium=y", "?nocache=123", "?comments=sideways"]:
            response, html = get(url + query)
            assert response["X-Page-Cache"] == "hit", query
            assert "utm_source" not in html and "nocache" not in html
        assert get(url + "?comments=newest")[0]["X-Page-Cache"] == "miss"
        assert get("/?page=001")[0]["X-Page-Cache"] == "miss"
        assert get("/?page=1&utm_campaign=z")[0]["X-Page-Cache"] == "hit"

    @pytest.mark.parametrize(
        "query", ["?page=99999999999999999999", "?page=abc", "?page=2", "?page=-1"]
    )
    def test_pages_past_the_end_are_404_and_not_stored(self, story, query):
        for _ in range(2):
            response, _ = get("/" + query)
            assert response.status_code == 404
            assert "X-Page-Cache" not in response  # raised, so never stored

    @pytest.mark.parametrize("query", ["?cpage=2", "?cpage=999999999", "?cpage=x"])
    def test_comment_pages_past_the_end_are_404(self, story, query):
        assert get(story.get_absolute_url() + query)[0].status_code == 404

    def test_redirects_from_old_addresses_are_never_stored(self, story):
        old = story.get_absolute_url()
        assert get(old)[0]["X-Page-Cache"] == "miss"
        story.slug = "ferry-timetable-cut-again"
        story.save()
        record_slug_change(article=story, previous_slug=old.split("/")[-2])
        for _ in range(2):
            response, _ = get(old)
            assert response.status_code == 301
            assert response["Location"] == story.get_absolute_url()
            assert "X-Page-Cache" not in response
            assert "no-store" in response["Cache-Control"]

    def test_previews_are_never_cached(self, story):
        story.status = Article.Status.DRAFT
        story.save()
        response, _ = get(preview_path(story))
        assert "X-Page-Cache" not in response
        assert "no-cache" in response["Cache-Control"]


class TestExactInvalidation:
    """Change → the next anonymous GET shows it, with the page cached before the change."""

    def warm(self, *urls):
        for url in urls:
            get(url)
            assert get(url)[0]["X-Page-Cache"] == "hit"

    def test_publishing_shows_the_story_on_lists(self, story):
        draft = make_article(
            section=story.section, headline="Harbour reopens", status=Article.Status.DRAFT
        )
        self.warm("/", "/section/world/")
        publish_article(article=draft, by=make_staff())
        assert "Harbour reopens" in get("/")[1]
        assert "Harbour reopens" in get("/section/world/")[1]
        assert get(draft.get_absolute_url())[0].status_code == 200

    def test_editing_shows_the_new_text_everywhere(self, story):
        self.warm("/", story.get_absolute_url())
        story.headline = "Ferry timetable cut in half"
        story.save()
        assert "Ferry timetable cut in half" in get("/")[1]
        assert "Ferry timetable cut in half" in get(story.get_absolute_url())[1]

    def test_unpublishing_takes_the_story_down(self, story):
        self.warm("/", story.get_absolute_url())
        unpublish_article(article=story, by=make_staff())
        assert get(story.get_absolute_url())[0].status_code == 404
        assert "Ferry timetable cut" not in get("/")[1]

    def test_approving_and_removing_a_comment(self, story):
        comment = add_comment(story, make_reader(), "Held for a moderator first")
        assert comment.moderation.state == "pending"
        self.warm(story.get_absolute_url())
        assert "Held for a moderator first" not in get(story.get_absolute_url())[1]
        moderator = make_moderator()
        approve_comment(comment=comment, by=moderator)
        assert "Held for a moderator first" in get(story.get_absolute_url())[1]
        self.warm(story.get_absolute_url())
        reject_comment(comment=comment, by=moderator, reason="Off topic.")
        assert "Held for a moderator first" not in get(story.get_absolute_url())[1]

    def test_changing_a_photo_caption(self, story):
        photo = make_photo(caption="Passengers at the old pier")
        place_photo(story, photo=photo, role="lead")
        self.warm(story.get_absolute_url(), "/")
        photo.caption = "Passengers at the new pier"
        photo.save()
        assert "Passengers at the new pier" in get(story.get_absolute_url())[1]

    def test_a_scheduled_story_appears_at_its_time_with_no_write(self, story):
        due = timezone.now() + timedelta(minutes=30)
        make_article(section=story.section, headline="Budget announced", publish_at=due)
        self.warm("/")
        assert "Budget announced" not in get("/")[1]
        with time_machine.travel(due + timedelta(seconds=1)):
            assert "Budget announced" in get("/")[1]

    def test_an_embargo_lifting_shows_the_story_with_no_write(self, story):
        lift = timezone.now() + timedelta(hours=2)
        embargoed = make_article(headline="Trial results", embargo_until=lift)
        self.warm("/")
        assert get(embargoed.get_absolute_url())[0].status_code == 404
        with time_machine.travel(lift + timedelta(seconds=1)):
            assert "Trial results" in get("/")[1]
            assert get(embargoed.get_absolute_url())[0].status_code == 200

    def test_a_write_in_another_process_is_seen_by_this_one(self, story):
        """The writer's process has its own local-memory cache: nothing is deleted here."""
        self.warm(story.get_absolute_url())
        own_memory = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "another-process",
        }
        elsewhere = {"default": own_memory, "pages": own_memory}
        with override_settings(CACHES=elsewhere):
            story.headline = "Edited from another worker"
            story.save()
        response, html = get(story.get_absolute_url())
        assert "Edited from another worker" in html
        assert response["X-Page-Cache"] == "miss"


def hit(url):
    return get(url)[0]["X-Page-Cache"] == "hit"


class TestOnlyWhatChanged:
    """A write refreshes the pages that show what it changed, and no other."""

    @pytest.fixture
    def site(self, story, settings):
        # Every copy confirmed at once, so none lapses while a slow test runs.
        settings.PAGE_CACHE_PROVISIONAL_SECONDS = 0
        other = make_article(
            section=make_section(slug="sport"),
            headline="Cup final tonight",
            authors=[make_author(slug="ada")],
        )
        pages = ["/", story.get_absolute_url(), other.get_absolute_url(), "/section/world/"]
        pages += ["/section/sport/", "/authors/ada/"]
        for url in pages:
            assert get(url)[0]["X-Page-Cache"] == get(url)[0]["X-Page-Cache"] == "miss"
            assert hit(url), url
        return other

    def test_a_comment_held_for_review_invalidates_nothing(self, story, site):
        comment = add_comment(story, make_reader(), "Waiting for a moderator")
        assert comment.moderation.state == "pending"
        for url in ["/", story.get_absolute_url(), site.get_absolute_url(), "/section/world/"]:
            assert hit(url), url

    def test_a_reader_signing_up_invalidates_nothing(self, story, site):
        make_reader(display_name="Brand New Reader")
        for url in ["/", story.get_absolute_url(), site.get_absolute_url(), "/authors/ada/"]:
            assert hit(url), url

    def test_approving_refreshes_the_story_and_the_lists_showing_its_count(self, story, site):
        comment = add_comment(story, make_reader(), "Worth a yes from a moderator")
        approve_comment(comment=comment, by=make_moderator())
        response, html = get(story.get_absolute_url())
        assert response["X-Page-Cache"] == "miss" and "Worth a yes from a moderator" in html
        for url in ["/", "/section/world/"]:
            response, html = get(url)
            assert response["X-Page-Cache"] == "miss" and "1 comment" in html, url
        for url in [site.get_absolute_url(), "/section/sport/", "/authors/ada/"]:
            assert hit(url), url

    def test_a_caption_edit_refreshes_the_stories_that_place_the_photo(self, story, site):
        photo = make_photo(caption="Passengers at the old pier")
        place_photo(story, photo=photo)
        for url in [story.get_absolute_url(), site.get_absolute_url()]:
            get(url)
            get(url)
            assert hit(url)
        photo.caption = "Passengers at the new pier"
        photo.save()
        response, html = get(story.get_absolute_url())
        assert response["X-Page-Cache"] == "miss" and "Passengers at the new pier" in html
        assert hit(site.get_absolute_url())

    def test_a_response_names_what_it_shows(self, story):
        response, _ = get(story.get_absolute_url())
        assert {
            f"story:{story.pk}",
            f"story:{story.pk}:comments",
            f"section:{story.section_id}",
            "sections",
        } <= response.page_tags
        assert "latest" not in response.page_tags
        again, _ = get(story.get_absolute_url())
        assert again["X-Page-Cache"] == "hit" and again.page_tags == response.page_tags
        assert {"latest", f"story:{story.pk}"} <= get("/")[0].page_tags

    def test_the_edge_hears_which_tags_an_approval_changed(
        self, story, monkeypatch, django_capture_on_commit_callbacks
    ):
        heard = []
        monkeypatch.setattr(registry, "_listeners", [heard.append])
        comment = add_comment(story, make_reader(), "Held first")
        with django_capture_on_commit_callbacks(execute=True):
            approve_comment(comment=comment, by=make_moderator())
        assert set().union(*heard) == {f"story:{story.pk}:comments"}


@pytest.mark.urls(__name__)
class TestStoredVersions:
    @pytest.fixture(autouse=True)
    def fresh(self):
        shown["text"] = "First text"
        during_render.clear()

    def test_a_page_that_declares_nothing_is_never_stored(self):
        responses = [get("/untagged/")[0] for _ in range(2)]
        assert [r["X-Page-Cache"] for r in responses] == ["bypass", "bypass"]
        assert "no-store" in responses[1]["Cache-Control"]

    def test_a_write_landing_during_the_render_leaves_the_copy_out_of_date(self, settings):
        get("/tagged/")
        later = timedelta(seconds=settings.PAGE_CACHE_PROVISIONAL_SECONDS + 1)
        with time_machine.travel(timezone.now() + later):
            # Rendered again with every version known beforehand.
            assert get("/tagged/")[0]["X-Page-Cache"] == "miss"
            assert hit("/tagged/")

            def write():
                shown["text"] = "Second text"
                versions.bump(["thing"])

            during_render.append(write)
            versions.bump(["thing"])  # the page is rendered again, and the write lands meanwhile
            assert get("/tagged/")[1] == "First text"
            response, html = get("/tagged/")
            assert response["X-Page-Cache"] == "miss" and html == "Second text"

    def test_a_first_render_racing_a_write_is_provisional(self, settings):
        def write():
            shown["text"] = "Second text"
            versions.bump(["thing"])

        during_render.append(write)
        assert get("/tagged/")[1] == "First text"
        # Its version was read after the render: stale for a moment at most.
        assert get("/tagged/")[1] == "First text"
        later = timedelta(seconds=settings.PAGE_CACHE_PROVISIONAL_SECONDS + 1)
        with time_machine.travel(timezone.now() + later):
            response, html = get("/tagged/")
            assert response["X-Page-Cache"] == "miss" and html == "Second text"


class TestNothingPersonalIsShared:
    def test_logged_in_page_is_not_cached_and_not_served_to_others(self, story):
        writer = make_reader(display_name="Quinn Okafor")
        add_comment(story, writer, "My pending words")  # a new reader's comment is held
        get(story.get_absolute_url())  # an anonymous copy is already cached
        logged_in = Client()
        logged_in.force_login(writer)
        response, html = get(story.get_absolute_url(), logged_in)
        assert "My pending words" in html and "csrfmiddlewaretoken" in html
        assert "X-Page-Cache" not in response and "ETag" not in response
        assert "private" in response["Cache-Control"]
        anonymous, html = get(story.get_absolute_url())
        assert anonymous["X-Page-Cache"] == "hit"
        assert "csrfmiddlewaretoken" not in html
        assert "Quinn Okafor" not in html and "My pending words" not in html
        assert "csrftoken" not in anonymous.cookies

    def test_anonymous_pages_carry_no_csrf_token(self, story):
        for url in ["/", story.get_absolute_url(), "/section/world/"]:
            first, second = Client(), Client()
            get(url, first)
            response, html = get(url, second)
            assert "csrfmiddlewaretoken" not in html
            assert not response.cookies

    @pytest.mark.urls(__name__)
    def test_a_page_that_uses_a_csrf_token_is_never_stored(self):
        responses = [get("/form/")[0] for _ in range(2)]
        assert [r["X-Page-Cache"] for r in responses] == ["bypass", "bypass"]
        assert "no-store" in responses[1]["Cache-Control"]
        assert responses[0].cookies["csrftoken"].value != responses[1].cookies["csrftoken"].value

    def test_a_reader_with_a_message_waiting_gets_a_fresh_page(self, story, client):
        get(story.get_absolute_url())
        reader = make_reader()
        client.force_login(reader)
        client.post("/accounts/logout/")
        response, html = get("/", client)
        assert "X-Page-Cache" not in response
        assert "signed out" in html.lower()


def closed_port():
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_cache(url):
    """CACHES as settings.py makes them from REDIS_URL: pages in the same Redis."""
    shared = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5},
    }
    return {"default": shared, "pages": shared}


@pytest.fixture
def redis_pages():
    require_service("Redis", "127.0.0.1", 6379)
    with override_settings(CACHES=redis_cache("redis://127.0.0.1:6379/14")):
        cache.clear()
        yield
        cache.clear()


# Real commits: tags move on in Redis only once the writer's transaction commits.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("redis_pages")
class TestTagsInRedis:
    def test_pages_are_cached_in_redis(self, story):
        assert get(story.get_absolute_url())[0]["X-Page-Cache"] == "miss"
        assert get(story.get_absolute_url())[0]["X-Page-Cache"] == "hit"
        story.headline = "Edited while Redis holds the page"
        story.save()
        assert "Edited while Redis holds the page" in get(story.get_absolute_url())[1]

    def test_a_hit_reads_nothing_from_the_database(self, story, django_assert_num_queries):
        get(story.get_absolute_url())
        with django_assert_num_queries(0):
            response, html = get(story.get_absolute_url())
        assert response["X-Page-Cache"] == "hit" and "Ferry timetable cut" in html

    def test_an_edit_reaches_readers_when_it_commits_not_before(self, story):
        get(story.get_absolute_url())
        with transaction.atomic():
            story.headline = "Ferry timetable restored"
            story.save()
            # Readers still get the committed page meanwhile.
            response, html = get(story.get_absolute_url())
            assert response["X-Page-Cache"] == "hit" and "Ferry timetable cut" in html
        response, html = get(story.get_absolute_url())
        assert "Ferry timetable restored" in html and response["X-Page-Cache"] == "miss"

    def test_a_tag_redis_lost_never_matches_an_old_copy(self, story):
        get(story.get_absolute_url())
        assert get(story.get_absolute_url())[0]["X-Page-Cache"] == "hit"
        client = cache.client.get_client()
        client.delete(*client.keys(f"*pagecache:tag:story:{story.pk}"))
        assert get(story.get_absolute_url())[0]["X-Page-Cache"] == "miss"

    def test_a_write_redis_did_not_hear_of_is_told_again_by_a_job(self, story, monkeypatch):
        get(story.get_absolute_url())
        told = versions._redis_bump
        calls = []

        def unreachable_once(tags):
            calls.append(tags)
            if len(calls) == 1:
                raise ConnectionError("Redis went away")
            told(tags)

        monkeypatch.setattr(versions, "_redis_bump", unreachable_once)
        story.headline = "Ferry timetable restored"
        story.save()
        assert len(calls) == 2  # the job, run at once by the tests' backend
        assert "Ferry timetable restored" in get(story.get_absolute_url())[1]

    def test_a_scheduled_story_appears_at_its_time(self, story):
        due = timezone.now() + timedelta(minutes=30)
        make_article(section=story.section, headline="Budget announced", publish_at=due)
        get("/")
        assert get("/")[0]["X-Page-Cache"] == "hit"
        with time_machine.travel(due + timedelta(seconds=1)):
            assert "Budget announced" in get("/")[1]


class TestRedisDown:
    def test_pages_are_served_uncached_when_redis_is_down(self, story):
        with override_settings(CACHES=redis_cache(f"redis://127.0.0.1:{closed_port()}/14")):
            for _ in range(2):
                response, html = get(story.get_absolute_url())
                assert response.status_code == 200
                assert "Ferry timetable cut" in html
                assert response["X-Page-Cache"] == "miss"
