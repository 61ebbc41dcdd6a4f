from datetime import timedelta

from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "Outbox"

    def ready(self):
        from newsroom.jobs import every

        from .services import tidy_outbox

        every(timedelta(hours=1), tidy_outbox)
