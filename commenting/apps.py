from django.apps import AppConfig


class CommentingConfig(AppConfig):
    name = "commenting"
    verbose_name = "Commenting"

    def ready(self):
        from django_comments_xtd.models import XtdComment
        from django_comments_xtd.signals import comment_thread_muted

        from discussion.services import comment_published
        from outbox import unsubscribe

        from . import services

        # A comment shown for the first time is news to the readers following
        # its story and to the author it answers.
        comment_published.connect(services.email_followers_on_publish, sender=XtdComment)

        # What a reader can stop from the link in each email about new comments.
        unsubscribe.register("replies", **services.REPLY_EMAILS)
        unsubscribe.register("story", **services.STORY_EMAILS)
        # Emails sent before story follows carry django-comments-xtd's mute
        # link; its view tells us, and the follow it stands for ends.
        comment_thread_muted.connect(unfollow_on_mute, sender=XtdComment)


def unfollow_on_mute(sender, comment, **kwargs):
    from .services import unfollow_story

    if comment.user_id:
        unfollow_story(reader_id=comment.user_id, article_id=int(comment.object_pk))
