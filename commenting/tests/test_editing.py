"""Readers editing and deleting their own comments: the window, the rules run again, the
refusals, the placeholder, and the outcome shown where the reader acted."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_comments_xtd.models import XtdComment
from playwright.sync_api import expect

from articles.models import Article
from articles.tests.factories import make_article
from commenting.services import CommentRefused, delete_comment, edit_comment
from commenting.threads import discussion_page
from discussion.models import CommentEdit, CommentModeration, ModerationDecision, ModerationPolicy
from discussion.services import DeletedByAuthor, moderate_comment
from discussion.tests.factories import (
    add_comment,
    feature,
    make_moderator,
    make_reader,
    post_through_form,
    state_of,
)
from newsroom.tests.browser import (
    MOBILE,
    axe_check,
    axe_context,
    blocking_violations,
    log_in,
    make_discussed_story,
    report,
    screenshot,
)
from newsroom.tests.forms import form_fields
from newsroom.tests.html import Elements

pytestmark = pytest.mark.django_db

PUBLISHED = CommentModeration.State.PUBLISHED
PENDING = CommentModeration.State.PENDING
REMOVED = CommentModeration.State.REMOVED
DELETED = CommentModeration.State.DELETED


@pytest.fixture
def story():
    return make_article()


@pytest.fixture
def trusted():
    return make_reader(display_name="Quay Regular", status="trusted")


@pytest.fixture
def regular():
    """A reader with an approved comment, whose comments pass the rules one by one."""
    user = make_reader(display_name="Harbour Watcher")
    moderate_comment(
        comment=add_comment(make_article(), user), state="published", by=make_moderator()
    )
    return user


@pytest.fixture
def policy():
    return ModerationPolicy.current()


def posted_ago(comment, minutes):
    XtdComment.objects.filter(pk=comment.pk).update(
        submit_date=timezone.now() - timedelta(minutes=minutes)
    )
    comment.refresh_from_db()
    return comment


def count_of(story):
    return Article.objects.get(pk=story.pk).comment_count


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def fresh(comment):
    return XtdComment.objects.select_related("moderation").get(pk=comment.pk)


# The service: who, when, and what the rules make of the new text.


def test_an_edit_within_the_window_keeps_the_earlier_text_and_stays_published(story, trusted):
    comment = posted_ago(add_comment(story, trusted, "The crane fell at six."), 2)
    moderation = edit_comment(comment=comment, by=trusted, text="The crane fell at seven.")
    comment = fresh(comment)
    assert comment.comment == "The crane fell at seven."
    assert (moderation.state, comment.is_public, comment.is_removed) == (PUBLISHED, True, False)
    assert moderation.edited_at is not None
    [earlier] = CommentEdit.objects.filter(comment=comment)
    assert earlier.previous_text == "The crane fell at six."
    # The reader's own act: nothing in the moderation log.
    assert not ModerationDecision.objects.exists()


def test_an_edit_after_the_window_is_refused_and_changes_nothing(story, trusted, policy):
    comment = posted_ago(add_comment(story, trusted, "As posted."), policy.edit_window_minutes)
    with pytest.raises(CommentRefused, match="can be edited for 5 minutes after posting"):
        edit_comment(comment=comment, by=trusted, text="Changed later.")
    assert fresh(comment).comment == "As posted."
    assert fresh(comment).moderation.edited_at is None
    assert not CommentEdit.objects.exists()


def test_a_policy_of_no_edits_refuses_every_edit(story, trusted, policy):
    policy.edit_window_minutes = 0
    policy.save()
    comment = add_comment(story, trusted, "As posted.")
    with pytest.raises(CommentRefused, match="cannot be edited"):
        edit_comment(comment=comment, by=trusted, text="Changed.")
    assert fresh(comment).comment == "As posted."


def test_nobody_but_the_author_edits_or_deletes(story, trusted):
    comment = add_comment(story, trusted, "Mine.")
    for someone in (make_reader(), make_moderator()):
        with pytest.raises(PermissionDenied):
            edit_comment(comment=comment, by=someone, text="Theirs now.")
        with pytest.raises(PermissionDenied):
            delete_comment(comment=comment, by=someone)
    assert (fresh(comment).comment, state_of(comment)) == ("Mine.", PUBLISHED)
    assert not CommentEdit.objects.exists()


def test_a_published_comment_edited_into_a_held_one_goes_back_to_the_queue(story, regular, policy):
    policy.suspect_words = "scab"
    policy.save()
    comment = add_comment(story, regular, "The picket held firm.")
    feature(comment, by=make_moderator())
    assert count_of(story) == 1
    moderation = edit_comment(comment=comment, by=regular, text="Every scab should be named.")
    assert (moderation.state, moderation.rule) == (PENDING, "suspect_word")
    assert moderation.featured_at is None
    assert fresh(comment).is_public is False
    assert count_of(story) == 0


def test_a_cached_story_page_shows_the_edit_and_drops_a_held_one(story, regular, policy):
    comment = add_comment(story, regular, "First version.")
    anonymous = Client()
    assert "First version." in anonymous.get(story.get_absolute_url()).content.decode()
    assert anonymous.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    edit_comment(comment=comment, by=regular, text="Second version.")
    html = anonymous.get(story.get_absolute_url()).content.decode()
    assert "Second version." in html and "First version." not in html
    assert [e["text"] for e in Elements(html).by_class("comment__edited")] == ["edited"]
    policy.suspect_words = "scab"
    policy.save()
    edit_comment(comment=fresh(comment), by=regular, text="Third version, scab.")
    html = anonymous.get(story.get_absolute_url()).content.decode()
    assert "version" not in html


def test_a_waiting_comment_keeps_waiting_whatever_its_new_text(story):
    newcomer = make_reader()
    comment = add_comment(story, newcomer, "A first comment.")
    assert comment.moderation.rule == "first_comment"
    moderation = edit_comment(comment=comment, by=newcomer, text="A better first comment.")
    assert (moderation.state, moderation.rule) == (PENDING, "first_comment")
    assert fresh(comment).comment == "A better first comment."


def test_a_banned_word_in_the_edit_removes_the_comment(story, trusted, policy):
    policy.banned_words = "vermin"
    policy.save()
    comment = add_comment(story, trusted, "Strong words.")
    moderation = edit_comment(comment=comment, by=trusted, text="They are vermin.")
    assert (moderation.state, moderation.rule) == (REMOVED, "banned_word")
    assert (fresh(comment).is_public, fresh(comment).is_removed) == (False, True)
    assert count_of(story) == 0


def test_the_screening_score_judges_the_new_text(story, trusted):
    comment = add_comment(story, trusted, "The harbour master gave a clear account.")
    clean_score = comment.moderation.score
    moderation = edit_comment(
        comment=comment, by=trusted, text="You are a worthless idiot and a fucking moron."
    )
    assert moderation.score > clean_score
    assert (moderation.state, moderation.rule) == (PENDING, "screening")


def test_a_small_correction_is_no_repeat_of_the_comment_itself(story, trusted):
    comment = add_comment(story, trusted, "The strike ends on Monday")
    moderation = edit_comment(comment=comment, by=trusted, text="The strike ends on Monday.")
    assert moderation.state == PUBLISHED
    assert fresh(comment).comment == "The strike ends on Monday."


def test_the_same_text_again_records_no_edit(story, trusted):
    comment = add_comment(story, trusted, "Unchanged.")
    edit_comment(comment=comment, by=trusted, text="Unchanged.")
    assert not CommentEdit.objects.exists()
    assert fresh(comment).moderation.edited_at is None


def test_removed_and_deleted_comments_cannot_be_edited(story, trusted):
    removed = add_comment(story, trusted, "Rejected one.")
    moderate_comment(comment=removed, state="removed", by=make_moderator(), reason="Off topic.")
    deleted = add_comment(story, trusted, "Taken back.")
    delete_comment(comment=deleted, by=trusted)
    for comment, why in ((removed, "removed"), (deleted, "deleted by its author")):
        with pytest.raises(CommentRefused, match=why):
            edit_comment(comment=fresh(comment), by=trusted, text="Back again.")


def test_a_banned_reader_cannot_edit(story, trusted):
    comment = add_comment(story, trusted, "Before the ban.")
    trusted.reader.status = "banned"
    trusted.reader.save()
    with pytest.raises(CommentRefused, match="can no longer comment"):
        edit_comment(comment=comment, by=trusted, text="After the ban.")


# Deleting.


def test_a_deleted_comment_is_hidden_kept_for_moderators_and_leaves_the_picks(story, trusted):
    moderator = make_moderator()
    comment = add_comment(story, trusted, "Regretted words.")
    feature(comment, by=moderator)
    moderation = delete_comment(comment=comment, by=trusted)
    stored = fresh(comment)
    assert (moderation.state, moderation.featured_at) == (DELETED, None)
    assert (stored.is_public, stored.is_removed, stored.comment) == (
        False,
        True,
        "Regretted words.",
    )
    assert count_of(story) == 0
    html = Client().get(story.get_absolute_url()).content.decode()
    assert "Regretted words." not in html
    assert Elements(html).by_class("pick") == []
    # Deleting twice is harmless; the moderators cannot bring it back.
    assert delete_comment(comment=stored, by=trusted).state == DELETED
    with pytest.raises(DeletedByAuthor):
        moderate_comment(comment=stored, state="published", by=moderator)
    with pytest.raises(DeletedByAuthor):
        moderate_comment(comment=stored, state="removed", by=moderator, reason="Too late.")
    assert state_of(comment) == DELETED


def test_a_removed_comment_cannot_be_deleted_out_of_the_readers_record(story, trusted):
    comment = add_comment(story, trusted, "Rejected.")
    moderate_comment(
        comment=comment, state="removed", by=make_moderator(), reason="Abusive or hateful."
    )
    with pytest.raises(CommentRefused, match="removed by moderation"):
        delete_comment(comment=fresh(comment), by=trusted)
    assert state_of(comment) == REMOVED


def test_a_deleted_comment_with_a_shown_reply_leaves_a_placeholder(story, trusted):
    parent = add_comment(story, trusted, "The parent.")
    reply = add_comment(story, make_reader(status="trusted"), "The reply.", parent=parent)
    lonely = add_comment(story, trusted, "No replies here.")
    delete_comment(comment=parent, by=trusted)
    delete_comment(comment=lonely, by=trusted)
    _, entries = discussion_page(article=story, user=make_reader())
    assert [(e.comment.pk, e.shown, e.deleted) for e in entries] == [
        (parent.pk, False, True),
        (reply.pk, True, False),
    ]
    page = Elements(Client().get(story.get_absolute_url()).content.decode())
    [placeholder] = page.by_class("comment--placeholder")
    assert placeholder["attrs"]["id"] == f"c{parent.pk}"
    assert "Deleted by its author." in placeholder["text"]
    assert "The parent." not in page.text and "No replies here." not in page.text


# The pages.


def entry(html, comment):
    page = Elements(html)
    return page, next(e for e in page.by_class("comment") if e["attrs"]["id"] == f"c{comment.pk}")


def links_in(page, element):
    return {a["text"].strip(): a["attrs"]["href"] for a in page.inside(element) if a["tag"] == "a"}


def test_the_author_sees_edit_with_the_minutes_left_and_delete_others_see_neither(story, trusted):
    comment = posted_ago(add_comment(story, trusted, "Mine to change."), 1)
    page, mine = entry(signed_in(trusted).get(story.get_absolute_url()).content.decode(), comment)
    links = links_in(page, mine)
    assert links["Edit your comment"] == reverse("commenting:edit", args=[comment.pk])
    assert links["Delete your comment"] == reverse("commenting:delete", args=[comment.pk])
    assert "(4 min left)" in mine["text"]
    for client in (signed_in(make_reader()), Client()):
        page, theirs = entry(client.get(story.get_absolute_url()).content.decode(), comment)
        assert not {"Edit your comment", "Delete your comment"} & set(links_in(page, theirs))
    posted_ago(comment, 6)
    page, mine = entry(signed_in(trusted).get(story.get_absolute_url()).content.decode(), comment)
    assert "Edit your comment" not in links_in(page, mine)
    assert "Delete your comment" in links_in(page, mine)


def test_editing_through_the_page_shows_the_outcome_inside_the_comment(story, trusted):
    comment = add_comment(story, trusted, "Typo in thsi one.")
    client = signed_in(trusted)
    url = reverse("commenting:edit", args=[comment.pk])
    action, fields = form_fields(client.get(url).content.decode(), "edit-form")
    assert fields["comment"] == "Typo in thsi one."
    fields["comment"] = "No typo in this one."
    response = client.post(action or url, fields)
    assert response["Location"] == f"{story.get_absolute_url()}#c{comment.pk}"
    html = client.get(response["Location"]).content.decode()
    page, element = entry(html, comment)
    [outcome] = [e for e in page.inside(element) if "outcome" in e["attrs"].get("class", "")]
    assert outcome["attrs"]["role"] == "status"
    assert "Your edit is published." in outcome["text"]
    assert "Your edit is published." not in page.by_class("messages")[0]["text"]
    assert "No typo in this one." in element["text"]


def test_an_empty_edit_is_refused_with_a_message(story, trusted):
    comment = add_comment(story, trusted, "Keep me.")
    response = signed_in(trusted).post(
        reverse("commenting:edit", args=[comment.pk]), {"comment": "  "}
    )
    assert response.status_code == 200
    assert "to take the comment back, delete it" in response.content.decode()
    assert fresh(comment).comment == "Keep me."


def test_an_edit_sent_after_the_window_is_refused_and_the_text_kept(story, trusted):
    comment = posted_ago(add_comment(story, trusted, "As it was."), 10)
    client = signed_in(trusted)
    url = reverse("commenting:edit", args=[comment.pk])
    assert "the time for this one is up" in client.get(url).content.decode()
    response = client.post(url, {"comment": "Too late to say this."})
    html = response.content.decode()
    assert response.status_code == 403
    assert "the time for this one is up" in html and "Too late to say this." in html
    assert fresh(comment).comment == "As it was."


def test_someone_elses_comment_gives_a_403_page_with_why(story, trusted):
    comment = add_comment(story, trusted, "Not yours.")
    client = signed_in(make_reader())
    for name in ("commenting:edit", "commenting:delete"):
        url = reverse(name, args=[comment.pk])
        for response in (client.get(url), client.post(url, {"comment": "Mine now."})):
            assert response.status_code == 403
            assert "Only its author can edit or delete a comment." in response.content.decode()
    assert (fresh(comment).comment, state_of(comment)) == ("Not yours.", PUBLISHED)


def test_editing_and_deleting_too_fast_is_a_429_that_changes_nothing(settings, story, trusted):
    settings.NEWSROOM_RATE_LIMITS = {**settings.NEWSROOM_RATE_LIMITS, "edit": [("user", 2, 60)]}
    first, second, third = (add_comment(story, trusted, f"Draft {n}.") for n in range(3))
    client = signed_in(trusted)
    edits = [
        client.post(reverse("commenting:edit", args=[c.pk]), {"comment": "Redone."})
        for c in (first, second)
    ]
    assert [e.status_code for e in edits] == [302, 302]
    refused = client.post(reverse("commenting:edit", args=[third.pk]), {"comment": "Redone."})
    assert refused.status_code == 429 and "Too many edits and deletions" in refused.text
    deleted = client.post(reverse("commenting:delete", args=[third.pk]))
    assert deleted.status_code == 429
    assert fresh(third).comment == "Draft 2." and fresh(third).moderation.state == PUBLISHED
    # Reading the edit page is no edit.
    assert client.get(reverse("commenting:edit", args=[third.pk])).status_code == 200


def test_signed_out_readers_are_sent_to_log_in(story, trusted):
    comment = add_comment(story, trusted, "Mine.")
    response = Client().post(reverse("commenting:delete", args=[comment.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert state_of(comment) == PUBLISHED


def test_forged_requests_without_the_csrf_token_are_refused(story, trusted):
    comment = add_comment(story, trusted, "Mine.")
    client = Client(enforce_csrf_checks=True)
    client.force_login(trusted)
    edit = client.post(reverse("commenting:edit", args=[comment.pk]), {"comment": "Forged."})
    delete = client.post(reverse("commenting:delete", args=[comment.pk]))
    assert (edit.status_code, delete.status_code) == (403, 403)
    assert (fresh(comment).comment, state_of(comment)) == ("Mine.", PUBLISHED)


def test_deleting_asks_first_then_shows_the_outcome_in_the_placeholder(story, trusted):
    parent = add_comment(story, trusted, "Second thoughts.")
    add_comment(story, make_reader(status="trusted"), "A reply.", parent=parent)
    client = signed_in(trusted)
    url = reverse("commenting:delete", args=[parent.pk])
    confirm = client.get(url)
    assert "Delete your comment?" in confirm.content.decode()
    assert state_of(parent) == PUBLISHED
    action, fields = form_fields(confirm.content.decode(), "delete-form")
    response = client.post(action or url, fields)
    assert state_of(parent) == DELETED
    _, placeholder = entry(client.get(response["Location"]).content.decode(), parent)
    assert "Your comment is deleted." in placeholder["text"]
    assert "Deleted by its author." in placeholder["text"]


def test_the_outcome_of_deleting_a_comment_without_replies_is_where_the_link_lands(story, trusted):
    comment = add_comment(story, trusted, "Gone soon.")
    client = signed_in(trusted)
    response = client.post(reverse("commenting:delete", args=[comment.pk]))
    assert response["Location"].endswith(f"#c{comment.pk}")
    page = Elements(client.get(response["Location"]).content.decode())
    [landing] = [e for e in page.found if e["attrs"].get("id") == f"c{comment.pk}"]
    assert "outcome" in landing["attrs"]["class"]
    assert "Your comment is deleted." in landing["text"]
    assert "Gone soon." not in page.text


def test_after_posting_the_wait_and_its_reason_show_inside_the_new_comment(story):
    newcomer = make_reader()
    client = signed_in(newcomer)
    response = post_through_form(client, story, "My first words here.")
    comment = XtdComment.objects.get(user=newcomer)
    assert response["Location"].endswith(f"#c{comment.pk}")
    page, element = entry(client.get(response["Location"]).content.decode(), comment)
    [outcome] = [e for e in page.inside(element) if "outcome" in e["attrs"].get("class", "")]
    assert "waiting for a moderator: First comments are reviewed" in outcome["text"]
    # Only once: the box at the top of the page stays empty.
    assert page.text.count("waiting for a moderator") == 1


def test_a_refused_comment_is_told_of_at_the_form(story, trusted, policy):
    policy.banned_words = "vermin"
    policy.save()
    client = signed_in(trusted)
    response = post_through_form(client, story, "They are vermin.")
    assert response["Location"].endswith("#comment-form")
    page = Elements(client.get(response["Location"]).content.decode())
    form = next(f for f in page.by_tag("form") if f["attrs"].get("id") == "comment-form")
    assert "was not published: Contains a banned word" in form["text"]


def test_a_report_is_acknowledged_at_the_reported_comment(story, trusted):
    comment = add_comment(story, trusted, "Contested.")
    client = signed_in(make_reader())
    url = reverse("commenting:report", args=[comment.pk])
    response = client.post(url, {"reason": "off_topic", "note": ""})
    assert response["Location"].endswith(f"#c{comment.pk}")
    _, element = entry(client.get(response["Location"]).content.decode(), comment)
    assert "Reported. Thank you." in element["text"]


def test_the_thread_with_own_actions_costs_no_query_per_comment(
    story, trusted, django_assert_max_num_queries
):
    client = signed_in(trusted)
    add_comment(story, trusted, "One.")
    client.get(story.get_absolute_url())  # warm per-process caches
    with django_assert_max_num_queries(40) as few:
        client.get(story.get_absolute_url())
    for n in range(15):
        add_comment(story, trusted, f"More {n}.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(story.get_absolute_url())


def tab_to(page, name, presses=40):
    """Press Tab until the focused element's accessible text starts with `name`, as a
    keyboard user would; fails if it is never reached."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.innerText || document.activeElement.value")
        if (focused or "").strip().startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def axe_verdict(page, name):
    """axe-core on the page: fails on a serious or critical violation, else says what passed."""
    result = axe_check(page)
    blocking = [v["id"] for v in blocking_violations(result)]
    assert result["passed"] >= 15 and not blocking, blocking
    return f"{name}: {result['passed']} axe rules passed, no serious or critical violation"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reader_posts_edits_by_keyboard_and_deletes_on_a_phone(browser, live_server, artifacts):
    story = make_discussed_story()
    neighbour = make_reader(display_name="Dock neighbour", status="trusted")
    for n in range(12):
        add_comment(story, neighbour, f"An earlier thought, number {n}. " * 8)
    reader = make_reader(display_name="Night reader")
    moderate_comment(
        comment=add_comment(make_article(), reader), state="published", by=make_moderator()
    )
    found = []
    page = axe_context(browser, MOBILE).new_page()
    page.set_default_timeout(10_000)
    log_in(page, live_server.url, reader.email, "a-long-passphrase")
    page.goto(live_server.url + story.get_absolute_url())
    page.get_by_label("Your comment").fill("The night lift needs six, not four.")
    page.get_by_role("button", name="Post comment").click()
    comment = XtdComment.objects.get(user=reader, object_pk=str(story.pk))
    outcome = page.locator(f"#c{comment.pk} .outcome")
    expect(outcome).to_contain_text("Your comment is published.")
    expect(outcome).to_be_in_viewport()
    depth = page.evaluate("scrollY")
    found.append(f"posted #{comment.pk}; its outcome is in the 390 px viewport at scrollY {depth}")
    assert depth > 1000  # the comment is far down the page, as on a phone
    screenshot(page, artifacts / "comment-outcome-390.png")

    # Edit by keyboard alone: from the comment the page landed on to its Edit link.
    tab_to(page, "Edit")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Edit your comment")).to_be_visible()
    found.append(axe_verdict(page, "edit page"))
    tab_to(page, "The night lift")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("The night lift needs six, not four. Ask the crews.")
    tab_to(page, "Save the edit")
    page.keyboard.press("Enter")
    expect(outcome).to_contain_text("Your edit is published.")
    expect(outcome).to_be_in_viewport()
    expect(page.locator(f"#c{comment.pk} .comment__edited")).to_have_text("edited")
    expect(page.locator(f"#c{comment.pk} .comment__text")).to_have_text(
        "The night lift needs six, not four. Ask the crews."
    )

    # A reply comes in; deleting leaves a placeholder holding its place.
    add_comment(story, neighbour, "Six is what the union asked for.", parent=comment)
    page.reload()
    page.locator(f"#c{comment.pk}").get_by_role("link", name="Delete your comment").click()
    found.append(axe_verdict(page, "delete page"))
    page.get_by_role("button", name="Delete the comment").click()
    placeholder = page.locator(f"#c{comment.pk}")
    expect(placeholder).to_contain_text("Deleted by its author.")
    expect(placeholder.locator(".outcome")).to_contain_text("Your comment is deleted.")
    expect(placeholder.locator(".outcome")).to_be_in_viewport()
    expect(page.get_by_text("Six is what the union asked for.")).to_be_visible()
    expect(page.get_by_text("Ask the crews.")).to_have_count(0)
    screenshot(page, artifacts / "comment-deleted-390.png")
    found.append("deleted it: the placeholder and the reply show, the text does not")
    page.context.close()
    report(artifacts, "comment-editing.txt", found)
