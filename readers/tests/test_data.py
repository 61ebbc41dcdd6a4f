"""Download my data: what the file holds, in how many queries, and how often."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from articles.models import Article
from articles.tests.factories import make_article, make_staff
from discussion.models import (
    CommentEdit,
    CommentModeration,
    CommentReport,
    Recommendation,
    StoryFollow,
)
from discussion.services import moderate_comment
from discussion.tests.factories import add_comment, make_moderator, make_reader
from readers.models import DataExport
from readers.services import ExportTooSoon, export_reader_data

pytestmark = pytest.mark.django_db
SITE = "https://news.example.org"


def reader_with_history(comments=3):
    reader = make_reader(display_name="Ines on the ferry", status="trusted", notify_replies=False)
    other = make_reader(display_name="Harbour pilot", status="trusted")
    story = make_article(headline="Ferry timetable cut")
    theirs = add_comment(story, other, "The winter timetable was always thin.")
    for number in range(comments):
        add_comment(story, reader, f"Comment number {number}.")
    CommentReport.objects.create(comment=theirs, reporter=reader, reason="off_topic", note="Old.")
    Recommendation.objects.create(comment=theirs, reader=reader)
    StoryFollow.objects.create(reader=reader, article=story)
    return reader, story


def test_the_export_holds_the_account_profile_comments_reports_recommendations_and_follows():
    reader, story = reader_with_history(comments=1)
    comment = XtdComment.objects.get(user=reader)
    CommentEdit.objects.create(comment=comment, previous_text="Comment numbr 0.")
    moderate_comment(comment=comment, state="removed", by=make_moderator(), reason="Off topic.")

    data = export_reader_data(user=reader, site_url=SITE)

    assert data["account"]["email_addresses"] == [
        {"email": reader.email, "verified": True, "primary": True}
    ]
    assert data["account"]["date_joined"] == timezone.localtime(reader.date_joined).isoformat()
    assert data["reader_profile"] == {
        "display_name": "Ines on the ferry",
        "status": "Trusted (skips first-comment, link and suspect-word review)",
        "suspended_until": None,
        "email_me_replies_to_my_comments": False,
        "email_me_moderators_decisions": True,
    }
    [exported] = data["comments"]
    assert exported["story"] == {
        "headline": "Ferry timetable cut",
        "url": SITE + story.get_absolute_url(),
    }
    assert exported["text"] == "Comment number 0."
    assert (exported["state"], exported["reason"]) == ("Removed", "Off topic.")
    assert [edit["text"] for edit in exported["earlier_texts"]] == ["Comment numbr 0."]
    # ISO 8601 with the offset, which reads back as the same moment.
    posted = timezone.datetime.fromisoformat(exported["posted_at"])
    assert posted.utcoffset() is not None and posted == comment.submit_date
    [report] = data["reports"]
    assert report == {
        "comment_excerpt": "The winter timetable was always thin.",
        "reason": "Off topic",
        "note": "Old.",
        "reported_at": report["reported_at"],
    }
    assert data["recommendations"][0]["comment_by"] == "Harbour pilot"
    assert data["story_follows"][0]["story"]["headline"] == "Ferry timetable cut"
    # Serialisable as it is.
    json.dumps(data)


def test_a_story_no_longer_online_is_left_unnamed():
    reader, story = reader_with_history(comments=1)
    Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)
    data = export_reader_data(user=reader, site_url=SITE)
    assert data["comments"][0]["story"] is None
    assert data["story_follows"][0]["story"] is None
    assert data["comments"][0]["text"] == "Comment number 0."


@pytest.mark.parametrize("comments", [3, 30])
def test_the_export_takes_the_same_queries_for_3_and_30_comments(
    comments, django_assert_num_queries
):
    reader, _ = reader_with_history(comments=comments)
    for comment in XtdComment.objects.filter(user=reader):
        CommentEdit.objects.create(comment=comment, previous_text="Before.")
    reader = type(reader).objects.get(pk=reader.pk)
    with django_assert_num_queries(13):
        data = export_reader_data(user=reader, site_url=SITE)
    assert len(data["comments"]) == comments


def test_a_second_export_within_a_day_is_refused_with_the_time_of_the_next():
    reader, _ = reader_with_history()
    export_reader_data(user=reader, site_url=SITE)
    made_at = DataExport.objects.get(reader=reader).made_at
    with pytest.raises(ExportTooSoon) as refused:
        export_reader_data(user=reader, site_url=SITE)
    assert refused.value.next_at == made_at + timedelta(hours=24)
    assert DataExport.objects.filter(reader=reader).count() == 1
    with time_machine.travel(made_at + timedelta(hours=24, seconds=1)):
        export_reader_data(user=reader, site_url=SITE)
    assert DataExport.objects.filter(reader=reader).count() == 2


def test_the_data_page_explains_and_the_button_downloads_a_json_attachment(client):
    reader, _ = reader_with_history()
    client.force_login(reader)
    page = client.get(reverse("readers:data"))
    assert page.status_code == 200
    assert "every comment you wrote" in page.content.decode()
    assert 'method="post"' in page.content.decode()

    response = client.post(reverse("readers:data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    day = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="newsroom-data-{day}.json"'
    data = json.loads(response.content)
    assert len(data["comments"]) == 3
    assert data["comments"][0]["story"]["url"].startswith("http://testserver/")


def test_a_second_download_gets_a_429_page_saying_when_and_nothing_else_happens(client):
    reader, _ = reader_with_history()
    client.force_login(reader)
    client.post(reverse("readers:data"))
    again = client.post(reverse("readers:data"))
    assert again.status_code == 429
    assert "You can download it again from" in again.content.decode()
    assert 0 < int(again["Retry-After"]) <= 24 * 3600
    assert "attachment" not in again.get("Content-Disposition", "")
    assert DataExport.objects.filter(reader=reader).count() == 1
    # The page itself now says when, and offers no button.
    page = client.get(reverse("readers:data")).content.decode()
    assert "You downloaded your data recently" in page
    assert 'method="post"' not in page


def test_a_get_never_exports(client):
    reader, _ = reader_with_history()
    client.force_login(reader)
    client.get(reverse("readers:data"))
    assert not DataExport.objects.exists()


def test_the_pages_need_a_login(client):
    for name in ("readers:data", "readers:delete"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert client.post(reverse("readers:data")).status_code == 302


def test_staff_may_download_their_data(client):
    editor = make_staff()
    client.force_login(editor)
    data = json.loads(client.post(reverse("readers:data")).content)
    assert data["account"]["email_addresses"][0]["email"] == editor.email
    assert data["reader_profile"] is None
    assert data["comments"] == []


def test_only_the_readers_own_things_are_exported():
    reader, _ = reader_with_history()
    other_comments = CommentModeration.objects.exclude(comment__user=reader).count()
    assert other_comments == 1
    data = export_reader_data(user=reader, site_url=SITE)
    assert all(c["text"].startswith("Comment number") for c in data["comments"])


def test_an_export_that_fails_halfway_is_not_counted_against_the_reader():
    reader, _ = reader_with_history()
    with pytest.raises(TypeError):
        export_reader_data(user=reader, site_url=None)  # fails at the first story's link
    assert not DataExport.objects.exists()
    assert export_reader_data(user=reader, site_url=SITE)["comments"]
