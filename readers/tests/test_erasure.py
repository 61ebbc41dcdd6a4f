"""erase_reader: what goes with the account, what stays without the person."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_comments_xtd.models import XtdComment
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from articles.page_tags import comments_on
from articles.tests.factories import make_article, make_staff
from discussion.models import (
    CommentModeration,
    CommentReport,
    ModerationDecision,
    ModerationPolicy,
    ReaderProfile,
    Recommendation,
    StoryFollow,
)
from discussion.services import log_decision, moderate_comment, set_reader_status
from discussion.tests.factories import add_comment, make_moderator, make_reader
from outbox.models import Email
from outbox.services import send_queued_email
from outbox.tests.kit import DATABASE_QUEUE
from pagecache import versions
from readers.models import DataExport
from readers.services import FORMER_READER, ErasureRefused, erase_reader

pytestmark = pytest.mark.django_db
ADDRESS = "ines@example.org"


@pytest.fixture
def story():
    return make_article(headline="Ferry timetable cut")


@pytest.fixture
def reader(story):
    reader = make_reader(email=ADDRESS, display_name="Ines on the ferry", status="trusted")
    add_comment(story, reader, "The winter timetable was always thin.", follow=True)
    return reader


def stored_comment(text):
    return XtdComment.objects.get(comment=text)


def test_the_account_profile_addresses_and_own_rows_are_deleted(reader, story):
    other = make_reader(status="trusted")
    theirs = add_comment(story, other, "A comment to recommend.")
    Recommendation.objects.create(comment=theirs, reader=reader)
    # The fixture's comment ticked "follow this story".
    assert StoryFollow.objects.filter(reader=reader, article=story).exists()
    DataExport.objects.create(reader=reader)
    Authenticator.objects.create(user=reader, type=Authenticator.Type.RECOVERY_CODES, data={})
    user_id = reader.pk

    erase_reader(user=reader)

    assert not get_user_model().objects.filter(pk=user_id).exists()
    assert not EmailAddress.objects.filter(email=ADDRESS).exists()
    assert not ReaderProfile.objects.filter(display_name="Ines on the ferry").exists()
    for model in (Recommendation, StoryFollow, DataExport):
        assert not model.objects.exists(), model
    assert not Authenticator.objects.filter(user_id=user_id).exists()


def test_comments_stay_as_former_reader_with_no_name_address_or_ip(reader, story):
    erase_reader(user=reader)
    comment = stored_comment("The winter timetable was always thin.")
    assert (comment.user_id, comment.user_name, comment.user_email) == (None, FORMER_READER, "")
    assert (comment.ip_address, comment.user_url, comment.followup) == (None, "", False)
    assert comment.moderation.state == CommentModeration.State.PUBLISHED
    story.refresh_from_db()
    assert story.comment_count == 1


def test_with_the_remove_policy_comments_are_removed_through_moderation(reader, story):
    policy = ModerationPolicy.current()
    policy.erased_comments = ModerationPolicy.ErasedComments.REMOVE
    policy.save()
    before = versions.current([comments_on(story.pk)])

    erase_reader(user=reader)

    comment = stored_comment("The winter timetable was always thin.")
    assert comment.moderation.state == CommentModeration.State.REMOVED
    assert comment.moderation.reason == "Its author deleted their account."
    assert (comment.is_public, comment.user_name, comment.user_email) == (False, FORMER_READER, "")
    assert Article.objects.get(pk=story.pk).comment_count == 0
    # The decision is logged, and keeps no trace of the person.
    decision = ModerationDecision.objects.get(comment=comment)
    assert (decision.action, decision.reader, decision.moderator) == ("reject", None, None)
    assert versions.current([comments_on(story.pk)]) != before


def test_the_story_pages_showing_the_name_move_on(reader, story):
    before = versions.current([comments_on(story.pk)])
    erase_reader(user=reader)
    assert versions.current([comments_on(story.pk)]) != before


def test_reports_and_decisions_stay_without_the_person(reader, story):
    moderator = make_moderator()
    other = make_reader(status="trusted")
    theirs = add_comment(story, other, "Reported by the reader.")
    CommentReport.objects.create(comment=theirs, reporter=reader, reason="spam", note="Advert.")
    rejected = add_comment(story, reader, "A comment a moderator rejects.")
    moderate_comment(comment=rejected, state="removed", by=moderator, reason="Off topic.")
    # A ban as moderation.services.ban_reader takes it (that room is above this one).
    set_reader_status(reader=reader.reader, status="banned", reason="Spam again.", by=moderator)
    log_decision(
        action="ban", comment=None, reader=reader.reader, by=moderator, reason="Spam again."
    )

    erase_reader(user=reader)

    report = CommentReport.objects.get(comment=theirs)
    assert (report.reporter, report.reason, report.note) == (None, "spam", "Advert.")
    decisions = ModerationDecision.objects.order_by("pk")
    assert [(d.action, d.reason) for d in decisions] == [
        ("reject", "Off topic."),
        ("ban", "Spam again."),
    ]
    assert all(d.reader is None and d.moderator == moderator for d in decisions)


def test_the_counts_of_comments_they_recommended_are_recounted(reader, story):
    other, third = make_reader(status="trusted"), make_reader(status="trusted")
    theirs = add_comment(story, other, "Recommended twice.")
    for who in (reader, third):
        Recommendation.objects.create(comment=theirs, reader=who)
    CommentModeration.objects.filter(comment=theirs).update(recommendations=2)
    lone = add_comment(story, other, "Recommended once.")
    Recommendation.objects.create(comment=lone, reader=reader)
    CommentModeration.objects.filter(comment=lone).update(recommendations=1)

    erase_reader(user=reader)

    counts = dict(
        CommentModeration.objects.filter(comment__in=[theirs, lone]).values_list(
            "comment__comment", "recommendations"
        )
    )
    assert counts == {"Recommended twice.": 1, "Recommended once.": 0}


def test_emails_to_their_addresses_go_with_their_job_records(reader, settings):
    settings.TASKS = DATABASE_QUEUE
    EmailAddress.objects.create(user=reader, email="ines.old@example.org", verified=True)
    jobs = {}
    for to in (ADDRESS, "INES.old@example.org", "not-ines@example.org", "xines@example.org"):
        email = Email.objects.create(from_email="news@localhost", to=[to], subject="Hi", body=".")
        jobs[to] = send_queued_email.enqueue(email.pk).id
    # A failed job keeps its traceback, whatever a library put in it.
    DBTaskResult.objects.filter(pk=jobs[ADDRESS]).update(
        status=TaskResultStatus.FAILED, traceback=f"SMTPRecipientsRefused: {{'{ADDRESS}': 550}}"
    )

    erase_reader(user=reader)

    assert sorted(address for email in Email.objects.all() for address in email.to) == [
        "not-ines@example.org",
        "xines@example.org",
    ]
    left = {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}
    assert left == {jobs["not-ines@example.org"], jobs["xines@example.org"]}


def stored_session(user):
    """A logged-in session in the database store, recorded as allauth records a login."""
    session = SessionStore()
    session.update({SESSION_KEY: str(user.pk), HASH_SESSION_KEY: user.get_session_auth_hash()})
    session.create()
    UserSession.objects.create(user=user, ip="127.0.0.1", session_key=session.session_key)
    return session.session_key


def test_their_recorded_sessions_are_deleted_from_the_store(reader):
    theirs = [stored_session(reader), stored_session(reader)]
    someone_elses = stored_session(make_reader())

    erase_reader(user=reader)

    assert not Session.objects.filter(session_key__in=theirs).exists()
    assert Session.objects.filter(session_key=someone_elses).exists()
    assert UserSession.objects.get().session_key == someone_elses


def test_staff_accounts_are_refused_and_nothing_is_deleted():
    editor = make_staff()
    with pytest.raises(ErasureRefused, match="staff account"):
        erase_reader(user=editor)
    assert get_user_model().objects.filter(pk=editor.pk).exists()


def test_the_desks_change_history_stays_without_their_name(reader, story):
    moderator = make_moderator()
    comment = stored_comment("The winter timetable was always thin.")
    others = add_comment(story, make_reader(display_name="Harbour pilot"), "Someone else's.")
    for thing in (reader, reader.reader, comment, others):
        LogEntry.objects.create(
            user=moderator,
            content_type=ContentType.objects.get_for_model(thing),
            object_id=str(thing.pk),
            object_repr=str(thing),
            action_flag=CHANGE,
        )

    erase_reader(user=reader)

    assert list(LogEntry.objects.order_by("pk").values_list("object_repr", flat=True)) == [
        FORMER_READER,
        FORMER_READER,
        FORMER_READER,
        str(others),
    ]
    assert LogEntry.objects.filter(user=moderator).count() == 4


def queries_to_erase(comments):
    story = make_article()
    reader = make_reader(status="trusted")
    for number in range(comments):
        add_comment(story, reader, f"Comment number {number}.")
    with CaptureQueriesContext(connection) as erasing:
        erase_reader(user=reader)
    return len(erasing)


def test_keeping_comments_as_former_reader_takes_the_same_queries_for_3_and_30():
    assert queries_to_erase(3) == queries_to_erase(30)
