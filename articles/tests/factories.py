"""Small builders for test data: each makes a valid object, and any field can be overridden."""

import itertools
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import (
    Article,
    Author,
    Byline,
    Citation,
    Correction,
    PhotoPlacement,
    Section,
    Tag,
)
from photos.tests.factories import image_upload as image_upload
from photos.tests.factories import jpeg_bytes as jpeg_bytes
from photos.tests.factories import make_photo

_numbers = itertools.count(1)


def make_staff(role="Editors", **fields):
    """A desk account in one of the role groups (Editors, Reporters, Moderators)."""
    number = next(_numbers)
    user = get_user_model().objects.create_user(
        f"staff{number}", f"staff{number}@example.org", "desk-password-1", is_staff=True, **fields
    )
    user.groups.add(Group.objects.get(name=role))
    # The desk logs in through allauth, which wants a confirmed address (as create_staff makes).
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def make_section(**fields):
    number = next(_numbers)
    fields.setdefault("name", f"Section {number}")
    fields.setdefault("slug", f"section-{number}")
    return Section.objects.create(**fields)


def make_author(**fields):
    number = next(_numbers)
    fields.setdefault("name", f"Author {number}")
    fields.setdefault("slug", f"author-{number}")
    return Author.objects.create(**fields)


def make_article(*, authors=(), **fields):
    """A published story, live since an hour ago, unless the fields say otherwise."""
    number = next(_numbers)
    fields.setdefault("headline", f"Headline {number}")
    fields.setdefault("slug", f"story-{number}")
    fields.setdefault("body", f"<p>Body of story {number}.</p>")
    fields.setdefault("status", Article.Status.PUBLISHED)
    if fields["status"] == Article.Status.PUBLISHED:
        fields.setdefault("publish_at", timezone.now() - timedelta(hours=1))
    if "section" not in fields:
        fields["section"] = make_section()
    article = Article.objects.create(**fields)
    for position, author in enumerate(authors):
        Byline.objects.create(article=article, author=author, position=position)
    return article


def place_photo(article, photo=None, **fields):
    return PhotoPlacement.objects.create(article=article, photo=photo or make_photo(), **fields)


def make_citation(article, **fields):
    number = next(_numbers)
    fields.setdefault("outlet", f"Outlet {number}")
    fields.setdefault("title", f"Report {number}")
    fields.setdefault("url", f"https://news.example.org/report-{number}")
    return Citation.objects.create(article=article, **fields)


def make_correction(article, **fields):
    fields.setdefault("text", "An earlier version misstated a date.")
    return Correction.objects.create(article=article, **fields)


# The word a hidden body hides: in the body, both photo captions, the tag and
# the source of make_hidden_body_story(), and nowhere else.
HIDDEN_WORD = "benzene"


def make_hidden_body_story(**fields):
    """A story retracted with its body hidden (the default), that had photos, a tag and a
    source: the page shows only its headline, standfirst, byline, notice and corrections."""
    fields.setdefault("headline", "Tanker story withdrawn")
    fields.setdefault("standfirst", "What we reported about the tanker.")
    fields.setdefault("publish_at", timezone.now() - timedelta(hours=2))
    story = make_article(
        status=Article.Status.RETRACTED,
        retraction_note="The only source withdrew the claim.",
        body=f"<p>The tanker leaked {HIDDEN_WORD} into the bay.</p><p>Second paragraph.</p>",
        **fields,
    )
    story.tags.add(Tag.objects.create(name=HIDDEN_WORD.title(), slug=HIDDEN_WORD))
    place_photo(story, make_photo(caption=f"Barrels of {HIDDEN_WORD}."), role="lead")
    place_photo(story, make_photo(caption=f"The {HIDDEN_WORD} hold."), after_block=1)
    make_citation(story, outlet="Bay Herald", title=f"The {HIDDEN_WORD} memo")
    return story


# The story form as the desk posts it (the field names of desk/admin.py's inlines).
def inline_management(prefix, total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def article_form(section, **overrides):
    data = {
        "kicker": "",
        "headline": "Ferry timetable cut",
        "slug": "ferry-timetable-cut",
        "standfirst": "Fewer crossings this winter.",
        "body": "<p>The operator will run nine crossings a day.</p>",
        "section": str(section.pk),
        "dateline": "PORT CALDER",
        "status": Article.Status.PUBLISHED,
        "publish_at_0": "2026-01-05",
        "publish_at_1": "09:30:00",
        "comments_enabled": "on",
        **inline_management("bylines"),
        **inline_management("photo_placements"),
        **inline_management("citations"),
        **inline_management("corrections"),
    }
    data.update(overrides)
    return data


def citation_form(section, url, archive_url=""):
    return article_form(
        section,
        **inline_management("citations", 1),
        **{
            "citations-0-outlet": "Harbour Radio",
            "citations-0-title": "Ferry cuts confirmed",
            "citations-0-url": url,
            "citations-0-archive_url": archive_url,
            "citations-0-position": "0",
        },
    )
