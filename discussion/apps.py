from django.apps import AppConfig
from django.db.models.signals import pre_save
from django_comments_xtd.apps import CommentsXtdConfig


class DiscussionConfig(AppConfig):
    # This module holds other configs too, so Django needs telling which is the app's.
    default = True
    name = "discussion"
    verbose_name = "Discussion"

    def ready(self):
        from django_comments_xtd.models import XtdComment, publish_or_unpublish_on_pre_save

        from pagecache.registry import shown_on_pages

        from . import page_tags
        from .models import CommentModeration, ModerationPolicy, ReaderProfile

        # Comments, their moderation, the names shown on them and the policy
        # that opens and closes discussions all show on story pages.
        shown_on_pages(XtdComment, page_tags.of_comment)
        shown_on_pages(CommentModeration, page_tags.of_moderation)
        shown_on_pages(ReaderProfile, page_tags.of_reader)
        shown_on_pages(ModerationPolicy, page_tags.of_policy)

        # django-comments-xtd copies a comment's visibility onto all of its
        # replies whenever it is saved, so approving a parent would publish
        # replies still held for review. Each comment's own moderation
        # decision is the only thing that decides whether readers see it.
        pre_save.disconnect(publish_or_unpublish_on_pre_save, sender=XtdComment)


class ModerationDeskConfig(CommentsXtdConfig):
    """django-comments-xtd under the name moderators see in the admin."""

    verbose_name = "Moderation desk"
