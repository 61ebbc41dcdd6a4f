from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = "Editors' desk"

    def ready(self):
        from .dashboard import register_panels

        register_panels()
