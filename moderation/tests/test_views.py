"""The workbench over HTTP: who may open it, its tabs and cards, each decision by plain
form and by the script's fetch, bulk decisions, and the author panel."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.tests.factories import make_article, make_section, make_staff
from discussion.models import (
    CommentModeration,
    CommentReport,
    ModerationDecision,
    ModerationPolicy,
    ReaderProfile,
    Rule,
)
from discussion.tests.factories import add_comment, make_moderator, make_reader
from moderation.services import approve_comment
from newsroom.tests.forms import form_fields
from newsroom.tests.html import Elements

pytestmark = pytest.mark.django_db

QUEUE = reverse("moderation:queue")
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def moderator():
    return make_moderator()


@pytest.fixture
def desk(moderator):
    client = Client()
    client.force_login(moderator)
    return client


def decide_url(comment, action):
    return reverse("moderation:decide", args=[comment.pk, action])


def cards_on(html):
    page = Elements(html)
    return {int(card["attrs"]["data-card"]): card["text"] for card in page.by_class("wb-card")}


def counts_on(html):
    page = Elements(html)
    return {
        span["attrs"]["data-count"]: int(span["text"])
        for span in page.found
        if "data-count" in span["attrs"]
    }


def published_by_rule(story, text):
    return add_comment(story, make_reader(status="trusted"), text)


def report(comment, reason="abuse", note="", name=None):
    reporter = make_reader(display_name=name)
    return CommentReport.objects.create(
        comment=comment, reporter=reporter, reason=reason, note=note
    )


@pytest.fixture
def one_of_each(moderator):
    """A comment in every tab."""
    story = make_article(headline="Harbour dredging resumes")
    held = add_comment(story, make_reader(), "Held for review")
    reported = published_by_rule(story, "Published and reported")
    report(reported, note="Calls a neighbour a liar")
    unmoderated = published_by_rule(story, "Published by the rules")
    approved = add_comment(story, make_reader(), "Approved by a moderator")
    approve_comment(comment=approved, by=moderator)
    rejected = add_comment(story, make_reader(), "Rejected by a moderator")
    CommentModeration.objects.filter(comment=rejected).update(state="removed")
    return {
        "story": story,
        "pending": held,
        "reported": reported,
        "unmoderated": unmoderated,
        "approved": approved,
        "rejected": rejected,
    }


def test_each_tab_holds_its_comments_and_every_tab_shows_its_count(desk, one_of_each):
    for tab in ["pending", "reported", "approved", "rejected"]:
        html = desk.get(QUEUE, {"tab": tab}).content.decode()
        assert list(cards_on(html)) == [one_of_each[tab].pk], tab
    # Unmoderated: published by the rules, reported or not.
    html = desk.get(QUEUE, {"tab": "unmoderated"}).content.decode()
    assert set(cards_on(html)) == {one_of_each["unmoderated"].pk, one_of_each["reported"].pk}
    assert counts_on(html) == {
        "pending": 1,
        "reported": 1,
        "unmoderated": 2,
        "approved": 1,
        "rejected": 1,
        "deleted": 0,
    }
    # The first tab is Pending.
    assert list(cards_on(desk.get(QUEUE).content.decode())) == [one_of_each["pending"].pk]


def test_an_approved_report_leaves_the_reported_tab(desk, one_of_each, moderator):
    approve_comment(comment=one_of_each["reported"], by=moderator)
    html = desk.get(QUEUE, {"tab": "reported"}).content.decode()
    assert cards_on(html) == {} and counts_on(html)["reported"] == 0


def test_the_queue_can_be_narrowed_to_a_story_and_read_oldest_first(desk):
    first, second = make_article(headline="First story"), make_article(headline="Second story")
    older = add_comment(first, make_reader(), "Older on the first")
    newer = add_comment(first, make_reader(), "Newer on the first")
    type(older).objects.filter(pk=older.pk).update(submit_date=timezone.now() - timedelta(hours=1))
    add_comment(second, make_reader(), "On the second")
    html = desk.get(QUEUE, {"story": first.pk}).content.decode()
    assert list(cards_on(html)) == [newer.pk, older.pk]
    assert counts_on(html)["pending"] == 2
    html = desk.get(QUEUE, {"story": first.pk, "order": "oldest"}).content.decode()
    assert list(cards_on(html)) == [older.pk, newer.pk]
    assert "Second story" in html  # offered in the story filter


def test_the_queue_is_paginated_twenty_cards_a_page(desk):
    story = make_article()
    for n in range(23):
        add_comment(story, make_reader(), f"Comment {n}")
    first = desk.get(QUEUE).content.decode()
    assert len(cards_on(first)) == 20 and "Page 1 of 2" in first
    assert len(cards_on(desk.get(QUEUE, {"page": 2}).content.decode())) == 3


def test_a_card_shows_the_whole_comment_its_story_parent_rule_score_and_reports(desk):
    section = make_section(name="Courts", premoderate_comments=True)
    story = make_article(headline="Juror dismissed", section=section)
    parent = published_by_rule(story, "The judge was right to act. " * 12)
    long_text = "This reply is long. " * 40
    reply = add_comment(story, make_reader(display_name="Long writer"), long_text, parent=parent)
    CommentModeration.objects.filter(comment=reply).update(
        rule=Rule.SCREENING, reason="Possibly abusive.", score=0.934
    )
    report(reply, reason="abuse", note="Names the juror", name="Careful reader")
    report(reply, reason="spam", name="Second reporter")
    html = desk.get(QUEUE).content.decode()
    card = cards_on(html)[reply.pk]
    assert long_text.strip() in " ".join(card.split()) + " "
    page = Elements(html)
    links = {
        a["attrs"]["href"] for a in page.inside(page.by_class("wb-card")[0]) if a["tag"] == "a"
    }
    assert story.get_absolute_url() in links
    assert reply.get_absolute_url() in links and parent.get_absolute_url() in links
    # A moderator cannot edit stories, so no desk link is offered to them.
    assert reverse("admin:articles_article_change", args=[story.pk]) not in links
    assert "its section, Courts, is pre-moderated" in card
    assert "Replying to" in card and "The judge was right to act." in card
    assert "Possibly abusive, score 0.93" in card
    assert "Abusive or hateful: “Names the juror” — Careful reader" in " ".join(card.split())
    assert "Spam or advertising" in card and "Second reporter" in card
    assert "Long writer" in card and "0 approved, 0 rejected" in card


def test_an_editor_with_the_permission_also_gets_the_storys_desk_link(moderator):
    editor = make_staff("Editors")
    editor.groups.add(*moderator.groups.all())
    story = make_article()
    add_comment(story, make_reader(), "Held")
    client = Client()
    client.force_login(editor)
    html = client.get(QUEUE).content.decode()
    assert reverse("admin:articles_article_change", args=[story.pk]) in html


def test_the_query_count_does_not_grow_with_cards_or_reports(desk, django_assert_max_num_queries):
    story = make_article()

    def fill(count):
        for n in range(count):
            parent = published_by_rule(story, f"Parent {n}")
            comment = add_comment(story, make_reader(), f"Card {n}", parent=parent)
            for _ in range(3):
                report(comment, note="Look at this")

    fill(3)
    with django_assert_max_num_queries(14) as few:
        assert len(cards_on(desk.get(QUEUE).content.decode())) == 3
    fill(17)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(cards_on(desk.get(QUEUE).content.decode())) == 20


# Who may open it.


def test_anonymous_visitors_and_readers_are_sent_to_the_desk_login():
    comment = add_comment(make_article(), make_reader(), "Held")
    reader = Client()
    reader.force_login(make_reader())
    for client in (Client(), reader):
        for response in (
            client.get(QUEUE),
            client.post(decide_url(comment, "approve")),
            client.get(reverse("moderation:author", args=[comment.user.reader.pk])),
        ):
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("admin:login"))
    assert CommentModeration.objects.get(comment=comment).state == "pending"


def test_staff_without_the_moderators_permission_are_refused():
    comment = add_comment(make_article(), make_reader(), "Held")
    client = Client()
    client.force_login(make_staff("Reporters"))
    assert client.get(QUEUE).status_code == 403
    assert client.post(decide_url(comment, "approve")).status_code == 403
    assert CommentModeration.objects.get(comment=comment).state == "pending"


def test_editors_work_the_queue_as_moderators_do():
    comment = add_comment(make_article(), make_reader(), "Held")
    client = Client()
    client.force_login(make_staff("Editors"))
    assert client.get(QUEUE).status_code == 200
    assert client.get(reverse("moderation:log")).status_code == 200
    client.post(decide_url(comment, "approve"))
    assert CommentModeration.objects.get(comment=comment).state == "published"


@pytest.mark.parametrize("token", [None, "forged" * 8])
def test_a_decision_without_the_right_csrf_token_is_refused(moderator, token):
    comment = add_comment(make_article(), make_reader(), "Held")
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    client.get(QUEUE)
    data = {"csrfmiddlewaretoken": token} if token else {}
    assert client.post(decide_url(comment, "approve"), data).status_code == 403
    assert CommentModeration.objects.get(comment=comment).state == "pending"


def test_every_form_on_the_workbench_carries_its_csrf_token(desk, one_of_each):
    page = Elements(desk.get(QUEUE, {"tab": "unmoderated"}).content.decode())
    posting = [f for f in page.by_tag("form") if f["attrs"].get("method") == "post"]
    assert posting
    for form in posting:
        names = {e["attrs"].get("name") for e in page.inside(form)}
        assert "csrfmiddlewaretoken" in names


# Decisions, as plain forms and as the script sends them.


def card_form(desk, comment, action, params=None):
    """The fields of a card's decision form as the page has them (token, next, tab)."""
    html = desk.get(QUEUE, params or {}).content.decode()
    return form_fields(html, f"decide-{comment.pk}-{action}")[1]


def test_approve_by_form_returns_to_the_same_tab_and_page_with_a_message(desk):
    story = make_article()
    held = [add_comment(story, make_reader(), f"Held {n}") for n in range(22)]
    params = {"tab": "pending", "page": "2"}
    fields = card_form(desk, held[0], "approve", params)
    response = desk.post(decide_url(held[0], "approve"), fields)
    assert response.status_code == 302
    assert response["Location"] == QUEUE + "?tab=pending&page=2"
    assert "it is on the story now" in desk.get(response["Location"]).content.decode()
    assert CommentModeration.objects.get(comment=held[0]).state == "published"


def test_reject_with_one_of_the_sites_reasons(desk):
    policy = ModerationPolicy.current()
    policy.rejection_reasons = "Off topic.\nNames a juror."
    policy.save()
    held = add_comment(make_article(), make_reader(), "The juror is called…")
    fields = card_form(desk, held, "reject")
    assert fields["reason"] == "Off topic."  # the first is chosen to begin with
    html = desk.get(QUEUE).content.decode()
    assert '<option value="Names a juror.">Names a juror.</option>' in html
    desk.post(decide_url(held, "reject"), {**fields, "reason": "Names a juror."})
    moderation = CommentModeration.objects.get(comment=held)
    assert (moderation.state, moderation.reason) == ("removed", "Names a juror.")
    decision = ModerationDecision.objects.get(comment=held)
    assert (decision.action, decision.reason) == ("reject", "Names a juror.")


def test_reject_in_the_moderators_own_words(desk):
    held = add_comment(make_article(), make_reader(), "Held")
    fields = card_form(desk, held, "reject")
    desk.post(decide_url(held, "reject"), {**fields, "own_words": "  Repeats a rumour.  "})
    assert CommentModeration.objects.get(comment=held).reason == "Repeats a rumour."


def test_a_reason_too_long_for_the_log_is_refused_and_nothing_changes(desk):
    held = add_comment(make_article(), make_reader(), "Held")
    fields = card_form(desk, held, "reject")
    response = desk.post(decide_url(held, "reject"), {**fields, "own_words": "x" * 301})
    page = desk.get(response["Location"]).content.decode()
    assert "A reason can be up to 300 characters; this one has 301. Nothing was changed." in page
    moderation = CommentModeration.objects.get(comment=held)
    assert (moderation.state, moderation.decided_by) == ("pending", None)
    response = desk.post(decide_url(held, "reject"), {**fields, "own_words": "x" * 301}, **JSON)
    assert response.status_code == 400
    assert "up to 300 characters" in response.json()["message"]


def test_feature_and_unfeature_a_published_comment(desk, moderator):
    comment = published_by_rule(make_article(), "A fine point")
    fields = card_form(desk, comment, "feature", {"tab": "unmoderated"})
    desk.post(decide_url(comment, "feature"), fields)
    moderation = CommentModeration.objects.get(comment=comment)
    assert moderation.featured_at is not None and moderation.featured_by == moderator
    html = desk.get(QUEUE, {"tab": "unmoderated"}).content.decode()
    assert "Unfeature" in cards_on(html)[comment.pk]
    desk.post(decide_url(comment, "unfeature"), fields)
    assert CommentModeration.objects.get(comment=comment).featured_at is None


def test_featuring_an_unpublished_comment_is_refused_with_the_reason(desk):
    held = add_comment(make_article(), make_reader(), "Held")
    fields = card_form(desk, held, "approve")
    response = desk.post(decide_url(held, "feature"), fields, follow=True)
    assert "Only a published comment can be featured; approve it first." in (
        response.content.decode()
    )
    assert CommentModeration.objects.get(comment=held).featured_at is None
    answer = desk.post(decide_url(held, "feature"), fields, **JSON)
    assert answer.status_code == 400 and answer.json()["level"] == "error"


def test_ban_removes_the_comment_and_does_with_the_others_what_the_moderator_chose(desk):
    story = make_article()
    author = make_reader(display_name="Troll")
    earlier = add_comment(story, author, "Earlier")
    CommentModeration.objects.filter(comment=earlier).update(state="published")
    comment = add_comment(story, author, "Provocation")  # published: they have a record
    fields = card_form(desk, comment, "ban", {"tab": "unmoderated"})
    assert fields["other_comments"] == "keep"
    desk.post(decide_url(comment, "ban"), {**fields, "other_comments": "requeue"})
    author.reader.refresh_from_db()
    assert author.reader.status == ReaderProfile.Status.BANNED
    states = dict(CommentModeration.objects.values_list("comment__comment", "state"))
    assert states == {"Earlier": "pending", "Provocation": "removed"}


def test_a_ban_from_a_card_keeps_the_moderators_reason_in_the_authors_history(desk):
    author = make_reader()
    comment = add_comment(make_article(), author, "Provocation")
    fields = card_form(desk, comment, "ban")
    desk.post(decide_url(comment, "ban"), {**fields, "reason": "Threats against a reporter."})
    assert author.reader.history.get().reason == "Threats against a reporter."
    assert ModerationDecision.objects.get(action="ban").reason == "Threats against a reporter."


def test_a_ban_reason_too_long_for_the_log_is_refused_and_nobody_is_banned(desk):
    author = make_reader()
    comment = add_comment(make_article(), author, "Provocation")
    fields = card_form(desk, comment, "ban")
    answer = desk.post(decide_url(comment, "ban"), {**fields, "reason": "x" * 301}, **JSON)
    assert answer.status_code == 400
    assert "up to 300 characters" in answer.json()["message"]
    author.reader.refresh_from_db()
    assert author.reader.status == "normal"
    assert CommentModeration.objects.get(comment=comment).state != "removed"


def test_a_ban_with_an_unknown_choice_is_refused(desk):
    author = make_reader()
    comment = add_comment(make_article(), author, "Provocation")
    fields = card_form(desk, comment, "ban")
    answer = desk.post(decide_url(comment, "ban"), {**fields, "other_comments": "burn"}, **JSON)
    assert answer.status_code == 400
    assert answer.json()["message"] == "Choose what becomes of their other comments."
    author.reader.refresh_from_db()
    assert author.reader.status == "normal"


def test_an_unknown_decision_or_comment_is_not_found(desk):
    held = add_comment(make_article(), make_reader(), "Held")
    assert desk.post(decide_url(held, "delete")).status_code == 404
    assert desk.post(reverse("moderation:decide", args=[held.pk + 1, "approve"])).status_code == 404


def test_by_fetch_a_card_that_leaves_the_tab_is_dropped_and_the_counts_follow(desk):
    story = make_article()
    held = add_comment(story, make_reader(), "<b>Held</b> for review")
    fields = card_form(desk, held, "approve")
    answer = desk.post(decide_url(held, "approve"), fields, **JSON)
    assert answer.status_code == 200
    body = answer.json()
    assert body["cards"] == {str(held.pk): None}
    assert body["counts"]["pending"] == 0 and body["counts"]["approved"] == 1
    assert body["level"] == "info" and "it is on the story now" in body["message"]
    # The message is left for the page only when the page is what answers.
    assert "it is on the story now" not in desk.get(QUEUE).content.decode()


def test_by_fetch_a_card_that_stays_in_the_tab_comes_back_drawn_again(desk):
    comment = published_by_rule(make_article(), "Worth featuring & more")
    fields = card_form(desk, comment, "feature", {"tab": "unmoderated"})
    body = desk.post(decide_url(comment, "feature"), fields, **JSON).json()
    card = cards_on(body["cards"][str(comment.pk)])[comment.pk]
    assert "Featured" in card and "Unfeature" in card and "Worth featuring & more" in card


def test_a_message_escapes_what_people_typed(desk):
    held = add_comment(make_article(), make_reader(display_name="Ann <i>"), "Held")
    fields = card_form(desk, held, "reject")
    body = desk.post(
        decide_url(held, "reject"), {**fields, "own_words": "<script>x</script>"}, **JSON
    ).json()
    assert "<script>" not in body["message"] and "&lt;script&gt;" in body["message"]
    assert "Ann &lt;i&gt;" in body["message"]


# Bulk.


def test_bulk_approve_and_bulk_reject_with_a_reason(desk):
    story = make_article()
    comments = [add_comment(story, make_reader(), f"Comment {n}") for n in range(4)]
    html = desk.get(QUEUE).content.decode()
    fields = form_fields(html, "bulk-form")[1]
    bulk = reverse("moderation:bulk")
    response = desk.post(
        bulk, {**fields, "action": "approve", "comments": [c.pk for c in comments[:2]]}
    )
    assert response["Location"] == QUEUE
    body = desk.post(
        bulk,
        {
            **fields,
            "action": "reject",
            "reason": "Off topic.",
            "comments": [c.pk for c in comments[2:]],
        },
        **JSON,
    ).json()
    assert body["cards"] == {str(comments[2].pk): None, str(comments[3].pk): None}
    assert body["message"] == "Rejected 2 comments: Off topic."
    states = [CommentModeration.objects.get(comment=c).state for c in comments]
    assert states == ["published"] * 2 + ["removed"] * 2


def test_bulk_feature_refuses_all_when_one_cannot_be_featured(desk):
    story = make_article()
    published = published_by_rule(story, "Published")
    held = add_comment(story, make_reader(), "Held")
    fields = form_fields(desk.get(QUEUE).content.decode(), "bulk-form")[1]
    body = desk.post(
        reverse("moderation:bulk"),
        {**fields, "action": "feature", "comments": [published.pk, held.pk]},
        **JSON,
    ).json()
    assert body["level"] == "error"
    assert not CommentModeration.objects.filter(featured_at__isnull=False).exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "approve"}, "Select at least one comment first."),
        ({"action": "erase", "comments": ["1"]}, "Choose what to do with the selected comments."),
    ],
)
def test_bulk_without_a_selection_or_a_decision_says_so(desk, data, message):
    held = add_comment(make_article(), make_reader(), "Held")
    if "comments" in data:
        data["comments"] = [held.pk]
    response = desk.post(reverse("moderation:bulk"), data, follow=True)
    assert message in response.content.decode()
    assert CommentModeration.objects.get(comment=held).state == "pending"


# The author panel.


def author_url(user):
    return reverse("moderation:author", args=[user.reader.pk])


def test_the_author_panel_shows_status_age_record_recent_comments_and_history(desk, moderator):
    author = make_reader(display_name="Regular")
    get_user_model().objects.filter(pk=author.pk).update(
        date_joined=timezone.now() - timedelta(days=40)
    )
    story = make_article()
    kept = add_comment(story, author, "A kept comment")
    approve_comment(comment=kept, by=moderator)
    removed = add_comment(story, author, "A removed comment")
    CommentModeration.objects.filter(comment=removed).update(state="removed", reason="Off topic.")
    page = desk.get(author_url(author)).content.decode()
    assert "<html" in page and "Moderation workbench" in page  # a desk page of its own
    fragment = desk.get(author_url(author), HTTP_X_FRAGMENT="1").content.decode()
    assert "<html" not in fragment
    text = " ".join(Elements(fragment).text.split())
    assert "Normal" in text and "1 month" in text
    assert "1 approved, 1 rejected, 0 waiting" in text
    assert "A removed comment" in text and "Off topic." in text and "A kept comment" in text
    assert "No changes" in text


def test_changing_a_status_needs_a_reason_and_keeps_it_in_the_history(desk, moderator):
    author = make_reader()
    response = desk.post(author_url(author), {"status": "premoderated", "reason": ""})
    assert (
        response.status_code == 400 and "Say why the status changes." in response.content.decode()
    )
    response = desk.post(
        author_url(author), {"status": "premoderated", "reason": "Three rejected in a week."}
    )
    assert response["Location"] == author_url(author)
    author.reader.refresh_from_db()
    assert author.reader.status == "premoderated"
    change = author.reader.history.get()
    assert (change.reason, change.changed_by) == ("Three rejected in a week.", moderator)
    history = desk.get(author_url(author), HTTP_X_FRAGMENT="1").content.decode()
    assert "Three rejected in a week." in history


@pytest.mark.parametrize(
    "data, error",
    [
        ({"status": "suspended"}, "Give the last day of the suspension."),
        ({"status": "suspended", "suspended_until": "2000-01-01"}, "must end today or later"),
        ({"status": "normal"}, "That is their status already."),
        ({"status": "emperor"}, "Select a valid choice."),
    ],
)
def test_a_status_change_that_does_not_hold_says_why_and_changes_nothing(desk, data, error):
    author = make_reader()
    response = desk.post(author_url(author), {**data, "reason": "Because."}, HTTP_X_FRAGMENT="1")
    assert response.status_code == 400 and error in response.content.decode()
    author.reader.refresh_from_db()
    assert author.reader.status == "normal" and not author.reader.history.exists()


def test_a_suspension_runs_to_the_end_of_the_day_given(desk):
    author = make_reader()
    day = timezone.localdate() + timedelta(days=3)
    response = desk.post(
        author_url(author),
        {"status": "suspended", "suspended_until": day.isoformat(), "reason": "Cooling off."},
        HTTP_X_FRAGMENT="1",
    )
    assert response.status_code == 200 and "is now: Suspended" in response.content.decode()
    author.reader.refresh_from_db()
    assert timezone.localtime(author.reader.suspended_until).date() == day
    assert author.reader.is_suspended()


def test_banning_from_the_panel_is_logged_and_takes_down_their_comments_if_asked(desk):
    author = make_reader()
    comment = add_comment(make_article(), author, "Published")
    CommentModeration.objects.filter(comment=comment).update(state="published")
    desk.post(
        author_url(author),
        {"status": "banned", "reason": "Threats.", "other_comments": "remove"},
    )
    author.reader.refresh_from_db()
    assert author.reader.status == "banned"
    assert ModerationDecision.objects.filter(action="ban", reason="Threats.").exists()
    assert CommentModeration.objects.get(comment=comment).state == "removed"


# The way in.


def test_the_desk_index_leads_moderators_to_the_workbench(desk):
    index = desk.get(reverse("admin:index")).content.decode()
    entry = reverse("admin:moderation_workbenchentry_changelist")
    assert entry in index
    assert desk.get(entry)["Location"] == QUEUE


def test_the_stock_change_list_links_to_the_workbench(desk):
    html = desk.get(reverse("admin:django_comments_xtd_xtdcomment_changelist")).content.decode()
    assert f'href="{QUEUE}"' in html


def test_staff_who_may_not_moderate_see_no_workbench_entry():
    client = Client()
    client.force_login(make_staff("Reporters"))
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:moderation_workbenchentry_changelist") not in index


def test_a_card_shows_the_comment_was_edited_and_its_earlier_texts(desk):
    from commenting.services import edit_comment

    story = make_article()
    author = make_reader()
    comment = add_comment(story, author, "First words.")
    edit_comment(comment=comment, by=author, text="Second words.")
    edit_comment(comment=comment, by=author, text="Third words.")
    page = Elements(desk.get(QUEUE).content.decode())
    [card] = page.by_class("wb-card")
    assert "Edited" in page.first_inside(card, page.by_class("wb-state"))["text"]
    [edits] = [e for e in page.inside(card) if e["attrs"].get("class") == "wb-edits"]
    earlier = [e["text"] for e in page.inside(edits) if e["tag"] == "p" and not e["attrs"]]
    assert earlier == ["Second words.", "First words."]
    assert "2 earlier texts" in edits["text"]


def test_deleted_comments_have_their_own_tab_and_no_decisions(desk, moderator):
    from commenting.services import delete_comment

    story = make_article()
    author = make_reader()
    comment = add_comment(story, author, "Taken back.")
    delete_comment(comment=comment, by=author)
    html = desk.get(QUEUE).content.decode()
    assert cards_on(html) == {}
    assert counts_on(html)["pending"] == 0 and counts_on(html)["deleted"] == 1
    page = Elements(desk.get(QUEUE, {"tab": "deleted"}).content.decode())
    [card] = page.by_class("wb-card")
    assert "Deleted by its author" in card["text"] and "Taken back." in card["text"]
    assert [e for e in page.inside(card) if e["tag"] == "form"] == []
    response = desk.post(decide_url(comment, "approve"), {"next": QUEUE}, **JSON)
    assert response.status_code == 400
    assert "Its author deleted this comment" in response.json()["message"]
    assert CommentModeration.objects.get(comment=comment).state == "deleted"


def test_earlier_texts_cost_no_query_per_card(desk, django_assert_max_num_queries):
    from commenting.services import edit_comment

    story = make_article()

    def fill(count):
        for n in range(count):
            author = make_reader()
            comment = add_comment(story, author, f"Card {n}")
            edit_comment(comment=comment, by=author, text=f"Card {n}, edited")

    fill(2)
    with django_assert_max_num_queries(14) as few:
        assert len(cards_on(desk.get(QUEUE).content.decode())) == 2
    fill(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(cards_on(desk.get(QUEUE).content.decode())) == 12
