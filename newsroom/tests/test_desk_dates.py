"""One way of writing times across the desk: "1 Dec 2026, 14:05" (newsroom/formats)."""

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.contrib.admin.utils import display_for_field
from django.test import Client
from django.urls import reverse

from articles.models import Article, Citation
from articles.tests.factories import make_article
from discussion.tests.factories import add_comment, make_moderator, make_reader
from newsroom.formats import desk_date, desk_datetime

NOW = datetime(2026, 12, 1, 14, 5, tzinfo=UTC)
# Django's English formats would write these "1 Dec 2026, 2:05 p.m." and "01/12/2026".
OTHER_WAYS = re.compile(r"\b[ap]\.m\.|\d{2}/\d{2}/\d{4}")


def test_the_admin_shows_model_times_and_dates_as_the_helpers_write_them():
    shown_time = display_for_field(NOW, Article._meta.get_field("publish_at"), "-")
    shown_date = display_for_field(date(2026, 12, 1), Citation._meta.get_field("published_on"), "-")
    assert (shown_time, shown_date) == ("1 Dec 2026, 14:05", "1 Dec 2026")
    assert (desk_datetime(NOW), desk_date(NOW), desk_date(date(2026, 12, 1))) == (
        "1 Dec 2026, 14:05",
        "1 Dec 2026",
        "1 Dec 2026",
    )


def test_times_are_the_site_zones(settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    assert desk_datetime(NOW) == "1 Dec 2026, 23:05"


@pytest.mark.django_db
def test_the_comments_list_writes_times_the_same_way():
    with time_machine.travel(NOW, tick=False):
        add_comment(make_article(), make_reader(status="trusted"), "Four on a night lift.")
    desk = Client()
    desk.force_login(make_moderator())
    html = desk.get(reverse("admin:django_comments_xtd_xtdcomment_changelist")).content.decode()
    assert "1 Dec 2026, 14:05" in html
    assert not OTHER_WAYS.search(html)
