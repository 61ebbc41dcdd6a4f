"""Comment times are written in the zone and format of the story's own date line."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from articles.tests.factories import make_article
from discussion.tests.factories import add_comment, make_reader
from newsroom.tests.html import Elements

pytestmark = pytest.mark.django_db

PUBLISHED = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
COMMENTED = datetime(2026, 7, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def commented_story(settings):
    settings.TIME_ZONE = "America/New_York"  # not the site's default UTC, and not the server's
    story = make_article(publish_at=PUBLISHED)
    reader = make_reader(status="trusted")
    comment = add_comment(story, reader, "The ferry ran late again.")
    XtdComment.objects.filter(pk=comment.pk).update(submit_date=COMMENTED)
    return story, reader


def times_on(html):
    return [(t["attrs"]["datetime"], t["text"]) for t in Elements(html).by_tag("time")]


def test_a_comment_time_carries_the_zone_the_story_date_line_uses(commented_story):
    story, _ = commented_story
    published, commented = times_on(Client().get(story.get_absolute_url()).content.decode())
    assert published == ("2026-07-01T08:00:00-04:00", "1 July 2026, 08:00 EDT")
    assert commented == ("2026-07-02T05:30:00-04:00", "2 July 2026, 05:30 EDT")


def test_my_comments_show_the_same_zone(commented_story):
    _, reader = commented_story
    client = Client()
    client.force_login(reader)
    html = client.get(reverse("commenting:my-comments")).content.decode()
    assert times_on(html) == [("2026-07-02T05:30:00-04:00", "2 July 2026, 05:30 EDT")]
