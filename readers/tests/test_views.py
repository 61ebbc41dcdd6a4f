"""The Delete my account page: what it asks, what it refuses, and what it does."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from accounts.tests.two_factor import totp
from articles.tests.factories import make_article, make_staff
from discussion.models import ModerationPolicy
from discussion.tests.factories import add_comment, make_reader
from newsroom.tests.html import Elements
from readers.services import FORMER_READER

pytestmark = pytest.mark.django_db
ADDRESS, PASSWORD = "ines@example.org", "a-long-passphrase"  # make_reader's password
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def reader():
    reader = make_reader(email=ADDRESS, display_name="Ines on the ferry", status="trusted")
    add_comment(make_article(), reader, "The winter timetable was always thin.")
    return reader


def logged_in(user):
    """A client logged in through allauth's own form, as a browser would be."""
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return client


def delete(client, **fields):
    return client.post(reverse("readers:delete"), {"password": PASSWORD, "confirm": "on", **fields})


def still_there(user):
    return get_user_model().objects.filter(pk=user.pk).exists()


def errors(response):
    return [e["text"].strip() for e in Elements(response.content.decode()).by_class("errorlist")]


def test_the_page_says_what_happens_per_the_policy(client, reader):
    client.force_login(reader)
    page = client.get(reverse("readers:delete")).content.decode()
    assert "signed “Former reader”" in page
    assert "no waiting period" in page
    assert 'name="password"' in page and 'name="confirm"' in page
    assert 'name="code"' not in page
    policy = ModerationPolicy.current()
    policy.erased_comments = ModerationPolicy.ErasedComments.REMOVE
    policy.save()
    page = client.get(reverse("readers:delete")).content.decode()
    assert "Your comments are removed from the site." in page
    assert still_there(reader)


def test_the_account_pages_link_to_both(client, reader):
    client.force_login(reader)
    nav = Elements(client.get(reverse("commenting:my-comments")).content.decode())
    links = {a["attrs"]["href"] for a in nav.by_tag("a")}
    assert {reverse("readers:data"), reverse("readers:delete")} <= links


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"password": "not-my-password"}, "Incorrect password."),
        ({"password": ""}, "This field is required."),
        ({"confirm": ""}, "Tick the box to confirm that you want your account deleted."),
    ],
)
def test_bad_input_shows_the_form_again_with_the_reason_and_deletes_nothing(
    client, reader, fields, message
):
    client.force_login(reader)
    response = delete(client, **fields)
    assert response.status_code == 200
    assert message in errors(response)
    assert still_there(reader)
    assert XtdComment.objects.get().user_name == "Ines on the ferry"


def test_with_an_authenticator_app_a_current_code_is_needed(client, reader):
    TOTP.activate(reader, SECRET)
    client.force_login(reader)
    assert 'name="code"' in client.get(reverse("readers:delete")).content.decode()
    missing = delete(client)
    assert "Enter the current code from your authenticator app" in errors(missing)[0]
    wrong = delete(client, code="000000" if totp(SECRET, time.time()) != "000000" else "111111")
    assert "Incorrect code." in errors(wrong)
    assert still_there(reader)
    assert delete(client, code=totp(SECRET, time.time())).status_code == 302
    assert not still_there(reader)


def test_a_forged_request_is_refused(reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert delete(client).status_code == 403
    assert still_there(reader)


def test_a_get_never_deletes(client, reader):
    client.force_login(reader)
    query = f"?password={PASSWORD}&confirm=on"
    assert client.get(reverse("readers:delete") + query).status_code == 200
    assert still_there(reader)


def test_staff_are_refused_with_a_message(client):
    editor = make_staff()
    client.force_login(editor)
    page = client.get(reverse("readers:delete")).content.decode()
    assert "This is a staff account" in page and 'name="password"' not in page
    response = client.post(
        reverse("readers:delete"), {"password": "desk-password-1", "confirm": "on"}
    )
    assert response.status_code == 403
    assert "an administrator closes it" in response.content.decode()
    assert still_there(editor)


def test_deleting_logs_out_everywhere_and_lands_on_a_confirmation(reader):
    laptop, phone = logged_in(reader), logged_in(reader)
    keys = set(UserSession.objects.filter(user=reader).values_list("session_key", flat=True))
    assert len(keys) == 2

    response = delete(laptop)

    assert response.status_code == 302
    assert response["Location"] == reverse("readers:deleted")
    page = laptop.get(response["Location"]).content.decode()
    assert "Your account is deleted" in page
    assert "Log in" in page
    assert not Session.objects.filter(session_key__in=keys).exists()
    # The other device is logged out too.
    elsewhere = phone.get(reverse("commenting:my-comments"))
    assert elsewhere.status_code == 302
    assert elsewhere["Location"].startswith(reverse("account_login"))
    assert XtdComment.objects.get().user_name == FORMER_READER


def test_the_same_address_can_sign_up_again(client, reader):
    delete(logged_in(reader))
    response = client.post(
        reverse("account_signup"),
        {
            "email": ADDRESS,
            "display_name": "Ines on the ferry",
            "password1": "tide-tables-77",
            "password2": "tide-tables-77",
        },
    )
    assert response.status_code == 302, errors(response)
    again = get_user_model().objects.get(email=ADDRESS)
    assert again.pk != reader.pk
    assert again.reader.display_name == "Ines on the ferry"
    assert again.emailaddress_set.get().email == ADDRESS


def test_a_code_sent_with_a_wrong_password_still_works_on_the_next_try(client, reader):
    TOTP.activate(reader, SECRET)
    client.force_login(reader)
    code = totp(SECRET, time.time())
    assert "Incorrect password." in errors(delete(client, password="wrong-one", code=code))
    assert delete(client, code=code).status_code == 302
    assert not still_there(reader)
