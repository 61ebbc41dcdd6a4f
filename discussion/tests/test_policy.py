"""The policy moderators trust: recent history and repeat posts (the moderators' decisions,
bans and the emails they send are moderation's, moderation/tests/test_services.py)."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from articles.tests.factories import make_article
from discussion.models import CommentModeration
from discussion.services import moderate_comment, post_comment

from .factories import add_comment, make_moderator, make_reader, moderation_of, set_policy

pytestmark = pytest.mark.django_db


class TestRecentHistory:
    @pytest.fixture
    def reader(self):
        set_policy(
            hold_first_comments=False,
            recent_history_days=7,
            recent_history_min_decided=3,
            recent_history_rejected_percent=30,
        )
        return make_reader()

    def decide(self, reader, *, approved=0, rejected=0, days_ago=0):
        moderator = make_moderator()
        story = make_article()
        for n in range(approved + rejected):
            comment = add_comment(story, reader, f"Comment {uuid.uuid4()}")
            if n < approved:
                moderate_comment(comment=comment, state="published", by=moderator)
            else:
                moderate_comment(
                    comment=comment, state="removed", by=moderator, reason="Off topic."
                )
        decided_at = timezone.now() - timedelta(days=days_ago)
        CommentModeration.objects.filter(comment__user=reader, decided_by=moderator).update(
            decided_at=decided_at
        )

    def test_a_reader_with_too_many_rejections_is_held_with_the_count(self, reader):
        self.decide(reader, approved=2, rejected=4)
        moderation = moderation_of(add_comment(make_article(), reader, "My next thought."))
        assert (moderation.state, moderation.rule) == ("pending", "recent_history")
        assert moderation.reason == (
            "4 of this reader's 6 comments decided in the last 7 days were rejected."
        )

    def test_decisions_before_the_period_do_not_count(self, reader):
        self.decide(reader, approved=2, rejected=4, days_ago=8)
        self.decide(reader, approved=3)
        assert moderation_of(add_comment(make_article(), reader, "Back again.")).state == (
            "published"
        )

    def test_comments_the_rules_decided_alone_are_not_the_readers_record(self, reader):
        """Published without review, or removed for a banned word: no moderator judged them."""
        set_policy(banned_words="scoundrel")
        story = make_article()
        for n in range(3):
            add_comment(story, reader, f"Scoundrel number {n}.")
        for n in range(3):
            add_comment(story, reader, f"Fine comment {n}.")
        self.decide(reader, rejected=1)
        assert moderation_of(add_comment(story, reader, "Still fine.")).state == "published"

    def test_a_comment_decided_twice_counts_once_by_its_last_decision(self, reader):
        set_policy(recent_history_rejected_percent=10)
        self.decide(reader, approved=3)
        moderator = make_moderator()
        flipped = CommentModeration.objects.filter(comment__user=reader).first().comment
        moderate_comment(
            comment=flipped, state="removed", by=moderator, reason="On second thought."
        )
        moderate_comment(comment=flipped, state="published", by=moderator)
        assert moderation_of(add_comment(make_article(), reader, "Hello.")).state == "published"


class TestRepeatPosts:
    @pytest.fixture
    def reader(self):
        set_policy(hold_first_comments=False, repeat_window_minutes=10)
        return make_reader()

    def test_the_same_text_on_another_story_is_held_naming_it(self, reader):
        add_comment(make_article(headline="Ferry fares rise"), reader, "Cheap watches here!")
        moderation = moderation_of(add_comment(make_article(), reader, "cheap  WATCHES here"))
        assert (moderation.state, moderation.rule) == ("pending", "repeat_post")
        assert moderation.reason == (
            "The reader posted the same text less than a minute ago on “Ferry fares rise”."
        )

    def test_the_same_text_after_the_window_or_by_someone_else_passes(self, reader):
        story = make_article()
        first = add_comment(story, reader, "I agree with the council.")
        XtdComment.objects.filter(pk=first.pk).update(
            submit_date=timezone.now() - timedelta(minutes=11)
        )
        assert moderation_of(add_comment(story, reader, "I agree with the council.")).state == (
            "published"
        )
        other = add_comment(story, make_reader(), "I agree with the council.")
        assert moderation_of(other).state == "published"

    def test_a_form_posted_twice_still_returns_the_first_comment(self, reader):
        story = make_article()
        key = uuid.uuid4()
        sent = {
            "article": story,
            "reader": reader.reader,
            "text": "Posted once.",
            "parent": None,
            "follow": False,
            "submission_key": key,
            "ip_address": None,
        }
        first = post_comment(**sent)
        assert post_comment(**sent) == first
        assert moderation_of(first).state == "published"
        assert XtdComment.objects.count() == 1


def test_the_rules_queries_do_not_grow_with_the_readers_comments():
    set_policy(hold_first_comments=False, recent_history_days=7, repeat_window_minutes=10)
    story = make_article()

    def queries_to_post(reader, earlier):
        moderator = make_moderator()
        for n in range(earlier):
            moderate_comment(
                comment=add_comment(story, reader, f"Earlier {n}."), state="published", by=moderator
            )
        with CaptureQueriesContext(connection) as queries:
            add_comment(story, reader, "One more.")
        return len(queries)

    assert queries_to_post(make_reader(), 1) == queries_to_post(make_reader(), 12)
