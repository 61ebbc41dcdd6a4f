from django.apps import AppConfig
from django.db.models.signals import post_save


class WireConfig(AppConfig):
    name = "wire"
    verbose_name = "Wire"

    def ready(self):
        from articles.models import Citation
        from wire.jobs import check_saved_citation

        post_save.connect(
            check_saved_citation, sender=Citation, dispatch_uid="wire.check_saved_citation"
        )
