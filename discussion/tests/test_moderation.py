"""Every rule of the moderation engine, each with a case where it fires and one where it doesn't."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article, Section
from discussion.models import ModerationPolicy, ReaderProfile, Rule
from discussion.moderation import Action, closed_reason, count_links, find_listed_word, judge


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
    text="A fair point.", *, rules=None, who=None, story=None, approved_before=True, score=None
):
    return judge(
        text=text,
        reader=who or reader(),
        article=story or article(),
        policy=rules or policy(),
        has_approved_comment=approved_before,
        score=score,
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
