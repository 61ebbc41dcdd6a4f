"""The moderation engine: what happens to a new comment, and why.

Pure decisions over plain values, so each rule is easy to test on its own;
services.py applies the verdict.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
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


def judge(
    *,
    text: str,
    reader: ReaderProfile,
    article,
    policy: ModerationPolicy,
    has_approved_comment: bool,
    score: float | None = None,
) -> Verdict:
    """Decide a new comment's fate; the first rule that applies wins.

    `score` is the screening classifier's (screening.classifier.score) for the text.
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
