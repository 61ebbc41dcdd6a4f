"""Links in allauth's emails go to the site's configured domain, whatever Host a request names.

The emails are sent by a job after the request's transaction commits
(outbox); `sending` runs those callbacks, which pytest-django's tests
never commit on their own.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from outbox.models import Email
from outbox.tests.kit import DATABASE_QUEUE, MailServer, run_jobs_until, run_queued_jobs, text_of

pytestmark = pytest.mark.django_db

# An allowed name (localhost) on a port of the sender's choosing: Django accepts it.
FORGED_HOST = "localhost:31337"


def links_in(message):
    return re.findall(r"https?://\S+", message.body)


def forged_client():
    return Client(HTTP_HOST=FORGED_HOST)


def site_links_only(message, settings):
    links = links_in(message)
    assert links, message.body
    return all(link.startswith(f"https://{settings.NEWSROOM_SITE_DOMAIN}/") for link in links)


def make_account(email="reader@example.org"):
    """An account with a confirmed address, as a reader's or an editor's is."""
    user = get_user_model().objects.create_user(
        username=email, email=email, password="a-long-passphrase"
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def sign_up(client, email):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "display_name": "Ana from the Skerries",
            "password1": "harbour-lights-2026",
            "password2": "harbour-lights-2026",
        },
    )


@pytest.fixture
def sending(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_password_reset_link_ignores_the_requests_host(settings, sending):
    account = make_account()
    with sending():
        response = forged_client().post(reverse("account_reset_password"), {"email": account.email})
    assert response.status_code == 302
    [message] = mail.outbox
    assert site_links_only(message, settings), links_in(message)
    reset_path = re.search(r"https://[^/]+(/accounts/password/reset/key/\S+)", message.body)
    assert Client().get(reset_path.group(1)).status_code == 302  # to the form, key accepted


def test_the_answer_to_a_reset_for_an_unknown_address_links_to_the_site(settings, sending):
    with sending():
        response = forged_client().post(
            reverse("account_reset_password"), {"email": "stranger@example.org"}
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert site_links_only(message, settings), links_in(message)


def test_the_sign_up_confirmation_link_ignores_the_requests_host(settings, sending):
    with sending():
        assert sign_up(forged_client(), "ana@example.org").status_code == 302
    [message] = mail.outbox
    assert site_links_only(message, settings), links_in(message)
    assert "/accounts/confirm-email/" in links_in(message)[0]


def test_signing_up_again_with_a_taken_address_emails_links_to_the_site(settings, sending):
    account = make_account()
    with sending():
        assert sign_up(forged_client(), account.email).status_code == 302
    [message] = mail.outbox
    assert "already" in message.body
    assert site_links_only(message, settings), links_in(message)


def test_in_development_the_links_keep_the_requests_host_and_port(settings, sending):
    settings.DEBUG = True
    account = make_account()
    with sending():
        forged_client().post(reverse("account_reset_password"), {"email": account.email})
    [message] = mail.outbox
    assert links_in(message)[0].startswith(f"https://{FORGED_HOST}/accounts/password/reset/key/")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_signing_up_with_the_mail_server_down_works_and_the_email_follows(settings):
    server = MailServer()
    server.use_in(settings)
    settings.TASKS = DATABASE_QUEUE
    settings.JOB_BACKOFF_SCALE = 0.05
    try:
        response = sign_up(Client(raise_request_exception=False), "ana@example.org")
        assert response.status_code == 302
        assert get_user_model().objects.filter(email="ana@example.org").exists()
        run_queued_jobs()
        assert Email.objects.unsent().count() == 1
        server.start()
        run_jobs_until(lambda: server.messages)
        run_queued_jobs()
    finally:
        server.stop()
    [message] = server.messages
    assert message["To"] == "ana@example.org"
    assert "/accounts/confirm-email/" in text_of(message)


class TestGreeting:
    """allauth's "Successfully signed in as …" names staff by name, not as readers."""

    def greeting(self, user):
        client = Client()
        response = client.post(
            reverse("account_login"),
            {"login": user.email, "password": "a-long-passphrase"},
            follow=True,
        )
        return [str(message) for message in response.context["messages"]]

    def test_staff_are_greeted_by_their_full_name(self):
        editor = make_account("lin.mei@example.org")
        editor.first_name, editor.last_name, editor.is_staff = "Lin", "Mei", True
        editor.save()
        assert self.greeting(editor) == ["Successfully signed in as Lin Mei."]

    def test_staff_without_a_name_are_greeted_by_their_address_before_the_at(self):
        editor = make_account("tom.hale@example.org")
        editor.is_staff = True
        editor.save()
        assert self.greeting(editor) == ["Successfully signed in as tom.hale."]

    def test_readers_keep_the_name_readers_see(self):
        reader = make_account("ana@example.org")
        reader.first_name = "Ana"
        reader.save()
        # No reader profile: the site's public name for them, never their real name.
        assert self.greeting(reader) == ["Successfully signed in as Reader."]
