from django.contrib.sitemaps import Sitemap

from .models import Article


class ArticleSitemap(Sitemap):
    limit = 5000

    def items(self):
        return Article.objects.published().newest_first().only("slug", "publish_at", "updated_at")

    def lastmod(self, article):
        return article.updated_at if article.shows_updated else article.publish_at
