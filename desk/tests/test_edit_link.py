"""The Edit link on a public story page: the same cached page for everyone, the link only
for staff who may edit the story."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from articles.tests.factories import make_article, make_staff
from desk.edit_link import HINT_COOKIE
from newsroom.tests.browser import DESKTOP, log_in_to_desk
from newsroom.tests.html import Elements

pytestmark = pytest.mark.django_db


def can_edit(pk):
    return reverse("desk-can-edit", args=[pk])


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def make_reader():
    """An account without desk access, that can log in on the site."""
    user = get_user_model().objects.create_user("reader", "reader@example.org", "reader-pw-1")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def placeholder(html):
    (element,) = Elements(html).by_class("edit-link")
    return element["attrs"], element["text"]


def test_the_cached_page_is_byte_identical_for_a_reader_and_a_staff_browser():
    story = make_article(headline="Ferry timetable cut")
    reader = Client().get(story.get_absolute_url())
    staff_browser = Client()
    staff_browser.cookies[HINT_COOKIE] = "1"
    staff = staff_browser.get(story.get_absolute_url())
    assert (reader["X-Page-Cache"], staff["X-Page-Cache"]) == ("miss", "hit")
    assert staff.content == reader.content
    html = reader.content.decode()
    assert placeholder(html) == (
        {
            "class": "edit-link",
            "data-can-edit": can_edit(story.pk),
            "data-hint-cookie": HINT_COOKIE,
            "hidden": None,
        },
        "",
    )
    assert "/admin/" not in html


def test_a_signed_in_editor_gets_the_same_placeholder_and_no_link_in_the_page():
    # Their page is rendered for them (it has the comment form), the placeholder as for all.
    story = make_article()
    editor_page = signed_in(make_staff("Editors")).get(story.get_absolute_url())
    reader_page = Client().get(story.get_absolute_url()).content.decode()
    html = editor_page.content.decode()
    assert placeholder(html) == placeholder(reader_page)
    assert reverse("admin:articles_article_change", args=[story.pk]) not in html


def test_the_endpoint_gives_an_editor_the_desk_link_never_cached():
    story = make_article()
    response = signed_in(make_staff("Editors")).get(can_edit(story.pk))
    assert response.status_code == 200
    assert response.json() == {"url": reverse("admin:articles_article_change", args=[story.pk])}
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }


def test_a_reporter_gets_the_link_for_their_own_draft_only():
    reporter = make_staff("Reporters")
    own_draft = make_article(status=Article.Status.DRAFT, created_by=reporter)
    published = make_article(created_by=reporter)
    client = signed_in(reporter)
    assert client.get(can_edit(own_draft.pk)).status_code == 200
    refused = client.get(can_edit(published.pk))
    assert (refused.status_code, refused.json()) == (403, {"error": "You may not edit this story."})


def test_staff_asking_about_a_missing_story_get_404():
    response = signed_in(make_staff("Editors")).get(can_edit(987654))
    assert (response.status_code, response.json()) == (404, {"error": "No such story."})


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_anyone_without_a_desk_session_gets_the_same_403_and_loses_the_hint(who):
    story = make_article()
    client = signed_in(make_reader()) if who == "reader" else Client()
    client.cookies[HINT_COOKIE] = "1"
    answers = [client.get(can_edit(pk)) for pk in (story.pk, 987654)]
    assert [a.status_code for a in answers] == [403, 403]
    assert answers[0].content == answers[1].content == b'{"error": "Not signed in to the desk."}'
    assert answers[0].cookies[HINT_COOKIE].value == ""
    assert answers[0].cookies[HINT_COOKIE]["max-age"] == 0


def test_logging_in_hints_a_staff_browser_and_not_a_readers():
    editor = make_staff("Editors")
    staff_login = Client().post(
        reverse("account_login"), {"login": editor.email, "password": "desk-password-1"}
    )
    assert staff_login.status_code == 302
    hint = staff_login.cookies[HINT_COOKIE]
    assert (hint.value, hint["httponly"], hint["samesite"]) == ("1", "", "Lax")
    reader = make_reader()
    reader_login = Client().post(
        reverse("account_login"), {"login": reader.email, "password": "reader-pw-1"}
    )
    assert reader_login.status_code == 302
    assert HINT_COOKIE not in reader_login.cookies


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_editor_follows_the_edit_link_a_reporter_and_a_reader_see_none(
    browser, live_server, artifacts
):
    story = make_article(headline="Ferry timetable cut")
    url = live_server.url + story.get_absolute_url()

    reader = browser.new_page(viewport=DESKTOP)
    asked = []
    reader.on("request", lambda request: asked.append(request.url))
    reader.goto(url)
    reader.wait_for_load_state("networkidle")
    expect(reader.locator(".edit-link")).to_be_hidden()
    assert not [address for address in asked if "/desk/can-edit/" in address]

    reporter = browser.new_page(viewport=DESKTOP)
    log_in_to_desk(reporter, live_server.url, make_staff("Reporters").email, "desk-password-1")
    with reporter.expect_response(lambda r: "/desk/can-edit/" in r.url) as answer:
        reporter.goto(url)
    assert answer.value.status == 403
    expect(reporter.locator(".edit-link")).to_be_hidden()

    editor = browser.new_page(viewport=DESKTOP)
    log_in_to_desk(editor, live_server.url, make_staff("Editors").email, "desk-password-1")
    editor.goto(url)
    link = editor.get_by_role("link", name="Edit this story")
    expect(link).to_be_visible()
    editor.screenshot(path=artifacts / "uploads-edit-link.png")
    link.click()
    expect(editor.locator("#id_headline")).to_have_value("Ferry timetable cut")
    for page in (reader, reporter, editor):
        page.close()
