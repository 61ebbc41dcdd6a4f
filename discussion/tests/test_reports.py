from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.tests.factories import make_article
from discussion.models import CommentModeration, CommentReport, ModerationPolicy

from .factories import (
    add_comment,
    make_moderator,
    make_reader,
    make_reader_in_good_standing,
    state_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_comment():
    author = make_reader(status="trusted")
    comment = add_comment(make_article(), author, "A contested claim.")
    assert comment.moderation.state == "published"
    return comment


def reporter_client(user=None):
    client = Client()
    client.force_login(user or make_reader())
    return client


def report(client, comment, reason="misinformation", note=""):
    return client.post(
        reverse("commenting:report", args=[comment.pk]), {"reason": reason, "note": note}
    )


def test_reader_reports_with_a_reason(published_comment):
    client = reporter_client()
    page = client.get(reverse("commenting:report", args=[published_comment.pk]))
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
    response = Client().post(reverse("commenting:report", args=[published_comment.pk]), {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_enough_distinct_reports_pull_the_comment_back_into_the_queue(published_comment):
    policy = ModerationPolicy.current()
    policy.flags_to_requeue = 3
    policy.save()
    story = published_comment.content_object
    for _ in range(2):
        report(reporter_client(make_reader_in_good_standing()), published_comment)
    published_comment.refresh_from_db()
    assert published_comment.is_public
    report(reporter_client(make_reader_in_good_standing()), published_comment)
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
    page = client.get(reverse("commenting:report", args=[published_comment.pk]))
    assert page.status_code == 404
    assert "rewritten headline" not in page.content.decode()
    assert report(client, published_comment).status_code == 404
    assert not CommentReport.objects.exists()


def test_reports_from_throwaway_accounts_are_kept_but_do_not_take_a_comment_down(
    published_comment,
):
    for _ in range(5):
        client = reporter_client()  # confirmed, but created a moment ago with no comment
        response = report(client, published_comment)
        assert "Thank you." in client.get(response["Location"]).content.decode()
    assert state_of(published_comment) == "published"
    assert CommentReport.objects.filter(comment=published_comment).count() == 5


def backdated(user, days):
    get_user_model().objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - timedelta(days=days)
    )
    return user


@pytest.mark.parametrize(
    "third_reporter",
    [
        lambda: backdated(make_reader(), days=30),  # old account, but nothing approved
        lambda: backdated(make_reader_in_good_standing(), days=0),  # approved, but brand new
        lambda: make_reader_in_good_standing(verified=False),
        lambda: make_reader_in_good_standing(status="banned"),
        lambda: make_reader_in_good_standing(
            status="suspended", suspended_until=timezone.now() + timedelta(days=3)
        ),
    ],
    ids=["nothing-approved", "new-account", "unconfirmed", "banned", "suspended"],
)
def test_only_readers_in_good_standing_count_toward_the_threshold(
    published_comment, third_reporter
):
    for user in (make_reader_in_good_standing(), make_reader_in_good_standing(), third_reporter()):
        report(reporter_client(user), published_comment)
    assert CommentReport.objects.filter(comment=published_comment).count() == 3
    assert state_of(published_comment) == "published"


def test_the_policy_sets_what_good_standing_is(published_comment):
    policy = ModerationPolicy.current()
    policy.report_min_account_days, policy.report_min_approved_comments = 0, 0
    policy.save()
    for _ in range(3):
        report(reporter_client(), published_comment)
    assert state_of(published_comment) == "pending"


def test_a_moderators_approval_overrules_the_reports_before_it(published_comment):
    reporters = [make_reader_in_good_standing() for _ in range(3)]
    for user in reporters:
        report(reporter_client(user), published_comment)
    assert state_of(published_comment) == "pending"
    desk = Client()
    moderator = make_moderator()
    desk.force_login(moderator)
    desk.post(reverse("admin:discussion_approve", args=[published_comment.pk]))
    assert state_of(published_comment) == "published"
    assert set(
        CommentReport.objects.filter(comment=published_comment).values_list(
            "overruled_by", flat=True
        )
    ) == {moderator.pk}

    # The same readers cannot pull it again, and new reports start a new count.
    for user in reporters:
        client = reporter_client(user)
        response = report(client, published_comment)
        assert "already reported" in client.get(response["Location"]).content.decode()
    for _ in range(2):
        report(reporter_client(make_reader_in_good_standing()), published_comment)
    assert state_of(published_comment) == "published"
    report(reporter_client(make_reader_in_good_standing()), published_comment)
    moderation = CommentModeration.objects.get(comment=published_comment)
    assert (moderation.state, moderation.reason) == ("pending", "Reported by 3 readers.")
