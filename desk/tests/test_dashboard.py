"""The desk's front page by role: the story panels, their counts, items and links."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import (
    make_article,
    make_author,
    make_citation,
    make_photo,
    make_staff,
)
from newsroom.tests.dashboard import DESK, panels_on, rows_listed

from .test_workflow import change_url, desk_for

pytestmark = pytest.mark.django_db

STORY_PANELS = {"My drafts", "Stories in review", "Scheduled and embargoed"}
SOURCES = "Sources with broken links"
Status = Article.Status


def scheduled(**fields):
    return make_article(publish_at=timezone.now() + timedelta(days=1), **fields)


def embargoed(**fields):
    now = timezone.now()
    return make_article(
        publish_at=now - timedelta(hours=1), embargo_until=now + timedelta(hours=3), **fields
    )


def broken_source(article, **fields):
    url = f"https://news.example.org/gone-{article.pk}-{fields.get('outlet', '')}"
    fields.setdefault("link_ok", False)
    fields.setdefault("link_checked_url", url)
    fields.setdefault("link_check_result", "404 Not Found")
    return make_citation(article, url=url, **fields)


def test_a_reporter_sees_their_own_drafts_and_no_editors_or_moderators_panel():
    reporter = make_staff("Reporters")
    started = make_article(headline="Ferry timetable cut", status=Status.DRAFT, created_by=reporter)
    bylined = make_article(
        headline="Night buses return",
        status=Status.DRAFT,
        authors=[make_author(user=reporter)],
    )
    make_article(headline="Someone else's draft", status=Status.DRAFT)
    make_article(headline="My story in review", status=Status.IN_REVIEW, created_by=reporter)
    client = desk_for(reporter)

    panels = panels_on(client)

    assert set(panels) == {"My drafts", "Scheduled and embargoed", SOURCES, "Photos not ready"}
    drafts = panels["My drafts"]
    assert {label for label, _ in drafts["items"]} == {"Ferry timetable cut", "Night buses return"}
    assert dict(drafts["items"])["Ferry timetable cut"] == change_url(started)
    assert dict(drafts["items"])["Night buses return"] == change_url(bylined)
    [(label, url)] = drafts["counts"]
    assert label == "Draft: all 2"
    assert rows_listed(client, url) == 2


def test_an_editor_sees_every_story_in_review_oldest_first_and_the_comments():
    editor = make_staff("Editors")
    first = make_article(headline="Submitted first", status=Status.IN_REVIEW)
    make_article(headline="Submitted next", status=Status.IN_REVIEW)
    Article.objects.filter(pk=first.pk).update(modified_at=timezone.now() - timedelta(days=1))
    make_article(headline="Not submitted", status=Status.DRAFT)
    client = desk_for(editor)

    panels = panels_on(client)

    assert STORY_PANELS | {SOURCES, "Photos not ready", "Comments"} == set(panels)
    review = panels["Stories in review"]
    assert [label for label, _ in review["items"]] == ["Submitted first", "Submitted next"]
    [(label, url)] = review["counts"]
    assert label == "In review: all 2"
    assert rows_listed(client, url) == 2
    assert "Submitted" in review["text"]


def test_a_moderator_sees_only_the_comments():
    make_article(status=Status.IN_REVIEW)

    panels = panels_on(desk_for(make_staff("Moderators")))

    assert set(panels) == {"Comments"}


def test_scheduled_and_embargoed_stories_show_when_they_go_live():
    editor = make_staff("Editors")
    later = scheduled(headline="Budget day")
    soon = embargoed(headline="Report under embargo")
    make_article(headline="Already live")
    client = desk_for(editor)

    panel = panels_on(client)["Scheduled and embargoed"]

    assert [label for label, _ in panel["items"]] == ["Report under embargo", "Budget day"]
    assert "Embargoed: live from" in panel["text"]
    assert "Scheduled: live from" in panel["text"]
    html = client.get(DESK).content.decode()
    for story, goes_live in ((soon, soon.embargo_until), (later, later.publish_at)):
        assert change_url(story) in html
        assert f'datetime="{timezone.localtime(goes_live).isoformat()}"' in html
    counts = dict(panel["counts"])
    assert rows_listed(client, counts["Scheduled: all 1"]) == 1
    assert rows_listed(client, counts["Embargoed: all 1"]) == 1


def test_sources_whose_link_or_archived_copy_broke_link_to_their_story():
    editor = make_staff("Editors")
    dead = make_article(headline="Port strike")
    broken_source(dead, outlet="Calder Gazette", title="Crews walk out")
    archived = make_article(headline="Dredging resumes")
    make_citation(
        archived,
        outlet="Harbour Board",
        title="Minutes",
        url="https://board.example.org/minutes",
        link_ok=True,
        link_checked_url="https://board.example.org/minutes",
        archive_url="https://archive.example.org/minutes",
        archive_ok=False,
        archive_checked_url="https://archive.example.org/minutes",
        archive_check_result="410 Gone",
    )
    # Its URL changed since the failed check: a new check is due, nothing is known broken.
    broken_source(make_article(), outlet="Moved", link_checked_url="https://old.example.org/")
    client = desk_for(editor)

    panel = panels_on(client)[SOURCES]

    items = dict(panel["items"])
    assert set(items) == {"Calder Gazette: Crews walk out", "Harbour Board: Minutes"}
    assert items["Calder Gazette: Crews walk out"] == change_url(dead) + "#citations-group"
    assert "In “Port strike”. Broken link: 404 Not Found" in panel["text"]
    assert "In “Dredging resumes”. Broken archived copy: 410 Gone" in panel["text"]
    [(label, url)] = panel["counts"]
    assert label == "Stories: all 2"
    assert rows_listed(client, url) == 2


def test_empty_panels_say_so():
    panels = panels_on(desk_for(make_staff("Editors")))

    assert panels["Stories in review"]["text"] == "Stories in review Nothing waiting."
    assert panels["My drafts"]["counts"] == panels["My drafts"]["items"] == []
    assert "No story waits to go live." in panels["Scheduled and embargoed"]["text"]


def test_the_app_list_stays_on_the_front_page():
    html = desk_for(make_staff("Editors")).get(DESK).content.decode()

    assert 'class="app-articles module' in html
    assert reverse("admin:articles_article_changelist") in html


def waiting_rows(count, *, editor):
    for number in range(count):
        make_article(status=Status.DRAFT, created_by=editor)
        make_article(status=Status.IN_REVIEW)
        scheduled()
        embargoed()
        broken_source(make_article(), outlet=f"Outlet {number}")


def test_the_front_page_makes_as_many_queries_for_30_waiting_stories_as_for_3(
    django_assert_max_num_queries,
):
    editor = make_staff("Editors")
    client = desk_for(editor)
    make_photo()
    waiting_rows(3, editor=editor)
    with CaptureQueriesContext(connection) as few:
        client.get(DESK)

    waiting_rows(27, editor=editor)
    with django_assert_max_num_queries(len(few)):
        panels = panels_on(client)

    assert panels["My drafts"]["counts"][0][0] == "Draft: all 30"
    assert panels["Stories in review"]["counts"][0][0] == "In review: all 30"
    assert [label for label, _ in panels["Scheduled and embargoed"]["counts"]] == [
        "Scheduled: all 30",
        "Embargoed: all 30",
    ]
    assert panels[SOURCES]["counts"][0][0] == "Stories: all 30"
    assert len(panels["My drafts"]["items"]) == 5
