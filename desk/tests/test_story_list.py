"""The story list: its columns, its release filter, one way of writing times, its query budget."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import make_article, make_author, make_section, make_staff
from newsroom.tests.browser import (
    DESKTOP,
    MOBILE,
    axe_check,
    axe_context,
    blocking_violations,
    log_in_to_desk,
    report,
    screenshot,
)
from newsroom.tests.html import Elements
from newsroom.tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

STORIES = reverse("admin:articles_article_changelist")
NOW = datetime(2026, 12, 1, 14, 5, tzinfo=UTC)
DESK_TIME = re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$")


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def desk(client, frozen):
    client.force_login(make_staff("Editors"))
    return client


@pytest.fixture
def newsroom_day(frozen):
    """One story in each state the desk tells apart."""
    return {
        "Draft": make_article(headline="Ferry timetable draft", status=Article.Status.DRAFT),
        "In review": make_article(headline="Harbour dues in review", status="in_review"),
        "Published": make_article(headline="Council votes on the bridge"),
        "Scheduled": make_article(
            headline="Tide tables for the new year", publish_at=NOW + timedelta(days=2)
        ),
        "Embargoed": make_article(
            headline="Exam results under embargo", embargo_until=NOW + timedelta(hours=3)
        ),
        "Retracted": make_article(
            headline="Quarry report withdrawn",
            status=Article.Status.RETRACTED,
            publish_at=NOW - timedelta(days=3),
            retraction_note="The report's figures were wrong.",
        ),
    }


def rows(response):
    """Each story row of the list as {column: text}, the columns named by their class."""
    page = Elements(response.content.decode())
    found = []
    for row in page.by_tag("tr"):
        cells = [e for e in page.inside(row) if e["tag"] in ("th", "td")]
        fields = {
            name[len("field-") :]: cell["text"].strip()
            for cell in cells
            for name in (cell["attrs"].get("class") or "").split()
            if name.startswith("field-")
        }
        if fields:
            found.append(fields)
    return found


def headlines(response):
    return {row["headline_cell"] for row in rows(response)}


class TestColumns:
    def test_each_row_shows_headline_section_status_times_and_bylines(self, desk, newsroom_day):
        scheduled = newsroom_day["Scheduled"]
        by_headline = {row["headline_cell"]: row for row in rows(desk.get(STORIES))}
        row = by_headline[scheduled.headline]
        assert row == {
            "headline_cell": scheduled.headline,
            "section": scheduled.section.name,
            "state": "Scheduled",
            "goes_live": "3 Dec 2026, 14:05",
            "last_saved": "1 Dec 2026, 14:05",
            "author_names": "-",
        }
        assert {row["state"] for row in by_headline.values()} == set(newsroom_day)

    def test_the_headline_links_to_the_story_form(self, desk, newsroom_day):
        story = newsroom_day["Published"]
        page = Elements(desk.get(STORIES).content.decode())
        links = [a for a in page.by_tag("a") if a["text"] == story.headline]
        assert [a["attrs"]["href"] for a in links] == [
            reverse("admin:articles_article_change", args=[story.pk])
        ]

    def test_the_status_is_a_badge_named_after_the_state(self, desk, newsroom_day):
        page = Elements(desk.get(STORIES).content.decode())
        badges = {e["text"]: e["attrs"]["class"] for e in page.by_class("desk-state")}
        assert badges["In review"] == "desk-state desk-state--in-review"
        assert badges["Embargoed"] == "desk-state desk-state--embargoed"
        assert len(badges) == len(newsroom_day)

    def test_an_embargoed_story_goes_live_when_the_embargo_lifts(self, desk, newsroom_day):
        by_headline = {row["headline_cell"]: row for row in rows(desk.get(STORIES))}
        assert by_headline["Exam results under embargo"]["goes_live"] == "1 Dec 2026, 17:05"
        assert by_headline["Ferry timetable draft"]["goes_live"] == "-"

    def test_bylines_are_cut_to_two_names(self, desk, frozen):
        lin, tom, ana = (make_author(name=name) for name in ("Lin Mei", "Tom Hale", "Ana Roa"))
        make_article(headline="Two of them", authors=[lin, tom])
        make_article(headline="Three of them", authors=[lin, tom, ana])
        by_headline = {row["headline_cell"]: row for row in rows(desk.get(STORIES))}
        assert by_headline["Two of them"]["author_names"] == "Lin Mei, Tom Hale"
        assert by_headline["Three of them"]["author_names"] == "Lin Mei +2"


class TestReleaseFilter:
    @pytest.mark.parametrize(
        ("choice", "states"),
        [
            ("scheduled", {"Scheduled"}),
            ("embargoed", {"Embargoed"}),
            ("retracted", {"Retracted"}),
            ("online", {"Published", "Retracted"}),
        ],
    )
    def test_each_choice_lists_exactly_those_stories(self, desk, newsroom_day, choice, states):
        shown = headlines(desk.get(STORIES, {"release": choice}))
        assert shown == {newsroom_day[state].headline for state in states}

    def test_the_choices_are_offered_in_the_sidebar(self, desk, newsroom_day):
        page = Elements(desk.get(STORIES).content.decode())
        offered = {a["text"] for a in page.by_tag("a") if "release=" in a["attrs"].get("href", "")}
        assert offered == {"Online now", "Scheduled", "Embargoed", "Retracted"}

    def test_an_unknown_choice_lists_every_story(self, desk, newsroom_day):
        response = desk.get(STORIES, {"release": "tomorrow"})
        assert response.status_code == 200
        assert len(rows(response)) == len(newsroom_day)


class TestOneDateFormat:
    """Every time the desk writes reads "1 Dec 2026, 14:05", in lists, messages and templates."""

    def test_the_story_list_writes_every_time_the_same_way(self, desk, newsroom_day):
        times = [
            row[column]
            for row in rows(desk.get(STORIES))
            for column in ("goes_live", "last_saved")
            if row[column] != "-"
        ]
        assert len(times) > len(newsroom_day)
        assert [t for t in times if not DESK_TIME.match(t)] == []


def test_the_query_count_does_not_grow_with_the_rows(desk, django_assert_max_num_queries):
    authors = [make_author() for _ in range(3)]

    def add(count):
        for n in range(count):
            make_article(authors=authors[: n % 3 + 1], embargo_until=NOW + timedelta(hours=n % 2))

    add(3)
    assert_queries_do_not_grow(
        django_assert_max_num_queries,
        show=lambda: rows(desk.get(STORIES)),
        grow=lambda: add(27),
        budget=15,
    )
    assert len(rows(desk.get(STORIES))) == 30


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_at_1280_px_each_story_is_one_line_and_the_list_fits(browser, live_server, artifacts):
    editor = make_staff("Editors")
    authors = [make_author(name=name) for name in ("Lin Mei", "Tom Hale", "Ana Roa")]
    # Named, so the columns' widths (and so the headline's) do not depend on test order.
    harbour = make_section(name="Harbour", slug="harbour")
    now = datetime.now(UTC)
    for n, headline in enumerate(
        [
            "Japan to Limit Facial Recognition Tech Exports to Authoritarian States",
            "Council votes to rebuild the east quay bridge before the winter storms",
            "Ferry timetable cut leaves island commuters with one crossing a day",
            "Exam results embargoed until the minister speaks on Thursday morning",
            "Quarry report withdrawn after its dust figures proved to be wrong",
        ]
        * 3
    ):
        make_article(
            headline=f"{headline} ({n + 1})",
            section=harbour,
            authors=authors[: n % 3 + 1],
            publish_at=now + timedelta(days=n % 3 - 1),
            embargo_until=now + timedelta(hours=2) if n % 4 == 0 else None,
        )
    page = axe_context(browser, DESKTOP).new_page()
    log_in_to_desk(page, live_server.url, editor.email, "desk-password-1")
    page.goto(live_server.url + STORIES)
    # A row of one line: the text's line height and the cell's padding.
    line, one_line_row = page.evaluate(
        """(() => {
          const cell = getComputedStyle(document.querySelector('#result_list td'));
          const line = parseFloat(cell.lineHeight);
          return [line, line + parseFloat(cell.paddingTop) + parseFloat(cell.paddingBottom)];
        })()"""
    )
    heights = page.eval_on_selector_all(
        "#result_list tbody tr", "rows => rows.map(r => r.getBoundingClientRect().height)"
    )
    headline_width = page.eval_on_selector(
        "#result_list th.field-headline_cell", "cell => cell.getBoundingClientRect().width"
    )
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    # The admin lets a wide table scroll inside its box; every column must show without it.
    table, box = page.evaluate(
        "[document.querySelector('#result_list').scrollWidth,"
        " document.querySelector('.results').clientWidth]"
    )
    result = axe_check(page)
    blocking = blocking_violations(result)
    screenshot(page, artifacts / "story-list-1280.png")
    report(
        artifacts,
        "story-list.txt",
        [
            f"rows: {len(heights)}, tallest {max(heights):.0f} px; a one-line row is "
            f"{one_line_row:.0f} px, a line {line:.0f} px",
            f"headline column: {headline_width:.0f} px",
            f"document {widths[0]} px wide in a {widths[1]} px window; "
            f"table {table} px in a {box} px box",
            f"axe: {result['passed']} rules passed, blocking: {blocking}",
        ],
    )
    assert len(heights) == 15
    # One line, give or take the checkbox and borders; a second line would add `line`.
    assert max(heights) < one_line_row + line
    assert headline_width > 280
    assert widths[0] <= widths[1]
    assert table <= box
    assert result["passed"] >= 20 and not blocking
    page.set_viewport_size(MOBILE)
    page.reload()
    screenshot(page, artifacts / "story-list-390.png")
    # On a phone the table scrolls inside its own box; the page itself does not.
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
