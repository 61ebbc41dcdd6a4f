"""The story form in Chromium, at a laptop's and a phone's width: nothing runs off the page,
the save bar stays in view, the counts follow the typing and photos are placed by paragraph."""

from playwright.sync_api import expect

from articles.models import Article
from articles.tests.factories import make_article, make_photo, make_staff, place_photo
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

pytestmark = BROWSER_TEST

# The caret at the very start of the body editor's first paragraph.
CARET_AT_START = """() => {
  const first = document.querySelector(".ProseMirror[contenteditable=true] > p");
  const caret = window.getSelection();
  return caret.isCollapsed && caret.anchorOffset === 0 && first.contains(caret.anchorNode)
    && first.textContent.startsWith(caret.anchorNode.textContent || first.textContent);
}"""


def long_story():
    """A story as long as a wire feature, with a lead photo and one in the body."""
    paragraphs = [
        f"<p>Paragraph {number} of the ferry story, which runs long enough to fill a screen "
        f"and then some, as wire features do.</p>"
        for number in range(1, 31)
    ]
    story = make_article(
        headline="Calder ferry timetable cut to two crossings a day",
        status=Article.Status.DRAFT,
        body="".join(paragraphs),
    )
    wire_caption = (
        "Passengers queue for the 07:10 crossing at Calder pier on Monday, the last week of "
        "the full timetable. The operator says the cut saves fuel; islanders say it strands "
        "them. (Photo by Tomás Reyes/Calder Wire)"
    )
    place_photo(story, make_photo(caption=wire_caption, credit="Calder Wire"), role="lead")
    place_photo(story, make_photo(caption="The ferry at the pier."), after_block=1)
    return story


def test_story_form_fits_keeps_its_save_bar_and_places_photos_by_paragraph(
    browser, live_server, artifacts
):
    editor = make_staff("Editors")
    story = long_story()
    inline = story.photo_placements.get(role="inline")
    headline, body = story.headline, story.body
    found = []
    for name, viewport in (("desktop", DESKTOP), ("mobile-390", MOBILE)):
        page = axe_context(browser, viewport).new_page()
        page.set_default_timeout(10_000)
        log_in_to_desk(page, live_server.url, editor.email, "desk-password-1")
        page.goto(live_server.url + f"/admin/articles/article/{story.pk}/change/")
        expect(page.locator(".ProseMirror[contenteditable=true]")).to_have_attribute(
            "spellcheck", "true"
        )

        overflow = page.evaluate(WIDER_THAN_WINDOW)
        assert overflow <= 0, f"at {name} the form is {overflow} px wider than the window"

        save_bar = page.locator(".submit-row")
        for where in ("document.scrollingElement.scrollHeight / 2", "0"):
            page.evaluate(f"window.scrollTo(0, {where})")
            expect(save_bar).to_be_in_viewport()
        page.evaluate("window.scrollTo(0, document.scrollingElement.scrollHeight)")
        expect(save_bar).to_be_in_viewport()

        expect(page.locator(".char-count__headline")).to_have_text(str(len(headline)))
        page.locator("#id_headline").fill("Ferry cut to two crossings")
        expect(page.locator(".char-count__headline")).to_have_text("26")
        expect(page.locator(".char-count__title")).to_have_text(str(26 + len(" · The Newsroom")))

        # A paragraph typed at the top of the body is offered at once, and the others move on.
        placement = page.locator(
            ".inline-related", has=page.locator(f"input[name$='-id'][value='{inline.pk}']")
        )
        place = placement.locator("select[data-paragraph-words]")
        # The end of the story, before its first paragraph, then its 30 paragraphs.
        expect(place.locator("option")).to_have_count(32)
        # Clicked at its first letter: the editor's own selection is there at once,
        # where a key moving the caret may reach the editor after the typing does.
        page.locator(".ProseMirror[contenteditable=true] > p").first.click(
            position={"x": 1, "y": 4}
        )
        page.wait_for_function(CARET_AT_START)
        page.keyboard.type("A new first paragraph")
        page.keyboard.press("Enter")
        expect(place.locator("option")).to_have_count(33)
        expect(place.locator("option").nth(1)).to_have_text("Before the first paragraph")
        expect(place.locator("option").nth(2)).to_have_text("After ¶1: A new first paragraph")

        chosen = place.locator("option", has_text="After ¶2:")
        place.select_option(value=chosen.get_attribute("value"))
        # The whole form, once both thumbnails have loaded (the admin's hidden icons never do).
        thumbnails = page.locator(".field-preview img")
        expect(thumbnails).to_have_count(2)
        for index in range(2):
            thumbnails.nth(index).scroll_into_view_if_needed()
        page.wait_for_function(
            "[...document.querySelectorAll('.field-preview img')].every(i => i.naturalWidth)"
        )
        page.screenshot(path=artifacts / f"story-form-{name}.png", full_page=True)

        result = axe_check(page)
        blocking = blocking_violations(result)
        found.append(
            f"{name}: {overflow} px past the window, axe {result['passed']} rules passed, "
            f"violations {[(v['id'], v['impact'], v['targets'][:3]) for v in result['violations']]}"
        )
        assert not blocking, blocking

        page.get_by_role("button", name="Save and continue editing").click()
        expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
        inline.refresh_from_db()
        story.refresh_from_db()
        assert inline.after_block == 2
        assert story.body.startswith("<p>A new first paragraph</p>")
        found.append(f"{name}: saved with the photo after paragraph {inline.after_block}")
        # The next width starts from the story as it was.
        story.headline, story.body = headline, body
        story.save()
        inline.after_block = 1
        inline.save()
        page.context.close()
    report(artifacts, "story-form.txt", found)
