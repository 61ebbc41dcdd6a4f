"""The reader and moderator journeys in a real browser (Debian's Chromium, driven by Playwright)."""

import re

from django_comments_xtd.models import XtdComment
from playwright.sync_api import expect

from articles.tests.factories import make_article
from discussion.models import CommentModeration
from discussion.tests.factories import add_comment, make_moderator, make_reader
from newsroom.tests.browser import (
    BROWSER_TEST,
    DESKTOP,
    log_in,
    log_in_to_desk,
    make_discussed_story,
    report,
    screenshot,
    sign_up,
)

pytestmark = BROWSER_TEST

EMAIL, PASSWORD = "mei@example.org", "night-shift-cranes-6"
COMMENT = "Four people on a night lift is not enough."
REPLY = "Buy a pair of ear defenders and stop complaining."


def test_reader_signs_up_comments_replies_and_a_moderator_approves_and_rejects(
    browser, live_server, artifacts
):
    article = make_article(headline="Port Calder stoppage enters second day")
    story_url = live_server.url + article.get_absolute_url()
    neighbour = make_reader(display_name="Quayside neighbour", status="trusted")
    earlier = add_comment(article, neighbour, "The cranes kept us awake all week.")
    moderator = make_moderator()
    moderator.set_password("moderating-is-fun-2026")
    moderator.save()
    found = []

    reader = browser.new_page(viewport=DESKTOP)
    reader.set_default_timeout(10_000)
    reader.goto(story_url)
    reader.get_by_role("link", name="create an account").click()
    confirm_path = sign_up(reader, email=EMAIL, display_name="Mei on the quay", password=PASSWORD)
    reader.goto(live_server.url + confirm_path)
    reader.get_by_role("button", name="Confirm").click()
    found.append(f"signed up {EMAIL}, confirmed by the emailed link {confirm_path}")
    log_in(reader, live_server.url, EMAIL, PASSWORD)

    # A first comment waits for a moderator, and so does everything until one is approved.
    reader.goto(story_url)
    reader.get_by_label("Your comment").fill(COMMENT)
    reader.get_by_role("button", name="Post comment").click()
    expect(reader.locator(".comment--pending .outcome")).to_contain_text("waiting for a moderator")
    reader.locator(f"#c{earlier.pk}").get_by_role("link", name="Reply").click()
    expect(reader.locator(".comment-form__reply")).to_contain_text("Quayside neighbour")
    reader.get_by_label("Your comment").fill(REPLY)
    reader.get_by_role("button", name="Post comment").click()
    expect(reader.locator(".comment--pending .outcome")).to_contain_text("waiting for a moderator")
    expect(reader.locator(".comment--pending")).to_have_count(2)
    screenshot(reader, artifacts / "comments-held.png")
    comment, reply = XtdComment.objects.filter(user__email=EMAIL).order_by("pk")
    assert (comment.comment, comment.parent_id) == (COMMENT, comment.pk)
    assert (reply.comment, reply.parent_id) == (REPLY, earlier.pk)
    found.append(
        f"posted comment #{comment.pk} ({comment.moderation.state}: {comment.moderation.reason}) "
        f"and reply #{reply.pk} to #{reply.parent_id} ({reply.moderation.state})"
    )

    desk = browser.new_page(viewport=DESKTOP)
    desk.set_default_timeout(10_000)
    log_in_to_desk(desk, live_server.url, moderator.email, "moderating-is-fun-2026")
    desk.goto(live_server.url + "/admin/django_comments_xtd/xtdcomment/")
    queue = desk.locator("#result_list tbody tr")
    expect(queue.first).to_contain_text(REPLY)
    screenshot(desk, artifacts / "moderation-queue.png")
    queue.filter(has_text=COMMENT).get_by_role("button", name="Approve").click()
    expect(desk.locator(".messagelist")).to_contain_text("it is on the story now")
    row = queue.filter(has_text=REPLY)
    row.get_by_label("Reason").select_option("Abusive or hateful.")
    row.get_by_role("button", name="Reject").click()
    expect(desk.locator(".messagelist")).to_contain_text(
        "Rejected the comment by Mei on the quay: Abusive or hateful."
    )
    states = {
        m.comment_id: (m.state, m.reason, m.decided_by)
        for m in CommentModeration.objects.filter(comment__in=[comment, reply])
    }
    assert states[comment.pk][0] == CommentModeration.State.PUBLISHED
    assert states[reply.pk] == (CommentModeration.State.REMOVED, "Abusive or hateful.", moderator)
    found.append(f"moderator decided: {states}")

    anonymous = browser.new_page(viewport=DESKTOP)
    anonymous.goto(story_url)
    shown = anonymous.locator(f"#c{comment.pk}")
    expect(shown).to_contain_text(COMMENT)
    expect(shown).to_contain_text("Mei on the quay")
    expect(anonymous.locator(".comments")).not_to_contain_text(REPLY)
    screenshot(anonymous, artifacts / "article-with-comments.png")

    reader.goto(live_server.url + "/accounts/comments/")
    expect(reader.locator(".my-comment--removed")).to_contain_text("Abusive or hateful.")
    expect(reader.locator(".my-comment--published")).to_contain_text(COMMENT)
    found.append(
        f"anonymous reader sees {anonymous.locator('.comment').count()} comments, not the "
        "rejected reply; the author's “My comments” shows it removed with the reason"
    )
    report(artifacts, "reader-journey.txt", found)


# Reads what has focus; the tests move it only with the keyboard.
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, text: el.textContent.trim().slice(0, 40),
    type: el.type || '', form: el.form ? el.form.id : (el.closest('form') || {}).id || '',
    comment: (el.closest('li.comment') || {}).id || '',
    visible: el.matches(':focus-visible'),
    hidden: el.getClientRects().length === 0 || !!el.closest('[aria-hidden="true"]'),
    outline: style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth),
    inViewport: (r => r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight)(
      el.getBoundingClientRect()),
  };
}"""


def tab_to(page, wanted, steps, *, key="Tab", limit=120):
    """Presses Tab (or Shift+Tab) until the focused element passes `wanted`; logs the presses.

    Every stop on the way must show its focus, and none may be invisible or
    hidden from assistive technology.
    """
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        assert not focused["hidden"], f"{key} stopped on a hidden element: {focused}"
        assert focused["visible"] and focused["outline"] >= 2, f"focus not visible: {focused}"
        if wanted(focused):
            steps.append(f"{key} ×{presses} → <{focused['tag']}> {focused['text']!r}")
            return focused
    raise AssertionError(f"nothing wanted reached in {limit} presses of {key}")


def write_and_post(page, text, steps):
    """Tabs to the comment box, types, tabs to the form's button and presses Enter."""
    tab_to(page, lambda f: f["id"] == "id_comment", steps)
    page.keyboard.type(text)
    tab_to(page, lambda f: f["type"] == "submit" and f["form"] == "comment-form", steps)
    page.keyboard.press("Enter")


def test_a_reader_comments_and_replies_with_the_keyboard_alone(browser, live_server, artifacts):
    story = make_discussed_story()
    thread = XtdComment.objects.get(comment="Who pays the crews while they are out?")
    reader = make_reader(display_name="Keys only", email="keys@example.org", status="trusted")
    page = browser.new_page(viewport=DESKTOP)
    page.set_default_timeout(10_000)
    log_in(page, live_server.url, reader.email, "a-long-passphrase")
    page.goto(live_server.url + story.get_absolute_url())
    steps = []

    # The first stop is the skip link, shown on focus; it jumps past the masthead.
    skip = tab_to(page, lambda f: f["text"] == "Skip to content", steps, limit=1)
    assert skip["inViewport"], "the skip link stays off screen when focused"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))

    write_and_post(page, "Typed without a mouse: the crews deserve a straight answer.", steps)
    posted = page.locator(".comment", has_text="Typed without a mouse")
    expect(posted).to_be_visible()
    comment = XtdComment.objects.get(user=reader)
    assert comment.parent_id == comment.pk, "a new comment starts its own thread"

    # From the new comment, back up to the Reply link of the thread above it.
    tab_to(
        page,
        lambda f: f["text"] == "Reply" and f["comment"] == f"c{thread.pk}",
        steps,
        key="Shift+Tab",
    )
    page.keyboard.press("Enter")
    expect(page.locator(".comment-form__reply")).to_contain_text("Quayside neighbour")
    write_and_post(page, "And who covers the night lifts meanwhile?", steps)
    reply_shown = page.locator(".comment--depth-1", has_text="who covers the night lifts")
    expect(reply_shown).to_be_visible()
    screenshot(page, artifacts / "keyboard-reply.png")

    reply = XtdComment.objects.filter(user=reader).exclude(pk=comment.pk).get()
    assert (reply.parent_id, reply.level) == (thread.pk, 1)
    steps.append(
        f"stored: comment #{comment.pk} (own thread) and reply #{reply.pk} to #{reply.parent_id}"
    )
    report(artifacts, "keyboard-journey.txt", steps)
