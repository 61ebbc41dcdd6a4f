"""The editor's journey in a real browser: wire photo, story, sources, correction, publish."""

from playwright.sync_api import expect

from articles.models import Article
from articles.tests.factories import (
    image_upload,
    make_article,
    make_author,
    make_photo,
    make_section,
    make_staff,
    place_photo,
)
from imaging.tests.images import iptc_datasets, photo_bytes, with_iptc
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
from photos.models import Photo

pytestmark = BROWSER_TEST

HEADLINE = "Calder ferry timetable cut to two crossings a day"
CAPTION = (
    "Passengers queue for the 07:10 crossing at Calder pier on Monday, the last week of the "
    "full timetable. The operator says the cut saves fuel; islanders say it strands them."
)
CREDIT = "Calder Wire"
PHOTOGRAPHER = "Tomás Reyes"
ALT_TEXT = "A line of people with bags waits on a wooden pier beside a small white ferry."


def wire_photo():
    """A JPEG as a wire service sends it: caption, credit and photographer in IPTC, UTF-8."""
    iptc = iptc_datasets(
        {
            (2, 120): CAPTION.encode(),
            (2, 110): CREDIT.encode(),
            (2, 80): PHOTOGRAPHER.encode(),
        },
        utf8=True,
    )
    return with_iptc(photo_bytes(1200, 800, colour=(70, 110, 140)), iptc)


def choose(page, select_id, text):
    """Picks `text` in one of the admin's autocomplete (select2) boxes, as an editor does."""
    page.locator(f"#{select_id} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).click()
    expect(page.locator(f"#select2-{select_id}-container")).to_contain_text(text)


def test_editor_uploads_a_wire_photo_writes_cites_corrects_and_publishes(
    browser, live_server, artifacts
):
    editor = make_staff("Editors")
    make_section(name="Islands", slug="islands")
    make_author(name="Ines Okafor", slug="ines-okafor")
    for headline, section in (
        ("Harbour dues to rise in spring", "Business"),
        ("Island school gets its own bus", "Schools"),
    ):
        make_article(
            headline=headline,
            standfirst="An earlier story, so the home page has company for the new one.",
            section=make_section(name=section, slug=section.lower()),
        )
    found = [f"editor {editor.username} (Editors group) logs in to the desk"]

    desk = browser.new_page(viewport=DESKTOP)
    desk.set_default_timeout(10_000)
    log_in_to_desk(desk, live_server.url, editor.email, "desk-password-1")

    # The photo: only the file and the alt text are typed; the rest comes from IPTC.
    desk.goto(live_server.url + "/admin/photos/photo/add/")
    desk.locator("#id_image").set_input_files(
        {"name": "pier.jpg", "mimeType": "image/jpeg", "buffer": wire_photo()}
    )
    desk.get_by_label("Alt text").fill(ALT_TEXT)
    desk.get_by_role("button", name="Save and continue editing").click()
    message = desk.locator(".messagelist")
    for label in ("caption", "credit", "photographer"):
        expect(message).to_contain_text(label)
    expect(desk.locator("#id_caption")).to_have_value(CAPTION)
    expect(desk.locator("#id_credit")).to_have_value(CREDIT)
    expect(desk.locator("#id_photographer")).to_have_value(PHOTOGRAPHER)
    found.append(f"photo upload: {message.inner_text().strip()}")

    # The story, typed into the rich-text editor, with its photo, sources and correction.
    desk.goto(live_server.url + "/admin/articles/article/add/")
    desk.get_by_label("Kicker").fill("Transport")
    desk.get_by_label("Headline").fill(HEADLINE)
    desk.get_by_label("Standfirst").fill("Islanders say the new timetable strands them.")
    desk.locator(".ProseMirror[contenteditable=true]").click()
    desk.keyboard.type("The ferry to Calder will cross twice a day from May.[cite:1]")
    desk.keyboard.press("Enter")
    desk.keyboard.type("The operator blames the price of fuel.[cite:2]")
    choose(desk, "id_section", "Islands")
    choose(desk, "id_bylines-0-author", "Ines Okafor")
    choose(desk, "id_photo_placements-0-photo", "Passengers queue")
    desk.locator("#id_photo_placements-0-role").select_option("lead")
    for number, (outlet, title, url) in enumerate(
        [
            ("Calder Gazette", "Ferry cuts confirmed", "https://gazette.example.org/ferry"),
            ("Islands Council", "Minutes of 3 March", "https://council.example.org/minutes"),
        ]
    ):
        desk.get_by_role("button", name="Add another citation").click()
        desk.locator(f"#id_citations-{number}-outlet").fill(outlet)
        desk.locator(f"#id_citations-{number}-title").fill(title)
        desk.locator(f"#id_citations-{number}-url").fill(url)
    desk.get_by_role("button", name="Add another correction").click()
    correction = "An earlier version said the cut starts in April. It starts in May."
    desk.locator("#id_corrections-0-text").fill(correction)
    desk.get_by_role("button", name="Save", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("was added successfully")
    screenshot(desk, artifacts / "editor-story-saved.png")

    # Saved as a draft; publishing is the story list's action.
    story = Article.objects.get(headline=HEADLINE)
    assert story.status == Article.Status.DRAFT
    desk.locator("#result_list tr", has_text=HEADLINE).get_by_role("checkbox").check()
    desk.locator("select[name=action]").select_option(label="Publish selected stories now")
    desk.get_by_role("button", name="Go").click()
    expect(desk.locator(".messagelist")).to_contain_text("1 story published.")
    story.refresh_from_db()
    assert story.is_published
    photo = Photo.objects.get()
    assert (photo.caption, photo.credit, photo.photographer) == (CAPTION, CREDIT, PHOTOGRAPHER)
    assert story.photo_placements.get().photo == photo
    assert [c.outlet for c in story.citations.all()] == ["Calder Gazette", "Islands Council"]
    assert [c.text for c in story.corrections.all()] == [correction]
    found.append(
        f"published: “{story.headline}” at {story.get_absolute_url()}, status {story.status}, "
        f"{story.citations.count()} citations, {story.corrections.count()} correction, "
        f"body {story.body!r}"
    )

    # What a reader sees, logged out.
    reader = browser.new_context(viewport=DESKTOP)
    page = reader.new_page()
    page.goto(live_server.url + story.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    figure = page.locator("figure.photo").first
    expect(figure.locator("img")).to_have_attribute("alt", ALT_TEXT)
    expect(figure.locator(".caption")).to_have_text(CAPTION)
    expect(figure.locator(".credit")).to_have_text(CREDIT)
    sources = page.locator(".sources .source")
    expect(sources).to_have_count(2)
    expect(sources.nth(0)).to_contain_text("Calder Gazette, Ferry cuts confirmed")
    expect(sources.nth(1)).to_contain_text("Islands Council, Minutes of 3 March")
    expect(page.locator(".story__body sup.cite a")).to_have_count(2)
    expect(page.locator(".corrections")).to_contain_text(correction)
    expect(page.locator(".byline")).to_contain_text("Ines Okafor")
    found.append(
        f"reader sees: caption {figure.locator('.caption').inner_text()!r}, "
        f"credit {figure.locator('.credit').inner_text()!r}, "
        f"{sources.count()} sources, correction {correction!r}"
    )

    shots = []
    for name, viewport in (("desktop", DESKTOP), ("mobile-390", MOBILE)):
        page.set_viewport_size(viewport)
        for what, path in (("article", story.get_absolute_url()), ("home", "/")):
            page.goto(live_server.url + path)
            if what == "home":
                expect(page.locator("main")).to_contain_text(HEADLINE)
            shot = artifacts / f"{what}-{name}.png"
            screenshot(page, shot)
            shots.append(shot.name)
    found.append(f"screenshots: {', '.join(shots)}")
    reader.close()
    report(artifacts, "editor-journey.txt", found)


WIRE_CAPTION = (
    "KEELUNG, TAIWAN - MARCH 3: Dock workers unload containers from the Ever Given sister "
    "ship at the port of Keelung on March 3, 2026, in Keelung, Taiwan. Exports through the "
    "port rose for a third month as chip orders from Japan and the United States recovered, "
    "the port authority said on Monday."
)
WIRE_CREDIT = "Kevin Frayer/Getty Images"


def caption_box(page):
    """The caption's height, and whether the lines it holds overflow it (folded)."""
    return page.locator(".photo .caption").evaluate(
        "c => ({height: c.getBoundingClientRect().height, folded: c.scrollHeight > "
        "c.clientHeight + 1, lines: Math.round(c.getBoundingClientRect().height / "
        "parseFloat(getComputedStyle(c).lineHeight))})"
    )


def test_a_long_wire_caption_opens_folded_on_a_phone_and_whole_on_a_desktop(
    browser, live_server, artifacts
):
    story = make_article(headline="Keelung exports rise a third month")
    lead = make_photo(
        caption=WIRE_CAPTION,
        credit=WIRE_CREDIT,
        alt_text="Cranes lift containers off a ship at night.",
        image=image_upload(width=1200, height=800, colour=(90, 60, 40)),
    )
    place_photo(story, lead, role="lead")
    found = []
    for viewport in (MOBILE, DESKTOP):
        width = viewport["width"]
        page = axe_context(browser, viewport).new_page()
        page.goto(live_server.url + story.get_absolute_url())
        figure = page.locator("figure.photo")
        credit = figure.locator(".credit")
        toggle = figure.locator(".caption__toggle")
        expect(credit).to_have_text(WIRE_CREDIT)
        assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
        result = axe_check(page)
        blocking = [v["id"] for v in blocking_violations(result)]
        assert result["passed"] >= 20 and not blocking, result["violations"]
        shown = caption_box(page)
        if viewport is DESKTOP:
            assert not shown["folded"] and shown["lines"] >= 2
            expect(figure.locator(".caption__more")).to_be_hidden()
            found.append(f"{width}: caption whole in {shown['lines']} lines; axe {blocking}")
            screenshot(page, artifacts / f"caption-{width}.png")
            page.context.close()
            continue
        assert shown["folded"] and shown["lines"] == 4, shown
        expect(credit).to_be_visible()
        expect(figure.get_by_role("checkbox", name="more of the caption")).not_to_be_checked()
        screenshot(page, artifacts / f"caption-{width}-folded.png")
        figure.locator(".caption__more").click()
        expect(toggle).to_be_checked()
        opened = caption_box(page)
        assert not opened["folded"] and opened["lines"] > 4, opened
        expect(credit).to_be_visible()
        expect(figure.get_by_role("checkbox", name="less of the caption")).to_be_visible()
        assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
        found.append(
            f"{width}: caption folded to {shown['lines']} lines with a more box; opened "
            f"{opened['lines']} lines; credit visible throughout; axe {blocking}"
        )
        screenshot(page, artifacts / f"caption-{width}-opened.png")
        page.context.close()
    report(artifacts, "caption.txt", found)
