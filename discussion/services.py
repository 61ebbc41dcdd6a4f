"""Operations on comments and readers that touch several models: posting, the rules
applied to a text, and the moderators' decisions with the emails they send.

What readers do with comments once posted (editing, recommending, following)
is commenting's (commenting/services.py).
"""

import uuid
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from articles.models import Article
from outbox.services import queue_email
from outbox.unsubscribe import site_url, unsubscribe_headers, unsubscribe_url
from screening.classifier import score as screening_score

from .models import (
    CommentModeration,
    CommentReport,
    ModerationDecision,
    ModerationPolicy,
    ReaderProfile,
    ReaderStatusChange,
    Rule,
    StoryFollow,
)
from .moderation import Action, EarlierPost, RecentHistory, Verdict, judge

DECISION_FOR_STATE = {
    CommentModeration.State.PUBLISHED: ModerationDecision.Action.APPROVE,
    CommentModeration.State.REMOVED: ModerationDecision.Action.REJECT,
    CommentModeration.State.PENDING: ModerationDecision.Action.REQUEUE,
}

STATE_FOR_ACTION = {
    Action.PUBLISH: CommentModeration.State.PUBLISHED,
    Action.HOLD: CommentModeration.State.PENDING,
    Action.REJECT: CommentModeration.State.REMOVED,
}

# Sent with `comment` when a comment is first shown to readers, by posting or by
# a moderator's decision, so that whoever tells others of new comments (the
# follower emails, commenting/apps.py) hears of it without this room knowing them.
comment_published = Signal()


class DeletedByAuthor(ValidationError):
    """A moderator's decision on a comment its author deleted; the message says so."""


class CommentNudged(Exception):
    """A comment handed back to its writer to read again before it is sent; nothing is stored."""


def comments_on(article_id: int):
    return XtdComment.objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_pk=str(article_id)
    )


def sync_comment_count(article_id: int) -> None:
    """Store the story's count of published comments (shown in lists without a query)."""
    count = comments_on(article_id).filter(moderation__state=CommentModeration.State.PUBLISHED)
    Article.objects.filter(pk=article_id).update(comment_count=count.count())


def confirmed_addresses(user_ids) -> dict[int, str]:
    """Each reader's confirmed address (their primary one if several are); readers with none
    are left out."""
    addresses = {}
    confirmed = EmailAddress.objects.filter(user_id__in=user_ids, verified=True)
    for user_id, address in confirmed.order_by("primary").values_list("user_id", "email"):
        addresses[user_id] = address  # the primary one comes last and stays
    return addresses


def follow_story(*, reader, article: Article) -> StoryFollow:
    """Email `reader` about every new comment on the story from now on."""
    follow, _ = StoryFollow.objects.get_or_create(reader=reader, article=article)
    return follow


# The kinds of email a reader can stop from a link in it (outbox.unsubscribe;
# registered in apps.py, and commenting/apps.py for the emails it sends). Each
# takes the reader's id and the topic's argument.


def switch_topic(switch: str, description: str) -> dict:
    """A topic that turns one of the reader's ReaderProfile switches off."""

    def describe(user_id: int, _: str) -> str | None:
        return description if ReaderProfile.objects.filter(user=user_id).exists() else None

    def stop(user_id: int, _: str) -> None:
        ReaderProfile.objects.filter(user=user_id).update(**{switch: False})

    return {"describe": describe, "stop": stop}


MODERATION_EMAILS = switch_topic(
    "notify_moderation", "when a moderator removes or features one of your comments"
)


def _visibility(state: str) -> dict:
    """django-comments-xtd's two flags for a moderation state (its emails read them)."""
    return {
        "is_public": state == CommentModeration.State.PUBLISHED,
        "is_removed": state in (CommentModeration.State.REMOVED, CommentModeration.State.DELETED),
    }


def _reader_record(*, user, policy: ModerationPolicy, now: datetime) -> tuple[bool, RecentHistory]:
    """Whether the reader has a published comment, and their recent history, in one query.

    Only moderators' decisions count toward the history (see RecentHistory),
    each comment once, by where a moderator last put it within the period.
    """
    decided = Q(
        rule=Rule.MODERATOR,
        decided_at__gte=now - timedelta(days=policy.recent_history_days),
        state__in=[CommentModeration.State.PUBLISHED, CommentModeration.State.REMOVED],
    )
    counts = CommentModeration.objects.filter(comment__user=user).aggregate(
        published=Count("pk", filter=Q(state=CommentModeration.State.PUBLISHED)),
        decided=Count("pk", filter=decided),
        rejected=Count("pk", filter=decided & Q(state=CommentModeration.State.REMOVED)),
    )
    return counts["published"] > 0, RecentHistory(
        decided=counts["decided"], rejected=counts["rejected"]
    )


# A reader posting more than this within the repeat window is flooding; the
# rule compares the newest ones.
EARLIER_POSTS_COMPARED = 100


def _earlier_posts(
    *, user, policy: ModerationPolicy, now: datetime, leaving_out: int | None = None
) -> list[EarlierPost]:
    """The reader's comments within the repeat window (but `leaving_out`), newest first,
    with their stories' headlines, in one query (none when the rule is off)."""
    if not policy.repeat_window_minutes:
        return []
    headline = Article.objects.filter(pk=Cast(OuterRef("object_pk"), IntegerField())).values(
        "headline"
    )
    rows = (
        XtdComment.objects.filter(
            user=user,
            content_type=ContentType.objects.get_for_model(Article),
            submit_date__gte=now - timedelta(minutes=policy.repeat_window_minutes),
        )
        .exclude(pk=leaving_out)
        .annotate(headline=Subquery(headline[:1]))
        .order_by("-submit_date")
        .values_list("comment", "object_pk", "headline", "submit_date")[:EARLIER_POSTS_COMPARED]
    )
    return [
        EarlierPost(text=text, article_id=int(pk), headline=title or "", posted_at=at)
        for text, pk, title, at in rows
    ]


def judge_text(
    *,
    text: str,
    reader: ReaderProfile,
    article: Article,
    policy: ModerationPolicy,
    now: datetime,
    editing: XtdComment | None = None,
) -> tuple[Verdict, float | None]:
    """The moderation verdict on a text the reader posts (or puts in place of `editing`'s),
    with the reader's record, and its screening score."""
    has_approved, history = _reader_record(user=reader.user, policy=policy, now=now)
    score = screening_score(text)
    # A comment is no repeat of itself: fixing a comma must not hold it.
    earlier = _earlier_posts(
        user=reader.user, policy=policy, now=now, leaving_out=editing.pk if editing else None
    )
    verdict = judge(
        text=text,
        reader=reader,
        article=article,
        policy=policy,
        has_approved_comment=has_approved,
        score=score,
        recent_history=history,
        earlier_posts=earlier,
        now=now,
    )
    return verdict, score


def post_comment(
    *,
    article: Article,
    reader: ReaderProfile,
    text: str,
    parent: XtdComment | None,
    follow: bool,
    submission_key: uuid.UUID,
    ip_address: str | None,
    policy: ModerationPolicy | None = None,
    nudge: bool = False,
) -> XtdComment:
    """Store a reader's comment as the moderation policy decides (see comment.moderation).

    A repeated submission of the same form returns the comment it created the
    first time. With `nudge` (the writer has not been asked yet), a comment that
    screening would hold raises CommentNudged instead, if the policy asks writers
    to think before they post.
    """
    existing = CommentModeration.objects.filter(submission_key=submission_key).first()
    if existing:
        return existing.comment
    policy = policy or ModerationPolicy.current()
    now = timezone.now()
    verdict, score = judge_text(text=text, reader=reader, article=article, policy=policy, now=now)
    if nudge and policy.nudge_before_posting and verdict.rule == Rule.SCREENING:
        raise CommentNudged(
            "Before you post: this comment may break our rules on abuse. Edit it, or post it "
            "as it is and a moderator will read it before it appears."
        )
    state = STATE_FOR_ACTION[verdict.action]
    try:
        with transaction.atomic():
            comment = XtdComment(
                content_type=ContentType.objects.get_for_model(Article),
                object_pk=str(article.pk),
                site=Site.objects.get_current(),
                user=reader.user,
                user_name=reader.display_name,
                user_email=reader.user.email,
                comment=text,
                submit_date=now,
                ip_address=ip_address,
                parent_id=parent.pk if parent else 0,
                **_visibility(state),
            )
            comment.save()
            CommentModeration.objects.create(
                comment=comment,
                state=state,
                rule=verdict.rule,
                reason=verdict.reason,
                score=score,
                submission_key=submission_key,
            )
            sync_comment_count(article.pk)
            if follow:
                follow_story(reader=reader.user, article=article)
    except IntegrityError:
        # The same form posted twice at once: the other request stored it.
        existing = CommentModeration.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return existing.comment
    if state == CommentModeration.State.PUBLISHED:
        comment_published.send(sender=XtdComment, comment=comment)
    return comment


@transaction.atomic
def moderate_comment(
    *, comment: XtdComment, state: str, by, reason: str = "", rule: str = Rule.MODERATOR
) -> CommentModeration:
    """Set a comment's state by hand (approve, reject, send back to the queue).

    A comment its author deleted stays deleted: approving it would publish
    words the reader took back.
    """
    moderation = CommentModeration.objects.select_for_update().get(comment=comment)
    if moderation.state == CommentModeration.State.DELETED:
        raise DeletedByAuthor("Its author deleted this comment; it can no longer be decided.")
    was_published = moderation.state == CommentModeration.State.PUBLISHED
    moderation.rule = rule
    moderation.reason = reason or CommentModeration.State(state).label
    moderation.decided_by = by
    moderation.decided_at = timezone.now()
    apply_state(comment=comment, moderation=moderation, state=state)
    _log_decision(
        action=DECISION_FOR_STATE[state],
        comment=comment,
        by=by,
        reason=moderation.reason,
        at=moderation.decided_at,
    )
    if state == CommentModeration.State.PUBLISHED and not was_published:
        comment_published.send(sender=XtdComment, comment=comment)
    return moderation


def apply_state(
    *, comment: XtdComment, moderation: CommentModeration, state: str, text_changed=False
) -> None:
    """Save a new state on the moderation row and the comment's flags (and text), and
    recount the story's comments: these saves are what move the story page's cache tags.

    Only the named columns of the comment are written, so a decision taken on a
    copy read before an edit cannot put the earlier text back.
    """
    moderation.state = state
    if state != CommentModeration.State.PUBLISHED:
        moderation.featured_at = moderation.featured_by = None
    moderation.save()
    for flag, value in _visibility(state).items():
        setattr(comment, flag, value)
    comment.save(update_fields=["is_public", "is_removed", *(["comment"] if text_changed else [])])
    sync_comment_count(int(comment.object_pk))


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
    template = f"discussion/email/comment_{about}"
    message = EmailMultiAlternatives(
        " ".join(subject.split()),  # a header cannot hold a line break
        render_to_string(f"{template}.txt", context),
        settings.COMMENTS_XTD_FROM_EMAIL,
        [address],
        headers=unsubscribe_headers(unsubscribe),
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    queue_email(message=message, key=f"comment-{comment.pk}-author-{about}")


def _log_decision(
    *, action: str, comment: XtdComment | None, by, reason: str, at=None, reader=None
):
    if reader is None and comment is not None:
        reader = getattr(comment.user, "reader", None) if comment.user_id else None
    ModerationDecision.objects.create(
        action=action,
        comment=comment,
        reader=reader,
        moderator=by,
        reason=reason,
        decided_at=at or timezone.now(),
    )


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
        _log_decision(
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
        _log_decision(action=ModerationDecision.Action.UNFEATURE, comment=comment, by=by, reason="")
    return moderation


def report_comment(*, comment: XtdComment, reporter, reason: str, note: str = "") -> bool:
    """Record a reader's report; pull the comment back for review at the threshold.

    Every report is kept for moderators; only those of readers in good standing,
    made since a moderator last approved the comment, count toward the threshold.
    Returns False when this reader had already reported the comment.
    """
    try:
        with transaction.atomic():
            CommentReport.objects.create(
                comment=comment, reporter=reporter, reason=reason, note=note
            )
    except IntegrityError:
        return False
    policy = ModerationPolicy.current()
    threshold = policy.flags_to_requeue
    reporters = comment.reports.counting_toward_takedown(policy).count()
    if (
        threshold
        and reporters >= threshold
        and comment.moderation.state == CommentModeration.State.PUBLISHED
    ):
        moderate_comment(
            comment=comment,
            state=CommentModeration.State.PENDING,
            by=None,
            rule=Rule.FLAGGED,
            reason=f"Reported by {reporters} readers.",
        )
    return True


@transaction.atomic
def set_reader_status(
    *,
    reader: ReaderProfile,
    status: str,
    reason: str,
    by,
    until: datetime | None = None,
) -> ReaderStatusChange:
    """Change a reader's standing and keep the record of who did it and why.

    The record's old status is the one stored, whatever `reader` holds in
    memory (a form may have set the new one on it already).
    """
    stored = ReaderProfile.objects.select_for_update().values_list("status", flat=True)
    change = ReaderStatusChange(
        reader=reader,
        old_status=stored.get(pk=reader.pk),
        new_status=status,
        suspended_until=until,
        reason=reason,
        changed_by=by,
    )
    reader.status = status
    reader.suspended_until = until if status == ReaderProfile.Status.SUSPENDED else None
    # The name is not what changes: a reader whose name predates the name rules
    # must still be bannable (forms that edit the name check it themselves).
    reader.full_clean(exclude=["display_name"])
    reader.save()
    change.full_clean()
    change.save()
    return change


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
        _log_decision(
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
