"""A reader takes their data and leaves, in Chromium: download, delete by keyboard, sign up."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django_comments_xtd.models import XtdComment
from playwright.sync_api import expect

from articles.tests.factories import make_article
from commenting.tests.test_browser import tab_to
from discussion.tests.factories import add_comment, make_reader
from newsroom.tests.browser import (
    BROWSER_TEST,
    DESKTOP,
    axe_check,
    axe_context,
    blocking_violations,
    log_in,
    report,
    screenshot,
    sign_up,
)
from readers.services import FORMER_READER

pytestmark = BROWSER_TEST
EMAIL, PASSWORD = "ines@example.org", "a-long-passphrase"  # make_reader's password


def page_blocking_violations(page, found):
    result = axe_check(page)
    assert result["passed"] >= 20, f"axe checked almost nothing on {page.url}"
    found.append(
        f"axe on {page.url}: {result['passed']} rules passed, "
        f"{len(result['violations'])} violation(s) {[v['id'] for v in result['violations']]}"
    )
    return blocking_violations(result)


def test_a_reader_downloads_their_data_deletes_the_account_and_signs_up_again(
    browser, live_server, artifacts
):
    story = make_article(headline="Ferry timetable cut")
    reader = make_reader(email=EMAIL, display_name="Ines on the ferry", status="trusted")
    add_comment(story, reader, "The winter timetable was always thin.")
    page = axe_context(browser, DESKTOP, accept_downloads=True).new_page()
    page.set_default_timeout(10_000)
    found = []
    log_in(page, live_server.url, EMAIL, PASSWORD)

    page.goto(live_server.url + "/accounts/comments/")
    page.get_by_role("link", name="Download my data").click()
    expect(page.get_by_role("heading", name="Download my data")).to_be_visible()
    assert page_blocking_violations(page, found) == []
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data").click()
    file = download.value
    assert file.suggested_filename.startswith("newsroom-data-")
    data = json.loads(Path(file.path()).read_text(encoding="utf-8"))
    assert [c["text"] for c in data["comments"]] == ["The winter timetable was always thin."]
    assert data["account"]["email_addresses"][0]["email"] == EMAIL
    found.append(f"downloaded {file.suggested_filename}: {len(data['comments'])} comment(s)")

    page.goto(live_server.url + "/accounts/delete/")
    expect(page.get_by_role("heading", name="Delete my account")).to_be_visible()
    assert page_blocking_violations(page, found) == []
    screenshot(page, artifacts / "delete-account.png")
    steps = []
    tab_to(page, lambda f: f["id"] == "id_password", steps)
    page.keyboard.type(PASSWORD)
    tab_to(page, lambda f: f["id"] == "id_confirm", steps)
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["type"] == "submit" and f["text"] == "Delete my account", steps)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your account is deleted")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert page_blocking_violations(page, found) == []
    found += steps
    assert not get_user_model().objects.filter(email=EMAIL).exists()
    assert XtdComment.objects.get().user_name == FORMER_READER
    found.append(f"deleted with the keyboard; the comment is signed {FORMER_READER!r}")

    page.get_by_role("main").get_by_role("link", name="sign up").click()
    confirm_path = sign_up(page, email=EMAIL, display_name="Ines on the ferry", password=PASSWORD)
    found.append(f"signed up again as {EMAIL}; confirmation link {confirm_path}")
    again = get_user_model().objects.get(email=EMAIL)
    assert again.pk != reader.pk
    report(artifacts, "readers-data-journey.txt", found)
