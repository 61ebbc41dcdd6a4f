from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        from pagecache.registry import pages_change_by_themselves, shown_on_pages
        from photos.models import Photo
        from photos.usage import register_photo_user

        from . import photo_uses
        from .models import (
            Article,
            Author,
            Byline,
            Citation,
            Correction,
            PhotoPlacement,
            Section,
            Tag,
        )

        shown_on_pages(
            Article,
            Author,
            Byline,
            Citation,
            Correction,
            PhotoPlacement,
            Section,
            Tag,
            Article.tags.through,
            # Photos appear only through stories, and photos may not know the page cache.
            Photo,
        )
        # A scheduled story goes live, or an embargo lifts, without any write.
        pages_change_by_themselves(Article.objects.next_release)
        # Photos are live, and editors' alone to change, while a story shows them.
        register_photo_user(photo_uses)
