"""The moderation desk in the admin: who may use it, and what each button does."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from articles.tests.factories import make_article
from discussion.models import CommentModeration, ModerationPolicy, ReaderProfile, ReaderStatusChange
from discussion.tests.factories import add_comment, comment_form, make_moderator, make_reader

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:django_comments_xtd_xtdcomment_changelist")


@pytest.fixture
def desk():
    client = Client()
    client.force_login(make_moderator())
    return client


def queue_form(desk, **params):
    html = desk.get(QUEUE, params).content.decode()
    return html, comment_form(html, form_id="changelist-form")[1]


def click(desk, comment, button, params=None, referer=QUEUE, **extra):
    """Press a row's button on the queue page (with these filters), as a browser would."""
    html, fields = queue_form(desk, **(params or {}))
    url = reverse(f"admin:discussion_{button}", args=[comment.pk])
    assert f'formaction="{url}"' in html
    return desk.post(url, {**fields, **extra}, HTTP_REFERER=referer)


def reason_field(comment):
    return f"comment-{comment.pk}-reason"


def messages_after(desk, response):
    return desk.get(response["Location"]).content.decode()


def test_queue_shows_pending_first_with_rule_and_author_history(desk):
    story = make_article(headline="Bus fares frozen")
    veteran = make_reader(display_name="Veteran")
    approved = add_comment(story, veteran, "Approved earlier")
    CommentModeration.objects.filter(comment=approved).update(state="published")
    removed = add_comment(story, veteran, "Removed earlier")
    CommentModeration.objects.filter(comment=removed).update(state="removed")
    held = add_comment(story, make_reader(display_name="Newcomer"), "Please look at me")
    html = desk.get(QUEUE).content.decode()
    assert html.index("Please look at me") < html.index("Approved earlier")
    assert "First-time commenter" in html or "First comments are reviewed" in html
    assert "Bus fares frozen" in html
    assert "Newcomer" in html and "0 approved, 0 removed" in html
    assert "1 approved, 1 removed" in html
    assert held.moderation.state == "pending"


def test_one_click_approve_publishes_at_once(desk):
    story = make_article()
    held = add_comment(story, make_reader(), "Held for review")
    response = click(desk, held, "approve")
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.is_public and held.moderation.state == "published"
    assert held.moderation.decided_by is not None
    assert "Held for review" in Client().get(story.get_absolute_url()).content.decode()
    story.refresh_from_db()
    assert story.comment_count == 1


def test_one_click_reject_with_a_reason_shown_to_the_author(desk):
    story = make_article()
    author = make_reader()
    held = add_comment(story, author, "Buy cheap watches")
    click(desk, held, "reject", **{reason_field(held): "Spam or advertising."})
    held.refresh_from_db()
    assert held.is_removed and not held.is_public
    assert held.moderation.reason == "Spam or advertising."
    reader = Client()
    reader.force_login(author)
    mine = reader.get(reverse("commenting:my-comments")).content.decode()
    assert "Removed" in mine and "Spam or advertising." in mine


def test_a_reason_the_decision_log_cannot_hold_is_refused_and_nothing_changes(desk):
    held = add_comment(make_article(), make_reader(), "Held for review")
    response = click(desk, held, "reject", **{reason_field(held): "x" * 462})
    assert response["Location"] == QUEUE
    page = messages_after(desk, response)
    assert "A reason can be up to 300 characters; this one has 462." in page
    moderation = CommentModeration.objects.get(comment=held)
    assert (moderation.state, moderation.decided_by) == ("pending", None)


def test_a_moderators_own_words_within_the_limit_are_kept(desk):
    held = add_comment(make_article(), make_reader(), "Held for review")
    reason = "Names a juror. " + "y" * 285
    click(desk, held, "reject", **{reason_field(held): reason})
    moderation = CommentModeration.objects.get(comment=held)
    assert (moderation.state, moderation.reason) == ("removed", reason)


def test_a_decision_returns_to_the_desk_page_it_was_made_on(desk):
    held = add_comment(make_article(), make_reader(), "Held for review")
    response = click(desk, held, "approve", params={"moderation__state__exact": "pending"})
    assert response["Location"] == QUEUE + "?moderation__state__exact=pending"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)", ""]
)
def test_a_decision_never_redirects_off_the_site(desk, next_url):
    held = add_comment(make_article(), make_reader(), "Held for review")
    # The Referer is the browser's to send, or anyone's who links here: it is never followed.
    response = click(desk, held, "approve", next=next_url, referer=next_url or "https://x.example/")
    assert response.status_code == 302
    assert response["Location"] == QUEUE


def test_bulk_reject_refuses_a_reason_too_long_to_keep(desk):
    comments = [add_comment(make_article(), make_reader(), f"Comment {n}") for n in range(2)]
    _, fields = queue_form(desk)
    response = desk.post(
        QUEUE,
        {
            **fields,
            "action": "reject_selected",
            "reason": "z" * 462,
            "_selected_action": [c.pk for c in comments],
        },
        follow=True,
    )
    assert "A reason can be up to 300 characters; this one has 462." in response.content.decode()
    assert set(CommentModeration.objects.values_list("state", flat=True)) == {"pending"}


def test_ban_author_bans_records_history_and_removes_the_comment(desk):
    author = make_reader(display_name="Troll")
    comment = add_comment(make_article(), author, "Provocation")
    click(desk, comment, "ban")
    author.reader.refresh_from_db()
    assert author.reader.status == ReaderProfile.Status.BANNED
    change = ReaderStatusChange.objects.get(reader=author.reader)
    assert (change.old_status, change.new_status) == ("normal", "banned")
    assert change.changed_by is not None
    comment.refresh_from_db()
    assert comment.is_removed


def test_bulk_approve_and_bulk_reject_with_reason(desk):
    story = make_article()
    comments = [add_comment(story, make_reader(), f"Comment {n}") for n in range(4)]
    _, fields = queue_form(desk)
    desk.post(
        QUEUE,
        {
            **fields,
            "action": "approve_selected",
            "_selected_action": [c.pk for c in comments[:2]],
        },
    )
    desk.post(
        QUEUE,
        {
            **fields,
            "action": "reject_selected",
            "reason": "Off topic.",
            "_selected_action": [c.pk for c in comments[2:]],
        },
    )
    states = dict(CommentModeration.objects.values_list("comment__comment", "state"))
    assert states == {
        "Comment 0": "published",
        "Comment 1": "published",
        "Comment 2": "removed",
        "Comment 3": "removed",
    }
    assert set(
        CommentModeration.objects.filter(state="removed").values_list("reason", flat=True)
    ) == {"Off topic."}


def test_filters_by_state_rule_story_and_reports(desk):
    first, second = make_article(headline="First story"), make_article(headline="Second story")
    add_comment(first, make_reader(), "On the first")
    add_comment(second, make_reader(), "On the second")
    html = desk.get(QUEUE, {"story": str(first.pk)}).content.decode()
    assert "On the first" in html and "On the second" not in html
    html = desk.get(QUEUE, {"moderation__rule__exact": "first_comment"}).content.decode()
    assert "On the first" in html
    html = desk.get(QUEUE, {"moderation__state__exact": "published"}).content.decode()
    assert "On the first" not in html
    html = desk.get(QUEUE, {"reported": "yes"}).content.decode()
    assert "On the first" not in html


def test_moderator_cannot_edit_stories(desk):
    story = make_article()
    assert desk.get(reverse("admin:articles_article_changelist")).status_code == 403
    assert desk.get(reverse("admin:articles_article_change", args=[story.pk])).status_code == 403
    response = desk.post(
        reverse("admin:articles_article_change", args=[story.pk]), {"headline": "Hacked"}
    )
    assert response.status_code == 403
    assert Article.objects.get(pk=story.pk).headline == story.headline


@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_readers_cannot_open_the_queue_or_decide(who):
    client = Client()
    author = make_reader()
    comment = add_comment(make_article(), author, "Held")
    if who == "reader":
        client.force_login(make_reader())
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.post(reverse("admin:discussion_approve", args=[comment.pk]))
    comment.refresh_from_db()
    assert comment.moderation.state == "pending"


def test_decisions_need_post(desk):
    comment = add_comment(make_article(), make_reader(), "Held")
    assert desk.get(reverse("admin:discussion_approve", args=[comment.pk])).status_code == 403
    comment.refresh_from_db()
    assert comment.moderation.state == "pending"


def test_queue_query_count_does_not_grow_with_rows(desk, django_assert_max_num_queries):
    story = make_article()
    for n in range(30):
        add_comment(story, make_reader(), f"Comment {n}")
    with django_assert_max_num_queries(14):
        response = desk.get(QUEUE)
    assert len(re.findall(r'name="_selected_action"', response.content.decode())) == 30


def test_moderator_can_edit_the_policy_and_reader_status_with_a_reason(desk):
    response = desk.get(reverse("admin:discussion_moderationpolicy_changelist"), follow=True)
    assert response.status_code == 200 and "banned_words" in response.content.decode()
    reader = make_reader().reader
    url = reverse("admin:discussion_readerprofile_change", args=[reader.pk])
    data = {"display_name": reader.display_name, "status": "trusted", "suspended_until_0": "",
            "suspended_until_1": "", "change_reason": "",
            "history-TOTAL_FORMS": "0", "history-INITIAL_FORMS": "0",
            "history-MIN_NUM_FORMS": "0", "history-MAX_NUM_FORMS": "1000"}  # fmt: skip
    response = desk.post(url, data)
    assert "Say why the status changes." in response.content.decode()
    reader.refresh_from_db()
    assert reader.status == "normal"
    desk.post(url, {**data, "change_reason": "Years of helpful comments."})
    reader.refresh_from_db()
    assert reader.status == "trusted"
    assert reader.history.get().reason == "Years of helpful comments."


def test_the_reasons_offered_are_the_policys(desk):
    policy = ModerationPolicy.current()
    policy.rejection_reasons = "Names a juror.\nOff topic."
    policy.save()
    held = add_comment(make_article(), make_reader(), "Held")
    html, fields = queue_form(desk)
    assert fields[reason_field(held)] == "Names a juror."
    assert fields["reason"] == "Names a juror."  # the bulk action's menu
    assert '<option value="Off topic.">' in html
    assert "Abusive or hateful." not in html
