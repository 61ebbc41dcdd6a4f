from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PhotoPlacement, Tag
from newsroom.tests.html import Elements

from .factories import (
    HIDDEN_WORD,
    make_article,
    make_author,
    make_citation,
    make_correction,
    make_hidden_body_story,
    make_photo,
    make_section,
    make_staff,
    place_photo,
)

pytestmark = pytest.mark.django_db


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return Elements(response.content.decode())


@pytest.fixture
def story():
    """A published story with everything the article page can show."""
    author = make_author(name="Ines Okafor", slug="ines-okafor")
    co_author = make_author(name="Northmere Wire", slug="northmere-wire")
    article = make_article(
        kicker="Report:",
        headline="Cranes stand idle",
        standfirst="Talks resume today.",
        dateline="PORT CALDER",
        body="<p>First paragraph.</p><p>Second paragraph.</p><p>Third paragraph.</p>",
        authors=[author, co_author],
        updated_at=timezone.now(),
        comments_enabled=False,
    )
    article.tags.add(Tag.objects.create(name="Ports", slug="ports"))
    return article


# Stories that exist but that readers cannot open.
not_live = pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.IN_REVIEW},
        {"status": Article.Status.UNPUBLISHED},
        {"publish_at": timezone.now() + timedelta(hours=1)},
        {"embargo_until": timezone.now() + timedelta(hours=1)},
    ],
    ids=["draft", "in-review", "unpublished", "scheduled", "embargoed"],
)
LONG_CAPTION = ("A wire caption that runs long, naming everyone in the frame. " * 40).strip()


class TestArticlePage:
    def test_shows_the_story_head(self, client, story):
        doc = page(client, story.get_absolute_url())
        assert doc.by_class("kicker")[0]["text"] == "Report:"
        assert doc.by_tag("h1")[0]["text"] == "Cranes stand idle"
        assert doc.by_class("standfirst")[0]["text"] == "Talks resume today."
        byline_links = [a for a in doc.by_tag("a") if a["attrs"].get("rel") == "author"]
        assert [(a["text"], a["attrs"]["href"]) for a in byline_links] == [
            ("Ines Okafor", "/authors/ines-okafor/"),
            ("Northmere Wire", "/authors/northmere-wire/"),
        ]
        dates = doc.by_class("story__dates")[0]["text"]
        assert "PORT CALDER" in dates
        assert "Published" in dates
        assert "Updated" in dates

    def test_lead_photo_is_a_figure_with_full_caption_and_separate_credit(self, client, story):
        photo = make_photo(caption=LONG_CAPTION, credit="Mara Lindqvist/Northmere Wire")
        assert len(LONG_CAPTION) > 2000
        place_photo(story, photo, role=PhotoPlacement.Role.LEAD)
        doc = page(client, story.get_absolute_url())
        figure = doc.by_tag("figure")[0]
        img = doc.first_inside(figure, doc.by_tag("img"))
        assert img["attrs"]["alt"] == photo.alt_text
        assert (img["attrs"]["width"], img["attrs"]["height"]) == ("64", "40")
        figcaption = doc.first_inside(figure, doc.by_tag("figcaption"))
        caption = doc.first_inside(figcaption, doc.by_class("caption"))
        credit = doc.first_inside(figcaption, doc.by_class("credit"))
        assert caption["text"] == LONG_CAPTION
        assert credit["text"] == "Mara Lindqvist/Northmere Wire"

    def test_inline_photo_sits_after_its_paragraph_with_its_own_caption(self, client, story):
        place_photo(story, make_photo(caption="Library"), after_block=1, caption_override="Here")
        html = client.get(story.get_absolute_url()).content.decode()
        first, figure, second = (
            html.index("First paragraph"),
            html.index('<figure class="photo'),
            html.index("Second paragraph"),
        )
        assert first < figure < second
        assert '<span class="caption">Here</span>' in html

    def test_lists_sources_in_order_with_links(self, client, story):
        make_citation(
            story,
            outlet="Calder Courier",
            title="Night crews cut",
            url="https://courier.example.org/crews",
            archive_url="https://archive.example.net/crews",
            quote="Crews were reduced.",
            position=1,
        )
        make_citation(story, outlet="Harbour Radio", title="Queue grows", position=2)
        doc = page(client, story.get_absolute_url())
        sources = doc.by_class("source")
        assert [s["attrs"]["id"] for s in sources] == ["source-1", "source-2"]
        assert "Calder Courier" in sources[0]["text"]
        assert "Crews were reduced." in sources[0]["text"]
        links = [a["attrs"]["href"] for a in doc.by_tag("a") if sources[0] in a["parents"]]
        assert links == ["https://courier.example.org/crews", "https://archive.example.net/crews"]
        assert "Harbour Radio" in sources[1]["text"]

    def test_shows_corrections_in_date_order(self, client, story):
        now = timezone.now()
        make_correction(story, text="Second note.", published_at=now)
        make_correction(
            story, text="First note.", kind="clarification", published_at=now - timedelta(days=1)
        )
        doc = page(client, story.get_absolute_url())
        assert doc.by_tag("h2")[-2]["text"] == "Corrections and updates"
        notes = [c["text"] for c in doc.by_class("correction")]
        assert "Clarification" in notes[0] and "First note." in notes[0]
        assert "Second note." in notes[1]

    def test_says_when_comments_are_closed(self, client, story):
        html = client.get(story.get_absolute_url()).content.decode()
        assert "Comments are closed for this story." in html

    def test_escapes_what_editors_type_in_plain_fields(self, client):
        article = make_article(headline="<script>alert('x')</script>", standfirst="<b>bold</b>")
        html = client.get(article.get_absolute_url()).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
        assert "&lt;b&gt;bold&lt;/b&gt;" in html

    @not_live
    def test_unpublished_stories_are_not_found(self, client, fields):
        article = make_article(**fields)
        doc = page(client, article.get_absolute_url(), status=404)
        assert doc.by_tag("h1")[0]["text"] == "We can't find that page"

    def test_editors_can_open_a_draft_marked_as_not_published(self, client, django_user_model):
        article = make_article(status=Article.Status.DRAFT)
        editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
        editor.user_permissions.add(
            Permission.objects.get(codename="publish_article", content_type__app_label="articles")
        )
        client.force_login(editor)
        doc = page(client, article.get_absolute_url())
        assert "Not published" in doc.by_class("notice--preview")[0]["text"]

    @pytest.mark.parametrize(
        ("role", "sees"),
        [
            ("Editors", {"started", "bylined", "other", "in review", "scheduled", "embargoed"}),
            ("Reporters", {"started", "bylined"}),
            # Started and bylined, but without a permission on stories.
            ("Moderators", set()),
        ],
    )
    def test_unpublished_stories_open_only_for_editors_and_their_own_reporters(
        self, client, role, sees
    ):
        person = make_staff(role)
        now = timezone.now()
        stories = {
            "started": make_article(status=Article.Status.DRAFT, created_by=person),
            "bylined": make_article(
                status=Article.Status.IN_REVIEW, authors=[make_author(user=person)]
            ),
            "other": make_article(status=Article.Status.DRAFT, created_by=make_staff("Reporters")),
            "in review": make_article(status=Article.Status.IN_REVIEW),
            "scheduled": make_article(publish_at=now + timedelta(hours=1)),
            "embargoed": make_article(embargo_until=now + timedelta(hours=1)),
        }
        client.force_login(person)
        for name, story in stories.items():
            status = 200 if name in sees else 404
            assert client.get(story.get_absolute_url()).status_code == status, name

    def test_unknown_story_is_not_found(self, client):
        page(client, "/articles/no-such-story/", status=404)

    def test_query_count_does_not_grow_with_photos_sources_and_corrections(
        self, client, story, django_assert_max_num_queries
    ):
        for n in range(10):
            place_photo(story, after_block=n + 1)
            make_citation(story)
            make_correction(story)
        with django_assert_max_num_queries(12):
            client.get(story.get_absolute_url())


class TestListPages:
    def test_home_has_lead_story_section_blocks_and_latest(self, client):
        world = make_section(name="World", slug="world", position=0)
        lead = make_article(section=world, featured=True, headline="The lead")
        place_photo(lead, role=PhotoPlacement.Role.LEAD)
        other = make_article(section=world, headline="Another world story")
        doc = page(client, "/")
        assert doc.by_class("lead-story__headline")[0]["text"].strip() == "The lead"
        block = doc.by_class("section-block")[0]
        assert "World" in doc.by_class("section-block__title")[0]["text"]
        assert other.headline in block["text"]
        assert lead.headline not in block["text"]
        assert lead.headline in doc.by_class("latest")[0]["text"]

    def test_home_lists_only_published_stories(self, client):
        make_article(headline="Live story")
        make_article(headline="Draft story", status=Article.Status.DRAFT)
        make_article(headline="Future story", publish_at=timezone.now() + timedelta(days=1))
        html = client.get("/").content.decode()
        assert "Live story" in html
        assert "Draft story" not in html
        assert "Future story" not in html

    def test_lists_paginate_and_reject_pages_past_the_end(self, client, settings):
        section = make_section()
        for _ in range(25):
            make_article(section=section)
        first = page(client, section.get_absolute_url())
        assert len(first.by_class("card")) == 20
        assert "Page 1 of 2" in first.by_class("pagination")[0]["text"]
        assert len(page(client, section.get_absolute_url() + "?page=2").by_class("card")) == 5
        page(client, section.get_absolute_url() + "?page=3", status=404)
        page(client, section.get_absolute_url() + "?page=99999999999", status=404)
        page(client, "/?page=abc", status=404)

    def test_lists_go_back_a_bounded_number_of_pages(self, client, settings):
        settings.NEWSROOM_MAX_LIST_PAGES = 2
        section = make_section()
        for _ in range(45):
            make_article(section=section)
        assert (
            "Page 2 of 2"
            in page(client, section.get_absolute_url() + "?page=2").by_class("pagination")[0][
                "text"
            ]
        )
        page(client, section.get_absolute_url() + "?page=3", status=404)

    def test_section_page_lists_its_own_stories(self, client):
        science = make_section(name="Science", slug="science", description="Research news.")
        mine = make_article(section=science)
        others = make_article()
        doc = page(client, "/section/science/")
        assert doc.by_tag("h1")[0]["text"] == "Science"
        text = doc.by_class("river")[0]["text"]
        assert mine.headline in text and others.headline not in text

    def test_author_page_shows_bio_and_their_stories(self, client):
        author = make_author(name="Hana Sato", slug="hana-sato", bio="Covers networks.")
        mine = make_article(authors=[author])
        others = make_article()
        doc = page(client, "/authors/hana-sato/")
        assert doc.by_tag("h1")[0]["text"] == "Hana Sato"
        assert "Covers networks." in doc.by_class("author-header__bio")[0]["text"]
        text = doc.by_class("river")[0]["text"]
        assert mine.headline in text and others.headline not in text

    def test_tag_page_lists_tagged_stories(self, client):
        tag = Tag.objects.create(name="Housing", slug="housing")
        mine = make_article()
        mine.tags.add(tag)
        others = make_article()
        doc = page(client, "/tags/housing/")
        text = doc.by_class("river")[0]["text"]
        assert mine.headline in text and others.headline not in text

    def test_a_hidden_body_leaves_its_photo_off_story_cards(self, client):
        author = make_author()
        story = make_hidden_body_story(
            section=make_section(slug="harbour"), featured=True, authors=[author]
        )
        for url in ["/", "/section/harbour/", author.get_absolute_url()]:
            html = client.get(url).content.decode()
            assert "/media/renditions/" not in html, url
        html = client.get("/section/harbour/").content.decode()
        assert story.headline in html and '<p class="kicker">Retracted</p>' in html

    def test_a_hidden_body_leaves_its_tag_page(self, client):
        story = make_hidden_body_story()
        html = client.get(reverse("articles:tag", kwargs={"slug": HIDDEN_WORD})).content.decode()
        assert story.headline not in html

    @pytest.mark.parametrize("url", ["/section/nope/", "/authors/nope/", "/tags/nope/"])
    def test_unknown_pages_are_not_found(self, client, url):
        page(client, url, status=404)

    @pytest.mark.parametrize("url", ["/", "/section/s/"])
    def test_list_query_count_does_not_grow_with_page_size(
        self, client, url, django_assert_max_num_queries
    ):
        section = make_section(slug="s")
        for _ in range(20):
            place_photo(make_article(section=section, authors=[make_author()]), role="lead")
        with django_assert_max_num_queries(10):
            client.get(url)
