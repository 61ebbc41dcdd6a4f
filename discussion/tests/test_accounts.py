"""Reader accounts: sign-up with a display name, verification, limits, and the reader's pages."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from articles.tests.factories import make_article
from discussion.models import CommentModeration, ReaderProfile

from .factories import add_comment, make_reader

pytestmark = pytest.mark.django_db


def sign_up(client, email="new@example.org", display_name="New Reader", password="tide-tables-77"):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "display_name": display_name,
            "password1": password,
            "password2": password,
        },
    )


def test_sign_up_creates_an_unverified_reader_with_a_display_name(client):
    assert sign_up(client).status_code == 302
    user = get_user_model().objects.get(email="new@example.org")
    assert user.reader.display_name == "New Reader"
    assert not EmailAddress.objects.get(user=user).verified


@pytest.mark.parametrize(
    ("display_name", "message"),
    [
        ("", "This field is required."),
        ("x", "at least 2 characters"),
        ("me@example.org", "cannot contain"),
        ("Moderator", "reserved"),
        ("taken name", "That display name is taken"),
    ],
)
def test_display_name_rules(client, display_name, message):
    make_reader(display_name="Taken Name")
    response = sign_up(client, display_name=display_name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(email="new@example.org").exists()


def test_login_is_refused_until_the_email_is_confirmed(client):
    sign_up(client)
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new@example.org", "password": "tide-tables-77"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


def test_repeated_failed_logins_are_rate_limited(client):
    make_reader(email="target@example.org")
    pages = [
        client.post(
            reverse("account_login"), {"login": "target@example.org", "password": "wrong"}
        ).content.decode()
        for _ in range(6)
    ]
    assert "Too many failed login attempts" not in pages[0]
    assert "Too many failed login attempts" in pages[-1]
    # Even the right password is refused while the limit holds.
    response = client.post(
        reverse("account_login"), {"login": "target@example.org", "password": "a-long-passphrase"}
    )
    assert "Too many failed login attempts" in response.content.decode()


def test_my_comments_lists_each_status_with_its_reason(client):
    user = make_reader()
    story = make_article(headline="Library lends tools")
    held = add_comment(story, user, "Held one")
    published = add_comment(story, user, "Published one")
    removed = add_comment(story, user, "Removed one")
    CommentModeration.objects.filter(comment=published).update(state="published", reason="ok")
    CommentModeration.objects.filter(comment=removed).update(state="removed", reason="Off topic.")
    add_comment(story, make_reader(), "Someone else's")
    client.force_login(user)
    html = client.get(reverse("discussion:my-comments")).content.decode()
    assert "Someone else&#x27;s" not in html and "Someone else's" not in html
    assert "Awaiting moderation" in html and held.moderation.reason in html
    assert "Removed" in html and "Off topic." in html
    assert "Published one" in html
    assert "Library lends tools" in html


def test_my_comments_name_only_stories_the_reader_can_still_open(client):
    user = make_reader()
    story = make_article(headline="Library lends tools")
    add_comment(story, user, "On a story since taken down")
    story.status = story.Status.UNPUBLISHED
    story.headline = "A rewritten headline, not out yet"
    story.save()
    client.force_login(user)
    html = client.get(reverse("discussion:my-comments")).content.decode()
    assert "On a story since taken down" in html
    assert "rewritten headline" not in html and story.get_absolute_url() not in html
    assert "a story no longer online" in html


def test_my_comments_needs_login():
    response = Client().get(reverse("discussion:my-comments"))
    assert response.status_code == 302


def test_account_without_a_display_name_is_asked_for_one(client):
    user = get_user_model().objects.create_user("staffer", "staffer@example.org", "pw")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    story = make_article()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Choose a display name" in page
    response = client.post(
        reverse("discussion:display-name") + f"?next={story.get_absolute_url()}",
        {"display_name": "Desk Editor"},
    )
    assert response["Location"] == story.get_absolute_url()
    assert ReaderProfile.objects.get(user=user).display_name == "Desk Editor"
    assert 'id="comment-form"' in client.get(story.get_absolute_url()).content.decode()


def test_display_name_page_refuses_offsite_next(client):
    client.force_login(make_reader())
    response = client.post(
        reverse("discussion:display-name") + "?next=https://evil.example/",
        {"display_name": "Renamed"},
    )
    assert response["Location"] == reverse("discussion:my-comments")


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_email",
        "account_change_password",
        "account_logout",
        "discussion:display-name",
    ],
)
def test_account_pages_render_in_the_site_layout(client, name):
    client.force_login(make_reader())
    if name in ("account_login", "account_signup", "account_reset_password"):
        client.logout()
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="masthead"' in html
    assert '<form class="form"' in html
