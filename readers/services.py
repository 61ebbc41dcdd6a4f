"""A reader's data: handing it over (export_reader_data) and erasing it (erase_reader)."""

from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import transaction
from django.db.models import CharField, Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django_comments_xtd.models import XtdComment
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from articles.page_tags import comments_on
from discussion.models import (
    CommentModeration,
    CommentReport,
    ModerationPolicy,
    ReaderProfile,
    Recommendation,
    StoryFollow,
)
from discussion.services import moderate_comment
from outbox.models import Email
from outbox.services import send_queued_email
from pagecache.versions import bump

from .models import DataExport

# How often a reader may download their data: building it reads everything
# they ever wrote, so a script looping on the button would load the database.
EXPORT_INTERVAL = timedelta(hours=24)
FORMER_READER = "Former reader"
EXCERPT_LENGTH = 200


class ExportTooSoon(Exception):
    """The reader downloaded their data less than EXPORT_INTERVAL ago."""

    def __init__(self, next_at: datetime):
        super().__init__(f"The next download is possible from {next_at.isoformat()}.")
        self.next_at = next_at


class ErasureRefused(Exception):
    """This account cannot be erased by its holder; the message says why."""


def erasure_refusal(user) -> str | None:
    """Why the account's holder cannot delete it themselves; None when they can."""
    if user.is_staff or user.is_superuser:
        return (
            "This is a staff account: it belongs to the newsroom, and an administrator closes "
            "it. Ask the editor who manages the desk."
        )
    return None


def next_export_at(*, user) -> datetime | None:
    """When the reader may download their data again; None if they may now."""
    last = DataExport.objects.filter(reader=user).values_list("made_at", flat=True).first()
    if last is None or last + EXPORT_INTERVAL <= timezone.now():
        return None
    return last + EXPORT_INTERVAL


def _time(moment: datetime | None) -> str | None:
    """ISO 8601 with the offset of the site's time zone, as the story pages show times."""
    return timezone.localtime(moment).isoformat() if moment else None


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


@transaction.atomic
def export_reader_data(*, user, site_url: str) -> dict:
    """Everything the site keeps about `user`, as JSON-ready data, and the export recorded.

    `site_url` (scheme and host, no trailing slash) makes the stories' links
    absolute. Raises ExportTooSoon within EXPORT_INTERVAL of the last export.
    The number of queries does not depend on how much the reader wrote. One
    transaction: an export that fails is not counted against the reader.
    """
    # Two clicks at once must not both pass the check below.
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    next_at = next_export_at(user=user)
    if next_at is not None:
        raise ExportTooSoon(next_at)
    DataExport.objects.create(reader=user)
    stories = Article.objects.visible_to(user)

    def story(article):
        if article is None:
            return None  # no longer online, or never was for this reader
        return {"headline": article.headline, "url": site_url + article.get_absolute_url()}

    profile = getattr(user, "reader", None)
    comments = (
        XtdComment.objects.filter(user=user)
        .select_related("moderation")
        .prefetch_related(GenericPrefetch("content_object", [stories]), "edits")
        .order_by("submit_date", "pk")
    )
    reports = CommentReport.objects.filter(reporter=user).select_related("comment")
    recommendations = Recommendation.objects.filter(reader=user).select_related("comment")
    follows = (
        StoryFollow.objects.filter(reader=user)
        .select_related("article")
        .annotate(story_visible=Exists(stories.filter(pk=OuterRef("article_id"))))
    )
    return {
        "exported_at": _time(timezone.now()),
        "account": {
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
            ],
            "date_joined": _time(user.date_joined),
            "last_login": _time(user.last_login),
        },
        "reader_profile": profile
        and {
            "display_name": profile.display_name,
            "status": profile.get_status_display(),
            "suspended_until": _time(profile.suspended_until),
            "email_me_replies_to_my_comments": profile.notify_replies,
            "email_me_moderators_decisions": profile.notify_moderation,
        },
        "comments": [_comment(comment, story) for comment in comments],
        "reports": [
            {
                "comment_excerpt": _excerpt(report.comment.comment),
                "reason": report.get_reason_display(),
                "note": report.note,
                "reported_at": _time(report.reported_at),
            }
            for report in reports
        ],
        "recommendations": [
            {
                "comment_excerpt": _excerpt(recommendation.comment.comment),
                "comment_by": recommendation.comment.user_name,
                "recommended_at": _time(recommendation.created_at),
            }
            for recommendation in recommendations
        ],
        "story_follows": [
            {
                "story": story(follow.article if follow.story_visible else None),
                "since": _time(follow.created_at),
            }
            for follow in follows
        ],
    }


def _comment(comment: XtdComment, story) -> dict:
    moderation = getattr(comment, "moderation", None)
    return {
        "story": story(comment.content_object),
        "text": comment.comment,
        "posted_at": _time(comment.submit_date),
        "reply_to_another_comment": comment.parent_id != comment.pk,
        "state": moderation.get_state_display() if moderation else None,
        "reason": moderation.reason if moderation else None,
        "edited_at": _time(moderation.edited_at) if moderation else None,
        "earlier_texts": [
            {"text": edit.previous_text, "replaced_at": _time(edit.edited_at)}
            for edit in comment.edits.all()
        ],
    }


@transaction.atomic
def erase_reader(*, user) -> None:
    """Delete a reader's account and every trace of them the site keeps, in one transaction.

    Their comments stay signed "Former reader", or are removed, as the
    moderation policy says; either way they keep no name, address or IP.
    Reports they made and moderators' decisions about them stay, without
    them. Their sessions end, and emails to their addresses (sent or waiting)
    are deleted with the job records that name them. Staff accounts are the
    newsroom's to close: ErasureRefused.
    """
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    refusal = erasure_refusal(user)
    if refusal:
        raise ErasureRefused(refusal)
    comments = XtdComment.objects.filter(user=user)
    stories = set(comments.values_list("object_pk", flat=True))
    if ModerationPolicy.current().erased_comments == ModerationPolicy.ErasedComments.REMOVE:
        _remove_comments(comments)
    _drop_name_from_admin_log(user=user, comments=comments)
    comments.update(
        user=None,
        user_name=FORMER_READER,
        user_email="",
        user_url="",
        ip_address=None,
        followup=False,
    )
    stories |= _take_back_recommendations(user)
    _delete_emails_to(
        {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    )
    for session in UserSession.objects.filter(user=user):
        session.end()
    user.delete()
    # Written with update(), which the page cache's signals do not see.
    bump([comments_on(pk) for pk in stories])


def _remove_comments(comments) -> None:
    """Take down each of the comments through the moderation service, as a ban does: each
    decision is logged, and the stories' counts and pages follow."""
    shown = comments.exclude(
        moderation__state__in=[CommentModeration.State.REMOVED, CommentModeration.State.DELETED]
    ).select_related("user__reader")
    for comment in shown:
        moderate_comment(
            comment=comment,
            state=CommentModeration.State.REMOVED,
            by=None,
            reason="Its author deleted their account.",
        )


def _drop_name_from_admin_log(*, user, comments) -> None:
    """The desk's history of changes to the account, its profile and its comments stays;
    the name each entry was written under (an email, a display name) goes."""
    kind = ContentType.objects.get_for_model
    profile = ReaderProfile.objects.filter(user=user).values_list("pk", flat=True).first()
    comment_keys = comments.annotate(key=Cast("pk", CharField())).values("key")
    LogEntry.objects.filter(
        Q(content_type=kind(user), object_id=str(user.pk))
        | Q(content_type=kind(ReaderProfile), object_id=str(profile))
        | Q(content_type=kind(XtdComment), object_id__in=comment_keys)
    ).update(object_repr=FORMER_READER)


def _take_back_recommendations(user) -> set[str]:
    """Delete the reader's recommendations and recount the comments they recommended;
    returns the stories those comments are on."""
    recommended = list(
        Recommendation.objects.filter(reader=user).values_list("comment_id", flat=True)
    )
    if not recommended:
        return set()
    Recommendation.objects.filter(reader=user).delete()
    remaining = (
        Recommendation.objects.filter(comment_id=OuterRef("comment_id"))
        .values("comment_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    CommentModeration.objects.filter(comment_id__in=recommended).update(
        recommendations=Coalesce(Subquery(remaining), 0)
    )
    return set(XtdComment.objects.filter(pk__in=recommended).values_list("object_pk", flat=True))


def _delete_emails_to(addresses: set[str]) -> None:
    """Delete the outbox's emails to any of `addresses`, and the records of their send jobs
    (a failed job's error names its recipient)."""
    wanted = {address.lower() for address in addresses if address}
    candidates = Email.objects.none()
    for address in wanted:
        candidates |= Email.objects.filter(to__icontains=address)
    # icontains also finds longer addresses holding this one; the list must name it.
    ids = [
        email.pk
        for email in candidates.only("pk", "to")
        if wanted & {recipient.lower() for recipient in email.to}
    ]
    if not ids:
        return
    DBTaskResult.objects.filter(
        task_path=send_queued_email.module_path, args_kwargs__args__0__in=ids
    ).delete()
    Email.objects.filter(pk__in=ids).delete()
