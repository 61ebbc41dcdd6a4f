"""Posting comments through the form: what is stored, what is refused and how it is shown."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from articles.models import Article
from articles.services import record_slug_change
from articles.tests.factories import make_article
from commenting.forms import CommentForm
from discussion.models import CommentModeration, ModerationPolicy, ReaderProfile
from discussion.tests.factories import add_comment, comment_form, make_reader, post_through_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return make_article()


@pytest.fixture
def regular(client):
    """A verified reader who has had a comment approved, so new ones publish at once."""
    user = make_reader(display_name="Harbour Watcher")
    add_comment(make_article(), user).moderation  # noqa: B018
    CommentModeration.objects.filter(comment__user=user).update(state="published")
    client.force_login(user)
    return user


def stored(story):
    return XtdComment.objects.filter(object_pk=str(story.pk))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write something before posting."),
        ("   \n\t  ", "Write something before posting."),
        ("x" * 5001, "up to 5,000 characters; this one has 5,001"),
    ],
    ids=["empty", "whitespace", "too-long"],
)
def test_bad_text_is_refused_with_a_message_and_kept(client, regular, story, text, message):
    response = post_through_form(client, story, text)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert not stored(story).exists()
    if text.strip():
        assert text in html  # the reader's text comes back in the form


def test_exactly_the_limit_is_accepted(client, regular, story):
    post_through_form(client, story, "y" * 5000)
    assert stored(story).get().comment == "y" * 5000


def test_forged_security_hash_is_a_bad_request(client, regular, story):
    page = client.get(story.get_absolute_url())
    action, fields = comment_form(page.content.decode())
    fields.update(comment="Hello", security_hash="0" * 40)
    response = client.post(action, fields)
    assert response.status_code == 400
    assert "could not accept that request" in response.content.decode()
    assert not stored(story).exists()


def test_form_for_another_story_is_a_bad_request(client, regular, story):
    other = make_article()
    _, fields = comment_form(client.get(other.get_absolute_url()).content.decode())
    fields.update(comment="Hello")
    response = client.post(f"/articles/{story.slug}/comments/", fields)
    assert response.status_code == 400
    assert not stored(story).exists()
    assert not stored(other).exists()


def test_a_form_opened_before_the_slug_changed_still_posts(client, regular, story):
    action, fields = comment_form(client.get(story.get_absolute_url()).content.decode())
    previous = story.slug
    story.slug = "a-clearer-address"
    story.save()
    record_slug_change(article=story, previous_slug=previous)
    response = client.post(action, {**fields, "comment": "Posted from an old tab."})
    assert response.status_code == 302
    assert response["Location"].startswith("/articles/a-clearer-address/")
    assert stored(story).get().comment == "Posted from an old tab."


def form_data(story, **fields):
    """The fields of a comment form made for the story earlier (as if a tab was left open)."""
    form = CommentForm(story)
    values = {name: form[name].value() for name in form.fields}
    return {name: "" if value is None else value for name, value in values.items()} | fields


def test_expired_form_asks_to_post_again_and_keeps_the_text(client, regular, story):
    form = CommentForm(story)
    thirteen_hours_ago = int(time.time()) - 13 * 3600
    data = form_data(
        story,
        comment="Written slowly over lunch.",
        timestamp=str(thirteen_hours_ago),
        security_hash=form.initial_security_hash(thirteen_hours_ago),
    )
    response = client.post(f"/articles/{story.slug}/comments/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "has expired" in html
    assert "Written slowly over lunch." in html
    assert not stored(story).exists()


def test_closed_story_refuses_with_a_message(client, regular):
    story = make_article(publish_at=timezone.now() - timedelta(days=30))
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Comments closed 14 days after publication." in page
    assert 'id="comment-form"' not in page
    # A form kept open from before the story closed is refused too.
    response = client.post(f"/articles/{story.slug}/comments/", form_data(story, comment="Late"))
    assert response.status_code == 403
    assert "Comments closed 14 days after publication." in response.content.decode()
    assert not stored(story).exists()


def test_post_to_a_story_with_comments_off_is_refused(client, regular, story):
    action, fields = comment_form(client.get(story.get_absolute_url()).content.decode())
    story.comments_enabled = False
    story.save()
    fields["comment"] = "Still here?"
    response = client.post(action, fields)
    assert response.status_code == 403
    assert "Comments are closed for this story." in response.content.decode()
    assert "Still here?" in response.content.decode()
    assert not stored(story).exists()


def test_retracted_story_takes_no_comments(client, regular, story):
    action, fields = comment_form(client.get(story.get_absolute_url()).content.decode())
    story.status = Article.Status.RETRACTED
    story.retraction_note = "The figures were wrong."
    story.save()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Comments are closed: this story was retracted." in page
    assert 'id="comment-form"' not in page
    # A form opened before the retraction is refused too, with the text kept.
    fields["comment"] = "Posted after the retraction."
    response = client.post(action, fields)
    assert response.status_code == 403
    assert "Comments are closed: this story was retracted." in response.content.decode()
    assert "Posted after the retraction." in response.content.decode()
    assert not stored(story).exists()


@pytest.mark.parametrize(
    ("status", "until", "message"),
    [
        (ReaderProfile.Status.BANNED, None, "can no longer comment"),
        (ReaderProfile.Status.SUSPENDED, timedelta(days=2), "can comment again after"),
    ],
)
def test_banned_or_suspended_reader_is_refused(client, regular, story, status, until, message):
    action, fields = comment_form(client.get(story.get_absolute_url()).content.decode())
    regular.reader.status = status
    regular.reader.suspended_until = timezone.now() + until if until else None
    regular.reader.save()
    fields["comment"] = "Let me in."
    response = client.post(action, fields)
    assert response.status_code == 403
    assert message in response.content.decode()
    assert not stored(story).exists()
    assert message in client.get(story.get_absolute_url()).content.decode()


def test_suspension_ends_by_itself(client, regular, story):
    regular.reader.status = ReaderProfile.Status.SUSPENDED
    regular.reader.suspended_until = timezone.now() - timedelta(minutes=1)
    regular.reader.save()
    post_through_form(client, story, "Back again.")
    assert stored(story).count() == 1


def test_unverified_reader_is_refused(client, story):
    user = make_reader(verified=False)
    client.force_login(user)
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Confirm your email address" in page
    assert 'id="comment-form"' not in page
    verified = make_reader()
    other = Client()
    other.force_login(verified)
    action, fields = comment_form(other.get(story.get_absolute_url()).content.decode())
    fields["comment"] = "Sneaky"
    response = client.post(action, fields)
    assert response.status_code == 403
    assert not stored(story).exists()


def test_anonymous_post_goes_to_login_and_stores_nothing(client, story):
    response = client.post(f"/articles/{story.slug}/comments/", {"comment": "hi"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not stored(story).exists()


def test_double_submit_creates_one_comment(client, regular, story):
    action, fields = comment_form(client.get(story.get_absolute_url()).content.decode())
    fields["comment"] = "Posted once, clicked twice."
    first = client.post(action, fields)
    second = client.post(action, fields)
    assert first["Location"] == second["Location"]
    assert stored(story).count() == 1


def test_reply_threads_under_its_parent_up_to_three_levels(client, regular, story):
    other = make_reader()
    CommentModeration.objects.filter(comment__user=other).update(state="published")
    top = add_comment(story, regular, "Top")
    reply = add_comment(story, regular, "Reply", parent=top)
    deeper = add_comment(story, regular, "Deeper", parent=reply)
    assert [top.level, reply.level, deeper.level] == [0, 1, 2]
    page = client.get(story.get_absolute_url()).content.decode()
    assert f"?reply_to={top.pk}" in page and f"?reply_to={deeper.pk}" not in page
    action, fields = comment_form(client.get(story.get_absolute_url()).content.decode())
    fields.update(comment="Too deep", reply_to=str(deeper.pk))
    response = client.post(action, fields)
    assert response.status_code == 403
    assert "levels deep" in response.content.decode()
    assert not stored(story).filter(comment="Too deep", level=3).exists()


def test_reply_to_a_hidden_comment_is_refused(client, regular, story):
    held = add_comment(story, make_reader(), "Held")
    assert held.moderation.state == "pending"
    action, fields = comment_form(client.get(story.get_absolute_url()).content.decode())
    fields.update(comment="Answering", reply_to=str(held.pk))
    response = client.post(action, fields)
    assert response.status_code == 403
    assert not stored(story).filter(comment="Answering").exists()


def test_a_pre_moderated_story_holds_a_trusted_readers_comment(client):
    """A legally sensitive story is held in full: trust does not skip pre-moderation."""
    trusted = make_reader(status=ReaderProfile.Status.TRUSTED)
    client.force_login(trusted)
    story = make_article(premoderate_comments=True)
    response = post_through_form(client, story, "About the defendant...")
    assert (
        "Comments on this story are reviewed" in client.get(response["Location"]).content.decode()
    )
    comment = stored(story).get()
    assert (comment.moderation.state, comment.moderation.rule) == ("pending", "premoderate_article")
    assert "About the defendant" not in Client().get(story.get_absolute_url()).content.decode()


def test_banned_word_comment_is_removed_and_the_reader_told_why(client, regular, story):
    policy = ModerationPolicy.current()
    policy.banned_words = "scoundrel"
    policy.save()
    response = post_through_form(client, story, "You scoundrel.")
    page = client.get(response["Location"]).content.decode()
    assert "Your comment was not published" in page and "scoundrel" in page
    comment = stored(story).get()
    assert comment.is_removed and not comment.is_public
    assert "You scoundrel." not in Client().get(story.get_absolute_url()).content.decode()


XSS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "{{ request.user }}{% debug %}",
]


@pytest.mark.parametrize("payload", XSS)
def test_comment_text_renders_inert(client, regular, story, payload):
    post_through_form(client, story, f"Look: {payload}")
    html = Client().get(story.get_absolute_url()).content.decode()
    assert payload not in html or payload.startswith(("javascript", "{{"))
    assert "<script>alert" not in html
    assert "onerror=" not in html.replace("onerror=&quot;", "")
    assert "<svg" not in html


def test_text_keeps_paragraphs_and_links_get_nofollow_ugc(client, regular, story):
    post_through_form(client, story, "First para.\n\nSee https://example.org/report for more.")
    html = Client().get(story.get_absolute_url()).content.decode()
    assert "<p>First para.</p>" in html
    assert '<a href="https://example.org/report" rel="nofollow ugc">' in html


def test_display_name_is_shown_and_email_never(client, regular, story):
    post_through_form(client, story, "Signed comment.")
    html = Client().get(story.get_absolute_url()).content.decode()
    assert "Harbour Watcher" in html
    assert regular.email not in html
    assert regular.username not in html


def test_comment_count_shows_on_story_and_listing(client, regular, story):
    post_through_form(client, story, "One.")
    post_through_form(client, story, "Two.")
    story.refresh_from_db()
    assert story.comment_count == 2
    assert "Comments (2)" in client.get(story.get_absolute_url()).content.decode()
    assert "2 comments" in client.get("/").content.decode()
