"""The photo desk's uploader in Chromium: several files dropped or chosen, each with its own
progress and its own error; and the same form without JavaScript."""

import base64

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from imaging.tests.images import photo_bytes, wire_file
from newsroom.tests.browser import (
    BROWSER_TEST,
    DESKTOP,
    MOBILE,
    axe_check,
    axe_context,
    blocking_violations,
    report,
)
from photos.models import Photo

pytestmark = BROWSER_TEST

UPLOAD = "/admin/photos/photo/upload/"
# Each row's states in the order the page showed them (as read when the observer runs,
# so a state that lasted less than a task may be missed).
WATCH_STATES = """() => {
  window.seenStates = {};
  new MutationObserver(changes => changes.forEach(change => {
    const name = change.target.querySelector('strong').textContent;
    (window.seenStates[name] = window.seenStates[name] || []).push(change.target.dataset.state);
  })).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['data-state']});
}"""
# A drop as the browser fires it when files are dragged from the desktop onto the zone.
DROP = """files => {
  const transfer = new DataTransfer();
  for (const file of files) {
    const bytes = Uint8Array.from(atob(file.data), c => c.charCodeAt(0));
    transfer.items.add(new File([bytes], file.name, {type: 'image/jpeg'}));
  }
  const zone = document.querySelector('.uploader-drop');
  const event = {dataTransfer: transfer, bubbles: true, cancelable: true};
  zone.dispatchEvent(new DragEvent('dragover', event));
  zone.dispatchEvent(new DragEvent('drop', event));
}"""


def three_files():
    """Two photos (one a wire photo with its own credit) and a text file named like a photo."""
    return [
        ("ferry.jpg", wire_file("ferry.jpg").read()),
        ("harbour.jpg", photo_bytes(1200, 800)),
        ("notes.jpg", b"Meeting notes, not a photo."),
    ]


def logged_in_context(browser, live_server, django_user_model, viewport, **options):
    """A browser context with a desk session (the login itself is tested elsewhere)."""
    user = django_user_model.objects.create_superuser("photo-desk", "p@example.org", "pw")
    client = Client()
    client.force_login(user)
    context = axe_context(browser, viewport, **options)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    return context


@pytest.mark.parametrize(
    ("viewport", "how"), [(DESKTOP, "drop"), (MOBILE, "choose")], ids=["1280", "390"]
)
def test_each_file_shows_its_own_progress_then_its_photo_or_its_error(
    browser, live_server, django_user_model, artifacts, viewport, how
):
    context = logged_in_context(browser, live_server, django_user_model, viewport)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(live_server.url + UPLOAD)
    expect(page.get_by_text("Drop photos here, or choose them")).to_be_visible()
    expect(page.get_by_role("button", name="Upload")).to_be_hidden()
    page.get_by_label("Credit").fill("Staff photo")
    page.evaluate(WATCH_STATES)
    files = three_files()
    if how == "drop":
        page.evaluate(DROP, [{"name": n, "data": base64.b64encode(d).decode()} for n, d in files])
    else:
        page.locator("#id_files").set_input_files(
            [{"name": n, "mimeType": "image/jpeg", "buffer": d} for n, d in files]
        )

    rows = page.locator(".uploader-list li")
    expect(rows).to_have_count(3)
    ferry, harbour, notes = (rows.filter(has_text=name) for name, _ in files)
    for row in (ferry, harbour):
        expect(row).to_have_attribute("data-state", "ready")
        # The full progress bar gives way to the photo's thumbnail.
        expect(row.locator("img")).to_be_visible()
    expect(notes).to_have_attribute("data-state", "failed")
    expect(notes).to_contain_text("Not added: This file is not an image")
    expect(notes.locator("progress")).to_be_hidden()
    ferry_photo = Photo.objects.get(caption="Ferry at Pier 4, Monday.")
    link = ferry.get_by_role("link", name=str(ferry_photo))
    expect(link).to_have_attribute("href", f"/admin/photos/photo/{ferry_photo.pk}/change/")
    assert sorted(Photo.objects.values_list("credit", flat=True)) == [
        "AP Photo/Ana Ruiz",
        "Staff photo",
    ]
    seen = page.evaluate("window.seenStates")
    for name in ("ferry.jpg", "harbour.jpg"):
        assert "uploading" in seen[name] and seen[name][-1] == "ready", seen
    assert "uploading" in seen["notes.jpg"] and seen["notes.jpg"][-1] == "failed", seen

    width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth).map(e => e.tagName + '.' + e.className + '#' + e.id + ' '"
        " + Math.round(e.getBoundingClientRect().right))"
    )
    assert width[0] <= width[1], f"{width[0]} px wide in a {width[1]} px window: {wide}"
    results = axe_check(page)
    blocking = blocking_violations(results)
    assert results["passed"] > 10 and not blocking, blocking
    page.screenshot(path=artifacts / f"uploads-{viewport['width']}.png", full_page=True)
    report(
        artifacts,
        f"uploads-{viewport['width']}.txt",
        [f"{name}: {' → '.join(states)}" for name, states in sorted(seen.items())],
    )
    context.close()


def test_without_javascript_the_form_posts_every_file_and_names_the_bad_one(
    browser, live_server, django_user_model, artifacts
):
    context = logged_in_context(
        browser, live_server, django_user_model, DESKTOP, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live_server.url + UPLOAD)
    page.get_by_label("Credit").fill("Staff photo")
    page.locator("#id_files").set_input_files(
        [{"name": n, "mimeType": "image/jpeg", "buffer": d} for n, d in three_files()]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".errornote")).to_contain_text(
        "1 file could not be added; the others were."
    )
    expect(page.locator(".errornote")).to_contain_text("notes.jpg: This file is not an image")
    assert Photo.objects.count() == 2
    page.screenshot(path=artifacts / "uploads-no-javascript.png", full_page=True)
    context.close()
