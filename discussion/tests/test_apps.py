"""Discussion's own AppConfig is the one Django runs, so its ready() hooks hold."""

import pytest
from django.apps import apps

from articles.tests.factories import make_article
from discussion.apps import DiscussionConfig
from discussion.services import approve_comment
from pagecache.models import Generation

from .factories import add_comment, make_moderator, make_reader

pytestmark = pytest.mark.django_db


def test_discussion_runs_under_its_own_config():
    assert type(apps.get_app_config("discussion")) is DiscussionConfig


def test_approving_a_comment_leaves_its_held_reply_held():
    story = make_article()
    parent = add_comment(story, make_reader(), "Held until a moderator reads it")
    reply = add_comment(story, make_reader(), "Held as well", parent=parent)
    approve_comment(comment=parent, by=make_moderator())
    reply.refresh_from_db()
    assert reply.moderation.state == "pending" and not reply.is_public


def test_a_moderation_decision_moves_the_pages_on():
    comment = add_comment(make_article(), make_reader())
    before = Generation.objects.current().number
    approve_comment(comment=comment, by=make_moderator())
    assert Generation.objects.current().number > before
