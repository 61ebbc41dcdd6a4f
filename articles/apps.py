from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        from pagecache.registry import pages_change_by_themselves, shown_on_pages
        from photos.models import Photo
        from photos.usage import register_photo_user

        from . import page_tags, photo_uses
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

        shown_on_pages(Article, page_tags.of_article)
        for part in (Byline, Citation, PhotoPlacement):
            shown_on_pages(part, page_tags.of_story_part)
        shown_on_pages(Correction, page_tags.of_correction)
        shown_on_pages(Article.tags.through, page_tags.of_story_tags)
        shown_on_pages(Author, page_tags.of_named("author"))
        shown_on_pages(Section, page_tags.of_named("section", page_tags.SECTIONS))
        shown_on_pages(Tag, page_tags.of_named("tag"))
        # Photos appear only through stories, and photos may not know the page cache.
        shown_on_pages(Photo, page_tags.of_named("photo"))
        # A scheduled story goes live, or an embargo lifts, without any write.
        pages_change_by_themselves(Article.objects.next_release, tag=page_tags.LATEST)
        # Photos are live, and editors' alone to change, while a story shows them.
        register_photo_user(photo_uses)
