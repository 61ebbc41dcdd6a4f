"""The edge room with the rooms it serves: the tags stories carry, the purges comments cause."""

import pytest

from articles.tests.factories import make_article
from discussion.models import CommentModeration
from discussion.tests.factories import (
    add_comment,
    make_moderator,
    make_reader,
    post_through_form,
)
from edge.tests.stub import PurgeStub
from moderation.services import approve_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def edge(settings):
    settings.NEWSROOM_EDGE = "varnish"
    settings.NEWSROOM_EDGE_SECONDS = 3600


def test_a_cached_page_names_its_tags_for_every_edge_on_misses_and_hits(client, edge):
    story = make_article()

    for expected in ("miss", "hit"):
        response = client.get(story.get_absolute_url())
        assert response["X-Page-Cache"] == expected
        keys = response["Surrogate-Key"].split(" ")
        assert {f"story:{story.pk}", f"story:{story.pk}:comments"} <= set(keys)
        assert keys == sorted(keys)
        assert response["Cache-Tag"] == ",".join(keys)
        assert response["xkey"] == " ".join(keys)
        assert "s-maxage=3600" in response["Cache-Control"]
        assert "public" in response["Cache-Control"]


def test_a_page_rendered_for_a_signed_in_reader_names_no_tags(client, edge):
    story = make_article()
    client.force_login(make_reader())

    response = client.get(story.get_absolute_url())

    assert "private" in response["Cache-Control"]
    assert not response.has_header("Surrogate-Key")
    assert not response.has_header("xkey")


def test_without_an_edge_pages_name_no_tags_and_no_shared_lifetime(client, settings):
    settings.NEWSROOM_EDGE = ""
    story = make_article()

    response = client.get(story.get_absolute_url())

    assert response["X-Page-Cache"] == "miss"
    assert not response.has_header("Surrogate-Key")
    assert "s-maxage" not in response["Cache-Control"]


@pytest.fixture
def varnish_stub(settings):
    with PurgeStub() as stub:
        settings.NEWSROOM_EDGE = "varnish"
        settings.NEWSROOM_VARNISH_URL = stub.url + "/"
        yield stub


def test_an_approved_comment_purges_its_story_once_committed(
    varnish_stub, django_capture_on_commit_callbacks
):
    story = make_article()
    comment = add_comment(story, make_reader(), "Held for a moderator.")
    CommentModeration.objects.filter(comment=comment).update(state="pending")
    moderator = make_moderator()
    varnish_stub.received.clear()

    with django_capture_on_commit_callbacks(execute=True):
        approve_comment(comment=comment, by=moderator)

    purged = {
        tag.replace("\\", "")
        for ban in varnish_stub.received
        for tag in ban.headers["X-Purge-Tags"].split("|")
    }
    assert f"story:{story.pk}:comments" in purged
    assert f"story:{story.pk}" not in purged


def test_a_published_comment_is_one_purge_though_its_writes_move_the_tag_thrice(
    varnish_stub, client, django_capture_on_commit_callbacks
):
    story = make_article()
    client.force_login(make_reader(status="trusted"))
    varnish_stub.received.clear()

    with django_capture_on_commit_callbacks(execute=True):
        post_through_form(client, story, "The ferry timetable changes on Monday.")

    assert CommentModeration.objects.get().state == "published"
    [ban] = varnish_stub.received
    assert ban.headers["X-Purge-Tags"].replace("\\", "") == f"story:{story.pk}:comments"


def test_nothing_is_purged_without_an_edge(
    varnish_stub, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_EDGE = ""
    with django_capture_on_commit_callbacks(execute=True):
        make_article()

    assert varnish_stub.received == []
