"""Steps and data the browser tests share: logging in, signing up, a discussed story, axe-core.

The tests drive Debian's Chromium through Playwright (the `browser` fixture in
the root conftest) against pytest-django's live server.
"""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from articles.tests.factories import (
    image_upload,
    make_article,
    make_citation,
    make_correction,
    make_photo,
    make_section,
    place_photo,
)
from discussion.tests.factories import add_comment, make_reader
from newsroom.tests.services import require_path

# A live server needs real commits; serialized rollback restores the rows that
# migrations create (the role groups, the site) for the tests that follow.
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# What axe reports per violation: enough to find the element and the rule's explanation;
# and how many rules passed, which shows axe really looked at a page.
AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return {
    passed: results.passes.length,
    violations: results.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.map(n => n.target.join(' ')),
    })),
  };
}"""
BLOCKING_IMPACTS = {"serious", "critical"}
# How far the page runs past the window's right edge (≤ 0: no sideways scrolling).
WIDER_THAN_WINDOW = "document.scrollingElement.scrollWidth - window.innerWidth"


def log_in(page, base_url, email, password):
    """A reader logs in through the site's own form and lands signed in."""
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Log out")).to_be_visible()


def log_in_to_desk(page, base_url, email, password):
    """A staff member logs in to the admin (the desk), through allauth's login."""
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_be_visible()


def sign_up(page, *, email, display_name, password):
    """Fills the sign-up form on the current page; returns the path of the emailed link."""
    sent = len(mail.outbox)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Display name").fill(display_name)
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Verify your email address")).to_be_visible()
    assert len(mail.outbox) == sent + 1, "the sign-up sent no confirmation email"
    message = mail.outbox[-1]
    assert message.to == [email]
    return re.search(r"/accounts/confirm-email/\S+/", message.body).group(0)


def make_discussed_story(*, headline="Night shift at the Port Calder cranes"):
    """A published story with everything a story page can show.

    A lead photo with caption and credit, two cited sources, a correction, and a
    discussion: a comment, a reply to it, and a second thread.
    """
    section = make_section(name="Harbour", slug="harbour", description="The port and its people.")
    story = make_article(
        headline=headline,
        kicker="Report",
        standfirst="Crane crews say four people cannot run a night lift safely.",
        dateline="PORT CALDER",
        section=section,
        body="<p>Crane crews walked off the night shift on Tuesday.[cite:1]</p>"
        "<p>The port authority said rosters would be reviewed.[cite:2]</p>",
    )
    photo = make_photo(
        caption="A crane operator climbs to the cab of a ship-to-shore crane at the east quay "
        "before the night shift, Port Calder, Tuesday.",
        credit="Lena Marsh/Calder Wire",
        alt_text="A worker climbs a ladder on the leg of a tall harbour crane at dusk.",
        image=image_upload(width=1200, height=800, colour=(40, 70, 110)),
    )
    place_photo(story, photo, role="lead")
    make_citation(story, outlet="Calder Gazette", title="Crane crews walk out")
    make_citation(story, outlet="Port Authority", title="Statement on night rosters")
    make_correction(story, text="An earlier version gave the wrong quay. It was the east quay.")
    docker = make_reader(display_name="Harbour pilot", status="trusted")
    neighbour = make_reader(display_name="Quayside neighbour", status="trusted")
    first = add_comment(story, docker, "Four on a night lift was never enough.")
    add_comment(story, neighbour, "The noise has stopped at least.", parent=first)
    add_comment(story, neighbour, "Who pays the crews while they are out?")
    story.refresh_from_db()
    return story


def axe_context(browser, viewport, **options):
    """A browser context in which axe-core can be injected into our pages.

    Our Content-Security-Policy allows no scripts but the site's own, which is
    exactly what stops an injected script; bypass_csp lets axe in without
    weakening the policy the site sends.
    """
    require_path(AXE, "axe-core: `make test` installs it with npm ci")
    return browser.new_context(viewport=viewport, bypass_csp=True, **options)


def axe_check(page):
    """axe-core on the page as it is now: rules passed, and each violation's id, impact,
    help and element selectors."""
    page.add_script_tag(path=AXE)
    return page.evaluate(AXE_RUN)


def blocking_violations(result) -> list[dict]:
    """The violations of an axe_check result a page must not have: serious or critical."""
    return [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]


def screenshot(page, path):
    """A full-page screenshot once every photo has loaded; a photo that fails to load fails.

    Photos below the fold load lazily, so each is scrolled into view first, as a
    reader scrolling down would.
    """
    page.wait_for_load_state()
    images = page.locator("img")
    for index in range(images.count()):
        images.nth(index).scroll_into_view_if_needed()
    page.wait_for_function("[...document.images].every(img => img.complete)")
    broken = page.evaluate(
        "[...document.images].filter(img => !img.naturalWidth).map(img => img.currentSrc)"
    )
    assert not broken, f"photos that did not load on {page.url}: {broken}"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=path, full_page=True)


def report(artifacts, name, lines):
    """Prints what a test tried and found, and keeps it as a file beside the screenshots."""
    text = "\n".join(lines)
    print(text)
    (artifacts / name).write_text(text + "\n")
