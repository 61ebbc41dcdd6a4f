"""The moderation engine: what happens to a new comment, and why.

Pure decisions over plain values, so each rule is easy to test on its own;
services.py applies the verdict.
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.utils import timezone

from .models import ModerationPolicy, ReaderProfile, Rule

LINK_PATTERN = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


class Action(StrEnum):
    PUBLISH = "publish"
    HOLD = "hold"
    REJECT = "reject"


@dataclass(frozen=True)
class Verdict:
    action: Action
    rule: Rule
    reason: str


def find_listed_word(text: str, words: list[str]) -> str | None:
    """The first listed word or phrase in the text, as a whole word, ignoring case."""
    for word in words:
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE):
            return word
    return None


def count_links(text: str) -> int:
    return len(LINK_PATTERN.findall(text))


@dataclass(frozen=True)
class RecentHistory:
    """How moderators decided a reader's comments over the policy's recent days.

    Counted once per comment, by where a moderator last put it: published
    (approved) or removed (rejected). Comments the rules published or removed
    on their own, and those waiting, are not decisions about the reader.
    """

    decided: int
    rejected: int


@dataclass(frozen=True)
class EarlierPost:
    """A comment the reader posted shortly before, as the repeat-post rule compares it."""

    text: str
    article_id: int
    headline: str
    posted_at: datetime


def normalise_for_comparison(text: str) -> str:
    """The text as the repeat-post rule compares it: case, spacing and punctuation ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(" " if unicodedata.category(c).startswith("P") else c for c in folded)
    return " ".join(kept.split())


def find_repeat(
    text: str, earlier: Sequence[EarlierPost], *, since: datetime
) -> EarlierPost | None:
    """The most recent of the earlier posts since `since` with the same text, if any."""
    wanted = normalise_for_comparison(text)
    recent = [post for post in earlier if post.posted_at >= since]
    for post in sorted(recent, key=lambda post: post.posted_at, reverse=True):
        if normalise_for_comparison(post.text) == wanted:
            return post
    return None


def _repeat_verdict(text, article, policy, earlier, now) -> Verdict | None:
    if not policy.repeat_window_minutes:
        return None
    window = timedelta(minutes=policy.repeat_window_minutes)
    repeat = find_repeat(text, earlier, since=now - window)
    if repeat is None:
        return None
    minutes = int((now - repeat.posted_at).total_seconds() // 60)
    ago = {0: "less than a minute ago", 1: "a minute ago"}.get(minutes, f"{minutes} minutes ago")
    where = "on this story" if repeat.article_id == article.pk else f"on “{repeat.headline}”"
    return Verdict(Action.HOLD, Rule.REPEAT_POST, f"The reader posted the same text {ago} {where}.")


def _recent_history_verdict(policy, history: RecentHistory | None) -> Verdict | None:
    if not policy.recent_history_days or history is None:
        return None
    if history.decided < policy.recent_history_min_decided:
        return None
    # Compared in whole numbers: no rounding decides whether a reader is held.
    if history.rejected * 100 <= policy.recent_history_rejected_percent * history.decided:
        return None
    days = policy.recent_history_days
    period = "day" if days == 1 else f"{days} days"
    return Verdict(
        Action.HOLD,
        Rule.RECENT_HISTORY,
        f"{history.rejected} of this reader's {history.decided} comments decided in the last "
        f"{period} were rejected.",
    )


def judge(
    *,
    text: str,
    reader: ReaderProfile,
    article,
    policy: ModerationPolicy,
    has_approved_comment: bool,
    score: float | None = None,
    recent_history: RecentHistory | None = None,
    earlier_posts: Sequence[EarlierPost] = (),
    now: datetime | None = None,
) -> Verdict:
    """Decide a new comment's fate; the first rule that applies wins.

    `score` is the screening classifier's (screening.classifier.score) for the
    text; `recent_history` and `earlier_posts` are the reader's record as
    services.py gathers it. Left out, their rules do not apply.
    """
    banned = find_listed_word(text, policy.banned_word_list)
    if banned:
        return Verdict(Action.REJECT, Rule.BANNED_WORD, f"Contains a banned word (“{banned}”).")
    # Screening comes before trust and pre-moderation, which judge who writes and
    # where; the score judges this text. A trusted reader's comment appears at once,
    # and a trusted account can lose its temper or be taken over, so a likely abusive
    # comment waits like anyone's: a short wait for a rare comment, against abuse on
    # the page. Pre-moderation would hold it too; this rule names the better reason.
    threshold = policy.screening_threshold
    if score is not None and threshold is not None and score >= threshold:
        return Verdict(Action.HOLD, Rule.SCREENING, f"Possibly abusive, score {score:.2f}.")
    # Both come before the reader's status and pre-moderation. A trusted
    # status is a moderator's judgement from the past; moderators' decisions
    # of the last days are newer evidence, so they hold trusted readers too
    # (Coral lets only staff skip its recent-history rule, and staff here
    # comment as readers). A repeated text is a slip or a flood whoever sends
    # it. And a comment held anyway shows moderators the reason that is about
    # this reader or this text, not "every comment is reviewed".
    repeat = _repeat_verdict(text, article, policy, earlier_posts, now or timezone.now())
    if repeat:
        return repeat
    history = _recent_history_verdict(policy, recent_history)
    if history:
        return history
    # Pre-moderation holds everyone, trusted readers included: a legally
    # sensitive story must not show any comment before a moderator has read it.
    if policy.premoderate_all:
        return Verdict(Action.HOLD, Rule.PREMODERATE_SITE, "Every comment is reviewed for now.")
    if article.section is not None and article.section.premoderate_comments:
        return Verdict(
            Action.HOLD,
            Rule.PREMODERATE_SECTION,
            f"Comments in {article.section.name} are reviewed before they appear.",
        )
    if article.premoderate_comments:
        return Verdict(
            Action.HOLD,
            Rule.PREMODERATE_ARTICLE,
            "Comments on this story are reviewed before they appear.",
        )
    if reader.status == ReaderProfile.Status.TRUSTED:
        return Verdict(Action.PUBLISH, Rule.TRUSTED, "Trusted reader.")
    if reader.status == ReaderProfile.Status.PREMODERATED:
        return Verdict(
            Action.HOLD, Rule.PREMODERATE_READER, "This reader's comments are always reviewed."
        )
    if policy.hold_first_comments and not has_approved_comment:
        return Verdict(
            Action.HOLD,
            Rule.FIRST_COMMENT,
            "First comments are reviewed; once one is approved, the next ones appear at once.",
        )
    links = count_links(text)
    if links > policy.max_links:
        return Verdict(
            Action.HOLD,
            Rule.TOO_MANY_LINKS,
            f"Has {links} links; comments with more than {policy.max_links} are reviewed.",
        )
    suspect = find_listed_word(text, policy.suspect_word_list)
    if suspect:
        return Verdict(Action.HOLD, Rule.SUSPECT_WORD, f"Contains “{suspect}”, which is reviewed.")
    return Verdict(Action.PUBLISH, Rule.PASSED, "Passed every rule.")


def closed_reason(article, policy: ModerationPolicy, now=None) -> str | None:
    """Why readers cannot comment on the story now, or None when they can."""
    if article.is_retracted:
        return "Comments are closed: this story was retracted."
    if not article.comments_enabled:
        return "Comments are closed for this story."
    days = article.comments_close_after_days
    if days is None:
        days = policy.close_after_days
    opened = article.first_published_at or article.publish_at
    if days and opened and (now or timezone.now()) >= opened + timedelta(days=days):
        return f"Comments closed {days} days after publication."
    return None
