"""Sending email off the request path, once per email.

A request (or a job) stores the rendered message with `queue_email`; after
commit a job, `send_queued_email`, hands it to the mail server. A mail server
that is down costs nothing but time: the job is tried again with backoff
(newsroom/jobs.py), and the reader's or moderator's request never waits on it.
"""

import re
import smtplib
from datetime import datetime, timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from newsroom.jobs import BACKOFF, after_commit, background

from .models import Email


class EmailRefused(Exception):
    """The mail server refused the email for good (a 5xx answer): trying again cannot help."""


def queue_email(*, message: EmailMessage, key: str | None = None) -> Email:
    """Store `message` and send it once the transaction commits.

    With a `key`, the email is stored once: asking again (a job that runs
    twice) returns the stored one, and sends it only if it is not sent yet.
    """
    email = Email.from_message(message, key=key)
    email.full_clean(validate_unique=False)
    if key is None:
        email.save()
    else:
        stored = {f.name: getattr(email, f.name) for f in Email._meta.concrete_fields}
        for name in ("id", "key", "created_at"):
            del stored[name]
        email, _ = Email.objects.get_or_create(key=key, defaults=stored)
    if not email.is_sent:
        after_commit(send_queued_email, email.pk)
    return email


# smtplib's errors, refused connections, timeouts and TLS failures: the server may come back.
@background(retry_on=(smtplib.SMTPException, OSError))
def send_queued_email(email_id: int) -> None:
    """Send the stored email unless it has been sent; record the sending in the same transaction.

    The row lock makes a second run of this job (a worker that died after
    sending, a retry from the desk) wait for the first and then find the email
    sent. One window stays: the server accepted the email and the process died
    before the commit; the job then runs again and the email goes out twice,
    with the same Message-ID (see README, *Readers and the discussion*).
    """
    with transaction.atomic():
        email = Email.objects.unsent().select_for_update().filter(pk=email_id).first()
        if email is None:
            return  # sent already, or pruned
        try:
            email.as_message().send()
        except smtplib.SMTPException as error:
            if _refused_for_good(error):
                # Job records and worker logs outlive an erased reader: neither
                # may keep their address, so the error names the email by number.
                raise EmailRefused(f"Email {email.pk}: {_answer(error)}") from None
            raise
        email.sent_at = timezone.now()
        email.save(update_fields=["sent_at"])


def _refused_for_good(error: smtplib.SMTPException) -> bool:
    """A 5xx answer to the sender, every recipient or the message itself."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    refusals = (smtplib.SMTPSenderRefused, smtplib.SMTPDataError)
    return isinstance(error, refusals) and error.smtp_code >= 500


ADDRESS = re.compile(r"<?[^\s<>]+@[^\s<>]+>?")


def _answer(error: smtplib.SMTPException) -> str:
    """The mail server's refusal, codes and words, with every address in it blanked."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = list(error.recipients.values())
    else:
        answers = [(error.smtp_code, error.smtp_error)]
    said = []
    for code, text in answers:
        words = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        said.append(f"{code} {ADDRESS.sub('<address>', words)}")
    return "; ".join(said)


def prune_sent_emails(*, older_than: timedelta = timedelta(days=7)) -> int:
    """Delete emails sent more than `older_than` ago; unsent ones stay for the desk to see.

    Returns how many were deleted. Meant for the periodic runner.
    """
    deleted, _ = Email.objects.sent_before(timezone.now() - older_than).delete()
    return deleted


# An email still unsent this long after it was stored, with no job queued,
# running or failed for it, lost its job: the web process died between its
# commit and the enqueue. Older ones are left alone: their failures may have
# been pruned from the desk, and a day-old notice is no longer worth sending.
STRANDED_AFTER = sum(BACKOFF, timedelta()) + timedelta(minutes=15)
STRANDED_UNTIL = timedelta(days=1)


def requeue_stranded_emails(*, now: datetime) -> int:
    """Queue a send job for each stranded email; returns how many."""
    jobs = DBTaskResult.objects.filter(task_path=send_queued_email.module_path).exclude(
        status=TaskResultStatus.SUCCESSFUL
    )
    with_a_job = {result.args_kwargs["args"][0] for result in jobs.only("args_kwargs")}
    stranded = (
        Email.objects.unsent()
        .filter(created_at__lt=now - STRANDED_AFTER, created_at__gte=now - STRANDED_UNTIL)
        .exclude(pk__in=with_a_job)
        .values_list("pk", flat=True)
    )
    count = 0
    for email_id in stranded:
        send_queued_email.enqueue(email_id)
        count += 1
    return count


@background()
def tidy_outbox() -> None:
    """The outbox's periodic care: old sent emails go, stranded ones are sent."""
    prune_sent_emails()
    requeue_stranded_emails(now=timezone.now())
