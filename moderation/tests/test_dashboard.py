"""The workbench's panel on the desk's front page: comments waiting and reported."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.tests.factories import make_article, make_staff
from discussion.models import CommentReport
from discussion.tests.factories import add_comment, make_moderator, make_reader
from newsroom.tests.dashboard import DESK, panels_on
from newsroom.tests.html import Elements

pytestmark = pytest.mark.django_db

PANEL = "Comments"


def desk_for(user):
    client = Client()
    client.force_login(user)
    return client


def held(story):
    return add_comment(story, make_reader(), "Held for a moderator.")


def reported(story):
    comment = add_comment(story, make_reader(status="trusted"), "Published, then reported.")
    CommentReport.objects.create(comment=comment, reporter=make_reader(), reason="abuse")
    return comment


def test_the_panel_counts_the_workbench_tabs_and_opens_each():
    story = make_article()
    for make in (held, held, reported):
        make(story)
    client = desk_for(make_moderator())

    panel = panels_on(client)[PANEL]

    counts = dict(panel["counts"])
    assert set(counts) == {"Waiting: all 2", "Reported: all 1"}
    for label, tab in (("Waiting: all 2", "pending"), ("Reported: all 1", "reported")):
        page = Elements(client.get(counts[label]).content.decode())
        assert len(page.by_class("wb-card")) == int(label[-1]), tab


def test_a_quiet_queue_says_so():
    panel = panels_on(desk_for(make_moderator()))[PANEL]

    assert panel["text"] == "Comments No comment waits for a moderator."


def test_editors_moderate_too_and_reporters_get_no_comments_panel():
    held(make_article())

    assert PANEL in panels_on(desk_for(make_staff("Editors")))
    assert PANEL not in panels_on(desk_for(make_staff("Reporters")))


def test_the_panel_makes_as_many_queries_for_30_comments_as_for_3(django_assert_max_num_queries):
    client = desk_for(make_moderator())
    story = make_article()
    for make in (held, reported) * 3:
        make(story)
    with CaptureQueriesContext(connection) as few:
        client.get(DESK)

    for make in (held, reported) * 27:
        make(story)
    with django_assert_max_num_queries(len(few)):
        panel = panels_on(client)[PANEL]

    assert [label for label, _ in panel["counts"]] == ["Waiting: all 30", "Reported: all 30"]
