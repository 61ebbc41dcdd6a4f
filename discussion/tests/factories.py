"""Readers, comments and form helpers for the discussion tests."""

import itertools
import re
import uuid
from html.parser import HTMLParser

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from discussion.models import ReaderProfile
from discussion.services import post_comment

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


def make_moderator():
    number = next(_numbers)
    user = get_user_model().objects.create_user(
        username=f"moderator{number}", email=f"mod{number}@example.org", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Moderators"))
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


class _FormFields(HTMLParser):
    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.found = form_id, False, False
        self.fields, self.action = {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = self.found = True
            self.action = attrs.get("action", "")
        elif (
            tag == "input"
            and self.inside
            and attrs.get("name")
            and (attrs.get("type") != "checkbox" or "checked" in attrs)
        ):
            self.fields[attrs["name"]] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def comment_form(html, form_id="comment-form"):
    """The action and hidden fields of the comment form on a page, as a browser would send them."""
    parser = _FormFields(form_id)
    parser.feed(html)
    assert parser.found, f"no form #{form_id} on the page"
    return parser.action, parser.fields


def post_through_form(client, article, text, reply_to=None, follow=False, **extra):
    page = client.get(article.get_absolute_url() + (f"?reply_to={reply_to}" if reply_to else ""))
    action, fields = comment_form(page.content.decode())
    fields.update(comment=text, **extra)
    if follow:
        fields["followup"] = "on"
    return client.post(action, fields)


def link_in(message, pattern=r"https?://\S+"):
    return re.search(pattern, message).group(0)
