"""axe-core on the public pages, in Chromium, at desktop and phone widths.

Every violation axe finds is printed and kept in test-artifacts/accessibility.txt;
serious and critical ones fail the test.
"""

from discussion.tests.factories import make_reader
from newsroom.tests.browser import (
    BLOCKING_IMPACTS,
    BROWSER_TEST,
    DESKTOP,
    MOBILE,
    axe_check,
    axe_context,
    log_in,
    make_discussed_story,
    report,
)

pytestmark = BROWSER_TEST


def test_public_pages_have_no_serious_or_critical_violations(browser, live_server, artifacts):
    anonymous = axe_context(browser, DESKTOP).new_page()
    signed_in = axe_context(browser, DESKTOP).new_page()
    story = make_discussed_story()
    reader = make_reader(display_name="Mei on the quay", email="mei@example.org")
    pages = [
        ("home", "anonymous", "/"),
        ("section", "anonymous", story.section.get_absolute_url()),
        ("article", "anonymous", story.get_absolute_url()),
        ("article with the comment form", "reader", story.get_absolute_url()),
        ("search results", "anonymous", "/search/?q=crane"),
        ("log in", "anonymous", "/accounts/login/"),
        ("sign up", "anonymous", "/accounts/signup/"),
    ]
    log_in(signed_in, live_server.url, reader.email, "a-long-passphrase")
    visitors = {"anonymous": anonymous, "reader": signed_in}
    lines, blocking = [], []
    for width, viewport in (("desktop 1280", DESKTOP), ("mobile 390", MOBILE)):
        for name, who, path in pages:
            page = visitors[who]
            page.set_viewport_size(viewport)
            page.goto(live_server.url + path)
            assert page.locator("main").count() == 1, f"{path} has no main landmark"
            if name.startswith("article"):
                # The page under test must be the full story, not an error or a log-in page.
                assert page.locator(".comment").count() == 3
                assert page.locator("#comment-form").count() == (who == "reader")
            if name == "search results":
                assert page.locator(".search-result").count() == 1
            result = axe_check(page)
            violations = result["violations"]
            lines.append(
                f"{width} · {name} ({who}) {path}: {result['passed']} rules passed, "
                f"{len(violations)} violation(s)"
            )
            assert result["passed"] >= 20, f"axe checked almost nothing on {path}"
            for violation in violations:
                lines.append(
                    f"  [{violation['impact']}] {violation['id']} on {len(violation['targets'])} "
                    f"element(s): {violation['help']} — {', '.join(violation['targets'][:5])}"
                )
                if violation["impact"] in BLOCKING_IMPACTS:
                    blocking.append(f"{width} · {name}: {violation['id']}")
    lines.append(f"serious or critical: {len(blocking)}")
    report(artifacts, "accessibility.txt", lines)
    assert not blocking, blocking
