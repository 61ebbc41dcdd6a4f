"""Every email the site sends, stored before a worker sends it (services.send_queued_email)."""

from email.utils import make_msgid

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.db import models


class EmailQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)

    def sent_before(self, moment):
        return self.filter(sent_at__lt=moment)


class Email(models.Model):
    """One rendered message to send once: what the SMTP server will be given, word for word."""

    key = models.CharField(
        max_length=320,
        unique=True,
        null=True,
        blank=True,
        help_text="What the email is about (a comment and its follower), so that the same "
        "notification is stored once however often it is asked for. Empty for emails sent "
        "each time someone asks, as a password reset.",
    )
    from_email = models.CharField(max_length=320)
    to = models.JSONField(help_text="The recipients' addresses.")
    subject = models.CharField(max_length=998)
    body = models.TextField(help_text="The plain-text part.")
    html = models.TextField(blank=True, help_text="The HTML alternative, if the email has one.")
    headers = models.JSONField(
        default=dict,
        blank=True,
        help_text="Extra headers, among them the Message-ID fixed when the email was stored: "
        "a copy sent twice carries the same one, which mail programs recognise.",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When the mail server accepted it. Empty: not sent yet (its job is waiting "
        "for the server to come back, or failed).",
    )

    objects = EmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"

    @classmethod
    def from_message(cls, message: EmailMessage, *, key: str | None = None) -> "Email":
        """The row for `message` (not saved), with its Message-ID fixed now."""
        if message.cc or message.bcc or message.reply_to or message.attachments:
            raise ValueError(
                "The outbox keeps the recipients, subject, text, an HTML alternative and "
                f"headers; “{message.subject}” has copies, a reply-to or attachments too."
            )
        alternatives = getattr(message, "alternatives", [])
        html = next((content for content, kind in alternatives if kind == "text/html"), "")
        body = message.body
        if message.content_subtype == "html":
            html, body = body, ""
        headers = {"Message-ID": make_msgid(domain=DNS_NAME), **message.extra_headers}
        return cls(
            key=key,
            from_email=message.from_email,
            to=list(message.to),
            subject=message.subject,
            body=body,
            html=html,
            headers=headers,
        )

    def as_message(self) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            self.subject, self.body, self.from_email, self.to, headers=self.headers
        )
        if self.html:
            message.attach_alternative(self.html, "text/html")
        return message

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None
