from django.apps import AppConfig
from django.apps import apps as global_apps
from django.conf import settings
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(*, using, **kwargs):
    """The database cache's table (settings.CACHES without Redis), wherever the site migrates.

    Every way of setting the site up migrates (make run, make serve, a deploy
    script, the test database), so none can start it without the table the
    rate limits count in. Tables that exist are left alone.
    """
    call_command("createcachetable", database=using, verbosity=0)


def name_site(*, using, apps=global_apps, **kwargs):
    """The Site row as NEWSROOM_SITE_DOMAIN and NEWSROOM_SITE_NAME say now.

    Links in emails are built on its domain (allauth's, accounts/adapters.py,
    and django-comments-xtd's reply emails); set only once, it would keep
    sending readers to the old domain after the variable changed. `flush`
    sends the signal without `apps`: the installed models are the ones then.
    """
    from django.contrib.sites.models import Site

    apps.get_model("sites", "Site").objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.NEWSROOM_SITE_DOMAIN, "name": settings.NEWSROOM_SITE_NAME},
    )
    Site.objects.clear_cache()


class NewsroomConfig(AppConfig):
    name = "newsroom"

    def ready(self):
        # Django sends post_migrate only to apps with models, which this one
        # has none of; the sites app gets it once in every migrate (and flush).
        sites = self.apps.get_app_config("sites")
        post_migrate.connect(create_cache_table, sender=sites)
        post_migrate.connect(name_site, sender=sites)
