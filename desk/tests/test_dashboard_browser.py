"""The desk's front page in a real browser (Debian's Chromium, driven by Playwright), at a
phone's width and a laptop's: an editor sees what waits and follows a count to its list."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.tests.factories import make_article, make_staff
from newsroom.tests.browser import (
    BROWSER_TEST,
    DESKTOP,
    MOBILE,
    WIDER_THAN_WINDOW,
    axe_check,
    axe_context,
    blocking_violations,
    log_in_to_desk,
    report,
    screenshot,
)

from .test_dashboard import broken_source, embargoed, scheduled

pytestmark = BROWSER_TEST


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["390px", "1280px"])
def test_an_editor_sees_what_waits_and_opens_it(browser, live_server, artifacts, viewport):
    width = viewport["width"]
    editor = make_staff("Editors", first_name="Mei", last_name="Lin")
    make_article(
        headline="Ferry timetable cut as the winter schedule starts early on three routes",
        status=Article.Status.DRAFT,
        created_by=editor,
    )
    for headline in ("Council votes on the harbour wall", "Night buses return to the east"):
        make_article(headline=headline, status=Article.Status.IN_REVIEW)
    scheduled(headline="Budget day: what changes for renters")
    embargoed(headline="Report on water quality, under embargo")
    broken_source(make_article(headline="Port strike"), outlet="Calder Gazette")
    found = []

    context = axe_context(browser, viewport)
    page = context.new_page()
    log_in_to_desk(page, live_server.url, editor.email, "desk-password-1")
    page.goto(live_server.url + "/admin/")

    for title in ("My drafts", "Stories in review", "Scheduled and embargoed"):
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.get_by_role("region", name="Photos not ready")).to_contain_text(
        "Every photo is ready."
    )
    # The app list stays below the panels.
    expect(page.get_by_role("link", name="Stories", exact=True).first).to_be_visible()
    overflow = page.evaluate(WIDER_THAN_WINDOW)
    found.append(f"{width} px: the front page is {overflow} px wider than the window")
    if width == DESKTOP["width"]:
        assert overflow <= 0, "the front page scrolls sideways at 1280 px"
    results = axe_check(page)
    blocking = blocking_violations(results)
    assert results["passed"] > 10 and not blocking, blocking
    found.append(f"{width} px: axe passed {results['passed']} rules, no serious or critical issue")
    screenshot(page, artifacts / f"dashboard-{width}.png")

    page.get_by_role("link", name="In review: all 2").click()
    expect(page.get_by_role("link", name="Council votes on the harbour wall")).to_be_visible()
    expect(page.get_by_role("link", name="Night buses return to the east")).to_be_visible()
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    found.append(f"{width} px: “In review: all 2” opened the list of the 2 stories")
    context.close()
    report(artifacts, f"dashboard-{width}.txt", found)
