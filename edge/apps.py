from django.apps import AppConfig


class EdgeConfig(AppConfig):
    name = "edge"
    verbose_name = "Edge cache"

    def ready(self):
        from pagecache.registry import on_tags_changed

        from .purges import purge_after_change

        on_tags_changed(purge_after_change)
