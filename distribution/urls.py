from django.urls import path

from articles.page_tags import ARCHIVE, LATEST
from pagecache.pages import cached_for_readers, page_number

from . import feeds, views
from .sitemaps import sitemap_index, sitemap_section

# Feeds, sitemaps and ninjs show many stories' details (names, photos, dates),
# so they depend on any story changing, and on releases (articles/page_tags.py).
SHOWS = (ARCHIVE, LATEST)


def cached_feed(feed):
    return cached_for_readers(feed, params={}, shows=SHOWS)


app_name = "distribution"

urlpatterns = [
    path("feed/", cached_feed(feeds.StoriesFeed()), name="feed-rss"),
    path("feed/atom/", cached_feed(feeds.AtomStoriesFeed()), name="feed-atom"),
    path("section/<slug:slug>/feed/", cached_feed(feeds.SectionFeed()), name="section-feed-rss"),
    path(
        "section/<slug:slug>/feed/atom/",
        cached_feed(feeds.AtomSectionFeed()),
        name="section-feed-atom",
    ),
    path("authors/<slug:slug>/feed/", cached_feed(feeds.AuthorFeed()), name="author-feed-rss"),
    path(
        "authors/<slug:slug>/feed/atom/",
        cached_feed(feeds.AtomAuthorFeed()),
        name="author-feed-atom",
    ),
    path("tags/<slug:slug>/feed/", cached_feed(feeds.TagFeed()), name="tag-feed-rss"),
    path("tags/<slug:slug>/feed/atom/", cached_feed(feeds.AtomTagFeed()), name="tag-feed-atom"),
    path(
        "sitemap.xml",
        cached_for_readers(sitemap_index, params={}, shows=SHOWS),
        name="sitemap-index",
    ),
    path(
        "sitemap-<slug:section>.xml",
        cached_for_readers(sitemap_section, params={"p": page_number}, shows=SHOWS),
        name="sitemap",
    ),
    path(
        "articles/<slug:slug>/ninjs.json",
        cached_for_readers(views.ArticleNinjsView.as_view(), params={}, shows=SHOWS),
        name="ninjs",
    ),
]
