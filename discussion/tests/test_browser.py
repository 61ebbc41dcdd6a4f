"""The reader and moderator journey in a real browser (Debian's Chromium, driven by Playwright)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import expect

from articles.tests.factories import make_article

pytestmark = [
    pytest.mark.browser,
    # A live server needs real commits; serialized rollback restores the rows
    # that migrations create (the Moderators group, the site) for later tests.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_reader_signs_up_comments_and_a_moderator_approves(browser, live_server, artifacts):
    article = make_article(headline="Port Calder stoppage enters second day")
    story_url = live_server.url + article.get_absolute_url()
    moderator = get_user_model().objects.create_user(
        "desk", "desk@example.org", "moderating-is-fun-2026", is_staff=True
    )
    moderator.groups.add(Group.objects.get(name="Moderators"))
    # The desk logs in through allauth, which wants a confirmed address (create_staff makes one).
    EmailAddress.objects.create(user=moderator, email=moderator.email, verified=True, primary=True)

    reader = browser.new_page()
    reader.goto(story_url)
    reader.get_by_role("link", name="create an account").click()
    reader.get_by_label("Email").fill("mei@example.org")
    reader.get_by_label("Display name").fill("Mei on the quay")
    reader.locator("#id_password1").fill("night-shift-cranes-6")
    reader.locator("#id_password2").fill("night-shift-cranes-6")
    reader.get_by_role("button", name="Create account").click()
    reader.wait_for_load_state()

    confirm_path = re.search(r"/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    reader.goto(live_server.url + confirm_path)
    reader.get_by_role("button", name="Confirm").click()
    reader.goto(live_server.url + "/accounts/login/")
    reader.get_by_label("Email").fill("mei@example.org")
    reader.get_by_label("Password").fill("night-shift-cranes-6")
    reader.get_by_role("button", name="Log in").click()

    reader.goto(story_url)
    reader.get_by_label("Your comment").fill("Four people on a night lift is not enough.")
    reader.get_by_role("button", name="Post comment").click()
    expect(reader.locator(".messages")).to_contain_text("waiting for a moderator")
    reader.screenshot(path=artifacts / "comment-held.png", full_page=True)

    desk = browser.new_page()
    desk.goto(live_server.url + "/admin/login/")
    desk.get_by_label("Email").fill("desk@example.org")
    desk.get_by_label("Password").fill("moderating-is-fun-2026")
    desk.get_by_role("button", name="Log in").click()
    desk.goto(live_server.url + "/admin/django_comments_xtd/xtdcomment/")
    expect(desk.locator("#result_list")).to_contain_text("Four people on a night lift")
    desk.screenshot(path=artifacts / "moderation-queue.png", full_page=True)
    desk.get_by_role("button", name="Approve").click()
    expect(desk.locator(".messagelist")).to_contain_text("it is on the story now")

    anonymous = browser.new_page()
    anonymous.goto(story_url)
    comment = anonymous.locator(".comment").first
    expect(comment).to_contain_text("Four people on a night lift is not enough.")
    expect(comment).to_contain_text("Mei on the quay")

    reader.goto(story_url)
    reader.get_by_label("Your comment").fill("Thanks for covering the night shifts.")
    reader.get_by_role("button", name="Post comment").click()
    expect(reader.locator(".comment").last).to_contain_text("Thanks for covering")
    anonymous.reload()
    expect(anonymous.locator(".comments")).to_contain_text("Thanks for covering the night shifts.")
    anonymous.screenshot(path=artifacts / "article-with-comments.png", full_page=True)
