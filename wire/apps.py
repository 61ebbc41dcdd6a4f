from datetime import timedelta

from django.apps import AppConfig
from django.db.models.signals import post_save


class WireConfig(AppConfig):
    name = "wire"
    verbose_name = "Wire"

    def ready(self):
        from articles.models import Citation
        from newsroom.jobs import every
        from wire.jobs import check_saved_citation, sweep_citations

        post_save.connect(
            check_saved_citation, sender=Citation, dispatch_uid="wire.check_saved_citation"
        )
        # Sources move and die after publication; the sweep picks only results
        # older than NEWSROOM_LINK_CHECK_DAYS, so running it often costs little.
        every(timedelta(hours=6), sweep_citations)
