"""Readers, comments and form helpers for the discussion tests."""

import itertools
import re
import uuid
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from discussion.models import CommentModeration, ModerationPolicy, ReaderProfile
from discussion.services import post_comment
from newsroom.tests.forms import form_fields

_numbers = itertools.count(1)


def make_reader(*, display_name=None, email=None, verified=True, status="normal", **profile):
    number = next(_numbers)
    email = email or f"reader{number}@example.org"
    user = get_user_model().objects.create_user(
        username=f"reader{number}", email=email, password="a-long-passphrase"
    )
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    ReaderProfile.objects.create(
        user=user, display_name=display_name or f"Reader {number}", status=status, **profile
    )
    return user


def make_reader_in_good_standing(**fields):
    """A reader whose reports count: a confirmed account, a week old, with an approved comment."""
    from articles.tests.factories import make_article

    user = make_reader(**fields)
    get_user_model().objects.filter(pk=user.pk).update(
        date_joined=timezone.now() - timedelta(days=7)
    )
    user.refresh_from_db()
    comment = add_comment(make_article(), user, "An earlier, approved comment.")
    CommentModeration.objects.filter(comment=comment).update(state="published")
    return user


def make_moderator():
    number = next(_numbers)
    user = get_user_model().objects.create_user(
        username=f"moderator{number}", email=f"mod{number}@example.org", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def add_comment(article, user, text="A thoughtful comment.", parent=None, follow=False):
    """Post through the moderation engine, as the comment form does."""
    return post_comment(
        article=article,
        reader=user.reader,
        text=text,
        parent=parent,
        follow=follow,
        submission_key=uuid.uuid4(),
        ip_address="127.0.0.1",
    )


def feature(comment, *, by):
    """Put a published comment among its story's picks, as a moderator's pick does
    (moderation.services.feature_comment; that room is above the ones these factories serve).

    The row is saved, not updated, so the pages showing the comment move on."""
    moderation = CommentModeration.objects.get(comment=comment)
    moderation.featured_at, moderation.featured_by = timezone.now(), by
    moderation.save(update_fields=["featured_at", "featured_by"])


def unfeature(comment):
    """Take a comment out of its story's picks, as unfeature_comment does."""
    moderation = CommentModeration.objects.get(comment=comment)
    moderation.featured_at = moderation.featured_by = None
    moderation.save(update_fields=["featured_at", "featured_by"])


def comment_form(html, form_id="comment-form"):
    """The action and hidden fields of the comment form on a page, as a browser would send them."""
    return form_fields(html, form_id)


def post_through_form(client, article, text, reply_to=None, follow=False, **extra):
    page = client.get(article.get_absolute_url() + (f"?reply_to={reply_to}" if reply_to else ""))
    action, fields = comment_form(page.content.decode())
    fields.update(comment=text, **extra)
    if follow:
        fields["followup"] = "on"
    return client.post(action, fields)


def link_in(message, pattern=r"https?://\S+"):
    return re.search(pattern, message).group(0)


def set_policy(**fields):
    """The site's moderation policy with these fields changed, saved as the admin saves it."""
    policy = ModerationPolicy.current()
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.save()


def moderation_of(comment):
    return CommentModeration.objects.get(comment=comment)


def state_of(comment):
    return moderation_of(comment).state
