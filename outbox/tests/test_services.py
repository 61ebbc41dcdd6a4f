"""The outbox: each email stored once, sent once, whatever runs twice; bad email refused whole."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from newsroom.jobs import PERIODIC
from outbox.models import Email
from outbox.services import (
    STRANDED_AFTER,
    prune_sent_emails,
    queue_email,
    requeue_stranded_emails,
    send_queued_email,
    tidy_outbox,
)

from .kit import DATABASE_QUEUE, MailServer, run_queued_jobs

pytestmark = pytest.mark.django_db


def message(to="reader@example.org", subject="Your reply", **extra):
    return EmailMessage(subject, "Someone answered you.", "newsroom@localhost", [to], **extra)


def test_an_email_is_sent_after_commit_and_a_second_run_sends_nothing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email(message=message())
        assert mail.outbox == []
    [sent] = mail.outbox
    assert sent.to == ["reader@example.org"] and sent.body == "Someone answered you."
    email.refresh_from_db()
    assert email.is_sent
    send_queued_email.call(email.pk)
    assert len(mail.outbox) == 1


def test_the_same_keyed_email_asked_for_twice_is_stored_and_sent_once(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_email(message=message(), key="comment-7-follower-reader@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        again = queue_email(message=message(), key="comment-7-follower-reader@example.org")
    assert first.pk == again.pk
    assert Email.objects.count() == 1
    assert len(mail.outbox) == 1


def test_an_email_queued_in_a_transaction_that_rolls_back_is_neither_stored_nor_sent(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_email(message=message())
        raise RuntimeError("the comment was not saved")
    assert Email.objects.count() == 0
    assert mail.outbox == []


def test_the_html_alternative_headers_and_a_fixed_message_id_are_kept(
    django_capture_on_commit_callbacks,
):
    rich = EmailMultiAlternatives(
        "Confirm", "Plain text.", "newsroom@localhost", ["ana@example.org"],
        headers={"X-Newsroom": "confirmation"},
    )  # fmt: skip
    rich.attach_alternative("<p>Rich text.</p>", "text/html")
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_email(message=rich)
    [sent] = mail.outbox
    assert sent.body == "Plain text."
    assert sent.alternatives == [("<p>Rich text.</p>", "text/html")]
    assert sent.extra_headers["X-Newsroom"] == "confirmation"
    assert sent.message()["Message-ID"] == email.headers["Message-ID"]


@pytest.mark.parametrize(
    "extra", [{"cc": ["editor@example.org"]}, {"attachments": [("a.txt", "x", "text/plain")]}]
)
def test_an_email_the_outbox_cannot_keep_whole_is_refused_and_nothing_stored(extra):
    with pytest.raises(ValueError, match="copies, a reply-to or attachments"):
        queue_email(message=message(**extra))
    assert Email.objects.count() == 0


def test_a_subject_too_long_for_a_header_is_refused_and_nothing_stored():
    with pytest.raises(ValidationError):
        queue_email(message=message(subject="x" * 1000))
    assert Email.objects.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_recipient_the_server_refuses_for_good_fails_the_job_at_once(settings):
    server = MailServer(refuse={"gone@example.org"}).start()
    try:
        server.use_in(settings)
        settings.TASKS = DATABASE_QUEUE
        email = queue_email(message=message(to="gone@example.org"))
        run_queued_jobs()
    finally:
        server.stop()
    [job] = DBTaskResult.objects.filter(task_path="outbox.services.send_queued_email")
    assert job.status == TaskResultStatus.FAILED
    assert "550 5.1.1 <address>: Recipient address rejected" in job.traceback
    assert "gone@example.org" not in job.traceback, "an address outlives its reader in the log"
    email.refresh_from_db()
    assert not email.is_sent
    assert server.messages == []


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_running_the_same_email_job_at_once_send_it_once(settings):
    server = MailServer(answer_after=0.5).start()
    try:
        server.use_in(settings)
        settings.TASKS = DATABASE_QUEUE
        email = queue_email(message=message())

        def run_job():
            try:
                send_queued_email.call(email.pk)
            finally:
                connection.close()

        with ThreadPoolExecutor(max_workers=2) as pool:
            for running in [pool.submit(run_job) for _ in range(2)]:
                running.result()
    finally:
        server.stop()
    assert len(server.messages) == 1
    email.refresh_from_db()
    assert email.is_sent


def test_pruning_removes_old_sent_emails_and_keeps_unsent_and_recent_ones():
    now = timezone.now()
    old = Email.objects.create(
        from_email="a@localhost", to=["x@example.org"], subject="old", body="."
    )
    recent = Email.objects.create(
        from_email="a@localhost", to=["x@example.org"], subject="recent", body="."
    )
    unsent = Email.objects.create(
        from_email="a@localhost", to=["x@example.org"], subject="unsent", body="."
    )
    Email.objects.filter(pk=old.pk).update(sent_at=now - timedelta(days=8))
    Email.objects.filter(pk=recent.pk).update(sent_at=now - timedelta(days=1))
    assert prune_sent_emails() == 1
    assert set(Email.objects.values_list("subject", flat=True)) == {"recent", "unsent"}
    assert unsent.pk in Email.objects.unsent().values_list("pk", flat=True)


def stored_email(subject, *, age):
    email = Email.objects.create(
        from_email="a@localhost", to=["x@example.org"], subject=subject, body="."
    )
    Email.objects.filter(pk=email.pk).update(created_at=timezone.now() - age)
    return email


def test_an_email_whose_job_was_lost_is_queued_again_once(settings):
    settings.TASKS = DATABASE_QUEUE
    lost = stored_email("lost", age=STRANDED_AFTER + timedelta(minutes=1))
    stored_email("young", age=STRANDED_AFTER - timedelta(minutes=1))
    stored_email("a day old", age=timedelta(days=1, minutes=1))
    waiting = stored_email("waiting for its retry", age=STRANDED_AFTER * 2)
    send_queued_email.enqueue(waiting.pk)
    refused = stored_email("refused", age=STRANDED_AFTER * 2)
    failed = send_queued_email.enqueue(refused.pk)
    DBTaskResult.objects.filter(pk=failed.id).update(status=TaskResultStatus.FAILED)

    assert requeue_stranded_emails(now=timezone.now()) == 1
    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert sorted(r.args_kwargs["args"][0] for r in queued) == sorted([waiting.pk, lost.pk])
    assert requeue_stranded_emails(now=timezone.now()) == 0


def test_the_outbox_is_tidied_every_hour():
    assert PERIODIC[tidy_outbox.module_path].interval == timedelta(hours=1)
