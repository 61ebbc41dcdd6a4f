"""Discussion's own AppConfig is the one Django runs, so its ready() hooks hold."""

import pytest
from django.apps import apps

from articles.tests.factories import make_article
from discussion.apps import DiscussionConfig
from discussion.services import moderate_comment
from pagecache import versions

from .factories import add_comment, make_moderator, make_reader

pytestmark = pytest.mark.django_db


def test_discussion_runs_under_its_own_config():
    assert type(apps.get_app_config("discussion")) is DiscussionConfig


def test_approving_a_comment_leaves_its_held_reply_held():
    story = make_article()
    parent = add_comment(story, make_reader(), "Held until a moderator reads it")
    reply = add_comment(story, make_reader(), "Held as well", parent=parent)
    moderate_comment(comment=parent, state="published", by=make_moderator())
    reply.refresh_from_db()
    assert reply.moderation.state == "pending" and not reply.is_public


def test_a_moderation_decision_moves_its_storys_comments_on_and_nothing_else():
    story = make_article()
    comment = add_comment(story, make_reader())
    tags = [f"story:{story.pk}:comments", f"story:{story.pk}", "latest"]
    before = versions.current(tags)
    moderate_comment(comment=comment, state="published", by=make_moderator())
    after = versions.current(tags)
    assert after[tags[0]] > before[tags[0]]
    assert {tag: after[tag] for tag in tags[1:]} == {tag: before[tag] for tag in tags[1:]}
