import pytest
from django.test import Client
from django.urls import reverse

from articles.tests.factories import make_article
from discussion.models import CommentModeration, CommentReport, ModerationPolicy

from .factories import add_comment, make_reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_comment():
    author = make_reader(status="trusted")
    comment = add_comment(make_article(), author, "A contested claim.")
    assert comment.moderation.state == "published"
    return comment


def reporter_client():
    client = Client()
    client.force_login(make_reader())
    return client


def report(client, comment, reason="misinformation", note=""):
    return client.post(
        reverse("discussion:report", args=[comment.pk]), {"reason": reason, "note": note}
    )


def test_reader_reports_with_a_reason(published_comment):
    client = reporter_client()
    page = client.get(reverse("discussion:report", args=[published_comment.pk]))
    assert "What is wrong with this comment?" in page.content.decode()
    response = report(client, published_comment, note="The figure is wrong.")
    assert response.status_code == 302
    saved = CommentReport.objects.get()
    assert (saved.reason, saved.note) == ("misinformation", "The figure is wrong.")
    assert (
        "A moderator will look at the comment." in client.get(response["Location"]).content.decode()
    )


def test_a_reader_reports_a_comment_once(published_comment):
    client = reporter_client()
    report(client, published_comment)
    response = report(client, published_comment)
    assert "already reported" in client.get(response["Location"]).content.decode()
    assert CommentReport.objects.count() == 1


def test_own_comment_cannot_be_reported(published_comment):
    client = Client()
    client.force_login(published_comment.user)
    assert report(client, published_comment).status_code == 404
    assert not CommentReport.objects.exists()


def test_reason_is_required(published_comment):
    response = report(reporter_client(), published_comment, reason="")
    assert response.status_code == 200
    assert not CommentReport.objects.exists()


def test_anonymous_cannot_report(published_comment):
    response = Client().post(reverse("discussion:report", args=[published_comment.pk]), {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_enough_distinct_reports_pull_the_comment_back_into_the_queue(published_comment):
    policy = ModerationPolicy.current()
    policy.flags_to_requeue = 3
    policy.save()
    story = published_comment.content_object
    for _ in range(2):
        report(reporter_client(), published_comment)
    published_comment.refresh_from_db()
    assert published_comment.is_public
    report(reporter_client(), published_comment)
    published_comment.refresh_from_db()
    moderation = CommentModeration.objects.get(comment=published_comment)
    assert not published_comment.is_public
    assert (moderation.state, moderation.rule) == ("pending", "flagged")
    assert moderation.reason == "Reported by 3 readers."
    story.refresh_from_db()
    assert story.comment_count == 0
    assert "A contested claim." not in Client().get(story.get_absolute_url()).content.decode()


def test_comments_on_a_story_taken_off_the_site_cannot_be_reported(published_comment):
    story = published_comment.content_object
    story.status = story.Status.UNPUBLISHED
    story.headline = "A rewritten headline, not out yet"
    story.save()
    client = reporter_client()
    page = client.get(reverse("discussion:report", args=[published_comment.pk]))
    assert page.status_code == 404
    assert "rewritten headline" not in page.content.decode()
    assert report(client, published_comment).status_code == 404
    assert not CommentReport.objects.exists()
