from django.apps import AppConfig
from django.db.models.signals import pre_save
from django_comments_xtd.apps import CommentsXtdConfig


class DiscussionConfig(AppConfig):
    name = "discussion"
    verbose_name = "Discussion"

    def ready(self):
        from django_comments_xtd.models import XtdComment, publish_or_unpublish_on_pre_save

        # django-comments-xtd copies a comment's visibility onto all of its
        # replies whenever it is saved, so approving a parent would publish
        # replies still held for review. Each comment's own moderation
        # decision is the only thing that decides whether readers see it.
        pre_save.disconnect(publish_or_unpublish_on_pre_save, sender=XtdComment)


class ModerationDeskConfig(CommentsXtdConfig):
    """django-comments-xtd under the name moderators see in the admin."""

    verbose_name = "Moderation desk"
