"""Editors' picks above a story's discussion, and the badges staff authors wear."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from playwright.sync_api import expect

from articles.tests.factories import make_article, make_staff
from commenting.threads import PICK_LENGTH, PICKS_SHOWN, THREADS_PER_PAGE
from discussion.models import ReaderProfile
from discussion.services import moderate_comment
from discussion.tests.factories import add_comment, feature, make_moderator, make_reader, unfeature
from newsroom.tests.browser import (
    DESKTOP,
    MOBILE,
    axe_check,
    axe_context,
    blocking_violations,
    make_discussed_story,
    report,
    screenshot,
)
from newsroom.tests.html import Elements

pytestmark = pytest.mark.django_db


@pytest.fixture
def trusted():
    return make_reader(status="trusted", display_name="Trusted")


@pytest.fixture
def moderator():
    return make_moderator()


def story_page(story, client=None, query=""):
    response = (client or Client()).get(story.get_absolute_url() + query)
    assert response.status_code == 200
    return response, Elements(response.content.decode())


def picks_in(doc):
    """Each pick in the strip as (text, link)."""
    return [
        (
            doc.first_inside(pick, doc.by_class("comment__text"))["text"],
            doc.first_inside(pick, doc.by_tag("a"))["attrs"]["href"],
        )
        for pick in doc.by_class("pick")
    ]


def staff_commenter(role=None, name="Desk Person"):
    """A desk account with a display name and trusted standing, so its comments publish."""
    user = make_staff(role) if role else make_staff("Editors")
    if role is None:
        user.groups.clear()
    ReaderProfile.objects.create(user=user, display_name=name, status="trusted")
    return user


def test_the_strip_lists_featured_comments_latest_pick_first_each_linking_into_the_thread(
    trusted, moderator
):
    story = make_article()
    first, second, plain = (add_comment(story, trusted, text) for text in ("One", "Two", "Plain"))
    feature(second, by=moderator)
    feature(first, by=moderator)
    _, doc = story_page(story)
    assert doc.by_class("picks")[0]["text"].strip().startswith("Editors' picks")
    assert picks_in(doc) == [("One", f"#c{first.pk}"), ("Two", f"#c{second.pk}")]
    anchors = {e["attrs"].get("id") for e in doc.by_class("comment")}
    assert {f"c{first.pk}", f"c{second.pk}", f"c{plain.pk}"} <= anchors
    # The strip sits above the discussion.
    strip, discussion = doc.by_class("picks")[0], doc.by_class("discussion")[0]
    assert doc.found.index(strip) < doc.found.index(discussion)


def test_no_strip_without_picks(trusted):
    story = make_article()
    add_comment(story, trusted)
    _, doc = story_page(story)
    assert doc.by_class("picks") == []
    assert "Editors' picks" not in doc.text


def test_the_strip_shows_the_latest_picks_only(trusted, moderator):
    story = make_article()
    comments = [add_comment(story, trusted, f"Pick {n}") for n in range(PICKS_SHOWN + 2)]
    for comment in comments:
        feature(comment, by=moderator)
    _, doc = story_page(story)
    shown = [text for text, _ in picks_in(doc)]
    assert shown == [f"Pick {n}" for n in reversed(range(2, PICKS_SHOWN + 2))]


def test_a_long_pick_is_shortened_and_its_link_leads_to_the_whole_text(trusted, moderator):
    story = make_article()
    text = "Word " * (PICK_LENGTH // 4)
    comment = add_comment(story, trusted, text.strip())
    feature(comment, by=moderator)
    _, doc = story_page(story)
    pick = doc.by_class("pick")[0]
    excerpt = doc.first_inside(pick, doc.by_class("comment__text"))["text"]
    assert len(excerpt) <= PICK_LENGTH and excerpt.endswith("…")
    link = doc.first_inside(pick, doc.by_tag("a"))
    assert link["text"] == "Read the whole comment by Trusted"
    thread_text = [e for e in doc.by_class("comment") if e["attrs"]["id"] == f"c{comment.pk}"]
    assert text.strip() in thread_text[0]["text"]


def test_a_pick_on_a_later_page_of_threads_links_to_that_page(trusted, moderator):
    story = make_article()
    threads = [add_comment(story, trusted, f"Thread {n}") for n in range(THREADS_PER_PAGE + 1)]
    last, first = threads[-1], threads[0]
    feature(last, by=moderator)
    feature(first, by=moderator)
    _, doc = story_page(story)
    assert picks_in(doc) == [
        ("Thread 0", f"#c{first.pk}"),
        (f"Thread {THREADS_PER_PAGE}", f"?cpage=2&comments=oldest#c{last.pk}"),
    ]
    _, newest = story_page(story, query="?comments=newest")
    assert picks_in(newest)[0] == ("Thread 0", f"?cpage=2&comments=newest#c{first.pk}")
    _, second_page = story_page(story, query="?cpage=2")
    assert f"c{last.pk}" in {e["attrs"].get("id") for e in second_page.by_class("comment")}


def test_a_cached_anonymous_page_shows_a_pick_at_once_and_drops_it_when_it_goes(trusted, moderator):
    story = make_article()
    comment = add_comment(story, trusted, "Worth reading")
    assert story_page(story)[0]["X-Page-Cache"] == "miss"
    response, doc = story_page(story)
    assert response["X-Page-Cache"] == "hit" and picks_in(doc) == []

    feature(comment, by=moderator)
    response, doc = story_page(story)
    assert picks_in(doc) == [("Worth reading", f"#c{comment.pk}")]
    assert story_page(story)[0]["X-Page-Cache"] == "hit"

    unfeature(comment)
    assert picks_in(story_page(story)[1]) == []

    feature(comment, by=moderator)
    assert len(picks_in(story_page(story)[1])) == 1
    moderate_comment(
        comment=comment, state="removed", by=moderator, reason="Shares personal information."
    )
    response, doc = story_page(story)
    assert picks_in(doc) == [] and "Worth reading" not in doc.text


@pytest.mark.parametrize(
    ("role", "badge"),
    [
        ("Editors", "Editor"),
        ("Moderators", "Moderator"),
        ("Reporters", "Reporter"),
        (None, "Staff"),
    ],
)
def test_staff_comments_wear_their_role(role, badge, moderator):
    story = make_article()
    comment = add_comment(story, staff_commenter(role), "From the desk")
    feature(comment, by=moderator)
    _, doc = story_page(story)
    badges = [e["text"] for e in doc.by_class("comment__badge")]
    # Once in the strip, once in the thread.
    assert badges == [badge, badge]
    meta = doc.by_class("comment__meta")[-1]
    assert meta["text"].startswith(f"Desk Person {badge} · ")


def test_someone_in_several_desk_groups_wears_the_senior_role():
    story = make_article()
    person = staff_commenter("Moderators")
    person.groups.add(Group.objects.get(name="Editors"))
    add_comment(story, person)
    _, doc = story_page(story)
    assert [e["text"] for e in doc.by_class("comment__badge")] == ["Editor"]


def test_a_look_alike_name_earns_no_badge():
    story = make_article()
    add_comment(story, make_reader(status="trusted", display_name="Moderator Team"), "Trust me")
    add_comment(story, staff_commenter("Moderators", name="Sam Reyes"), "Please keep it civil")
    _, doc = story_page(story)
    metas = [e["text"] for e in doc.by_class("comment__meta")]
    assert metas[0].startswith("Moderator Team · ")
    assert metas[1].startswith("Sam Reyes Moderator · ")
    assert len(doc.by_class("comment__badge")) == 1


def test_a_former_staff_member_wears_no_badge():
    story = make_article()
    person = staff_commenter("Editors")
    add_comment(story, person)
    person.is_staff = False
    person.save()
    assert story_page(story)[1].by_class("comment__badge") == []


def count_queries(url):
    caches["pages"].clear()  # the render is measured, not the page cache
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(url).status_code == 200
    return len(captured)


def test_picks_and_badges_cost_a_fixed_number_of_queries(trusted, moderator):
    few, many = make_article(), make_article()
    staff = [staff_commenter(role, name=f"Desk {role}") for role in ("Editors", "Moderators")]
    feature(add_comment(few, staff[0], "Only one"), by=moderator)
    readers = [make_reader(status="trusted") for _ in range(10)]
    for n in range(120):
        author = staff[n % 2] if n % 10 == 0 else readers[n % 10]
        comment = add_comment(many, author, f"Comment {n}")
        if n % 7 == 0:
            feature(comment, by=moderator)
    Client().get(few.get_absolute_url())  # warm per-process caches (content types, site)
    small, large = count_queries(few.get_absolute_url()), count_queries(many.get_absolute_url())
    assert small == large
    # The story page's 12 with its picks (commenting/tests/test_threads.py) and
    # the staff authors' groups.
    assert large <= 13
    _, doc = story_page(many)
    assert len(doc.by_class("pick")) == PICKS_SHOWN


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reader_follows_a_pick_into_the_thread_at_both_widths(browser, live_server, artifacts):
    story = make_discussed_story()
    moderator = make_moderator()
    desk_voice = add_comment(
        story, staff_commenter("Moderators", name="Sam Reyes"), "Please keep it civil. " * 20
    )
    feature(desk_voice, by=moderator)
    found = []
    for width, viewport in (("desktop 1280", DESKTOP), ("mobile 390", MOBILE)):
        page = axe_context(browser, viewport).new_page()
        page.goto(live_server.url + story.get_absolute_url())
        strip = page.get_by_role("region", name="Editors' picks")
        expect(strip.locator(".comment__badge")).to_have_text("Moderator")
        assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
        result = axe_check(page)
        blocking = [v["id"] for v in blocking_violations(result)]
        found.append(f"{width}: {result['passed']} axe rules passed, blocking: {blocking}")
        assert result["passed"] >= 20 and not blocking
        screenshot(page, artifacts / f"editors-picks-{viewport['width']}.png")
        strip.get_by_role("link", name="Read the whole comment by Sam Reyes").click()
        target = page.locator(f"#c{desk_voice.pk}")
        expect(target).to_be_in_viewport()
        expect(target).to_contain_text("Please keep it civil. " * 19)
        page.context.close()
    report(artifacts, "editors-picks.txt", found)
