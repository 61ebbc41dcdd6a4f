"""The policy moderators trust: bans and the reader's other comments, recent history, repeat
posts, and the emails that tell authors what a moderator decided."""

import pytest

from articles.tests.factories import make_article
from discussion.models import CommentModeration, ModerationDecision
from discussion.services import OtherComments, approve_comment, ban_authors, ban_reader

from .factories import add_comment, make_moderator, make_reader

pytestmark = pytest.mark.django_db


def state_of(comment):
    return CommentModeration.objects.get(comment=comment).state


class TestBanAndTheReadersOtherComments:
    @pytest.fixture
    def author(self):
        """A reader with two published comments on two stories and one held for review."""
        user = make_reader(status="trusted")
        self.published = [add_comment(make_article(), user, f"Published {n}.") for n in (1, 2)]
        user.reader.status = "premoderated"
        user.reader.save()
        self.held = add_comment(make_article(), user, "Held for review.")
        assert [state_of(c) for c in [*self.published, self.held]] == [
            "published",
            "published",
            "pending",
        ]
        return user

    def test_keeping_them_is_the_default(self, author):
        ban_reader(reader=author.reader, by=make_moderator(), reason="Abuse.")
        assert [state_of(c) for c in self.published] == ["published", "published"]
        assert list(ModerationDecision.objects.values_list("action", flat=True)) == ["ban"]

    @pytest.mark.parametrize(
        ("choice", "state", "action"),
        [
            (OtherComments.REMOVE, "removed", "reject"),
            (OtherComments.REQUEUE, "pending", "requeue"),
        ],
    )
    def test_taking_them_down_or_back_to_the_queue_logs_each_with_the_bans_reason(
        self, author, choice, state, action
    ):
        moderator = make_moderator()
        ban_reader(reader=author.reader, by=moderator, reason="Abuse.", other_comments=choice)
        assert [state_of(c) for c in self.published] == [state, state]
        assert state_of(self.held) == "pending"
        moved = ModerationDecision.objects.exclude(action="ban")
        assert {(d.action, d.reason, d.moderator, d.reader) for d in moved} == {
            (action, "Abuse.", moderator, author.reader)
        }
        assert {d.comment for d in moved} == set(self.published)
        for comment in self.published:
            comment.refresh_from_db()
            assert not comment.is_public
            assert comment.content_object.comment_count == 0

    def test_an_unknown_choice_is_refused_before_anything_is_written(self, author):
        with pytest.raises(ValueError, match="delete"):
            ban_reader(
                reader=author.reader, by=make_moderator(), reason="x", other_comments="delete"
            )
        author.reader.refresh_from_db()
        assert author.reader.status == "premoderated"
        assert not ModerationDecision.objects.exists()

    def test_banning_from_the_queue_removes_the_listed_comment_and_applies_the_choice(self, author):
        moderator = make_moderator()
        banned = ban_authors(
            comments=[self.held], by=moderator, other_comments=OtherComments.REQUEUE
        )
        assert banned == [author.reader]
        assert state_of(self.held) == "removed"
        assert [state_of(c) for c in self.published] == ["pending", "pending"]
        log = ModerationDecision.objects.order_by("id")
        assert [(d.action, d.reason) for d in log] == [
            ("reject", "Author banned."),
            ("ban", "Banned from the moderation queue."),
            ("requeue", "Banned from the moderation queue."),
            ("requeue", "Banned from the moderation queue."),
        ]

    def test_a_reader_banned_already_is_left_as_they_are(self, author):
        moderator = make_moderator()
        ban_reader(reader=author.reader, by=moderator, reason="Abuse.")
        again = ban_reader(
            reader=author.reader, by=moderator, reason="Again.", other_comments="remove"
        )
        assert again is None
        assert [state_of(c) for c in self.published] == ["published", "published"]


def test_an_approved_comment_stays_published_when_a_neighbour_is_banned():
    story = make_article()
    neighbour = add_comment(story, make_reader(status="trusted"), "A neighbour's view.")
    troll = make_reader(status="trusted")
    add_comment(story, troll, "Provocation.")
    approve_comment(comment=neighbour, by=make_moderator())
    ban_reader(reader=troll.reader, by=make_moderator(), reason="Abuse.", other_comments="remove")
    assert state_of(neighbour) == "published"
    story.refresh_from_db()
    assert story.comment_count == 1
