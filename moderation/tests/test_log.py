"""The moderation log page and its CSV export: who may read it, its filters, its rows."""

import csv
import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from articles.tests.factories import make_article, make_staff
from discussion.models import ReaderProfile
from discussion.services import report_comment
from discussion.tests.factories import (
    add_comment,
    make_moderator,
    make_reader,
    make_reader_in_good_standing,
)
from moderation.log import CSV_HEADER, moderator_name
from moderation.services import approve_comment, ban_reader, feature_comment, reject_comment
from newsroom.tests.browser import (
    DESKTOP,
    axe_check,
    axe_context,
    blocking_violations,
    log_in_to_desk,
    report,
    screenshot,
)
from newsroom.tests.html import Elements

pytestmark = pytest.mark.django_db

LOG = reverse("moderation:log")
UTC = ZoneInfo("UTC")


def at(day, hour=12):
    return time_machine.travel(datetime(2026, 11, day, hour, tzinfo=UTC), tick=False)


@pytest.fixture
def sam():
    """A moderator with a display name."""
    user = make_moderator()
    ReaderProfile.objects.create(user=user, display_name="Sam Reyes")
    return user


@pytest.fixture
def desk(sam):
    client = Client()
    client.force_login(sam)
    return client


@pytest.fixture
def log(sam):
    """Four decisions on four days: Sam approves, rejects and features; readers' reports
    pull a comment (the policy's decision); another moderator bans."""
    story = make_article(headline="Tram line reopens")
    author = make_reader(display_name="Ana Writer")
    kept, dropped, flagged = (
        add_comment(story, author, text)
        for text in ("Good news for the east side", "You are all idiots", "Flag me")
    )
    other = make_moderator()
    with at(2):
        approve_comment(comment=kept, by=sam)
    with at(3):
        reject_comment(comment=dropped, by=sam, reason="Abusive or hateful.")
    with at(4):
        feature_comment(comment=kept, by=sam)
        approve_comment(comment=flagged, by=other)
    with at(5):
        flagged.refresh_from_db()  # as published now
        for _ in range(3):
            report_comment(comment=flagged, reporter=make_reader_in_good_standing(), reason="spam")
    with at(6):
        ban_reader(reader=author.reader, by=other, reason="Repeated abuse.")
    return {"story": story, "kept": kept, "dropped": dropped, "other": other}


def rows(response):
    doc = Elements(response.content.decode())
    table = doc.by_class("moderation-log__table")
    if not table:
        return []
    return [
        [" ".join(cell["text"].split()) for cell in doc.by_tag("td") if cell["parents"][-1] is tr]
        for tr in doc.inside(table[0])
        if tr["tag"] == "tr" and tr["parents"][-1]["tag"] == "tbody"
    ]


def actions(response):
    return [row[2] for row in rows(response)]


def csv_rows(response):
    assert response.streaming
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


class TestWhoMayReadIt:
    def test_anonymous_visitors_go_to_the_desk_login(self):
        response = Client().get(LOG)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=/admin/moderation/log/")

    @pytest.mark.parametrize("who", ["reader", "reporter"])
    def test_accounts_without_the_moderation_permission_are_refused(self, who):
        client = Client()
        client.force_login(make_reader() if who == "reader" else make_staff("Reporters"))
        assert client.get(LOG).status_code == 403
        assert client.get(LOG, {"format": "csv"}).status_code == 403

    def test_moderators_read_it_inside_the_desk(self, desk):
        response = desk.get(LOG)
        assert response.status_code == 200
        doc = Elements(response.content.decode())
        assert doc.by_tag("h1")[-1]["text"] == "Moderation log"
        assert "Moderation log" in doc.by_class("breadcrumbs")[0]["text"]
        assert "Log out" in doc.text


def test_rows_come_newest_first_with_who_what_and_why(desk, log):
    shown = rows(desk.get(LOG))
    assert [row[1:3] for row in shown] == [
        [moderator_name(log["other"]), "Banned the author"],
        ["Policy", "Sent back to the queue"],
        [moderator_name(log["other"]), "Approved"],
        ["Sam Reyes", "Featured"],
        ["Sam Reyes", "Rejected"],
        ["Sam Reyes", "Approved"],
    ]
    assert shown[4][3:] == ["You are all idiots", "Ana Writer", "Abusive or hateful."]
    assert shown[1][5] == "Reported by 3 readers."
    assert shown[0][3:] == ["", "Ana Writer", "Repeated abuse."]
    assert shown[-1][0] == "2 Nov 2026, 12:00"


def test_a_comment_links_to_its_place_on_the_story(desk, log):
    doc = Elements(desk.get(LOG, {"action": "reject"}).content.decode())
    link = doc.first_inside(doc.by_class("moderation-log__table")[0], doc.by_tag("a"))
    assert link["attrs"]["href"] == log["dropped"].get_absolute_url()
    assert link["attrs"]["href"].endswith(f"#c{log['dropped'].pk}")


class TestFilters:
    def test_by_moderator(self, desk, log, sam):
        assert actions(desk.get(LOG, {"moderator": sam.pk})) == ["Featured", "Rejected", "Approved"]
        assert actions(desk.get(LOG, {"moderator": "policy"})) == ["Sent back to the queue"]

    def test_the_moderator_list_names_only_people_who_decided_never_their_email(
        self, desk, log, sam
    ):
        doc = Elements(desk.get(LOG).content.decode())
        options = [o["text"] for o in doc.inside(doc.by_tag("select")[0]) if o["tag"] == "option"]
        people = sorted(["Sam Reyes", moderator_name(log["other"])])
        assert options == ["Everyone", "Policy (no moderator)", *people]
        assert "@" not in "".join(options)

    def test_by_action(self, desk, log):
        assert actions(desk.get(LOG, {"action": "approve"})) == ["Approved", "Approved"]

    def test_by_period_both_days_included(self, desk, log):
        shown = desk.get(LOG, {"since": "2026-11-03", "until": "2026-11-04"})
        assert actions(shown) == ["Approved", "Featured", "Rejected"]
        assert actions(desk.get(LOG, {"since": "2026-11-06"})) == ["Banned the author"]
        assert actions(desk.get(LOG, {"until": "2026-11-02"})) == ["Approved"]

    def test_filters_combine_and_say_when_nothing_matches(self, desk, log, sam):
        response = desk.get(LOG, {"moderator": sam.pk, "action": "ban"})
        assert response.status_code == 200 and rows(response) == []
        assert "No decision matches these filters." in response.content.decode()

    def test_a_period_that_ends_before_it_starts_is_refused_clearly(self, desk, log):
        response = desk.get(LOG, {"since": "2026-11-05", "until": "2026-11-02"})
        assert response.status_code == 400
        html = response.content.decode()
        assert "The period starts on 5 November 2026, after it ends (2 November 2026)" in html
        assert rows(response) == []
        # The filters stay as typed, to be corrected.
        assert 'value="2026-11-05"' in html

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"since": "2026-13-01"}, "Enter a valid date."),
            ({"moderator": "999999"}, "Select a valid choice."),
            ({"action": "delete"}, "Select a valid choice."),
        ],
    )
    def test_bad_filters_are_refused_with_the_reason(self, desk, log, params, message):
        for query in (params, {**params, "format": "csv"}):
            response = desk.get(LOG, query)
            assert response.status_code == 400
            assert message in response.content.decode()


class TestCsvExport:
    def test_is_a_streamed_attachment_with_a_header_row(self, desk, log):
        response = desk.get(LOG, {"format": "csv"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert response["Content-Disposition"].startswith('attachment; filename="moderation-log-')
        lines = csv_rows(response)
        assert lines[0] == CSV_HEADER
        assert len(lines) == 1 + 6

    def test_rows_follow_the_filters_with_iso_dates_and_names(self, desk, log, sam, settings):
        settings.TIME_ZONE = "Europe/Berlin"
        lines = csv_rows(desk.get(LOG, {"format": "csv", "moderator": sam.pk, "action": "reject"}))
        assert lines[1:] == [
            [
                "2026-11-03T13:00:00+01:00",
                "Sam Reyes",
                "Rejected",
                "http://testserver" + log["dropped"].get_absolute_url(),
                "You are all idiots",
                "Ana Writer",
                "Abusive or hateful.",
            ]
        ]

    def test_the_export_link_carries_the_page_filters(self, desk, log, sam):
        doc = Elements(desk.get(LOG, {"action": "approve", "page": "1"}).content.decode())
        link = next(a for a in doc.by_tag("a") if a["text"] == "Export CSV")
        assert link["attrs"]["href"] == "?action=approve&format=csv"

    def test_never_names_a_moderator_by_email(self, log):
        User = get_user_model()
        desk_user = User.objects.create_user("ed@example.org", "ed@example.org", is_staff=True)
        named = User.objects.create_user("jo@example.org", "jo@example.org", first_name="Jo")
        assert moderator_name(desk_user) == f"Staff member {desk_user.pk}"
        assert moderator_name(named) == "Jo"
        client = Client()
        client.force_login(make_moderator())
        approve_comment(comment=log["kept"], by=desk_user)
        body = b"".join(client.get(LOG, {"format": "csv"}).streaming_content).decode()
        assert "@example.org" not in body

    def test_cells_a_spreadsheet_would_run_are_kept_as_text(self, desk, sam):
        story = make_article()
        author = make_reader(display_name="Plain Name")
        formulas = ['=HYPERLINK("http://evil.example")', "+1+1", "-2", "@SUM(A1)"]
        for text in formulas:
            reject_comment(comment=add_comment(story, author, text), by=sam, reason=text)
        lines = csv_rows(desk.get(LOG, {"format": "csv"}))[1:]
        assert sorted(line[4] for line in lines) == sorted(f"'{text}" for text in formulas)
        assert sorted(line[6] for line in lines) == sorted(f"'{text}" for text in formulas)


def test_the_query_count_does_not_grow_with_the_rows_shown(
    desk, sam, django_assert_max_num_queries
):
    story = make_article()
    readers = [make_reader() for _ in range(5)]
    moderators = [sam, make_moderator(), make_moderator()]

    def decide(count):
        for n in range(count):
            comment = add_comment(story, readers[n % 5], f"Comment {n}")
            reject_comment(comment=comment, by=moderators[n % 3], reason="Off topic.")

    decide(3)
    desk.get(LOG)  # warm per-process caches (content types, site)
    with django_assert_max_num_queries(8) as few:
        assert len(rows(desk.get(LOG))) == 3
    decide(37)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(rows(desk.get(LOG))) == 40


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_moderator_filters_the_log_in_the_browser(browser, live_server, artifacts, log, sam):
    sam.set_password("moderating-is-fun-2026")
    sam.save()
    page = axe_context(browser, DESKTOP).new_page()
    log_in_to_desk(page, live_server.url, sam.email, "moderating-is-fun-2026")
    page.goto(live_server.url + LOG)
    page.get_by_label("Moderator", exact=True).select_option(label="Sam Reyes")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".moderation-log__table tbody tr")).to_have_count(3)
    page.get_by_label("From", exact=True).fill("2026-11-05")
    page.get_by_label("To", exact=True).fill("2026-11-02")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("alert")).to_contain_text("after it ends")
    found = []
    for state in ("refused period", "filtered"):
        if state == "filtered":
            page.get_by_label("From", exact=True).fill("2026-11-02")
            page.get_by_label("To", exact=True).fill("2026-11-03")
            page.get_by_role("button", name="Filter").click()
            expect(page.locator(".moderation-log__table tbody tr")).to_have_count(2)
        result = axe_check(page)
        blocking = [v["id"] for v in blocking_violations(result)]
        found.append(f"{state}: {result['passed']} axe rules passed, blocking: {blocking}")
        assert result["passed"] >= 20 and not blocking
    screenshot(page, artifacts / "moderation-log.png")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    lines = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert [line[2] for line in lines[1:]] == ["Rejected", "Approved"]
    report(artifacts, "moderation-log.txt", found)
