"""Every rule of the moderation engine, each with a case where it fires and one where it doesn't."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Section
from discussion.models import ModerationPolicy, ReaderProfile, Rule
from discussion.moderation import (
    Action,
    EarlierPost,
    RecentHistory,
    closed_reason,
    count_links,
    find_listed_word,
    find_repeat,
    judge,
    normalise_for_comparison,
)


def policy(**fields):
    defaults = {
        "premoderate_all": False,
        "hold_first_comments": False,
        "max_links": 2,
        "suspect_words": "",
        "banned_words": "",
        "close_after_days": 14,
    }
    return ModerationPolicy(**{**defaults, **fields})


def reader(status=ReaderProfile.Status.NORMAL):
    return ReaderProfile(display_name="Reader", status=status)


def article(**fields):
    return Article(section=Section(name="World", premoderate_comments=False), **fields)


def verdict(
    text="A fair point.",
    *,
    rules=None,
    who=None,
    story=None,
    approved_before=True,
    score=None,
    **record,
):
    return judge(
        text=text,
        reader=who or reader(),
        article=story or article(),
        policy=rules or policy(),
        has_approved_comment=approved_before,
        score=score,
        **record,
    )


def test_an_ordinary_comment_is_published():
    result = verdict()
    assert (result.action, result.rule) == (Action.PUBLISH, Rule.PASSED)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You are a Scoundrel.", "scoundrel"),
        ("SCOUNDREL!", "scoundrel"),
        ("scoundrels everywhere", None),  # whole words only
        ("a noscoundrel word", None),
        ("The harbour mafia runs it", "harbour mafia"),
    ],
)
def test_listed_words_match_whole_words_ignoring_case(text, expected):
    assert find_listed_word(text, ["scoundrel", "harbour mafia"]) == expected


def test_banned_word_rejects_and_says_which():
    result = verdict("What a scoundrel.", rules=policy(banned_words="scoundrel\n"))
    assert (result.action, result.rule) == (Action.REJECT, Rule.BANNED_WORD)
    assert "scoundrel" in result.reason
    assert (
        verdict("What a scholar.", rules=policy(banned_words="scoundrel")).action == Action.PUBLISH
    )


def test_banned_word_rejects_even_a_trusted_reader():
    result = verdict(
        "scoundrel",
        rules=policy(banned_words="scoundrel"),
        who=reader(ReaderProfile.Status.TRUSTED),
    )
    assert result.action == Action.REJECT


def test_suspect_word_holds():
    result = verdict("Is this a hoax?", rules=policy(suspect_words="hoax"))
    assert (result.action, result.rule) == (Action.HOLD, Rule.SUSPECT_WORD)
    assert verdict("Is this a hoaxer?", rules=policy(suspect_words="hoax")).action == Action.PUBLISH


def test_more_links_than_allowed_holds():
    three = "See https://a.example/1 and http://b.example/2 and www.c.example"
    assert count_links(three) == 3
    result = verdict(three, rules=policy(max_links=2))
    assert (result.action, result.rule) == (Action.HOLD, Rule.TOO_MANY_LINKS)
    assert verdict(three, rules=policy(max_links=3)).action == Action.PUBLISH


def test_first_comment_is_held_until_one_is_approved():
    rules = policy(hold_first_comments=True)
    result = verdict(rules=rules, approved_before=False)
    assert (result.action, result.rule) == (Action.HOLD, Rule.FIRST_COMMENT)
    assert verdict(rules=rules, approved_before=True).action == Action.PUBLISH
    assert verdict(rules=policy(hold_first_comments=False), approved_before=False).action == (
        Action.PUBLISH
    )


def test_site_wide_premoderation_holds_everything():
    result = verdict(rules=policy(premoderate_all=True))
    assert (result.action, result.rule) == (Action.HOLD, Rule.PREMODERATE_SITE)


def test_section_premoderation_holds_only_that_section():
    story = Article(section=Section(name="Politics", premoderate_comments=True))
    result = verdict(story=story)
    assert (result.action, result.rule) == (Action.HOLD, Rule.PREMODERATE_SECTION)
    assert "Politics" in result.reason
    assert verdict(story=article()).action == Action.PUBLISH


def test_story_premoderation_holds():
    result = verdict(story=article(premoderate_comments=True))
    assert (result.action, result.rule) == (Action.HOLD, Rule.PREMODERATE_ARTICLE)


def test_reader_always_reviewed_is_held():
    result = verdict(who=reader(ReaderProfile.Status.PREMODERATED))
    assert (result.action, result.rule) == (Action.HOLD, Rule.PREMODERATE_READER)


@pytest.mark.parametrize(
    ("rules", "story", "rule"),
    [
        ({"premoderate_all": True}, {}, Rule.PREMODERATE_SITE),
        (
            {},
            {"section": Section(name="Courts", premoderate_comments=True)},
            Rule.PREMODERATE_SECTION,
        ),
        ({}, {"premoderate_comments": True}, Rule.PREMODERATE_ARTICLE),
    ],
    ids=["site", "section", "story"],
)
def test_premoderation_holds_trusted_readers_too(rules, story, rule):
    result = verdict(
        rules=policy(**rules),
        who=reader(ReaderProfile.Status.TRUSTED),
        story=Article(**{"section": Section(name="World", premoderate_comments=False), **story}),
    )
    assert (result.action, result.rule) == (Action.HOLD, rule)


def test_trusted_reader_skips_the_first_comment_link_and_suspect_word_holds():
    result = verdict(
        "hoax https://a.example https://b.example https://c.example",
        rules=policy(hold_first_comments=True, suspect_words="hoax"),
        who=reader(ReaderProfile.Status.TRUSTED),
        approved_before=False,
    )
    assert (result.action, result.rule) == (Action.PUBLISH, Rule.TRUSTED)


class TestRecentHistory:
    rules = policy(
        recent_history_days=7, recent_history_min_decided=3, recent_history_rejected_percent=30
    )

    def test_holds_while_more_than_the_share_was_rejected(self):
        result = verdict(rules=self.rules, recent_history=RecentHistory(decided=6, rejected=4))
        assert (result.action, result.rule) == (Action.HOLD, Rule.RECENT_HISTORY)
        assert result.reason == (
            "4 of this reader's 6 comments decided in the last 7 days were rejected."
        )

    @pytest.mark.parametrize(
        ("decided", "rejected"),
        [(10, 3), (2, 2), (0, 0)],
        ids=["exactly-the-share", "too-few-decided", "no-record"],
    )
    def test_publishes_at_the_share_or_below_the_minimum(self, decided, rejected):
        history = RecentHistory(decided=decided, rejected=rejected)
        assert verdict(rules=self.rules, recent_history=history).action == Action.PUBLISH

    def test_just_above_the_share_holds(self):
        history = RecentHistory(decided=10, rejected=4)
        assert verdict(rules=self.rules, recent_history=history).action == Action.HOLD

    def test_zero_days_switches_it_off(self):
        rules = policy(recent_history_days=0, recent_history_min_decided=1)
        history = RecentHistory(decided=5, rejected=5)
        assert verdict(rules=rules, recent_history=history).action == Action.PUBLISH

    def test_trusted_readers_are_held_too(self):
        result = verdict(
            rules=self.rules,
            who=reader(ReaderProfile.Status.TRUSTED),
            recent_history=RecentHistory(decided=3, rejected=3),
        )
        assert (result.action, result.rule) == (Action.HOLD, Rule.RECENT_HISTORY)

    def test_a_banned_word_still_rejects(self):
        result = verdict(
            "scoundrel",
            rules=policy(banned_words="scoundrel", recent_history_min_decided=1),
            recent_history=RecentHistory(decided=3, rejected=3),
        )
        assert result.action == Action.REJECT


class TestRepeatPosts:
    now = timezone.now()
    rules = policy(repeat_window_minutes=10)

    def earlier(self, text, minutes_ago, article_id=1, headline="Tide tables"):
        return EarlierPost(
            text=text,
            article_id=article_id,
            headline=headline,
            posted_at=self.now - timedelta(minutes=minutes_ago),
        )

    def judge_repeat(self, text, *earlier, story_id=1, **rules):
        return verdict(
            text,
            rules=policy(**{"repeat_window_minutes": 10, **rules}),
            story=article(pk=story_id),
            earlier_posts=earlier,
            now=self.now,
        )

    @pytest.mark.parametrize(
        "again",
        ["great point, well made", "  GREAT point -- well made!!! ", "Great\npoint; well made."],
    )
    def test_the_same_text_ignoring_case_spacing_and_punctuation_is_held(self, again):
        assert normalise_for_comparison(again) == normalise_for_comparison(
            "Great point, well made."
        )
        result = self.judge_repeat(again, self.earlier("Great point, well made.", 3))
        assert (result.action, result.rule) == (Action.HOLD, Rule.REPEAT_POST)
        assert result.reason == "The reader posted the same text 3 minutes ago on this story."

    def test_the_reason_names_the_other_story(self):
        result = self.judge_repeat(
            "Buy cheap watches", self.earlier("Buy cheap watches", 1, article_id=2), story_id=1
        )
        assert result.reason == "The reader posted the same text a minute ago on “Tide tables”."

    def test_different_words_or_an_older_post_pass(self):
        assert self.judge_repeat("Great point.", self.earlier("Weak point.", 1)).action == (
            Action.PUBLISH
        )
        assert self.judge_repeat("Great point.", self.earlier("Great point.", 11)).action == (
            Action.PUBLISH
        )

    def test_zero_minutes_switches_it_off(self):
        result = self.judge_repeat(
            "Great point.", self.earlier("Great point.", 1), repeat_window_minutes=0
        )
        assert result.action == Action.PUBLISH

    def test_the_newest_repeat_is_the_one_named(self):
        found = find_repeat(
            "Same",
            [self.earlier("same", 8, article_id=1), self.earlier("same!", 2, article_id=2)],
            since=self.now - timedelta(minutes=10),
        )
        assert found.article_id == 2

    def test_trusted_readers_are_held_too(self):
        result = verdict(
            "Same again.",
            rules=self.rules,
            who=reader(ReaderProfile.Status.TRUSTED),
            earlier_posts=[self.earlier("Same again.", 1)],
            now=self.now,
        )
        assert result.rule == Rule.REPEAT_POST


class TestClosing:
    now = timezone.now()

    def story(self, days_ago, **fields):
        published = self.now - timedelta(days=days_ago)
        return Article(publish_at=published, first_published_at=published, **fields)

    def test_open_within_the_policy_window(self):
        assert closed_reason(self.story(13), policy(close_after_days=14), self.now) is None

    def test_closed_after_the_policy_window(self):
        reason = closed_reason(self.story(15), policy(close_after_days=14), self.now)
        assert reason == "Comments closed 14 days after publication."

    def test_story_override_extends_or_removes_the_limit(self):
        rules = policy(close_after_days=14)
        assert closed_reason(self.story(20, comments_close_after_days=30), rules, self.now) is None
        assert closed_reason(self.story(400, comments_close_after_days=0), rules, self.now) is None
        assert closed_reason(self.story(3, comments_close_after_days=2), rules, self.now)

    def test_policy_zero_never_closes(self):
        assert closed_reason(self.story(999), policy(close_after_days=0), self.now) is None

    def test_comments_switched_off(self):
        story = self.story(0, comments_enabled=False)
        assert closed_reason(story, policy(), self.now) == "Comments are closed for this story."

    def test_retracted_story_is_closed_whatever_its_age(self):
        story = self.story(0, status=Article.Status.RETRACTED, comments_close_after_days=0)
        assert closed_reason(story, policy(), self.now) == (
            "Comments are closed: this story was retracted."
        )


def test_a_score_at_the_threshold_holds_with_the_score_in_the_reason():
    result = verdict(score=0.93, rules=policy(screening_threshold=0.93))
    assert (result.action, result.rule) == (Action.HOLD, Rule.SCREENING)
    assert result.reason == "Possibly abusive, score 0.93."
    assert verdict(score=0.929, rules=policy(screening_threshold=0.93)).action == Action.PUBLISH


def test_screening_is_off_without_a_threshold_or_a_score():
    assert verdict(score=0.99, rules=policy(screening_threshold=None)).rule == Rule.PASSED
    assert verdict(score=None, rules=policy(screening_threshold=0.5)).rule == Rule.PASSED


def test_screening_holds_a_trusted_readers_comment():
    result = verdict(score=0.97, who=reader(ReaderProfile.Status.TRUSTED))
    assert (result.action, result.rule) == (Action.HOLD, Rule.SCREENING)
    assert verdict(score=0.2, who=reader(ReaderProfile.Status.TRUSTED)).rule == Rule.TRUSTED


def test_screening_names_itself_on_a_pre_moderated_story():
    story = article(premoderate_comments=True)
    assert verdict(score=0.97, story=story).rule == Rule.SCREENING
    assert verdict(score=0.1, story=story).rule == Rule.PREMODERATE_ARTICLE


def test_a_banned_word_still_rejects_a_high_score():
    result = verdict("You scoundrel.", score=0.99, rules=policy(banned_words="scoundrel"))
    assert (result.action, result.rule) == (Action.REJECT, Rule.BANNED_WORD)
