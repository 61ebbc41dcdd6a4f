"""Who hears of a new comment, in emails that say what happened and stop with one click."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_comments_xtd import signed
from django_comments_xtd.models import XtdComment
from django_tasks_db.models import DBTaskResult

from articles.tests.factories import make_article
from commenting.services import email_followers, set_notifications
from discussion.models import CommentModeration, StoryFollow
from discussion.services import follow_story, moderate_comment
from discussion.tests.factories import (
    add_comment,
    link_in,
    make_moderator,
    make_reader,
    post_through_form,
)
from outbox.models import Email
from outbox.services import send_queued_email
from outbox.tests.kit import DATABASE_QUEUE, MailServer, run_jobs_until, run_queued_jobs, text_of

pytestmark = pytest.mark.django_db


def test_follower_is_emailed_about_new_comments_and_can_unsubscribe(
    django_capture_on_commit_callbacks,
):
    story = make_article(headline="Tidal turbines meet targets")
    follower = make_reader(display_name="Follower", status="trusted")
    commenter = make_reader(display_name="Commenter", status="trusted")
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(story, follower, "Impressive numbers.", follow=True)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(story, commenter, "Not yet peer reviewed, though.")
    [message] = mail.outbox
    assert message.to == [follower.email]
    assert message.subject == "A new comment on “Tidal turbines meet targets”"
    assert "Commenter commented" in message.body
    assert "Not yet peer reviewed, though." in message.body
    assert "because you follow this story" in message.body
    assert commenter.email not in message.body

    unsubscribe = link_in(message.body, r"https://\S+/unsubscribe/\S+/")
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    response = Client(enforce_csrf_checks=True).post(
        urlsplit(unsubscribe).path, {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert "new comments on “Tidal turbines meet targets”" in response.content.decode()
    assert not StoryFollow.objects.filter(reader=follower).exists()
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(story, commenter, "One more thought.")
    assert len(mail.outbox) == 1


class TestWhoIsEmailed:
    """By default a reader hears of replies to their own comments; of every comment only on a
    story they follow."""

    @pytest.fixture
    def story(self):
        return make_article(headline="Ferry timetable cut")

    @pytest.fixture
    def author(self, story, django_capture_on_commit_callbacks):
        author = make_reader(display_name="Author", status="trusted")
        with django_capture_on_commit_callbacks(execute=True):
            self.first = add_comment(story, author, "Winter sailings matter most.")
        return author

    def post(self, story, callbacks, text, *, parent=None, by=None):
        with callbacks(execute=True):
            return add_comment(story, by or make_reader(status="trusted"), text, parent=parent)

    def test_a_reply_to_my_comment_emails_me(
        self, story, author, django_capture_on_commit_callbacks
    ):
        self.post(story, django_capture_on_commit_callbacks, "Agreed.", parent=self.first)
        [message] = mail.outbox
        assert message.to == [author.email]
        assert message.subject.endswith("replied to your comment on “Ferry timetable cut”")
        assert "someone replied to your comment" in message.body
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    def test_a_comment_that_is_not_a_reply_does_not(
        self, story, author, django_capture_on_commit_callbacks
    ):
        self.post(story, django_capture_on_commit_callbacks, "Summer matters too.")
        assert mail.outbox == []

    def test_unless_i_follow_the_story(self, story, author, django_capture_on_commit_callbacks):
        follow_story(reader=author, article=story)
        self.post(story, django_capture_on_commit_callbacks, "Summer matters too.")
        assert [m.to for m in mail.outbox] == [[author.email]]

    def test_my_reply_to_myself_does_not(self, story, author, django_capture_on_commit_callbacks):
        mine = self.post(
            story, django_capture_on_commit_callbacks, "And the night one.", parent=self.first,
            by=author,
        )  # fmt: skip
        assert mine.moderation.state == "published"
        assert mail.outbox == []

    def test_nothing_with_reply_emails_off(self, story, author, django_capture_on_commit_callbacks):
        set_notifications(reader=author.reader, replies=False, moderation=True)
        self.post(story, django_capture_on_commit_callbacks, "Agreed.", parent=self.first)
        assert mail.outbox == []

    def test_answered_and_following_gets_one_email(
        self, story, author, django_capture_on_commit_callbacks
    ):
        follow_story(reader=author, article=story)
        self.post(story, django_capture_on_commit_callbacks, "Agreed.", parent=self.first)
        [message] = mail.outbox
        assert "replied to your comment" in message.subject

    def test_a_job_run_twice_sends_once(self, story, author, django_capture_on_commit_callbacks):
        reply = self.post(story, django_capture_on_commit_callbacks, "Agreed.", parent=self.first)
        with django_capture_on_commit_callbacks(execute=True):
            email_followers.call(reply.pk)
        assert len(mail.outbox) == 1


def test_a_mute_link_from_before_story_follows_ends_the_follow():
    """Emails sent before follows were StoryFollows carry django-comments-xtd's mute link."""
    story = make_article()
    reader = make_reader(status="trusted")
    comment = add_comment(story, reader, "Following, the old way.", follow=True)
    XtdComment.objects.filter(pk=comment.pk).update(followup=True)
    comment.refresh_from_db()
    key = signed.dumps(comment, compress=True, extra_key=settings.COMMENTS_XTD_SALT).decode()
    assert Client().get(f"/comments/mute/{key}/").status_code == 200
    assert not StoryFollow.objects.filter(reader=reader, article=story).exists()


class TestWhatTheEmailSays:
    """Each follower is told what happened: a reply to them, a reply to someone else, or a
    new comment on the story."""

    @pytest.fixture
    def discussion(self, django_capture_on_commit_callbacks):
        story = make_article(headline="Harbour dredging starts")
        answered = make_reader(display_name="Answered", status="trusted")
        bystander = make_reader(display_name="Bystander", status="trusted")
        with django_capture_on_commit_callbacks(execute=True):
            first = add_comment(story, answered, "Will it disturb the seals?", follow=True)
            add_comment(story, bystander, "Following this one.", follow=True)
        mail.outbox.clear()
        return story, first, answered, bystander

    def sent_to(self, user):
        (message,) = [m for m in mail.outbox if m.to == [user.email]]
        return message

    def test_reply_to_a_followers_comment(self, discussion, django_capture_on_commit_callbacks):
        story, first, answered, bystander = discussion
        with django_capture_on_commit_callbacks(execute=True):
            add_comment(story, make_reader(display_name="Ecologist", status="trusted"),
                        "They moved to the north pier.", parent=first)  # fmt: skip
        to_author = self.sent_to(answered)
        assert to_author.subject == "Ecologist replied to your comment on “Harbour dredging starts”"
        assert "Ecologist replied to your comment on “Harbour dredging starts”:" in to_author.body
        to_other = self.sent_to(bystander)
        assert to_other.subject == "A new reply in the discussion of “Harbour dredging starts”"
        assert "replied to your comment" not in to_other.body
        assert "Ecologist replied to Answered in the discussion of" in to_other.body

    def test_new_top_level_comment(self, discussion, django_capture_on_commit_callbacks):
        story, _, answered, bystander = discussion
        with django_capture_on_commit_callbacks(execute=True):
            add_comment(story, make_reader(display_name="Skipper", status="trusted"),
                        "The channel was silting up for years.")  # fmt: skip
        assert len(mail.outbox) == 2
        for follower in (answered, bystander):
            message = self.sent_to(follower)
            assert message.subject == "A new comment on “Harbour dredging starts”"
            assert "Skipper commented on “Harbour dredging starts”:" in message.body
            assert "replied" not in message.body


def test_held_comment_notifies_followers_only_once_approved(django_capture_on_commit_callbacks):
    story = make_article()
    follower = make_reader(status="trusted")
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(story, follower, "Following this.", follow=True)
        held = add_comment(story, make_reader(), "First-timer's reply")
    assert CommentModeration.objects.get(comment=held).state == "pending"
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        moderate_comment(comment=held, state="published", by=make_moderator())
    assert len(mail.outbox) == 1
    assert "First-timer's reply" in mail.outbox[0].body


def test_only_a_comment_someone_follows_enqueues_an_email_job(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_QUEUE
    story = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(story, make_reader(status="trusted"), "Nobody follows this yet.", follow=True)
    assert not DBTaskResult.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(story, make_reader(status="trusted"), "Now somebody does.")
    [job] = DBTaskResult.objects.all()
    assert job.task_path == "commenting.services.email_followers"


def test_mute_link_that_was_tampered_with_is_rejected():
    response = Client().get("/comments/mute/not-a-real-key/")
    assert response.status_code == 400


class TestMailServerDown:
    """The comment is stored and the reader or moderator gets their answer; the emails wait in
    the queue and each is delivered once when the mail server (a real one, aiosmtpd) is back.
    The emails are queued after the commit, so these tests commit for real."""

    pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

    @pytest.fixture(autouse=True)
    def mail_server(self, settings):
        server = MailServer()
        server.use_in(settings)
        settings.TASKS = DATABASE_QUEUE
        # The first retries come due within a second or two.
        settings.JOB_BACKOFF_SCALE = 0.05
        yield server
        server.stop()

    @pytest.fixture
    def follower(self):
        return make_reader(status="trusted")

    @pytest.fixture
    def followed_story(self, follower):
        story = make_article()
        add_comment(story, follower, "Following this.", follow=True)
        return story

    def test_published_comments_are_acknowledged_and_each_email_delivered_once(
        self, followed_story, follower, mail_server
    ):
        client = Client(raise_request_exception=False)
        client.force_login(make_reader(status="trusted"))
        texts = [f"Posted while mail is down, {n}." for n in range(3)]
        for text in texts:
            assert post_through_form(client, followed_story, text).status_code == 302
        run_queued_jobs()  # every email tried once, and refused
        states = CommentModeration.objects.filter(comment__comment__in=texts)
        assert [m.state for m in states] == ["published"] * 3
        assert Email.objects.unsent().count() == 3

        mail_server.start()
        run_jobs_until(lambda: not Email.objects.unsent().exists())
        for email in Email.objects.all():  # a worker that died before recording success
            send_queued_email.call(email.pk)
        run_queued_jobs()
        received = mail_server.received_by(follower.email)
        assert sorted(texts) == sorted(
            text for message in received for text in texts if text in text_of(message)
        )
        assert len(mail_server.messages) == 3

    def test_a_moderators_approval_is_acknowledged(self, followed_story, follower, mail_server):
        held = add_comment(followed_story, make_reader(), "Held, then approved.")
        desk = Client(raise_request_exception=False)
        desk.force_login(make_moderator())
        queue = reverse("admin:django_comments_xtd_xtdcomment_changelist")
        response = desk.post(reverse("admin:discussion_approve", args=[held.pk]), {"next": queue})
        assert response.status_code == 302
        held.refresh_from_db()
        assert held.is_public and held.moderation.state == "published"
        run_queued_jobs()
        assert Email.objects.unsent().count() == 1

        mail_server.start()
        run_jobs_until(lambda: mail_server.messages)
        run_queued_jobs()
        [message] = mail_server.messages
        assert message["To"] == follower.email
        assert "Held, then approved." in text_of(message)
        # The unsubscribe headers are stored with the email and reach the mail server.
        assert " ".join(message["List-Unsubscribe"].split()).startswith("<https://")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
