"""Following a discussion: emails that say what happened, with a working mute link."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from articles.tests.factories import make_article
from discussion.models import CommentModeration
from discussion.services import approve_comment
from outbox.models import Email
from outbox.services import send_queued_email
from outbox.tests.kit import DATABASE_QUEUE, MailServer, run_jobs_until, run_queued_jobs, text_of

from .factories import add_comment, make_moderator, make_reader, post_through_form

pytestmark = pytest.mark.django_db


def test_follower_is_emailed_about_new_comments_and_can_mute(django_capture_on_commit_callbacks):
    story = make_article(headline="Tidal turbines meet targets")
    follower = make_reader(display_name="Follower", status="trusted")
    replier = make_reader(display_name="Replier", status="trusted")
    with django_capture_on_commit_callbacks(execute=True):
        first = add_comment(story, follower, "Impressive numbers.", follow=True)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(story, replier, "Not yet peer reviewed, though.", parent=first)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [follower.email]
    assert "Replier replied" in message.body
    assert "Not yet peer reviewed, though." in message.body
    assert "Tidal turbines meet targets" in message.body
    assert replier.email not in message.body

    mute_path = re.search(r"https://[^/\s]+(/comments/mute/\S+/)", message.body).group(1)
    response = Client().get(mute_path)
    assert response.status_code == 200
    assert "No more reply emails" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(story, replier, "One more thought.")
    assert len(mail.outbox) == 1


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
        approve_comment(comment=held, by=make_moderator())
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
    assert job.task_path == "discussion.services.email_followers"


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
