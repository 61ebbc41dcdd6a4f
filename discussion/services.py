"""Operations on comments and readers that touch several models: posting, the rules
applied to a text, setting a comment's state and logging who set it, reports, and a
reader's standing.

What readers do with comments once posted (editing, recommending, following)
is commenting's (commenting/services.py); the moderators' decisions (approve,
reject, feature, ban) and the emails they send authors are moderation's
(moderation/services.py).
"""

import uuid
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.dispatch import Signal
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from articles.models import Article
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
# registered by the rooms that send them, commenting/apps.py and
# moderation/apps.py). Each takes the reader's id and the topic's argument.


def switch_topic(switch: str, description: str) -> dict:
    """A topic that turns one of the reader's ReaderProfile switches off."""

    def describe(user_id: int, _: str) -> str | None:
        return description if ReaderProfile.objects.filter(user=user_id).exists() else None

    def stop(user_id: int, _: str) -> None:
        ReaderProfile.objects.filter(user=user_id).update(**{switch: False})

    return {"describe": describe, "stop": stop}


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
    log_decision(
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


def log_decision(*, action: str, comment: XtdComment | None, by, reason: str, at=None, reader=None):
    """Add a decision to the moderation log (ModerationDecision), naming the comment's author
    unless `reader` is given (a ban has no comment)."""
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
