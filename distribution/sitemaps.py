"""The sitemap index (/sitemap.xml) and its parts: stories, sections, authors, Google News."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.utils import timezone

from articles.models import Article, Author, Section

NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000
# Google News takes ISO 639 codes, except for the two Chinese scripts.
NEWS_LANGUAGE_EXCEPTIONS = {
    "zh-hans": "zh-cn",
    "zh-cn": "zh-cn",
    "zh-hant": "zh-tw",
    "zh-tw": "zh-tw",
}


class ArticleSitemap(Sitemap):
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .newest_first()
            .only("slug", "status", "publish_at", "updated_at", "modified_at")
        )

    def lastmod(self, article):
        # A retraction replaced the page (notice, body gone): crawlers should
        # fetch it again, so search engines drop what it no longer says.
        if article.is_retracted:
            return article.modified_at
        return article.last_modified


class SectionSitemap(Sitemap):
    """Sections with at least one live story, last modified when the newest went live."""

    def items(self):
        return (
            Section.objects.filter(articles__in=Article.objects.published())
            .annotate(newest=Max("articles__publish_at"))
            .order_by("position", "name")
        )

    def lastmod(self, section):
        return section.newest


class AuthorSitemap(Sitemap):
    def items(self):
        return (
            Author.objects.filter(bylines__article__in=Article.objects.published())
            .annotate(newest=Max("bylines__article__publish_at"))
            .order_by("name")
        )

    def lastmod(self, author):
        return author.newest


class NewsSitemap(ArticleSitemap):
    """Google News: stories published in the last two days, at most 1,000.

    A retraction that hides the body leaves no article to offer as news.
    """

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .showing_body()
            .filter(publish_at__gte=since)
            .newest_first()
            .only("slug", "headline", "status", "publish_at", "updated_at", "modified_at")[
                :NEWS_LIMIT
            ]
        )


def news_language() -> str:
    code = settings.LANGUAGE_CODE.lower()
    return NEWS_LANGUAGE_EXCEPTIONS.get(code, code.split("-")[0])


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "authors": AuthorSitemap,
    "news": NewsSitemap,
}
TEMPLATES = {"news": "sitemaps/news.xml"}


def sitemap_index(request):
    return sitemap_views.index(request, SITEMAPS, sitemap_url_name="distribution:sitemap")


def sitemap_section(request, section):
    """One part of the index; the news part carries Google's <news:news> elements."""
    response = sitemap_views.sitemap(
        request, SITEMAPS, section=section, template_name=TEMPLATES.get(section, "sitemap.xml")
    )
    # Not rendered yet (a TemplateResponse): the news template needs the language.
    response.context_data["news_language"] = news_language()
    return response
