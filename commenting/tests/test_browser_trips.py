"""Where the site used to trip readers, in a real browser: coming back to the story after
signing up, and the report form."""

import re
from urllib.parse import urlsplit

from django.core import mail
from playwright.sync_api import expect

from articles.tests.factories import make_article
from discussion.models import CommentReport
from discussion.tests.factories import add_comment, make_reader
from newsroom.tests.browser import (
    BLOCKING_IMPACTS,
    BROWSER_TEST,
    DESKTOP,
    MOBILE,
    axe_check,
    axe_context,
    log_in,
    report,
    screenshot,
    sign_up,
)

pytestmark = BROWSER_TEST

EMAIL, PASSWORD = "ana@example.org", "harbour-lights-2026"


def test_a_reader_who_signs_up_from_a_story_ends_at_its_discussion(browser, live_server, artifacts):
    story = make_article(headline="Ferry timetable cut for the winter")
    story_url = live_server.url + story.get_absolute_url()
    found = []

    laptop = browser.new_page(viewport=DESKTOP)
    laptop.set_default_timeout(10_000)
    laptop.goto(story_url)
    laptop.locator("#comments").get_by_role("link", name="create an account").click()
    sign_up(laptop, email=EMAIL, display_name="Ana from the Skerries", password=PASSWORD)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    parts = urlsplit(link)
    found.append(
        f"signed up from {story.get_absolute_url()}; emailed link {parts.path}?{parts.query}"
    )

    # The email is opened on the reader's phone: a browser that never saw the sign-up.
    phone = browser.new_context(viewport=MOBILE).new_page()
    phone.set_default_timeout(10_000)
    phone.goto(f"{live_server.url}{parts.path}?{parts.query}")
    phone.get_by_role("button", name="Confirm").click()
    expect(phone.get_by_role("heading", name="Log in")).to_be_visible()
    expect(phone.locator(".messages")).to_contain_text("confirmed")
    phone.get_by_label("Email").fill(EMAIL)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    expect(phone).to_have_url(f"{story_url}#comments")
    expect(phone.locator("#comment-form")).to_be_visible()
    expect(phone.locator("#comments")).to_be_in_viewport()
    screenshot(phone, artifacts / "signup-return-discussion.png")
    found.append(f"confirmed and logged in on another browser; landed on {phone.url}")
    report(artifacts, "signup-return.txt", found)


def test_the_report_form_starts_with_no_reason_ticked_and_passes_axe(
    browser, live_server, artifacts
):
    story = make_article(headline="Ferry timetable cut for the winter")
    comment = add_comment(story, make_reader(status="trusted"), "Nobody uses the late boat.")
    reporter = make_reader(email="mei@example.org")
    page = axe_context(browser, DESKTOP).new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server.url, reporter.email, "a-long-passphrase")
    page.goto(live_server.url + story.get_absolute_url())
    page.locator(f"#c{comment.pk}").get_by_role("link", name="Report").click()

    reasons = page.get_by_role("group", name="What is wrong with this comment?")
    radios = reasons.get_by_role("radio")
    expect(radios).to_have_count(len(CommentReport.Reason.choices))
    for index in range(radios.count()):
        expect(radios.nth(index)).not_to_be_checked()
    expect(page.locator("#report-form")).not_to_contain_text("---------")
    screenshot(page, artifacts / "report-form.png")

    lines, blocking = [], []
    result = axe_check(page)
    lines.append(
        f"report form: {result['passed']} rules passed, {len(result['violations'])} violation(s)"
    )
    for violation in result["violations"]:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        if violation["impact"] in BLOCKING_IMPACTS:
            blocking.append(violation["id"])
    assert result["passed"] >= 20, "axe checked almost nothing on the report form"

    # Sending without a reason: the browser itself asks for one and nothing is sent.
    page.get_by_role("button", name="Send report").click()
    assert radios.first.evaluate("radio => !radio.validity.valid")
    assert not CommentReport.objects.exists()

    reasons.get_by_label("False or misleading").check()
    page.get_by_role("button", name="Send report").click()
    # The outcome is told at the comment the reader reported.
    outcome = page.locator(f"#c{comment.pk} .outcome")
    expect(outcome).to_contain_text("A moderator will look at the comment.")
    assert CommentReport.objects.get().reason == CommentReport.Reason.MISINFORMATION
    lines.append("sent without a reason: stopped in the browser; with one: recorded")
    report(artifacts, "report-form.txt", lines)
    assert not blocking, blocking
