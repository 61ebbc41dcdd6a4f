"""What readers do with comments under a story, beyond posting them: edit and delete
their own, recommend others', follow stories and choose their emails, and the emails
that tell followers of new comments.

Posting and the rules a text goes through are discussion's (discussion/services.py);
so is every moderator's decision.
"""

from datetime import timedelta
from math import ceil

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from articles.models import Article
from discussion.models import (
    CommentEdit,
    CommentModeration,
    ModerationPolicy,
    ReaderProfile,
    Recommendation,
    StoryFollow,
)
from discussion.moderation import closed_reason
from discussion.page_tags import recommendations_on
from discussion.services import (
    STATE_FOR_ACTION,
    apply_state,
    confirmed_addresses,
    judge_text,
    switch_topic,
)
from newsroom.jobs import after_commit, background
from outbox.services import queue_email
from outbox.unsubscribe import site_url, stoppable_email, unsubscribe_url
from pagecache.versions import bump


class CommentRefused(Exception):
    """A comment that cannot be taken; the message is for the reader."""


@background()
def email_followers(comment_id: int) -> None:
    """Queue one email to each reader a newly published comment concerns.

    They are the author of the comment it replies to (unless they turned reply
    emails off, or reply to themselves) and the readers following the story.
    Each email says what happened to its reader: a reply to their own comment,
    a reply to someone else's, or a new comment, and its unsubscribe link
    stops what brought it. Each is sent by a job of its own (outbox.services),
    so a mail server that is down delays the emails and costs the comment
    nothing. Run twice, this queues nothing twice: each email is keyed by the
    comment and the recipient's address.
    """
    comment = XtdComment.objects.filter(pk=comment_id, is_public=True, is_removed=False).first()
    if comment is None:
        return  # taken down again before this job ran
    recipients = _recipients(comment)
    if not recipients:
        return
    parent = XtdComment.objects.get(pk=comment.parent_id) if _is_reply(comment) else None
    addresses = confirmed_addresses(recipients)
    names = dict(
        ReaderProfile.objects.filter(user_id__in=recipients).values_list("user", "display_name")
    )
    with transaction.atomic():
        for user_id, topic in recipients.items():
            if user_id not in addresses:
                continue  # no confirmed address to write to
            queue_email(
                message=_follower_email(
                    comment=comment,
                    parent=parent,
                    user_id=user_id,
                    name=names.get(user_id, ""),
                    address=addresses[user_id],
                    topic=topic,
                ),
                key=f"comment-{comment.pk}-follower-{addresses[user_id]}",
            )


def _is_reply(comment: XtdComment) -> bool:
    return comment.parent_id != comment.pk


def _recipients(comment: XtdComment) -> dict[int, str]:
    """Who is emailed about `comment`, each with the unsubscribe topic that stops it.

    A reader both answered and following the story hears once, as the one
    answered: the reply is what they most want to know of.
    """
    article_id = int(comment.object_pk)
    followers = StoryFollow.objects.filter(article_id=article_id).exclude(reader=comment.user_id)
    recipients = {
        reader: f"story:{article_id}" for reader in followers.values_list("reader", flat=True)
    }
    if _is_reply(comment):
        answered = (
            ReaderProfile.objects.filter(
                notify_replies=True,
                user__in=XtdComment.objects.filter(pk=comment.parent_id).values("user"),
            )
            .exclude(user=comment.user_id)
            .values_list("user", flat=True)
            .first()
        )
        if answered is not None:
            recipients[answered] = "replies"
    return recipients


def email_followers_on_publish(sender, comment: XtdComment, **kwargs) -> None:
    """Receives discussion's comment_published (connected in apps.py)."""
    # Most comments concern nobody else: no job for them.
    if _recipients(comment):
        after_commit(email_followers, comment.pk)


def _follower_email(
    *,
    comment: XtdComment,
    parent: XtdComment | None,
    user_id: int,
    name: str,
    address: str,
    topic: str,
) -> EmailMultiAlternatives:
    """The email to one reader, worded for what the comment is to them."""
    headline = comment.content_object.headline
    if parent is None:
        subject = f"A new comment on “{headline}”"
        summary = f"{comment.user_name} commented on “{headline}”"
    elif parent.user_id == user_id:
        subject = summary = f"{comment.user_name} replied to your comment on “{headline}”"
    else:
        subject = f"A new reply in the discussion of “{headline}”"
        summary = (
            f"{comment.user_name} replied to {parent.user_name} in the discussion of “{headline}”"
        )
    unsubscribe = unsubscribe_url(user_id=user_id, topic=topic)
    body = render_to_string(
        "django_comments_xtd/email_followup_comment.txt",
        {
            "user_name": name,
            "summary": summary,
            "comment": comment,
            "comment_url": site_url(f"{comment.content_object.get_absolute_url()}#c{comment.pk}"),
            "follows_story": topic.startswith("story:"),
            "unsubscribe_url": unsubscribe,
            "site": comment.site,
        },
    )
    return stoppable_email(
        subject=subject,
        body=body,
        from_email=settings.COMMENTS_XTD_FROM_EMAIL,
        to=address,
        unsubscribe=unsubscribe,
    )


def unfollow_story(*, reader_id: int, article_id: int) -> bool:
    """Stop the story's emails to the reader; False if they did not follow it."""
    deleted, _ = StoryFollow.objects.filter(reader=reader_id, article=article_id).delete()
    return bool(deleted)


def set_notifications(*, reader: ReaderProfile, replies: bool, moderation: bool) -> None:
    """Switch the reader's reply and moderation emails on or off.

    Written with update(): the switches show on no page, so the page cache
    has nothing to refresh (a save would move the tags of the reader's pages).
    """
    ReaderProfile.objects.filter(pk=reader.pk).update(
        notify_replies=replies, notify_moderation=moderation
    )
    reader.notify_replies, reader.notify_moderation = replies, moderation


# The kinds of email this room sends that a reader can stop from a link in them
# (outbox.unsubscribe; registered in apps.py, as discussion's are in its own).


REPLY_EMAILS = switch_topic("notify_replies", "when someone replies to your comments")


def describe_story_emails(user_id: int, article_id: str) -> str | None:
    if not article_id.isdigit() or not get_user_model().objects.filter(pk=user_id).exists():
        return None
    headline = Article.objects.filter(pk=article_id).values_list("headline", flat=True).first()
    return None if headline is None else f"about new comments on “{headline}”"


def stop_story_emails(user_id: int, article_id: str) -> None:
    unfollow_story(reader_id=user_id, article_id=int(article_id))


STORY_EMAILS = {"describe": describe_story_emails, "stop": stop_story_emails}


def _refuse_unless_author(comment: XtdComment, by) -> None:
    if not by.is_authenticated or comment.user_id != by.pk:
        raise PermissionDenied("Only its author can change a comment.")


def edit_minutes_left(comment: XtdComment, policy: ModerationPolicy, now=None) -> int:
    """Whole minutes (rounded up) the author has left to edit the comment; 0 when none."""
    if not policy.edit_window_minutes:
        return 0
    closes = comment.submit_date + timedelta(minutes=policy.edit_window_minutes)
    return max(0, ceil((closes - (now or timezone.now())).total_seconds() / 60))


def edit_refusal(comment: XtdComment, policy: ModerationPolicy, now=None) -> str | None:
    """Why the comment's author cannot edit it now, or None when they can."""
    state = comment.moderation.state
    if state in (CommentModeration.State.REMOVED, CommentModeration.State.DELETED):
        label = CommentModeration.State(state).label.lower()
        return f"This comment can no longer be edited: {label}."
    if not policy.edit_window_minutes:
        return "Comments cannot be edited on this site."
    if not edit_minutes_left(comment, policy, now):
        return (
            f"Comments can be edited for {policy.edit_window_minutes} minutes after posting; "
            "the time for this one is up, so it stays as it was."
        )
    return None


@transaction.atomic
def edit_comment(*, comment: XtdComment, by, text: str) -> CommentModeration:
    """Put the author's new text in place of their comment's, through the rules again.

    Only the author, within the policy's edit window from posting (server
    time), and not once the comment is removed or deleted. The earlier text is
    kept for moderators. The new text is judged as a new comment would be,
    with the reader's record: a published comment whose new text would be
    held goes back to the queue, a banned word removes it, and a comment
    waiting for a moderator keeps waiting whatever the new text. There is no
    "think before you post" here: the comment is out already, and an edit
    the rules would hold waits for a moderator like any held comment.
    Returns the comment's moderation, whose reason says what happened.
    """
    _refuse_unless_author(comment, by)
    moderation = CommentModeration.objects.select_for_update().get(comment=comment)
    comment.moderation = moderation
    State = CommentModeration.State
    policy = ModerationPolicy.current()
    now = timezone.now()
    refusal = edit_refusal(comment, policy, now)
    if refusal:
        raise CommentRefused(refusal)
    if text == comment.comment:
        return moderation
    article = comment.content_object
    # A reader who may no longer comment here (banned, suspended, the story
    # closed) may not change what they said either.
    reader = refuse_unless_reader_may_comment(user=by, article=article, policy=policy)
    verdict, score = judge_text(
        text=text, reader=reader, article=article, policy=policy, now=now, editing=comment
    )
    CommentEdit.objects.create(comment=comment, previous_text=comment.comment, edited_at=now)
    comment.comment = text
    moderation.edited_at = now
    moderation.score = score
    state = STATE_FOR_ACTION[verdict.action]
    if moderation.state == State.PENDING and state == State.PUBLISHED:
        state = State.PENDING  # still waits for the moderator who was to read it
    else:
        # The rules, not a moderator, decided on this text.
        moderation.rule, moderation.reason = verdict.rule, verdict.reason
        moderation.decided_by, moderation.decided_at = None, now
    apply_state(comment=comment, moderation=moderation, state=state, text_changed=True)
    return moderation


@transaction.atomic
def delete_comment(*, comment: XtdComment, by) -> CommentModeration:
    """Take the author's comment off the site at their request.

    Readers no longer see it (a placeholder keeps the place of its shown
    replies); moderators keep the row, its text and how it stood. Deleting
    twice changes nothing. A comment a moderator or a rule removed is left
    as it is: it shows nowhere, and its record stays the reader's.
    """
    _refuse_unless_author(comment, by)
    moderation = CommentModeration.objects.select_for_update().get(comment=comment)
    if moderation.state == CommentModeration.State.REMOVED:
        raise CommentRefused("This comment was removed by moderation; it is not shown already.")
    if moderation.state != CommentModeration.State.DELETED:
        apply_state(comment=comment, moderation=moderation, state=CommentModeration.State.DELETED)
    return moderation


def refuse_unless_reader_may_comment(
    *, user, article: Article, policy: ModerationPolicy | None = None
) -> ReaderProfile:
    """The reader's profile if they may comment on the story now; else CommentRefused."""
    reason = closed_reason(article, policy or ModerationPolicy.current())
    if reason:
        raise CommentRefused(reason)
    reader = getattr(user, "reader", None)
    if reader is None:
        raise CommentRefused("Choose a display name before you comment.")
    if not user.emailaddress_set.filter(verified=True).exists():
        raise CommentRefused(
            "Confirm your email address before you comment: follow the link we sent you."
        )
    if reader.status == ReaderProfile.Status.BANNED:
        raise CommentRefused("Your account can no longer comment.")
    if reader.is_suspended():
        until = timezone.localtime(reader.suspended_until)
        raise CommentRefused(f"Your account can comment again after {until:%d %B %Y, %H:%M}.")
    return reader


class RecommendationRefused(CommentRefused):
    """A recommendation that cannot be made or taken back; the message is for the reader."""


def recommend_comment(*, comment: XtdComment, reader) -> int:
    """Record that `reader` (an account) recommends someone else's published comment.

    The reader must be one who may take part in the story's discussion now (as
    for commenting). Returns the comment's new count. Two requests at once
    cannot both count: the second breaks the one-per-reader constraint and is
    refused as a repeat, with the count untouched.
    """
    if comment.user_id == reader.pk:
        raise RecommendationRefused("You cannot recommend your own comment.")
    refuse_unless_reader_may_comment(user=reader, article=comment.content_object)
    try:
        with transaction.atomic():
            # Counting only a published comment, in the same statement that
            # checks it, leaves no moment for a moderator to hide it between.
            counted = CommentModeration.objects.filter(
                comment=comment, state=CommentModeration.State.PUBLISHED
            ).update(recommendations=F("recommendations") + 1)
            if not counted:
                raise RecommendationRefused(
                    "This comment is no longer shown, so it cannot be recommended."
                )
            Recommendation.objects.create(comment=comment, reader=reader)
            bump([recommendations_on(comment.object_pk)])
    except IntegrityError:
        raise RecommendationRefused("You already recommend this comment.") from None
    return _recommendations_of(comment)


def withdraw_recommendation(*, comment: XtdComment, reader) -> int:
    """Take back the reader's recommendation of a comment; returns the comment's new count.

    Allowed whatever has become of the comment or the reader's standing since:
    a reader's recommendation is theirs to withdraw.
    """
    with transaction.atomic():
        # Two withdrawals at once: the second deletes nothing and counts nothing.
        deleted, _ = Recommendation.objects.filter(comment=comment, reader=reader).delete()
        if not deleted:
            raise RecommendationRefused("You do not recommend this comment.")
        CommentModeration.objects.filter(comment=comment).update(
            recommendations=F("recommendations") - 1
        )
        bump([recommendations_on(comment.object_pk)])
    return _recommendations_of(comment)


def _recommendations_of(comment: XtdComment) -> int:
    return CommentModeration.objects.values_list("recommendations", flat=True).get(comment=comment)
