"""Issue 18's editor journey in Chromium, at a laptop's and a phone's width: two wire photos
dropped on the uploader, a story with a quoted person, the photos placed by paragraph,
published, and the Edit link on the live page back to the desk."""

import base64

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.tests.factories import make_author, make_section, make_staff
from articles.tests.test_browser import choose, wire_photo
from imaging.tests.images import iptc_datasets, photo_bytes, with_iptc
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
)
from photos.models import Photo
from photos.tests.test_browser import DROP

pytestmark = BROWSER_TEST

HEADLINE = "Japan to limit facial recognition in public places"
PARAGRAPHS = [
    "Japan will limit the use of facial recognition cameras in stations and shops.",
    "The trade minister said the rules would protect shoppers without stopping trade.",
    "Retailers have until April to show how they store the images.",
]


def second_wire_photo():
    iptc = iptc_datasets(
        {
            (2, 120): b"Commuters pass a camera at the gates of a Tokyo station on Monday.",
            (2, 110): b"Tokyo Wire",
        },
        utf8=True,
    )
    return with_iptc(photo_bytes(1200, 800, colour=(140, 90, 60)), iptc)


def document_overflow(page):
    return page.evaluate(WIDER_THAN_WINDOW)


def check_desk_page(page, name, viewport, found, *, axe=False):
    """At 1280 px no desk page of the journey is wider than the window; axe where asked."""
    if viewport == DESKTOP:
        overflow = document_overflow(page)
        assert overflow <= 0, f"{name} is {overflow} px wider than the window"
    if axe:
        results = axe_check(page)
        blocking = [v["id"] for v in blocking_violations(results)]
        assert not blocking, f"{name}: {blocking}"
    fits = "no wider than the window" if viewport == DESKTOP else "width not asserted"
    found.append(f"{name} at {viewport['width']} px: {fits}; axe {'clean' if axe else 'not run'}")


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1280", "390"])
def test_an_editor_uploads_writes_places_publishes_and_comes_back_to_edit(
    browser, live_server, artifacts, viewport
):
    editor = make_staff("Editors", first_name="Lin", last_name="Mei")
    make_section(name="Asia", slug="asia")
    make_author(name="Aiko Tanaka", slug="aiko-tanaka")
    found = [f"viewport {viewport['width']} px"]
    width = viewport["width"]

    context = axe_context(browser, viewport)
    desk = context.new_page()
    desk.set_default_timeout(20_000)
    log_in_to_desk(desk, live_server.url, editor.email, "desk-password-1")
    expect(desk.locator(".messagelist")).to_contain_text("Lin Mei")
    check_desk_page(desk, "dashboard", viewport, found, axe=True)

    # Two wire photos dropped on the uploader at once, captions and credits from their IPTC.
    desk.goto(live_server.url + "/admin/photos/photo/upload/")
    desk.get_by_label("Credit").fill("Staff photo")
    files = [("pier.jpg", wire_photo()), ("station.jpg", second_wire_photo())]
    desk.evaluate(DROP, [{"name": n, "data": base64.b64encode(d).decode()} for n, d in files])
    rows = desk.locator(".uploader-list li")
    expect(rows).to_have_count(2)
    for index in range(2):
        expect(rows.nth(index)).to_have_attribute("data-state", "ready")
    check_desk_page(desk, "uploader", viewport, found)
    desk.screenshot(path=artifacts / f"journey-uploads-{width}.png", full_page=True)
    wire, plain = Photo.objects.order_by("pk")
    assert (wire.credit, plain.credit) == ("Calder Wire", "Tokyo Wire")
    found.append(f"uploaded: {wire.caption[:40]!r}, {plain.caption[:40]!r}")
    # A story with photos is published only once each photo says what it shows.
    for photo, alt in (
        (wire, "A line of people with bags waits on a pier beside a small ferry."),
        (plain, "People walk through ticket gates under a ceiling camera."),
    ):
        desk.goto(live_server.url + f"/admin/photos/photo/{photo.pk}/change/")
        desk.get_by_label("Alt text").fill(alt)
        desk.get_by_role("button", name="Save", exact=True).click()
        expect(desk.locator(".messagelist")).to_contain_text("was changed successfully")

    # The story, with the person a source quotes and both photos placed by paragraph.
    desk.goto(live_server.url + "/admin/articles/article/add/")
    desk.get_by_label("Headline").fill(HEADLINE)
    expect(desk.locator(".char-count__headline")).to_have_text(str(len(HEADLINE)))
    desk.get_by_label("Standfirst").fill("Shops and stations get rules for the cameras.")
    desk.locator(".ProseMirror[contenteditable=true]").click()
    for number, paragraph in enumerate(PARAGRAPHS):
        if number:
            desk.keyboard.press("Enter")
        desk.keyboard.type(paragraph + ("[cite:1]" if number == 1 else ""))
    choose(desk, "id_section", "Asia")
    choose(desk, "id_bylines-0-author", "Aiko Tanaka")
    choose(desk, "id_photo_placements-0-photo", "Passengers queue")
    desk.locator("#id_photo_placements-0-role").select_option("lead")
    desk.get_by_role("button", name="Add another photo placement").click()
    choose(desk, "id_photo_placements-1-photo", "Commuters pass")
    desk.locator("#id_photo_placements-1-role").select_option("inline")
    place = desk.locator("#id_photo_placements-1-after_block")
    place.select_option(value=place.locator("option", has_text="After ¶2:").get_attribute("value"))
    desk.get_by_role("button", name="Add another citation").click()
    for field, value in (
        ("outlet", "Nikkei Asia"),
        ("title", "Japan to curb facial recognition"),
        ("url", "https://asia.nikkei.example/facial-recognition"),
        ("person", "Koichi Hagiuda"),
        ("person_role", "Japan's trade minister"),
    ):
        desk.locator(f"#id_citations-0-{field}").fill(value)
    check_desk_page(desk, "story form", viewport, found, axe=True)
    desk.screenshot(path=artifacts / f"journey-story-form-{width}.png", full_page=True)
    desk.get_by_role("button", name="Save", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("was added successfully")
    check_desk_page(desk, "story list", viewport, found, axe=True)

    desk.locator("#result_list tr", has_text=HEADLINE).get_by_role("checkbox").check()
    desk.locator("select[name=action]").select_option(label="Publish selected stories now")
    desk.get_by_role("button", name="Go").click()
    expect(desk.locator(".messagelist")).to_contain_text("1 story published.")
    story = Article.objects.get(headline=HEADLINE)
    assert story.is_published
    placements = {p.photo_id: p for p in story.photo_placements.all()}
    assert placements[wire.pk].role == "lead"
    assert placements[plain.pk].after_block == 2
    citation = story.citations.get()
    assert (citation.person, citation.person_role) == ("Koichi Hagiuda", "Japan's trade minister")

    # The live page, in the editor's browser: the quoted person, and the way back to the desk.
    desk.goto(live_server.url + story.get_absolute_url())
    expect(desk.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    expect(desk.locator(".sources .source").first).to_contain_text(
        "Koichi Hagiuda, Japan's trade minister"
    )
    after_second = desk.locator(".story__body > p").nth(1).locator("xpath=following-sibling::*[1]")
    expect(after_second.locator("figcaption")).to_contain_text("Commuters pass a camera")
    desk.get_by_role("link", name="Edit this story").click()
    expect(desk.get_by_label("Headline")).to_have_value(HEADLINE)
    assert f"/admin/articles/article/{story.pk}/change/" in desk.url
    desk.screenshot(path=artifacts / f"journey-back-to-edit-{width}.png", full_page=True)
    found.append(f"published {story.get_absolute_url()} and came back to {desk.url}")
    context.close()
    report(artifacts, f"journey-{width}.txt", found)
