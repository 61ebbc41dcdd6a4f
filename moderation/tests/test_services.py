"""The moderators' decisions: every one is logged, picks are only published, bans and the
reader's other comments, and the emails that tell authors what a moderator decided (and
stop with one click)."""

from urllib.parse import urlsplit

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.test import Client

from articles.tests.factories import make_article
from discussion.models import CommentModeration, ModerationDecision, ModerationPolicy, ReaderProfile
from discussion.tests.factories import (
    add_comment,
    link_in,
    make_moderator,
    make_reader,
    moderation_of,
    set_policy,
    state_of,
)
from moderation.services import (
    NotFeaturable,
    OtherComments,
    approve_comment,
    ban_authors,
    ban_reader,
    feature_comment,
    reject_comment,
    unfeature_comment,
)

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


def unsubscribe_path(message):
    return urlsplit(link_in(message.body, r"https://\S+/unsubscribe/\S+/")).path


class TestStoppingTheAuthorsEmail:
    @pytest.fixture
    def reader(self):
        return make_reader(display_name="Ines", status="trusted")

    @pytest.fixture
    def comment(self, reader):
        ModerationPolicy.objects.filter(pk=ModerationPolicy.current().pk).update(
            email_author_on_rejection=True
        )
        return add_comment(make_article(headline="Pool reopens"), reader, "At last.")

    def reject(self, comment, callbacks):
        with callbacks(execute=True):
            reject_comment(comment=comment, by=make_moderator(), reason="Off topic.")

    def test_the_authors_email_stops_with_one_click(
        self, comment, reader, django_capture_on_commit_callbacks
    ):
        self.reject(comment, django_capture_on_commit_callbacks)
        [message] = mail.outbox
        path = unsubscribe_path(message)
        domain = Site.objects.get_current().domain
        assert f'href="https://{domain}{path}"' in message.alternatives[0][0]
        Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
        assert ReaderProfile.objects.get(user=reader).notify_moderation is False

    def test_switched_off_the_author_is_not_emailed(
        self, comment, reader, django_capture_on_commit_callbacks
    ):
        ReaderProfile.objects.filter(user=reader).update(notify_moderation=False)
        self.reject(comment, django_capture_on_commit_callbacks)
        assert mail.outbox == []
