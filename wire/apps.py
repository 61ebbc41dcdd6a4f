from django.apps import AppConfig


class WireConfig(AppConfig):
    name = "wire"
    verbose_name = "Wire"
