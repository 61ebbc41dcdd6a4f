from datetime import timedelta
from xml.etree import ElementTree

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles.models import Article, Tag
from articles.tests.factories import (
    HIDDEN_WORD,
    make_article,
    make_author,
    make_hidden_body_story,
    make_section,
    place_photo,
)
from newsroom.tests.html import Elements

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return response, feed


@pytest.fixture
def story():
    section = make_section(name="Politics", slug="politics")
    author = make_author(name="Lin Mei", slug="lin-mei")
    article = make_article(
        headline="Assembly passes the harbour bill",
        standfirst="The vote ends a year of wrangling.",
        section=section,
        authors=[author, make_author(name="Tom Hale")],
        updated_at=timezone.now() - timedelta(minutes=5),
    )
    article.tags.add(Tag.objects.create(name="Harbour", slug="harbour"))
    place_photo(article, role="lead")
    return article


@pytest.mark.parametrize("name", ["distribution:feed-rss", "distribution:feed-atom"])
def test_site_feed_items_carry_the_story(client, story, name):
    _, feed = parse(client, reverse(name))
    [entry] = feed.entries
    assert entry.title == "Assembly passes the harbour bill"
    assert entry.summary == "The vote ends a year of wrangling."
    assert entry.link == f"http://testserver{story.get_absolute_url()}"
    assert entry.author == "Lin Mei, Tom Hale"
    assert {tag.term for tag in entry.tags} == {"Politics", "Harbour"}
    assert entry.published_parsed[:5] == story.publish_at.utctimetuple()[:5]
    [enclosure] = entry.enclosures
    assert enclosure.type == "image/jpeg"
    assert enclosure.href.startswith("http://testserver/media/renditions/")
    assert int(enclosure.length) > 0


@pytest.mark.parametrize(
    ("name", "summary"),
    [
        ("distribution:feed-rss", "channel/item/description"),
        ("distribution:feed-atom", "atom:entry/atom:summary"),
    ],
)
def test_summaries_show_a_standfirst_as_text_not_markup(client, name, summary):
    """Feed summaries are HTML: a standfirst that looks like markup is escaped into text."""
    standfirst = 'Tolls rise <img src=x onerror=alert(1)> & "fares" <script>alert(2)</script>'
    make_article(headline="Tolls", standfirst=standfirst)
    response, feed = parse(client, reverse(name))
    element = ElementTree.fromstring(response.content).find(
        summary, {"atom": "http://www.w3.org/2005/Atom"}
    )
    assert element.text == escape(standfirst)
    assert element.get("type") in (None, "html")
    # What a feed reader shows once it renders the summary's HTML: the text, no elements.
    rendered = Elements(element.text)
    assert rendered.found == [] and rendered.text == standfirst
    assert feed.entries[0].title == "Tolls"


def test_atom_entries_carry_the_update_time(client, story):
    _, feed = parse(client, reverse("distribution:feed-atom"))
    assert feed.entries[0].updated_parsed[:5] == story.updated_at.utctimetuple()[:5]


def test_rss_items_have_a_media_content_image(client, story):
    _, feed = parse(client, reverse("distribution:feed-rss"))
    [media] = feed.entries[0].media_content
    assert media["medium"] == "image"
    assert media["url"] == feed.entries[0].enclosures[0].href
    assert int(media["width"]) > 0


def test_feeds_list_only_published_stories(client, story):
    make_article(status=Article.Status.DRAFT)
    make_article(publish_at=timezone.now() + timedelta(hours=3))
    make_article(status=Article.Status.UNPUBLISHED)
    _, feed = parse(client, reverse("distribution:feed-rss"))
    assert [entry.title for entry in feed.entries] == [story.headline]


@pytest.mark.parametrize("name", ["distribution:feed-rss", "distribution:feed-atom"])
def test_a_hidden_body_leaves_its_photo_and_tags_out_of_feeds(client, name):
    story = make_hidden_body_story(section=make_section(name="Harbour", slug="harbour"))
    response, feed = parse(client, reverse(name))
    [entry] = feed.entries
    assert entry.title == story.headline
    assert entry.summary == story.standfirst
    assert [tag.term for tag in entry.tags] == ["Harbour"]
    assert entry.enclosures == [] and "media_content" not in entry
    xml = response.content.decode()
    assert HIDDEN_WORD not in xml.lower() and "/media/renditions/" not in xml


def test_a_hidden_body_leaves_its_tag_feed(client):
    make_hidden_body_story()
    _, feed = parse(client, reverse("distribution:tag-feed-rss", kwargs={"slug": HIDDEN_WORD}))
    assert feed.entries == []


@pytest.mark.parametrize("kind", ["section", "author", "tag"])
@pytest.mark.parametrize("flavour", ["rss", "atom"])
def test_section_author_and_tag_feeds_hold_only_their_stories(client, story, kind, flavour):
    make_article(headline="Elsewhere")
    slug = {"section": "politics", "author": "lin-mei", "tag": "harbour"}[kind]
    _, feed = parse(client, reverse(f"distribution:{kind}-feed-{flavour}", kwargs={"slug": slug}))
    assert [entry.title for entry in feed.entries] == [story.headline]


def test_feed_of_an_unknown_section_is_not_found(client):
    url = reverse("distribution:section-feed-rss", kwargs={"slug": "nope"})
    assert client.get(url).status_code == 404


def test_feed_query_count_does_not_grow_with_stories(client, django_assert_max_num_queries):
    for _ in range(5):
        place_photo(make_article(authors=[make_author()]), role="lead")
    with django_assert_max_num_queries(6):
        parse(client, reverse("distribution:feed-atom"))


def alternate_links(html):
    """The (type, address) of each <link rel="alternate"> on the page."""
    links = (link["attrs"] for link in Elements(html).by_tag("link"))
    return [(attrs["type"], attrs["href"]) for attrs in links if attrs.get("rel") == "alternate"]


def test_every_page_links_the_site_feeds(client, story):
    for url in ["/", story.get_absolute_url(), reverse("articles:search")]:
        links = alternate_links(client.get(url).content.decode())
        assert ("application/rss+xml", reverse("distribution:feed-rss")) in links
        assert ("application/atom+xml", reverse("distribution:feed-atom")) in links


@pytest.mark.parametrize(
    ("page", "slug"), [("section", "politics"), ("author", "lin-mei"), ("tag", "harbour")]
)
def test_section_author_and_tag_pages_link_their_own_feeds(client, story, page, slug):
    html = client.get(reverse(f"articles:{page}", kwargs={"slug": slug})).content.decode()
    links = alternate_links(html)
    assert (
        "application/rss+xml",
        reverse(f"distribution:{page}-feed-rss", kwargs={"slug": slug}),
    ) in links
    assert (
        "application/atom+xml",
        reverse(f"distribution:{page}-feed-atom", kwargs={"slug": slug}),
    ) in links
