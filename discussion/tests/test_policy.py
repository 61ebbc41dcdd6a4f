"""The policy moderators trust: bans and the reader's other comments, recent history, repeat
posts, and the emails that tell authors what a moderator decided."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from articles.tests.factories import make_article
from discussion.models import CommentModeration, ModerationDecision, ModerationPolicy
from discussion.services import (
    OtherComments,
    approve_comment,
    ban_authors,
    ban_reader,
    feature_comment,
    post_comment,
    reject_comment,
    unfeature_comment,
)

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


def set_policy(**fields):
    policy = ModerationPolicy.current()
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.save()


def moderation_of(comment):
    return CommentModeration.objects.get(comment=comment)


class TestRecentHistory:
    @pytest.fixture
    def reader(self):
        set_policy(
            hold_first_comments=False,
            recent_history_days=7,
            recent_history_min_decided=3,
            recent_history_rejected_percent=30,
        )
        return make_reader()

    def decide(self, reader, *, approved=0, rejected=0, days_ago=0):
        moderator = make_moderator()
        story = make_article()
        for n in range(approved + rejected):
            comment = add_comment(story, reader, f"Comment {uuid.uuid4()}")
            if n < approved:
                approve_comment(comment=comment, by=moderator)
            else:
                reject_comment(comment=comment, by=moderator, reason="Off topic.")
        decided_at = timezone.now() - timedelta(days=days_ago)
        CommentModeration.objects.filter(comment__user=reader, decided_by=moderator).update(
            decided_at=decided_at
        )

    def test_a_reader_with_too_many_rejections_is_held_with_the_count(self, reader):
        self.decide(reader, approved=2, rejected=4)
        moderation = moderation_of(add_comment(make_article(), reader, "My next thought."))
        assert (moderation.state, moderation.rule) == ("pending", "recent_history")
        assert moderation.reason == (
            "4 of this reader's 6 comments decided in the last 7 days were rejected."
        )

    def test_decisions_before_the_period_do_not_count(self, reader):
        self.decide(reader, approved=2, rejected=4, days_ago=8)
        self.decide(reader, approved=3)
        assert moderation_of(add_comment(make_article(), reader, "Back again.")).state == (
            "published"
        )

    def test_comments_the_rules_decided_alone_are_not_the_readers_record(self, reader):
        """Published without review, or removed for a banned word: no moderator judged them."""
        set_policy(banned_words="scoundrel")
        story = make_article()
        for n in range(3):
            add_comment(story, reader, f"Scoundrel number {n}.")
        for n in range(3):
            add_comment(story, reader, f"Fine comment {n}.")
        self.decide(reader, rejected=1)
        assert moderation_of(add_comment(story, reader, "Still fine.")).state == "published"

    def test_a_comment_decided_twice_counts_once_by_its_last_decision(self, reader):
        set_policy(recent_history_rejected_percent=10)
        self.decide(reader, approved=3)
        moderator = make_moderator()
        flipped = CommentModeration.objects.filter(comment__user=reader).first().comment
        reject_comment(comment=flipped, by=moderator, reason="On second thought.")
        approve_comment(comment=flipped, by=moderator)
        assert moderation_of(add_comment(make_article(), reader, "Hello.")).state == "published"


class TestRepeatPosts:
    @pytest.fixture
    def reader(self):
        set_policy(hold_first_comments=False, repeat_window_minutes=10)
        return make_reader()

    def test_the_same_text_on_another_story_is_held_naming_it(self, reader):
        add_comment(make_article(headline="Ferry fares rise"), reader, "Cheap watches here!")
        moderation = moderation_of(add_comment(make_article(), reader, "cheap  WATCHES here"))
        assert (moderation.state, moderation.rule) == ("pending", "repeat_post")
        assert moderation.reason == (
            "The reader posted the same text less than a minute ago on “Ferry fares rise”."
        )

    def test_the_same_text_after_the_window_or_by_someone_else_passes(self, reader):
        story = make_article()
        first = add_comment(story, reader, "I agree with the council.")
        XtdComment.objects.filter(pk=first.pk).update(
            submit_date=timezone.now() - timedelta(minutes=11)
        )
        assert moderation_of(add_comment(story, reader, "I agree with the council.")).state == (
            "published"
        )
        other = add_comment(story, make_reader(), "I agree with the council.")
        assert moderation_of(other).state == "published"

    def test_a_form_posted_twice_still_returns_the_first_comment(self, reader):
        story = make_article()
        key = uuid.uuid4()
        sent = {
            "article": story,
            "reader": reader.reader,
            "text": "Posted once.",
            "parent": None,
            "follow": False,
            "submission_key": key,
            "ip_address": None,
        }
        first = post_comment(**sent)
        assert post_comment(**sent) == first
        assert moderation_of(first).state == "published"
        assert XtdComment.objects.count() == 1


def test_the_rules_queries_do_not_grow_with_the_readers_comments():
    set_policy(hold_first_comments=False, recent_history_days=7, repeat_window_minutes=10)
    story = make_article()

    def queries_to_post(reader, earlier):
        moderator = make_moderator()
        for n in range(earlier):
            approve_comment(comment=add_comment(story, reader, f"Earlier {n}."), by=moderator)
        with CaptureQueriesContext(connection) as queries:
            add_comment(story, reader, "One more.")
        return len(queries)

    assert queries_to_post(make_reader(), 1) == queries_to_post(make_reader(), 12)


class TestEmailingTheAuthor:
    @pytest.fixture
    def comment(self):
        set_policy(
            hold_first_comments=False,
            email_author_on_rejection=True,
            email_author_on_feature=True,
            banned_words="scoundrel",
        )
        author = make_reader(display_name="Marta", email="marta@example.org")
        return add_comment(make_article(headline="Harbour wall repaired"), author, "Well done.")

    @pytest.fixture
    def decide(self, django_capture_on_commit_callbacks):
        def run(decision, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return decision(by=make_moderator(), **kwargs)

        return run

    def test_a_rejection_is_emailed_once_with_the_reason(self, comment, decide):
        decide(reject_comment, comment=comment, reason="Shares personal information.")
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["marta@example.org"]
        assert message.subject == "A moderator removed your comment on “Harbour wall repaired”"
        html = message.alternatives[0][0]
        for part in (message.body, html):
            assert "Shares personal information." in part
            assert "Well done." in part
        decide(reject_comment, comment=comment, reason="Again.")
        decide(approve_comment, comment=comment)
        decide(reject_comment, comment=comment, reason="And again.")
        assert len(mail.outbox) == 1

    def test_the_reason_is_escaped_in_the_html_part(self, comment, decide):
        decide(reject_comment, comment=comment, reason="Says <b>this</b> & that.")
        assert "Says &lt;b&gt;this&lt;/b&gt; &amp; that." in mail.outbox[0].alternatives[0][0]
        assert "Says <b>this</b> & that." in mail.outbox[0].body

    def test_a_pick_is_emailed_once_with_a_link_into_the_thread(self, comment, decide):
        decide(approve_comment, comment=comment)
        decide(feature_comment, comment=comment)
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["marta@example.org"]
        assert "editors' picks" in message.subject
        domain = Site.objects.get_current().domain
        link = f"https://{domain}{comment.content_object.get_absolute_url()}#c{comment.pk}"
        assert link in message.body
        assert f'href="{link}"' in message.alternatives[0][0]
        decide(unfeature_comment, comment=comment)
        decide(feature_comment, comment=comment)
        assert len(mail.outbox) == 1

    def test_switched_off_nothing_is_sent(self, comment, decide):
        set_policy(email_author_on_rejection=False, email_author_on_feature=False)
        decide(approve_comment, comment=comment)
        decide(feature_comment, comment=comment)
        decide(reject_comment, comment=comment, reason="Off topic.")
        assert mail.outbox == []

    def test_an_author_without_a_confirmed_address_is_not_emailed(self, comment, decide):
        comment.user.emailaddress_set.update(verified=False)
        decide(reject_comment, comment=comment, reason="Off topic.")
        assert mail.outbox == []

    def test_rules_and_bans_send_nothing(self, comment, decide, django_capture_on_commit_callbacks):
        """The banned-word rule's removals, a moderator re-rejecting one, and a ban's takedowns."""
        with django_capture_on_commit_callbacks(execute=True):
            removed = add_comment(make_article(), comment.user, "You scoundrel.")
        assert moderation_of(removed).state == "removed"
        decide(reject_comment, comment=removed, reason="Abusive or hateful.")
        decide(approve_comment, comment=comment)
        decide(ban_reader, reader=comment.user.reader, reason="Abuse.", other_comments="remove")
        assert moderation_of(comment).state == "removed"
        assert mail.outbox == []
