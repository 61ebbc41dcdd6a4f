"""Screening through the real comment form: the score stored, the hold, and the nudge."""

import pytest
from django.contrib.messages import get_messages
from django_comments_xtd.models import XtdComment

from articles.tests.factories import make_article
from commenting.forms import CommentForm
from discussion.models import CommentModeration, ReaderProfile, Rule
from discussion.tests.factories import (
    add_comment,
    comment_form,
    make_reader,
    post_through_form,
    set_policy,
)

pytestmark = pytest.mark.django_db

ABUSIVE = "Shut up, you moron. Nobody asked for your opinion."
STILL_ABUSIVE = "Shut up, you m0r0n."
CIVIL = "I disagree: the tariffs will cost the ports more than they save."
NOTICE = "this comment may break our rules on abuse"


@pytest.fixture
def story():
    return make_article()


@pytest.fixture
def writer(client):
    """A reader whose comments publish at once unless a rule holds them."""
    user = make_reader()
    add_comment(make_article(), user)
    CommentModeration.objects.filter(comment__user=user).update(state="published")
    client.force_login(user)
    return user


def on(story):
    return XtdComment.objects.filter(object_pk=str(story.pk))


def send_again(client, nudged_page, **changes):
    """Submit the form the nudge handed back, as the browser shows it, with any edits."""
    action, fields = comment_form(nudged_page.content.decode())
    fields.update(changes)
    return client.post(action, fields)


def test_a_civil_comment_is_published_with_its_score(client, writer, story):
    post_through_form(client, story, CIVIL)
    moderation = on(story).get().moderation
    assert moderation.state == CommentModeration.State.PUBLISHED
    assert moderation.score is not None and moderation.score < 0.5


def test_the_first_submit_of_an_abusive_comment_is_handed_back_with_its_text(client, writer, story):
    response = post_through_form(client, story, ABUSIVE)
    html = response.content.decode()
    assert response.status_code == 200
    assert NOTICE in html
    assert comment_form(html)[1]["comment"] == ABUSIVE
    assert not on(story).exists()


def test_sending_it_again_puts_it_in_the_queue_with_the_screening_rule(client, writer, story):
    nudged = post_through_form(client, story, ABUSIVE)
    response = send_again(client, nudged)
    comment = on(story).get()
    assert response.status_code == 302
    assert (comment.comment, comment.moderation.state) == (ABUSIVE, "pending")
    assert comment.moderation.rule == Rule.SCREENING
    assert comment.moderation.reason == f"Possibly abusive, score {comment.moderation.score:.2f}."
    assert comment.moderation.score >= 0.8
    told = [str(m) for m in get_messages(response.wsgi_request)]
    assert told == [
        f"Thank you. Your comment is waiting for a moderator: {comment.moderation.reason}"
    ]


def test_an_edit_still_above_the_threshold_goes_to_the_queue(client, writer, story):
    nudged = post_through_form(client, story, ABUSIVE)
    send_again(client, nudged, comment=STILL_ABUSIVE)
    comment = on(story).get()
    assert (comment.comment, comment.moderation.rule) == (STILL_ABUSIVE, Rule.SCREENING)


def test_an_edit_below_the_threshold_is_published(client, writer, story):
    nudged = post_through_form(client, story, ABUSIVE)
    send_again(client, nudged, comment=CIVIL)
    assert on(story).get().moderation.state == CommentModeration.State.PUBLISHED


@pytest.mark.parametrize(
    "mark",
    [
        "forged",
        CommentForm.nudged_mark("3c9f2a61-2a58-4e1c-9d8e-000000000000"),  # another form's
    ],
    ids=["forged", "another-form"],
)
def test_a_mark_the_site_did_not_give_this_form_is_nudged_again(client, writer, story, mark):
    response = post_through_form(client, story, ABUSIVE, nudged=mark)
    assert NOTICE in response.content.decode()
    assert not on(story).exists()


def test_a_nudged_reply_stays_a_reply(client, writer, story):
    parent = add_comment(story, make_reader(), "The harbour toll is fair.")
    CommentModeration.objects.filter(comment=parent).update(state="published")
    XtdComment.objects.filter(pk=parent.pk).update(is_public=True)
    nudged = post_through_form(client, story, ABUSIVE, reply_to=parent.pk)
    assert NOTICE in nudged.content.decode()
    assert comment_form(nudged.content.decode())[1]["reply_to"] == str(parent.pk)
    send_again(client, nudged)
    reply = on(story).get(comment=ABUSIVE)
    assert (reply.parent_id, reply.moderation.rule) == (parent.pk, Rule.SCREENING)


def test_a_problem_after_the_nudge_keeps_the_mark(client, writer, story):
    nudged = post_through_form(client, story, ABUSIVE)
    too_long = send_again(client, nudged, comment=ABUSIVE + "!" * 5000)
    assert "up to 5,000 characters" in too_long.content.decode()
    send_again(client, too_long, comment=ABUSIVE)
    assert on(story).get().moderation.rule == Rule.SCREENING


def test_without_the_nudge_the_first_submit_is_held(client, writer, story):
    set_policy(nudge_before_posting=False)
    post_through_form(client, story, ABUSIVE)
    assert on(story).get().moderation.rule == Rule.SCREENING


def test_without_a_threshold_the_comment_is_published_and_still_scored(client, writer, story):
    set_policy(screening_threshold=None)
    post_through_form(client, story, ABUSIVE)
    moderation = on(story).get().moderation
    assert (moderation.state, moderation.rule) == ("published", Rule.PASSED)
    assert moderation.score >= 0.8


def test_a_trusted_readers_abusive_comment_is_nudged_and_then_held(client, story):
    trusted = make_reader(status=ReaderProfile.Status.TRUSTED)
    client.force_login(trusted)
    nudged = post_through_form(client, story, ABUSIVE)
    assert NOTICE in nudged.content.decode()
    send_again(client, nudged)
    assert on(story).get().moderation.rule == Rule.SCREENING


def test_a_banned_word_rejects_without_a_nudge(client, writer, story):
    set_policy(banned_words="moron")
    response = post_through_form(client, story, ABUSIVE)
    assert response.status_code == 302
    assert on(story).get().moderation.rule == Rule.BANNED_WORD
