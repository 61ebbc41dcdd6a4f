"""RSS 2.0 and Atom feeds of the published stories: site-wide, and per section, author or tag."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape

from articles.models import Article, Author, Section, Tag

FEED_SIZE = 30
MEDIA_RSS_NAMESPACE = "http://search.yahoo.com/mrss/"
# Feed readers get the lead photo's full frame nearest this width, as a JPEG.
FEED_IMAGE_WIDTH = 1200


@dataclass(frozen=True)
class FeedImage:
    url: str
    width: int
    height: int
    length: int
    caption: str


@dataclass(frozen=True)
class FeedScope:
    """What one request's feed covers. The Feed instance is shared by every request, so
    the request's address travels here rather than on the instance."""

    parent: models.Model | None
    build_absolute_uri: Callable[[str], str]


def lead_image(article, build_absolute_uri) -> FeedImage | None:
    placement = article.lead_placement
    if placement is None:
        return None
    chosen = placement.photo.rendition_near(FEED_IMAGE_WIDTH)
    if chosen is None:
        return None
    return FeedImage(
        url=build_absolute_uri(default_storage.url(chosen["name"])),
        width=chosen["width"],
        height=chosen["height"],
        length=default_storage.size(chosen["name"]),
        caption=placement.caption,
    )


class MediaRssFeed(Rss201rev2Feed):
    """RSS 2.0 plus a Media RSS <media:content> per item: many readers show only that image."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_RSS_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        image = item.get("image")
        if image is None:
            return
        handler.startElement(
            "media:content",
            {
                "url": image.url,
                "medium": "image",
                "type": "image/jpeg",
                "width": str(image.width),
                "height": str(image.height),
            },
        )
        if image.caption:
            handler.addQuickElement("media:description", image.caption)
        handler.endElement("media:content")


class StoriesFeed(Feed):
    """The newest published stories, site-wide; subclasses narrow them to one parent."""

    feed_type = MediaRssFeed
    parent_model: type[models.Model] | None = None

    def get_object(self, request, slug=None):
        parent = None
        if self.parent_model is not None:
            parent = get_object_or_404(self.parent_model, slug=slug)
        return FeedScope(parent=parent, build_absolute_uri=request.build_absolute_uri)

    def title(self, scope):
        name = settings.NEWSROOM_SITE_NAME
        return f"{scope.parent} · {name}" if scope.parent else name

    def link(self, scope):
        return scope.parent.get_absolute_url() if scope.parent else "/"

    def description(self, scope):
        about = f": {scope.parent}" if scope.parent else ""
        return f"The latest stories from {settings.NEWSROOM_SITE_NAME}{about}."

    def items(self, scope):
        if scope.parent is None:
            stories = Article.objects.published()
        else:
            stories = scope.parent.listed_stories()
        articles = list(stories.newest_first().for_listing().prefetch_related("tags")[:FEED_SIZE])
        for article in articles:
            article.feed_image = lead_image(article, scope.build_absolute_uri)
        return articles

    def item_title(self, article):
        return article.headline

    def item_description(self, article):
        # RSS descriptions and Atom summaries (type="html") are HTML; the standfirst is
        # plain text, so it is escaped, or readers would render "<script>" in it as markup.
        return escape(article.standfirst or article.headline)

    def item_pubdate(self, article):
        return article.publish_at

    def item_updateddate(self, article):
        return article.last_modified

    def item_author_name(self, article):
        # RSS and Django's Atom writer carry one author: several bylines become one list.
        return article.byline_names() or None

    def item_categories(self, article):
        section = [article.section.name] if article.section else []
        return [*section, *(tag.name for tag in article.shown_tags)]

    def item_enclosures(self, article):
        image = article.feed_image
        return [Enclosure(image.url, str(image.length), "image/jpeg")] if image else []

    def item_extra_kwargs(self, article):
        return {"image": article.feed_image}


class AtomStoriesFeed(StoriesFeed):
    feed_type = Atom1Feed

    def subtitle(self, scope):
        return self.description(scope)


class SectionFeed(StoriesFeed):
    parent_model = Section


class AuthorFeed(StoriesFeed):
    parent_model = Author


class TagFeed(StoriesFeed):
    parent_model = Tag


class AtomSectionFeed(AtomStoriesFeed, SectionFeed):
    pass


class AtomAuthorFeed(AtomStoriesFeed, AuthorFeed):
    pass


class AtomTagFeed(AtomStoriesFeed, TagFeed):
    pass
