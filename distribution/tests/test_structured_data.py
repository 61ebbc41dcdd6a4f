import json
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Tag
from articles.tests.factories import (
    HIDDEN_WORD,
    image_upload,
    make_article,
    make_author,
    make_citation,
    make_correction,
    make_hidden_body_story,
    make_photo,
    make_section,
    place_photo,
)
from newsroom.tests.html import Elements

pytestmark = pytest.mark.django_db


class Head:
    """The page's JSON-LD blocks, <meta> values and <link>s."""

    def __init__(self, html):
        page = Elements(html)
        self.json_ld = []
        for script in page.by_tag("script"):
            if script["attrs"].get("type") == "application/ld+json":
                parsed = json.loads(script["text"])
                self.json_ld.extend(parsed if isinstance(parsed, list) else [parsed])
        self.meta = {
            attrs.get("property") or attrs.get("name"): attrs["content"]
            for attrs in (meta["attrs"] for meta in page.by_tag("meta"))
            if "content" in attrs
        }
        self.links = [link["attrs"] for link in page.by_tag("link")]

    def of_type(self, kind):
        [found] = [block for block in self.json_ld if block["@type"] == kind]
        return found


@pytest.fixture
def story():
    author = make_author(name="Lin Mei", slug="lin-mei")
    article = make_article(
        headline="Assembly passes the harbour bill </script><script>alert(1)</script>",
        standfirst="The vote ends a year of wrangling.",
        section=make_section(name="Politics", slug="politics"),
        authors=[author],
        updated_at=timezone.now() - timedelta(minutes=5),
    )
    article.tags.add(Tag.objects.create(name="Harbour", slug="harbour"))
    photo = make_photo(image=image_upload(width=2000, height=1250), alt_text="Members voting.")
    place_photo(article, photo, role="lead")
    make_citation(article, outlet="Harbour Gazette", title="Bill text", url="https://g.example/b")
    make_correction(article, text="The vote was 31 to 12, not 31 to 21.")
    return article


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return Head(response.content.decode())


def test_article_page_has_news_article_json_ld(client, story):
    data = head_of(client, story.get_absolute_url()).of_type("NewsArticle")
    url = f"http://testserver{story.get_absolute_url()}"
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == story.headline
    assert data["url"] == data["mainEntityOfPage"]["@id"] == url
    assert data["datePublished"] == story.publish_at.isoformat()
    assert data["dateModified"] == story.updated_at.isoformat()
    assert data["author"] == [
        {"@type": "Person", "name": "Lin Mei", "url": "http://testserver/authors/lin-mei/"}
    ]
    assert data["publisher"]["name"] == "The Newsroom"
    assert data["publisher"]["logo"]["url"].endswith("/static/img/publisher-logo.png")
    assert data["isAccessibleForFree"] is True
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "The vote was 31 to 12, not 31 to 21.",
            "datePublished": story.corrections.get().published_at.isoformat(),
        }
    ]
    [citation] = data["citation"]
    assert citation["name"] == "Bill text"
    assert citation["url"] == "https://g.example/b"
    assert citation["publisher"]["name"] == "Harbour Gazette"
    assert data["keywords"] == ["Harbour"]


def test_a_citation_quoting_a_person_mentions_them_with_their_role(client, story):
    make_citation(
        story,
        outlet="Nikkei Asia",
        title="Japan to curb chip tool exports",
        url="https://asia.example/chips",
        person="Koichi Hagiuda",
        person_role="Japan's trade minister",
        position=1,
    )
    make_citation(story, outlet="Kyodo", person="Ken Ito", position=2)
    bill, quoting, without_role = head_of(client, story.get_absolute_url()).of_type("NewsArticle")[
        "citation"
    ]
    assert "mentions" not in bill
    assert quoting["publisher"] == {"@type": "Organization", "name": "Nikkei Asia"}
    assert quoting["mentions"] == {
        "@type": "Person",
        "name": "Koichi Hagiuda",
        "description": "Japan's trade minister",
    }
    assert without_role["mentions"] == {"@type": "Person", "name": "Ken Ito"}


def test_article_images_come_in_three_ratios(client, story):
    data = head_of(client, story.get_absolute_url()).of_type("NewsArticle")
    assert len(data["image"]) == 3
    assert [url.split("/")[-1].split("-")[1] for url in data["image"]] == ["16x9", "1x1", "full"]
    assert all(url.startswith("http://testserver/media/renditions/") for url in data["image"])


def test_json_ld_cannot_close_its_script_element(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in html


def test_article_page_has_breadcrumbs(client, story):
    crumbs = head_of(client, story.get_absolute_url()).of_type("BreadcrumbList")
    items = crumbs["itemListElement"]
    assert [item["name"] for item in items] == ["The Newsroom", "Politics", story.headline]
    assert [item["position"] for item in items] == [1, 2, 3]


def test_article_page_has_open_graph_twitter_and_canonical(client, story):
    head = head_of(client, story.get_absolute_url())
    url = f"http://testserver{story.get_absolute_url()}"
    assert {"rel": "canonical", "href": url} in head.links
    assert head.meta["og:type"] == "article"
    assert head.meta["og:url"] == url
    assert head.meta["og:title"] == head.meta["twitter:title"] == story.headline
    assert head.meta["og:description"] == "The vote ends a year of wrangling."
    assert head.meta["og:image:width"] == "1200"
    assert head.meta["og:image:alt"] == head.meta["twitter:image:alt"] == "Members voting."
    assert head.meta["twitter:card"] == "summary_large_image"
    assert "-16x9-1200w-" in head.meta["twitter:image"]


def test_article_page_links_its_ninjs_document(client, story):
    head = head_of(client, story.get_absolute_url())
    assert {
        "rel": "alternate",
        "type": "application/json",
        "title": "ninjs",
        "href": f"/articles/{story.slug}/ninjs.json",
    } in head.links


def test_story_without_photo_or_bylines_leaves_those_fields_out(client):
    story = make_article(standfirst="")
    data = head_of(client, story.get_absolute_url()).of_type("NewsArticle")
    assert "image" not in data
    assert "author" not in data
    assert data["description"] == story.headline


def test_a_hidden_body_leaves_its_photo_tags_and_sources_out_of_the_head(client):
    story = make_hidden_body_story()
    response = client.get(story.get_absolute_url())
    head = Head(response.content.decode())
    data = head.of_type("NewsArticle")
    assert data["headline"] == story.headline
    assert data["description"] == story.standfirst
    assert not {"image", "keywords", "citation"} & set(data)
    assert head.meta["twitter:card"] == "summary"
    assert not [name for name in head.meta if name.endswith(":image") or ":image:" in name]
    html = response.content.decode()
    assert "Retracted." in html and story.retraction_note in html
    assert HIDDEN_WORD not in html.lower() and "/media/renditions/" not in html


def test_home_page_has_website_with_search_action(client):
    data = head_of(client, "/").of_type("WebSite")
    assert data["url"] == "http://testserver/"
    target = data["potentialAction"]["target"]["urlTemplate"]
    assert target == "http://testserver/search/?q={search_term_string}"


def test_section_page_has_breadcrumbs(client):
    section = make_section(name="Politics", slug="politics")
    crumbs = head_of(client, section.get_absolute_url()).of_type("BreadcrumbList")
    assert [item["item"] for item in crumbs["itemListElement"]] == [
        "http://testserver/",
        "http://testserver/section/politics/",
    ]


def test_staff_preview_of_a_draft_does_not_link_a_ninjs_document(admin_client):
    draft = make_article(status=Article.Status.DRAFT)
    head = head_of(admin_client, draft.get_absolute_url())
    assert not [link for link in head.links if link.get("type") == "application/json"]
