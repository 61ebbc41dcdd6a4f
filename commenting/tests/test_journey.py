"""A reader's whole path, through the real forms over HTTP."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from articles.tests.factories import make_article
from discussion.tests.factories import comment_form, make_moderator, post_through_form

pytestmark = pytest.mark.django_db


def test_sign_up_verify_comment_get_approved_then_comment_freely(
    client, django_capture_on_commit_callbacks
):
    article = make_article(headline="Ferry timetable cut")

    # Sign up with a display name; nothing can be posted before verifying.
    # The confirmation email is sent after the sign-up commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "ana@example.org",
                "display_name": "Ana from the Skerries",
                "password1": "harbour-lights-2026",
                "password2": "harbour-lights-2026",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(mail.outbox) == 1
    confirm_url = re.search(
        r"https?://testserver(/accounts/confirm-email/\S+/)", mail.outbox[0].body
    )
    assert confirm_url, mail.outbox[0].body
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'id="comment-form"' not in page

    # Confirm the address, then log in.
    confirm_path = confirm_url.group(1)
    assert client.get(confirm_path).status_code == 200
    assert client.post(confirm_path).status_code == 302
    assert (
        client.post(
            reverse("account_login"),
            {"login": "ana@example.org", "password": "harbour-lights-2026"},
        ).status_code
        == 302
    )

    # First comment: held, and the reader is told why.
    response = post_through_form(client, article, "Nine crossings is not enough in winter.")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "waiting for a moderator" in page
    assert "Awaiting moderation" in page
    anonymous = Client()
    assert "Nine crossings" not in anonymous.get(article.get_absolute_url()).content.decode()

    # A moderator approves it from the queue; it is on the story at once.
    moderator = Client()
    moderator.force_login(make_moderator())
    queue = moderator.get(reverse("admin:django_comments_xtd_xtdcomment_changelist"))
    assert queue.status_code == 200
    html = queue.content.decode()
    assert "Nine crossings is not enough" in html
    assert "First-time commenter" in html
    approve_url = re.search(r'formaction="([^"]+/approve/)"', html).group(1)
    _, fields = comment_form(html, form_id="changelist-form")
    moderator.post(approve_url, fields)
    page = anonymous.get(article.get_absolute_url()).content.decode()
    assert "Nine crossings is not enough in winter." in page
    assert "Ana from the Skerries" in page
    assert "ana@example.org" not in page
    assert "Comments (1)" in page

    # The second comment is published straight away.
    response = post_through_form(client, article, "Thanks for reporting this.")
    assert urlparse(response["Location"]).fragment.startswith("c")
    assert (
        "Thanks for reporting this." in anonymous.get(article.get_absolute_url()).content.decode()
    )
    my_comments = client.get(reverse("commenting:my-comments")).content.decode()
    assert my_comments.count("Published") == 2
