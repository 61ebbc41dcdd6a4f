"""The moderation log and featuring: every decision is recorded, picks are only published."""

import pytest

from articles.tests.factories import make_article
from discussion.models import CommentModeration, ModerationDecision
from discussion.services import (
    NotFeaturable,
    approve_comment,
    ban_reader,
    feature_comment,
    reject_comment,
    unfeature_comment,
)

from .factories import add_comment, make_moderator, make_reader

pytestmark = pytest.mark.django_db


def published_comment():
    comment = add_comment(make_article(), make_reader())
    approve_comment(comment=comment, by=make_moderator())
    comment.refresh_from_db()
    return comment


def test_each_decision_is_logged_with_its_moderator_author_and_reason():
    moderator = make_moderator()
    comment = add_comment(make_article(), make_reader())
    approve_comment(comment=comment, by=moderator)
    reject_comment(comment=comment, by=moderator, reason="Off topic.")
    ban_reader(reader=comment.user.reader, by=moderator, reason="Repeated abuse.")
    log = list(ModerationDecision.objects.order_by("id"))
    assert [d.action for d in log] == ["approve", "reject", "ban"]
    assert {d.moderator for d in log} == {moderator}
    assert {d.reader for d in log} == {comment.user.reader}
    assert [d.reason for d in log] == ["Approved.", "Off topic.", "Repeated abuse."]
    assert [d.comment for d in log] == [comment, comment, None]


def test_the_log_keeps_the_decision_when_the_moderator_is_gone():
    moderator = make_moderator()
    comment = add_comment(make_article(), make_reader())
    reject_comment(comment=comment, by=moderator, reason="Spam or advertising.")
    moderator.delete()
    decision = ModerationDecision.objects.get()
    assert decision.moderator is None
    assert decision.reason == "Spam or advertising."


def test_only_a_published_comment_can_be_featured():
    comment = add_comment(make_article(), make_reader())
    with pytest.raises(NotFeaturable):
        feature_comment(comment=comment, by=make_moderator())
    assert CommentModeration.objects.get(comment=comment).featured_at is None
    assert not ModerationDecision.objects.filter(action="feature").exists()


def test_featuring_twice_records_one_pick_and_unfeaturing_keeps_it_published():
    comment = published_comment()
    editor = make_moderator()
    first = feature_comment(comment=comment, by=editor).featured_at
    assert feature_comment(comment=comment, by=editor).featured_at == first
    unfeature_comment(comment=comment, by=editor)
    moderation = CommentModeration.objects.get(comment=comment)
    assert moderation.featured_at is None
    assert moderation.state == "published"
    assert list(
        ModerationDecision.objects.filter(action__in=["feature", "unfeature"])
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["feature", "unfeature"]


def test_hiding_a_featured_comment_takes_it_out_of_the_picks():
    comment = published_comment()
    moderator = make_moderator()
    feature_comment(comment=comment, by=moderator)
    reject_comment(comment=comment, by=moderator, reason="Off topic.")
    assert CommentModeration.objects.get(comment=comment).featured_at is None
