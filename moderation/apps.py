from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from outbox import unsubscribe

        from .dashboard import register_panels
        from .services import MODERATION_EMAILS

        register_panels()
        # What a reader can stop from the link in the emails moderators' decisions
        # send; the topic's name is in every link already emailed.
        unsubscribe.register("moderation", **MODERATION_EMAILS)
