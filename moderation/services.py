"""The moderators' decisions on comments and readers, with the emails they send authors.

Setting a comment's state, and the log every decision goes into, are the
discussion room's (discussion.services.moderate_comment, log_decision): posting
and readers' reports move comments too.
"""

from django.conf import settings
from django.contrib.sites.models import Site
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from discussion.models import (
    CommentModeration,
    ModerationDecision,
    ModerationPolicy,
    ReaderProfile,
    ReaderStatusChange,
)
from discussion.services import (
    confirmed_addresses,
    log_decision,
    moderate_comment,
    set_reader_status,
    switch_topic,
)
from outbox.services import queue_email
from outbox.unsubscribe import site_url, stoppable_email, unsubscribe_url

# What a reader can stop from the link in the emails these decisions send
# (registered in apps.py under the topic "moderation").
MODERATION_EMAILS = switch_topic(
    "notify_moderation", "when a moderator removes or features one of your comments"
)


@transaction.atomic
def approve_comment(*, comment: XtdComment, by) -> CommentModeration:
    """Publish a comment a moderator has read, overruling the reports made so far."""
    moderation = moderate_comment(
        comment=comment, state=CommentModeration.State.PUBLISHED, by=by, reason="Approved."
    )
    # Only reports made after this approval can take the comment down again.
    comment.reports.filter(overruled_at__isnull=True).update(
        overruled_at=moderation.decided_at, overruled_by=by
    )
    return moderation


@transaction.atomic
def reject_comment(*, comment: XtdComment, by, reason: str) -> CommentModeration:
    """Take a comment down for the moderator's reason; tell its author if the policy says so.

    Only a comment this takes down is told of: one the banned-word rule removed
    at posting, or rejected before, was never shown or was told of already.
    """
    before = CommentModeration.objects.select_for_update().values_list("state", flat=True)
    was_removed = before.get(comment=comment) == CommentModeration.State.REMOVED
    moderation = moderate_comment(
        comment=comment, state=CommentModeration.State.REMOVED, by=by, reason=reason
    )
    if not was_removed and ModerationPolicy.current().email_author_on_rejection:
        _email_author(
            comment=comment,
            about="rejected",
            subject=f"A moderator removed your comment on “{comment.content_object.headline}”",
            reason=moderation.reason,
        )
    return moderation


def _email_author(*, comment: XtdComment, about: str, subject: str, **context) -> None:
    """Queue the email telling a comment's author about a moderator's decision.

    Sent to the author's confirmed address only (none confirmed, no email),
    unless they turned moderators' decisions off (ReaderProfile.notify_moderation),
    and once per comment and kind of decision: featured again after an
    unfeature, or rejected again after an approval, it is not sent twice.
    Stored in the decision's transaction, so it goes with the decision or not
    at all; the outbox sends it after commit (outbox.services).
    """
    if not ReaderProfile.objects.filter(user=comment.user_id, notify_moderation=True).exists():
        return
    address = confirmed_addresses([comment.user_id]).get(comment.user_id)
    if address is None:
        return
    article = comment.content_object
    unsubscribe = unsubscribe_url(user_id=comment.user_id, topic="moderation")
    context = {
        **context,
        "user_name": comment.user_name,
        "comment": comment,
        "article": article,
        "comment_url": site_url(f"{article.get_absolute_url()}#c{comment.pk}"),
        "unsubscribe_url": unsubscribe,
        "site": Site.objects.get_current(),
    }
    template = f"moderation/email/comment_{about}"
    message = stoppable_email(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        html=render_to_string(f"{template}.html", context),
        from_email=settings.COMMENTS_XTD_FROM_EMAIL,
        to=address,
        unsubscribe=unsubscribe,
    )
    queue_email(message=message, key=f"comment-{comment.pk}-author-{about}")


class NotFeaturable(Exception):
    """The comment cannot be featured; the message says why."""


@transaction.atomic
def feature_comment(*, comment: XtdComment, by) -> CommentModeration:
    """Put a published comment among its story's Editors' picks."""
    moderation = CommentModeration.objects.select_for_update().get(comment=comment)
    if moderation.state != CommentModeration.State.PUBLISHED:
        raise NotFeaturable("Only a published comment can be featured; approve it first.")
    if moderation.featured_at is None:
        moderation.featured_at = timezone.now()
        moderation.featured_by = by
        moderation.save(update_fields=["featured_at", "featured_by"])
        log_decision(
            action=ModerationDecision.Action.FEATURE,
            comment=comment,
            by=by,
            reason="",
            at=moderation.featured_at,
        )
        if ModerationPolicy.current().email_author_on_feature:
            _email_author(
                comment=comment,
                about="featured",
                subject="Your comment on "
                f"“{comment.content_object.headline}” is among the editors' picks",
            )
    return moderation


@transaction.atomic
def unfeature_comment(*, comment: XtdComment, by) -> CommentModeration:
    """Take a comment out of the Editors' picks; it stays published."""
    moderation = CommentModeration.objects.select_for_update().get(comment=comment)
    if moderation.featured_at is not None:
        moderation.featured_at = moderation.featured_by = None
        moderation.save(update_fields=["featured_at", "featured_by"])
        log_decision(action=ModerationDecision.Action.UNFEATURE, comment=comment, by=by, reason="")
    return moderation


class OtherComments(models.TextChoices):
    """What a ban does to the reader's comments that are published."""

    KEEP = "keep", "Keep them published"
    REMOVE = "remove", "Take them down"
    REQUEUE = "requeue", "Send them back to the queue"


STATE_FOR_OTHER_COMMENTS = {
    OtherComments.REMOVE: CommentModeration.State.REMOVED,
    OtherComments.REQUEUE: CommentModeration.State.PENDING,
}


def ban_reader(
    *, reader: ReaderProfile, by, reason: str, other_comments: str = OtherComments.KEEP
) -> ReaderStatusChange | None:
    """Ban the reader; None if they are banned already (their record stays as it is).

    `other_comments` (an OtherComments value) says what becomes of the reader's
    published comments: kept, taken down, or sent back to the queue; each one
    moved is logged as a decision with the ban's reason. Comments already held
    or removed stay as they are.
    """
    state = STATE_FOR_OTHER_COMMENTS.get(OtherComments(other_comments))
    if reader.status == ReaderProfile.Status.BANNED:
        return None
    with transaction.atomic():
        change = set_reader_status(
            reader=reader, status=ReaderProfile.Status.BANNED, reason=reason, by=by
        )
        log_decision(
            action=ModerationDecision.Action.BAN,
            comment=None,
            reader=reader,
            by=by,
            reason=reason,
            at=change.changed_at,
        )
        if state is not None:
            published = XtdComment.objects.filter(
                user=reader.user, moderation__state=CommentModeration.State.PUBLISHED
            ).select_related("user__reader")
            # One decision per comment, through moderate_comment: each save is
            # what tells the page cache which story pages changed. Bans are
            # rare; a few queries per comment is the price of pages that are
            # never stale.
            for comment in published:
                moderate_comment(comment=comment, state=state, by=by, reason=reason)
    return change


QUEUE_BAN_REASON = "Banned from the moderation queue."


@transaction.atomic
def ban_authors(
    *,
    comments: list[XtdComment],
    by,
    reason: str = QUEUE_BAN_REASON,
    other_comments: str = OtherComments.KEEP,
) -> list[ReaderProfile]:
    """Ban the readers who wrote `comments`, and remove those comments.

    `reason` goes into each author's history; `other_comments` is the choice
    ban_reader takes for their other published comments. Returns the readers
    newly banned.
    """
    gone = (CommentModeration.State.REMOVED, CommentModeration.State.DELETED)
    for comment in comments:
        if comment.moderation.state not in gone:
            moderate_comment(
                comment=comment,
                state=CommentModeration.State.REMOVED,
                by=by,
                reason="Author banned.",
            )
    authors = {c.user.reader for c in comments if getattr(c.user, "reader", None)}
    return [
        reader
        for reader in authors
        if ban_reader(
            reader=reader,
            by=by,
            reason=reason,
            other_comments=other_comments,
        )
    ]
