"""Versions kept by the story form, and a save refused because someone else saved first."""

import pytest
from django.utils import timezone
from reversion.models import Version

from articles.models import Article
from articles.tests.factories import make_article, make_staff
from desk.revisions import compare_versions, other_changes
from newsroom.tests.html import Elements

from .test_workflow import change_url, desk_for, edit_data

pytestmark = pytest.mark.django_db


def versions_of(article):
    return list(Version.objects.get_for_object(article))


@pytest.fixture
def editor():
    return make_staff("Editors", first_name="Priya", last_name="Demir")


def test_a_save_that_changes_nothing_keeps_no_version_and_writes_nothing(editor):
    story = make_article(headline="Ferry cut")
    desk = desk_for(editor)
    assert (
        desk.post(change_url(story), edit_data(desk, story, headline="Ferry cuts")).status_code
        == 302
    )
    story.refresh_from_db()
    saved_at = story.modified_at
    assert desk.post(change_url(story), edit_data(desk, story)).status_code == 302
    story.refresh_from_db()
    assert story.modified_at == saved_at
    assert [v.revision.get_comment() for v in versions_of(story)] == ["Changed Headline."]


def test_a_change_to_an_inline_alone_keeps_a_version(editor):
    story = make_article()
    desk = desk_for(editor)
    form = edit_data(
        desk,
        story,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-published_at_0": "2026-01-05",
            "corrections-0-published_at_1": "10:00:00",
            "corrections-0-text": "An earlier version gave the wrong quay.",
        },
    )
    response = desk.post(change_url(story), form)
    assert response.status_code == 302, response.context["errors"]
    (version,) = versions_of(story)
    assert "Added correction" in version.revision.get_comment()
    assert Article.objects.get(pk=story.pk).modified_at > story.modified_at


def test_a_refused_save_names_who_saved_and_when_shows_their_changes_and_keeps_mine(editor):
    story = make_article(headline="Original headline", body="<p>First paragraph.</p>")
    first, second = desk_for(editor), desk_for(make_staff("Editors"))
    # A version of the story as both open it, as the desk would have kept.
    first.post(change_url(story), edit_data(first, story, standfirst="Set before both open it."))
    first_form = edit_data(first, story, headline="Priya's headline", body="<p>Her paragraph.</p>")
    mine = {"headline": "My headline", "standfirst": "My standfirst.", "body": "<p>Mine.</p>"}
    second_form = edit_data(second, story, **mine)
    assert first.post(change_url(story), first_form).status_code == 302

    response = second.post(change_url(story), second_form)
    assert response.status_code == 200
    story.refresh_from_db()
    assert story.headline == "Priya's headline"
    html = response.content.decode()
    saved = timezone.localtime(story.modified_at)
    assert (
        f"Priya Demir saved this story at {saved:%H:%M:%S on %d %b %Y}, after you opened it."
        in html
    )
    page = Elements(html)
    (report,) = page.by_class("edit-conflict")
    diffs = report["text"]
    assert "Original headline" in diffs and "Priya's headline" in diffs
    assert "Her paragraph." in diffs and "When you opened it" in diffs
    kept = {
        t["attrs"]["id"]: t["text"].strip() for t in page.inside(report) if t["tag"] == "textarea"
    }
    assert all(
        "readonly" in t["attrs"] and "name" not in t["attrs"]
        for t in page.inside(report)
        if t["tag"] == "textarea"
    )
    assert kept == {f"mine-{field}": value for field, value in mine.items()}
    assert len(versions_of(story)) == 2


def test_a_conflict_without_a_version_of_the_opened_story_still_refuses_and_says_so(editor):
    story = make_article(headline="Original")
    first, second = desk_for(editor), desk_for(make_staff("Editors"))
    second_form = edit_data(second, story, headline="Mine")
    first.post(change_url(story), edit_data(first, story, headline="Theirs"))
    html = second.post(change_url(story), second_form).content.decode()
    assert "Priya Demir saved this story at" in html
    assert "Their changes cannot be shown" in html
    assert Article.objects.get(pk=story.pk).headline == "Theirs"


def test_comparing_names_the_other_fields_that_changed(editor):
    story = make_article(headline="One", dateline="PORT CALDER")
    desk = desk_for(editor)
    desk.post(change_url(story), edit_data(desk, story, headline="Two"))
    desk.post(change_url(story), edit_data(desk, story, headline="Three", dateline="OSLO"))
    newer, older = versions_of(story)
    assert [label for label, _ in compare_versions(older, newer)] == ["Headline"]
    assert other_changes(older, newer) == ["dateline"]
