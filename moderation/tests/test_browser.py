"""The workbench in a real browser (Debian's Chromium, driven by Playwright): a moderator
works the queue with the keyboard alone, at a phone's width and a desktop's."""

import pytest
from playwright.sync_api import expect

from articles.tests.factories import make_article
from discussion.models import CommentModeration, CommentReport
from discussion.services import set_reader_status
from discussion.tests.factories import add_comment, make_moderator, make_reader
from newsroom.tests.browser import (
    BROWSER_TEST,
    DESKTOP,
    MOBILE,
    axe_check,
    axe_context,
    blocking_violations,
    log_in_to_desk,
    report,
    screenshot,
)

pytestmark = BROWSER_TEST

PASSWORD = "moderating-is-fun-2026"

# Where the focused card, its text and its decision buttons are, and whether the
# page scrolls sideways.
LAYOUT = """() => {
  const card = document.activeElement.closest('[data-card]');
  const inside = (el) => {
    const r = el.getBoundingClientRect();
    return r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;
  };
  return {
    focused: card ? card.id : null,
    sideways: document.scrollingElement.scrollWidth > innerWidth,
    text: card ? inside(card.querySelector('.wb-text')) : false,
    buttons: card ? [...card.querySelectorAll('.wb-decide button, .wb-decide summary')]
      .filter((b) => b.checkVisibility())
      .map((b) => [b.textContent.trim(), inside(b)]) : [],
  };
}"""


def assert_card_on_screen(page, card_id, found, where):
    layout = page.evaluate(LAYOUT)
    assert layout["focused"] == card_id, layout
    assert not layout["sideways"], f"{where}: the page scrolls sideways"
    assert layout["text"], f"{where}: the comment text is off screen"
    off = [name for name, inside in layout["buttons"] if not inside]
    assert layout["buttons"] and not off, f"{where}: buttons off screen: {off}"
    found.append(f"{where}: {card_id} focused, text and {len(layout['buttons'])} buttons on screen")


def assert_accessible(page, where, found):
    results = axe_check(page)
    blocking = blocking_violations(results)
    assert results["passed"] > 10
    assert not blocking, f"{where}: {blocking}"
    found.append(f"{where}: axe passed {results['passed']} rules, no serious or critical issue")


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["390px", "1280px"])
def test_a_moderator_works_the_queue_with_the_keyboard_alone(
    browser, live_server, artifacts, viewport
):
    width = viewport["width"]
    story = make_article(headline="Harbour dredging resumes after the storm")
    moderator = make_moderator()
    moderator.set_password(PASSWORD)
    moderator.save()
    spammer = make_reader(display_name="Cheap watches")
    newcomer = make_reader(display_name="First timer")
    regular = make_reader(display_name="Quay regular", status="premoderated")
    set_reader_status(
        reader=regular.reader,
        status="trusted",
        reason="Appealed; years of good comments.",
        by=moderator,
    )
    # Pending, newest first: the spam is on top, the newcomer's comment below it.
    to_approve = add_comment(story, newcomer, "The dredger worked through the night again.")
    to_reject = add_comment(story, spammer, "Buy cheap watches at example.com today!")
    reported = add_comment(story, regular, "The harbour master has been wrong all year.")
    CommentReport.objects.create(
        comment=reported,
        reporter=make_reader(display_name="Careful reader"),
        reason="abuse",
        note="Personal attack on the harbour master",
    )
    found = [f"at {width} px"]

    context = axe_context(browser, viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in_to_desk(page, live_server.url, moderator.email, PASSWORD)
    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Workbench").first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Moderation workbench")).to_be_visible()
    assert_accessible(page, "pending tab", found)

    # j: the first card; its text and buttons are on screen together.
    page.keyboard.press("j")
    assert_card_on_screen(page, f"card-{to_reject.pk}", found, "first card")
    page.keyboard.press("j")
    assert_card_on_screen(page, f"card-{to_approve.pk}", found, "second card")
    screenshot(page, artifacts / f"workbench-pending-{width}.png")

    # a: approved without a page load; the card goes and the count follows.
    page.keyboard.press("a")
    expect(page.locator(f"#card-{to_approve.pk}")).to_have_count(0)
    expect(page.locator("[data-status]")).to_contain_text("it is on the story now")
    expect(page.locator('[data-count="pending"]')).to_have_text("1")
    assert CommentModeration.objects.get(comment=to_approve).state == "published"
    found.append("a: approved the newcomer's comment; the card left, Pending shows 1")

    # k back to the spam; r focuses the reason, the arrow picks one, Enter sends.
    page.keyboard.press("k")
    page.keyboard.press("r")
    expect(page.locator(f"#id_reason_{to_reject.pk}")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator(f"#card-{to_reject.pk}")).to_have_count(0)
    expect(page.locator("[data-status]")).to_contain_text("Abusive or hateful.")
    moderation = CommentModeration.objects.get(comment=to_reject)
    assert (moderation.state, moderation.reason) == ("removed", "Abusive or hateful.")
    found.append("r, ↓, Enter: rejected the spam with “Abusive or hateful.”")

    # ? lists the shortcuts; Esc closes the list.
    page.keyboard.press("?")
    expect(page.locator("#wb-shortcuts")).to_be_visible()
    assert_accessible(page, "shortcut list", found)
    page.keyboard.press("Escape")
    expect(page.locator("#wb-shortcuts")).to_be_hidden()

    # 2: the Reported tab; the report's reason, note and reporter are on the card.
    page.keyboard.press("2")
    expect(page.locator(".wb-tabs [aria-current=page]")).to_contain_text("Reported")
    page.keyboard.press("j")
    card = page.locator(f"#card-{reported.pk}")
    assert_card_on_screen(page, f"card-{reported.pk}", found, "reported card")
    expect(card.locator(".wb-reports")).to_contain_text(
        "Abusive or hateful: “Personal attack on the harbour master” — Careful reader"
    )
    found.append("read the report: " + card.locator(".wb-reports").inner_text().strip())

    # Keys typed into a field are text, not shortcuts; Esc leaves the field for the card.
    page.keyboard.press("r")
    page.keyboard.press("Tab")
    expect(page.locator(f"#id_own_words_{reported.pk}")).to_be_focused()
    page.keyboard.type("a fake jam")
    expect(page.locator(f"#id_own_words_{reported.pk}")).to_have_value("a fake jam")
    page.keyboard.press("Escape")
    expect(card).to_be_focused()
    moderation = CommentModeration.objects.get(comment=reported)
    assert moderation.featured_at is None and moderation.decided_by is None
    found.append("typed “a fake jam” into the reason: no shortcut fired; Esc back to the card")

    # o: the author's record in a panel, with the history; Esc closes it.
    page.keyboard.press("o")
    panel = page.locator("#wb-panel")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Appealed; years of good comments.")
    expect(panel).to_contain_text("Always reviewed → Trusted")
    screenshot(page, artifacts / f"workbench-author-{width}.png")
    assert_accessible(page, "author panel", found)
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    expect(card).to_be_focused()
    found.append("o: the author's history showed the appeal; Esc closed it")

    # f: featured; the card stays (still reported) and says so.
    page.keyboard.press("f")
    expect(page.locator(f"#card-{reported.pk} .wb-state")).to_contain_text("Featured")
    assert CommentModeration.objects.get(comment=reported).featured_at is not None
    assert_card_on_screen(page, f"card-{reported.pk}", found, "featured card")
    screenshot(page, artifacts / f"workbench-reported-{width}.png")
    found.append("f: featured the reported comment among the Editors' picks")
    report(artifacts, f"workbench-keyboard-{width}.txt", found)
    context.close()


def test_without_scripts_every_decision_is_a_plain_form(browser, live_server, artifacts):
    story = make_article()
    moderator = make_moderator()
    moderator.set_password(PASSWORD)
    moderator.save()
    held = add_comment(story, make_reader(display_name="No script"), "Read without scripts.")
    context = browser.new_context(viewport=MOBILE, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in_to_desk(page, live_server.url, moderator.email, PASSWORD)
    page.goto(live_server.url + "/admin/moderation/")
    page.locator(f"#card-{held.pk}").get_by_role("link", name="Author's record").click()
    expect(page.get_by_role("heading", name="No script")).to_be_visible()
    page.go_back()
    page.locator(f"#card-{held.pk}").get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text("it is on the story now")
    assert CommentModeration.objects.get(comment=held).state == "published"
    screenshot(page, artifacts / "workbench-no-script.png")
    context.close()
