import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import (
    make_article,
    make_author,
    make_hidden_body_story,
    make_section,
)

pytestmark = pytest.mark.django_db

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def part(client, section):
    return fetch(client, reverse("distribution:sitemap", kwargs={"section": section}))


def locations(root):
    return sorted(url.findtext("s:loc", namespaces=NS) for url in root.findall("s:url", NS))


def absolute(*objects):
    return sorted(f"http://testserver{o.get_absolute_url()}" for o in objects)


@pytest.fixture
def hidden():
    """Stories readers cannot see: a draft, an unpublished and a scheduled one."""
    return [
        make_article(status=Article.Status.DRAFT, authors=[make_author()]),
        make_article(status=Article.Status.UNPUBLISHED, authors=[make_author()]),
        make_article(publish_at=timezone.now() + timedelta(hours=2), authors=[make_author()]),
    ]


def test_index_lists_the_article_section_author_and_news_sitemaps(client):
    root = fetch(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['s']}}}sitemapindex"
    assert sorted(s.findtext("s:loc", namespaces=NS) for s in root) == [
        f"http://testserver/sitemap-{name}.xml"
        for name in ["articles", "authors", "news", "sections"]
    ]


def test_sitemap_lists_exactly_the_published_stories(client):
    live = [make_article(), make_article()]
    make_article(status=Article.Status.DRAFT)
    make_article(status=Article.Status.UNPUBLISHED)
    make_article(publish_at=timezone.now() + timedelta(hours=2))
    response = client.get(reverse("distribution:sitemap", kwargs={"section": "articles"}))
    assert response.status_code == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.fromstring(response.content)
    locations = sorted(url.findtext("s:loc", namespaces=namespace) for url in root)
    assert locations == sorted(f"http://testserver{a.get_absolute_url()}" for a in live)
    assert all(url.find("s:lastmod", namespace) is not None for url in root)


def test_article_sitemap_lists_exactly_the_visible_stories(client, hidden):
    live = [make_article(), make_article()]
    assert locations(part(client, "articles")) == absolute(*live)


def test_section_and_author_sitemaps_list_only_those_with_visible_stories(client, hidden):
    author = make_author()
    story = make_article(authors=[author])
    make_section()  # empty
    assert locations(part(client, "sections")) == absolute(story.section)
    assert locations(part(client, "authors")) == absolute(author)
    [url] = part(client, "sections").findall("s:url", NS)
    assert url.findtext("s:lastmod", namespaces=NS) == f"{story.publish_at:%Y-%m-%d}"


def test_news_sitemap_holds_the_last_two_days(client, hidden, settings):
    settings.LANGUAGE_CODE = "en-gb"
    recent = make_article(headline="Tide & harbour <update>")
    make_article(publish_at=timezone.now() - timedelta(days=3))
    root = part(client, "news")
    assert locations(root) == absolute(recent)
    news = root.find("s:url/news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "The Newsroom"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == "Tide & harbour <update>"
    published = news.findtext("news:publication_date", namespaces=NS)
    assert published == recent.publish_at.isoformat()


def test_a_hidden_body_keeps_its_address_but_is_no_longer_offered_as_news(client):
    live = make_article()
    withdrawn = make_hidden_body_story()
    assert locations(part(client, "news")) == absolute(live)
    assert locations(part(client, "articles")) == absolute(live, withdrawn)


def test_a_retraction_is_the_last_change_crawlers_see(client):
    story = make_article(publish_at=timezone.now() - timedelta(days=30))
    with time_machine.travel(timezone.now() + timedelta(days=3), tick=False):
        story.status, story.retraction_note = Article.Status.RETRACTED, "The source recanted."
        story.save()
        retracted_on = f"{timezone.now():%Y-%m-%d}"
    lastmods = [url.findtext("s:lastmod", namespaces=NS) for url in part(client, "articles")]
    assert lastmods == [retracted_on]


def test_news_sitemap_stops_at_its_limit(client, monkeypatch):
    # 1,000 in production; two here, to test the cut without a thousand stories.
    monkeypatch.setattr("distribution.sitemaps.NEWS_LIMIT", 2)
    monkeypatch.setattr("distribution.sitemaps.NewsSitemap.limit", 2)
    for _ in range(3):
        make_article()
    assert len(part(client, "news").findall("s:url", NS)) == 2


def test_robots_txt_points_to_the_sitemap_index(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
