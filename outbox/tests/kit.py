"""A real SMTP server on loopback for the email tests, and a way to run the queued jobs."""

import asyncio
import email
import time
from email.message import Message

from aiosmtpd.controller import Controller
from django.core.management import call_command

from newsroom.tests.live import free_port


class MailServer:
    """aiosmtpd on 127.0.0.1: counts every message it accepts; `refuse` answers RCPT with 550,
    `answer_after` seconds pass before it accepts a message.

    Created stopped on a free port (connections are refused there) so a test
    can post with the mail server down and `start()` it later.
    """

    def __init__(
        self, port: int | None = None, refuse: set[str] = frozenset(), answer_after: float = 0
    ):
        self.port = port or free_port()
        self.refuse = refuse
        self.answer_after = answer_after
        self.messages: list[Message] = []
        self.controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            # As Postfix answers: the refused address is in the words.
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.answer_after)
        self.messages.append(email.message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def use_in(self, settings):
        """Point Django's SMTP backend at this server."""
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", self.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5

    def received_by(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in m["To"]]


def text_of(message: Message) -> str:
    """The plain-text part, decoded (long or non-ASCII lines travel quoted-printable)."""
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_queued_jobs():
    """What a worker does: run every job that is due, then stop (run_worker --batch)."""
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def run_jobs_until(check, timeout=15):
    """Run due jobs again and again (retries come due after their backoff) until check()."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"still not done after {timeout} s of running jobs")
        run_queued_jobs()
        time.sleep(0.1)
