"""A reader who signs up or logs in from a story comes back to its discussion, through
allauth's real views and the real confirmation email."""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from articles.tests.factories import make_article
from discussion.models import ReaderProfile
from discussion.tests.factories import make_reader
from newsroom.tests.forms import form_fields
from newsroom.tests.html import Elements

pytestmark = pytest.mark.django_db

PASSWORD = "harbour-lights-2026"


@pytest.fixture
def sending(django_capture_on_commit_callbacks):
    """Runs the callbacks that queue and send allauth's emails once the request commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def link_on(html, text):
    """The address of the discussion's link whose text is `text` (the page's header has
    its own "Log in")."""
    page = Elements(html)
    discussion = next(s for s in page.by_tag("section") if s["attrs"].get("id") == "comments")
    return next(
        a["attrs"]["href"] for a in page.inside(discussion) if a["tag"] == "a" and a["text"] == text
    )


def submit(client, page, form_id, **typed):
    """Send the form with this id off the page, with what the reader typed in it."""
    action, fields = form_fields(page.content.decode(), form_id)
    return client.post(action or page.request["PATH_INFO"], {**fields, **typed})


def sign_up_from(client, story, sending, email="ana@example.org"):
    """Follow the discussion's "create an account" link and fill in the form."""
    story_page = client.get(story.get_absolute_url()).content.decode()
    signup_page = client.get(link_on(story_page, "create an account"))
    with sending():
        response = submit(
            client,
            signup_page,
            "signup-form",
            email=email,
            display_name="Ana from the Skerries",
            password1=PASSWORD,
            password2=PASSWORD,
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def confirmation_link():
    """The path and query of the link in the confirmation email, as the reader's mail
    program would open it."""
    [message] = mail.outbox
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def confirm(client, link):
    page = client.get(link)
    assert page.status_code == 200
    return submit(client, page, "confirm-email-form")


def log_in(client, response):
    """Log in on the page `response` leads to, as the reader would."""
    page = client.get(response["Location"])
    return submit(client, page, "login-form", login="ana@example.org", password=PASSWORD)


def discussion_of(story):
    return f"{story.get_absolute_url()}#comments"


def test_the_discussion_asks_anonymous_readers_to_log_in_and_come_back(client):
    story = make_article()
    page = client.get(story.get_absolute_url()).content.decode()
    back = f"?next={story.get_absolute_url()}%23comments"
    assert link_on(page, "Log in") == reverse("account_login") + back
    assert link_on(page, "create an account") == reverse("account_signup") + back


def test_confirming_in_another_browser_leads_through_login_to_the_discussion(client, sending):
    story = make_article(headline="Ferry timetable cut")
    sign_up_from(client, story, sending)

    elsewhere = Client()  # the reader's phone, say: nothing of the sign-up's session
    confirmed = confirm(elsewhere, confirmation_link())
    assert confirmed.status_code == 302
    assert urlsplit(confirmed["Location"]).path == reverse("account_login")
    assert EmailAddress.objects.get(email="ana@example.org").verified

    logged_in = log_in(elsewhere, confirmed)
    assert logged_in["Location"] == discussion_of(story)
    page = elsewhere.get(logged_in["Location"]).content.decode()
    assert 'id="comment-form"' in page


def test_confirming_in_the_same_browser_comes_back_too(client, sending):
    story = make_article()
    sign_up_from(client, story, sending)
    logged_in = log_in(client, confirm(client, confirmation_link()))
    assert logged_in["Location"] == discussion_of(story)


def test_with_login_on_confirmation_the_reader_lands_on_the_discussion_signed_in(
    client, sending, settings
):
    settings.ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
    story = make_article()
    sign_up_from(client, story, sending)
    confirmed = confirm(client, confirmation_link())
    assert confirmed["Location"] == discussion_of(story)
    assert 'id="comment-form"' in client.get(confirmed["Location"]).content.decode()


def test_a_reader_already_logged_in_when_confirming_goes_straight_on(client, sending):
    story = make_article()
    sign_up_from(client, story, sending)
    link = confirmation_link()
    client.force_login(get_user_model().objects.get(email="ana@example.org"))
    confirmed = confirm(client, link)
    assert client.get(confirmed["Location"])["Location"] == discussion_of(story)


def test_logging_in_from_a_story_returns_to_its_discussion(client):
    story = make_article()
    reader = make_reader(email="ana@example.org")
    reader.set_password(PASSWORD)
    reader.save()
    story_page = client.get(story.get_absolute_url()).content.decode()
    login_page = client.get(link_on(story_page, "Log in"))
    response = submit(client, login_page, "login-form", login="ana@example.org", password=PASSWORD)
    assert response["Location"] == discussion_of(story)


def test_logging_in_before_confirming_sends_a_link_that_still_comes_back(client, sending):
    story = make_article()
    sign_up_from(client, story, sending)
    mail.outbox.clear()
    cache.clear()  # allauth sends one confirmation per address every 3 minutes
    elsewhere = Client()
    login_page = elsewhere.get(
        link_on(elsewhere.get(story.get_absolute_url()).content.decode(), "Log in")
    )
    with sending():
        response = submit(
            elsewhere, login_page, "login-form", login="ana@example.org", password=PASSWORD
        )
    assert response["Location"] == reverse("account_email_verification_sent")
    logged_in = log_in(Client(), confirm(Client(), confirmation_link()))
    assert logged_in["Location"] == discussion_of(story)


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:x"]
)
def test_an_offsite_address_is_never_where_a_reader_is_sent(client, sending, next_url):
    with sending():
        response = client.post(
            f"{reverse('account_signup')}?next={next_url}",
            {
                "email": "ana@example.org",
                "display_name": "Ana from the Skerries",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "next": next_url,
            },
        )
    assert response.status_code == 302
    link = confirmation_link()
    assert "evil" not in link and "javascript" not in link

    # Nor an address slipped into the link by hand.
    elsewhere = Client()
    confirmed = confirm(elsewhere, f"{link}?next={next_url}")
    assert confirmed["Location"] == reverse("account_login")
    assert log_in(elsewhere, confirmed)["Location"] == "/"


def test_choosing_a_display_name_on_the_way_returns_to_the_discussion(client):
    user = get_user_model().objects.create_user("staffer", "staffer@example.org", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    story = make_article()
    story_page = client.get(story.get_absolute_url()).content.decode()
    name_page = client.get(link_on(story_page, "Choose a display name"))
    response = client.post(
        name_page.request["PATH_INFO"] + "?" + name_page.request["QUERY_STRING"],
        {"display_name": "Desk Editor"},
    )
    assert response["Location"] == discussion_of(story)
    assert ReaderProfile.objects.get(user=user).display_name == "Desk Editor"
