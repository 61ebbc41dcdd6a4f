"""What every migrate sets up besides the schema (newsroom/apps.py)."""

import re
import sqlite3

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.core.management import call_command

from articles.tests.factories import make_article
from discussion.tests.factories import add_comment, make_reader

from .test_settings import run_manage

PRODUCTION = {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "news.example.org"}


def test_migrate_creates_the_cache_table_and_names_the_site_after_the_variable(tmp_path):
    database = tmp_path / "site.sqlite3"
    environment = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{database}"}

    def migrate(**variables):
        result = run_manage("migrate", "--no-input", **environment, **variables)
        assert result.returncode == 0, result.stderr
        with sqlite3.connect(database) as connection:
            tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
            site = connection.execute("SELECT domain, name FROM django_site").fetchall()
        return "newsroom_cache" in tables, site

    assert migrate() == (True, [("news.example.org", "The Newsroom")])
    # The variables changed later, as when a site moves to its own domain.
    renamed = {"NEWSROOM_SITE_DOMAIN": "www.example.net", "NEWSROOM_SITE_NAME": "The Gazette"}
    assert migrate(**renamed) == (True, [("www.example.net", "The Gazette")])


@pytest.mark.django_db
def test_reply_emails_link_to_the_domain_the_site_has_now(
    settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_SITE_DOMAIN = "news.example.org"
    call_command("migrate", verbosity=0)  # what a deploy runs after changing the variable
    assert Site.objects.get_current().domain == "news.example.org"
    story = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        first = add_comment(story, make_reader(status="trusted"), "Following.", follow=True)
        add_comment(story, make_reader(status="trusted"), "A reply.", parent=first)
    [message] = mail.outbox
    links = re.findall(r"https?://\S+", message.body)
    assert links and all(link.startswith("https://news.example.org/") for link in links)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_flush_empties_the_site_and_names_it_again(settings):
    Site.objects.filter(pk=settings.SITE_ID).update(name="stale")
    call_command("flush", interactive=False, verbosity=0)
    assert Site.objects.get(pk=settings.SITE_ID).name == settings.NEWSROOM_SITE_NAME
