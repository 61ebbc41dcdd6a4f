"""The notifications page, following stories, and stopping each email from the email itself."""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from articles.tests.factories import make_article
from discussion.models import ReaderProfile, StoryFollow
from discussion.services import follow_story
from discussion.tests.factories import add_comment, link_in, make_moderator, make_reader
from newsroom.tests.browser import (
    BROWSER_TEST,
    DESKTOP,
    axe_check,
    axe_context,
    blocking_violations,
    log_in,
    screenshot,
)
from newsroom.tests.forms import form_fields

pytestmark = pytest.mark.django_db

NOTIFICATIONS = reverse("readers:notifications")
PASSWORD = "tram-stops-at-nine-4"


@pytest.fixture
def reader():
    return make_reader(display_name="Ines", status="trusted")


@pytest.fixture
def client(reader):
    client = Client()
    client.force_login(reader)
    return client


def profile(user):
    return ReaderProfile.objects.get(user=user)


def unsubscribe_path(message):
    return urlsplit(link_in(message.body, r"https://\S+/unsubscribe/\S+/")).path


class TestNotificationsPage:
    def test_needs_a_login(self):
        response = Client().get(NOTIFICATIONS)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_is_linked_from_the_account_pages(self, client):
        html = client.get(reverse("commenting:my-comments")).content.decode()
        assert f'href="{NOTIFICATIONS}"' in html

    def test_switches_start_on_and_save(self, client, reader):
        page = client.get(NOTIFICATIONS).content.decode()
        _, fields = form_fields(page, "notification-switches")
        assert fields["notify_replies"] == fields["notify_moderation"] == "on"
        del fields["notify_replies"]  # the reader unticks one box
        response = client.post(NOTIFICATIONS, fields, follow=True)
        assert "Your email choices are saved." in response.content.decode()
        assert (profile(reader).notify_replies, profile(reader).notify_moderation) == (False, True)

    def test_lists_followed_stories_with_an_unfollow_button_each(self, client, reader):
        kept, dropped = make_article(headline="Kept story"), make_article(headline="Dropped story")
        for story in (kept, dropped):
            follow_story(reader=reader, article=story)
        html = client.get(NOTIFICATIONS).content.decode()
        assert "Kept story" in html and "Dropped story" in html
        response = client.post(reverse("readers:unfollow", args=[dropped.pk]), follow=True)
        html = response.content.decode()
        assert "You no longer follow “Dropped story”." in html
        assert list(
            StoryFollow.objects.filter(reader=reader).values_list("article", flat=True)
        ) == [kept.pk]

    def test_staff_without_a_readers_profile_see_their_follows_only(self):
        staff = make_moderator()
        client = Client()
        client.force_login(staff)
        html = client.get(NOTIFICATIONS).content.decode()
        assert "notify_replies" not in html
        assert client.post(NOTIFICATIONS, {"notify_replies": "on"}).status_code == 302


class TestFollowButton:
    def test_follow_and_unfollow_from_the_story(self, client, reader):
        story = make_article(headline="Bridge closes for repairs")
        page = client.get(story.get_absolute_url()).content.decode()
        action, fields = form_fields(page, "follow-story")
        assert action == reverse("readers:follow", args=[story.pk])
        response = client.post(action, fields)
        assert response["Location"] == f"{story.get_absolute_url()}#comments"
        assert StoryFollow.objects.filter(reader=reader, article=story).exists()

        page = client.get(story.get_absolute_url()).content.decode()
        assert "You follow this story" in page
        assert 'name="followup"' not in page  # already following: no box to tick
        action, fields = form_fields(page, "follow-story")
        client.post(action, fields)
        assert not StoryFollow.objects.filter(reader=reader, article=story).exists()

    def test_the_comment_forms_box_follows_the_story(self, client, reader):
        story = make_article()
        page = client.get(story.get_absolute_url()).content.decode()
        assert "Follow this story: email me every new comment" in page
        action, fields = form_fields(page, "comment-form")
        client.post(action, {**fields, "comment": "Following along.", "followup": "on"})
        assert StoryFollow.objects.filter(reader=reader, article=story).exists()

    def test_a_draft_cannot_be_followed(self, client):
        draft = make_article(status="draft")
        assert client.post(reverse("readers:follow", args=[draft.pk])).status_code == 404
        assert not StoryFollow.objects.exists()

    def test_next_cannot_lead_off_the_site(self, client):
        story = make_article()
        url = reverse("readers:follow", args=[story.pk])
        response = client.post(url, {"next": "https://evil.example/"})
        assert response["Location"] == NOTIFICATIONS


class TestUnsubscribeFromTheEmail:
    @pytest.fixture
    def reply_email(self, reader, django_capture_on_commit_callbacks):
        story = make_article(headline="Library hours extended")
        with django_capture_on_commit_callbacks(execute=True):
            mine = add_comment(story, reader, "Sundays too, please.")
            add_comment(story, make_reader(status="trusted"), "Seconded.", parent=mine)
        [message] = mail.outbox
        return message

    def test_headers_name_the_link_in_the_body(self, reply_email):
        link = link_in(reply_email.body, r"https://\S+/unsubscribe/\S+/")
        assert reply_email.extra_headers["List-Unsubscribe"] == f"<{link}>"
        assert reply_email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    def test_get_shows_a_button_and_changes_nothing(self, reply_email, reader):
        page = Client().get(unsubscribe_path(reply_email))
        assert page.status_code == 200
        assert "when someone replies to your comments" in page.content.decode()
        assert profile(reader).notify_replies is True

    def test_one_click_post_without_login_or_csrf_token(self, reply_email, reader):
        client = Client(enforce_csrf_checks=True)
        response = client.post(unsubscribe_path(reply_email), {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        assert profile(reader).notify_replies is False
        assert profile(reader).notify_moderation is True

    def test_the_pages_button_unsubscribes(self, reply_email, reader):
        client = Client(enforce_csrf_checks=True)
        page = client.get(unsubscribe_path(reply_email)).content.decode()
        _, fields = form_fields(page, "unsubscribe")
        client.post(unsubscribe_path(reply_email), fields)
        assert profile(reader).notify_replies is False

    def test_a_tampered_token_is_refused_and_changes_nothing(self, reply_email, reader):
        path = unsubscribe_path(reply_email)
        tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
        response = Client().post(tampered, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 400
        assert "damaged; nothing was changed" in response.content.decode()
        assert profile(reader).notify_replies is True


class TestInTheBrowser:
    pytestmark = BROWSER_TEST

    def test_a_reader_sets_the_page_by_keyboard_alone(self, browser, live_server, artifacts):
        reader = make_reader(display_name="Ines", email="ines@example.org", status="trusted")
        reader.set_password(PASSWORD)
        reader.save()
        follow_story(reader=reader, article=make_article(headline="Tram line extended"))
        page = axe_context(browser, DESKTOP).new_page()
        log_in(page, live_server.url, reader.email, PASSWORD)
        page.goto(live_server.url + NOTIFICATIONS)

        tab_to(page, "#id_notify_replies")
        page.keyboard.press("Space")
        tab_to(page, "#notification-switches button")
        page.keyboard.press("Enter")
        expect(page.get_by_text("Your email choices are saved.")).to_be_visible()
        expect(page.get_by_label("Replies to my comments")).not_to_be_checked()
        assert profile(reader).notify_replies is False

        result = axe_check(page)
        blocking = blocking_violations(result)
        assert result["passed"] > 0 and blocking == []

        tab_to(page, ".followed-stories__unfollow button")
        page.keyboard.press("Enter")
        expect(page.get_by_text("You no longer follow “Tram line extended”.")).to_be_visible()
        assert not StoryFollow.objects.filter(reader=reader).exists()
        screenshot(page, artifacts / "notifications.png")


def tab_to(page, selector, presses=40):
    """Press Tab until the element `selector` has the focus, as a keyboard user would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")
