import secrets
import urllib.parse
from dataclasses import dataclass, field
from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Greatest, RowNumber
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField

from newsroom import outbound

from . import search as searching
from .html import has_text, link_citations, sanitize_body, split_blocks

# Editors hold it: they publish, and read every story wherever it stands.
PUBLISH_PERMISSION = "articles.publish_article"

# What the body editor offers; the sanitizer (BODY_TAGS) keeps the same set.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
}


# "Enter a valid URL." would puzzle an editor whose javascript: or data: address
# is a valid URL: say which addresses are accepted.
WEB_URL_MESSAGE = "Enter a web address starting with http:// or https://."
web_url_validator = URLValidator(schemes=["http", "https"], message=WEB_URL_MESSAGE)


class WebURLFormField(forms.URLField):
    default_validators = [web_url_validator]
    default_error_messages = {"invalid": WEB_URL_MESSAGE}


def validate_public_host(url: str) -> None:
    """Refuses an address that names this machine or a private network as written.

    Readers cannot open it, and the link checker will not request it. A name
    that only resolves to such an address is warned about on the desk instead
    (ArticleAdmin.save_formset): the desk's resolver is not the readers'.
    """
    try:
        host = urllib.parse.urlsplit(url).hostname or ""
    except ValueError:
        return  # not a URL at all: web_url_validator says so
    if outbound.is_local_host(host):
        raise ValidationError(
            "This address is on this machine or a private network (localhost, 10.x, "
            "192.168.x …): readers cannot open it. Give the report's public web address.",
            code="private_address",
        )


class WebURLField(models.URLField):
    """A public http(s) address; forms add https:// when an editor leaves the scheme out."""

    default_validators = [web_url_validator, validate_public_host]

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": WebURLFormField, "assume_scheme": "https", **kwargs}
        )


def validate_not_blank(value):
    if not value.strip():
        raise ValidationError("This cannot be only spaces.")


def new_preview_key() -> str:
    return secrets.token_urlsafe(16)


class Section(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="The section's address, e.g. /section/world/. Lowercase letters, numbers "
        "and hyphens. Changing it breaks links people have shared.",
    )
    description = models.TextField(
        blank=True, help_text="One or two sentences shown at the top of the section page."
    )
    position = models.PositiveSmallIntegerField(
        default=0,
        help_text="Order in the site's navigation and on the home page; lower comes first.",
    )
    premoderate_comments = models.BooleanField(
        "hold all comments",
        default=False,
        help_text="Every comment on this section's stories waits for a moderator, trusted "
        "readers' included.",
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})

    def listed_stories(self):
        """The stories the section's page and feeds list."""
        return self.articles.published()


class Tag(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})

    def listed_stories(self):
        """The stories the tag's page and feeds list."""
        # A hidden body hides its tags: the story leaves the tag's page and feed.
        return self.articles.published().showing_body()


class Author(models.Model):
    """A person credited in bylines; staff, freelancer or agency, with or without a login."""

    name = models.CharField(max_length=120, validators=[validate_not_blank])
    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text="The author page's address, e.g. /authors/ines-okafor/.",
    )
    job_title = models.CharField(
        max_length=120,
        blank=True,
        help_text="E.g. “Taipei correspondent”. Shown on the author page.",
    )
    bio = models.TextField(
        blank=True, max_length=1500, help_text="A short biography in the third person."
    )
    portrait = models.ImageField(
        upload_to="authors/",
        blank=True,
        help_text="A JPEG, PNG or WebP photo of the person, shown as a 120-pixel circle on the "
        "author page. It is published re-encoded: cut to a centred square of at most 360 pixels, "
        "upright, with only the credit and rights the file carries (no location or camera data). "
        "A replaced or cleared portrait is deleted.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        help_text="The site account of this author, if they have one. Wire reporters and "
        "freelancers usually do not.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})

    def listed_stories(self):
        """The stories the author's page and feeds list."""
        return self.articles.published()


class ArticleQuerySet(models.QuerySet):
    def scheduled_or_published(self):
        """Stories an editor has released (retracted ones stay online), due or not."""
        return self.filter(status__in=Article.ONLINE_STATUSES)

    def published(self):
        """Stories readers can see right now: released, due, and out of embargo."""
        now = timezone.now()
        return self.scheduled_or_published().filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=now), publish_at__lte=now
        )

    def scheduled(self):
        """Published by an editor, their publish time still to come (the desk's “Scheduled”)."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__gt=timezone.now())

    def embargoed(self):
        """Published and due, held back by an embargo that has not lifted (“Embargoed”).

        A scheduled story whose embargo lifts later is scheduled until its publish
        time and embargoed from then on, as the desk labels it (`state_label`).
        """
        now = timezone.now()
        return self.filter(
            status=Article.Status.PUBLISHED, publish_at__lte=now, embargo_until__gt=now
        )

    def retracted(self):
        return self.filter(status=Article.Status.RETRACTED)

    def previewable(self):
        """Stories a preview link may show: not live yet (draft, in review, scheduled or
        embargoed). Published, unpublished and retracted stories have no preview."""
        now = timezone.now()
        not_due = Q(publish_at__gt=now) | Q(embargo_until__gt=now)
        return self.filter(
            Q(status__in=Article.PREVIEW_STATUSES) | Q(not_due, status=Article.Status.PUBLISHED)
        )

    def previewable_through_link(self, *, preview_key: str, signed_at: datetime):
        """The previewable stories a link made at `signed_at` with this key still opens.

        A story that has gone live since the link was made keeps it closed for good, even
        back in draft: what a source was shown before publication is not a pass to the
        rewrites after it. Links carry whole seconds, so one made in the second the
        story went live counts as made before.
        """
        went_live_since = Q(
            first_published_at__gte=signed_at, first_published_at__lte=timezone.now()
        )
        return self.previewable().filter(preview_key=preview_key).exclude(went_live_since)

    def next_release(self):
        """When the next scheduled story goes live or embargo lifts (None if nothing waits)."""
        # Two index range scans that stop at the first row: one aggregate over
        # both columns would scan every online story (docs/benchmarks.md), and
        # this runs on every write that changes a page.
        now, online = timezone.now(), self.scheduled_or_published()
        due = [
            online.filter(**{f"{field}__gt": now}).order_by(field).values_list(field, flat=True)[:1]
            for field in ("publish_at", "embargo_until")
        ]
        return min((time for query in due for time in query), default=None)

    def visible_to(self, user):
        """What `user` may open at a story's address: published stories; every story for
        editors; for a reporter, also the stories they started or are bylined on."""
        # Staff status grants nothing here; desk permissions go only to staff, so
        # checking it first spares readers the permission queries.
        if not user.is_staff:
            return self.published()
        if user.has_perm(PUBLISH_PERMISSION):
            return self.all()
        if user.has_perm("articles.view_article"):
            return self.published() | self.started_or_bylined_by(user)
        return self.published()

    def formerly_at(self, slug):
        """The story that had this slug before its current one (see FormerSlug)."""
        return self.filter(former_slugs__slug=slug)

    def at_address(self, slug):
        """The story whose address holds this slug, now or before (one at most: no story
        takes another's former slug)."""
        moved_from = FormerSlug.objects.filter(article=OuterRef("pk"), slug=slug)
        return self.filter(Q(slug=slug) | Exists(moved_from))

    def started_or_bylined_by(self, user):
        bylined = Byline.objects.filter(article=OuterRef("pk"), author__user=user)
        return self.filter(Q(created_by=user) | Exists(bylined))

    def awaiting_release(self):
        """Published stories readers cannot see yet, with the time they go live
        (`live_from`, as the goes_live_at property): scheduled, or past their
        publish time and still embargoed."""
        now = timezone.now()
        return self.filter(
            Q(publish_at__gt=now) | Q(embargo_until__gt=now), status=Article.Status.PUBLISHED
        ).annotate(live_from=Greatest("publish_at", Coalesce("embargo_until", "publish_at")))

    def with_broken_sources(self):
        return self.filter(Exists(Citation.objects.broken().filter(article=OuterRef("pk"))))

    def showing_body(self):
        return self.exclude(Article.BODY_HIDDEN)

    def newest_first(self):
        return self.order_by("-publish_at", "-id")

    def for_listing(self):
        """What a story card needs (section, bylines, lead photo) in a fixed number of queries."""
        return self.select_related("section").prefetch_related(*_listing_prefetches())

    def for_detail(self):
        """Everything the story page shows, in a fixed number of queries."""
        return self.select_related("section").prefetch_related(
            _bylines_prefetch(),
            Prefetch("photo_placements", queryset=PhotoPlacement.objects.select_related("photo")),
            "tags",
            "citations",
            "corrections",
        )

    def search(self, text):
        """These stories matching a reader's query, best match first (see articles/search.py).

        A sequence for a paginator: it ranks the newest matches and loads
        only the page shown, as this queryset would (with its prefetches).
        """
        text = searching.clean_query(text)
        return searching.BestMatches(self.matching(text), self, text)

    def matching(self, text):
        """These stories matching a reader's query, each with its `rank`, in no order."""
        text = searching.clean_query(text)
        if searching.uses_full_text_search():
            return searching.full_text_matches(self, text)
        return searching.substring_matches(
            self, text, PhotoPlacement, body_hidden=Article.BODY_HIDDEN
        )

    def refresh_search_vectors(self):
        """Recomputes the stored search document; PostgreSQL only (SQLite searches live)."""
        if searching.uses_full_text_search():
            self.update(
                search_vector=searching.search_vector(
                    PhotoPlacement, body_hidden=Article.BODY_HIDDEN
                )
            )

    def lead_story(self):
        """The story that opens the home page: the newest featured one, else the newest."""
        return self.order_by("-featured", "-publish_at", "-id").first()

    def latest_per_section(self, per_section, *, among=None):
        """The newest `per_section` stories of every section, in one query.

        `among` limits the ranking to that many newest stories overall, so the
        window function sorts a few hundred rows instead of the whole archive.
        """
        stories = self.filter(section__isnull=False)
        if among:
            stories = stories.filter(pk__in=stories.newest_first().values("pk")[:among])
        ranked = stories.annotate(
            rank_in_section=Window(
                RowNumber(),
                partition_by=F("section_id"),
                order_by=[F("publish_at").desc(), F("id").desc()],
            )
        )
        return ranked.filter(rank_in_section__lte=per_section).order_by(
            "section__position", "section__name", "rank_in_section"
        )


def _bylines_prefetch():
    return Prefetch("bylines", queryset=Byline.objects.select_related("author"))


def _listing_prefetches():
    return [
        _bylines_prefetch(),
        Prefetch(
            "photo_placements",
            queryset=PhotoPlacement.objects.lead().select_related("photo"),
            to_attr="lead_placements",
        ),
    ]


def prefetch_for_listing(articles):
    """for_listing()'s prefetches for stories fetched by several queries, in one go.

    The home page shows three lists (lead, section blocks, latest); prefetching
    them together costs two queries instead of six.
    """
    prefetch_related_objects(list(articles), *_listing_prefetches())


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"
        RETRACTED = "retracted", "Retracted"

    ONLINE_STATUSES = (Status.PUBLISHED, Status.RETRACTED)
    # What a preview link shows, with the published stories not due yet.
    PREVIEW_STATUSES = (Status.DRAFT, Status.IN_REVIEW)
    # A retraction that hides the body leaves readers the headline, standfirst,
    # byline, notice and corrections; the body goes, and with it the photos,
    # captions, tags and sources, from the page and every other output (lists,
    # search, feeds, structured data, sitemaps, ninjs). The Python side of this
    # condition is `shows_body`.
    BODY_HIDDEN = Q(status=Status.RETRACTED, retraction_hides_body=True)

    kicker = models.CharField(
        max_length=60,
        blank=True,
        help_text="A short label above the headline, e.g. “Report:” or “Analysis”.",
    )
    headline = models.CharField(
        max_length=200,
        validators=[validate_not_blank],
        help_text="Say what happened, in the active voice, within about 70 characters for "
        "search results.",
    )
    standfirst = models.TextField(
        blank=True,
        max_length=600,
        help_text="The summary under the headline (dek): one or two sentences that make a "
        "reader want the story. Also used as the description for search and sharing.",
    )
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The story's address, e.g. /articles/ferry-timetable-cut/. Filled from the "
        "headline; lowercase letters, numbers and hyphens. Changed after publication, the old "
        "address keeps working: it redirects readers to the new one, and no other story can "
        "take it.",
    )
    body = ProseEditorField(
        blank=True,
        extensions=BODY_EDITOR_EXTENSIONS,
        sanitize=sanitize_body,
        help_text="The story. Only paragraphs, headings, lists, quotes, links and simple "
        "emphasis are kept; anything else (scripts, styles, embedded frames) is removed "
        "when the story is saved. Type [cite:2] after a claim to point to the second source.",
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        related_name="articles",
        null=True,
        blank=True,
        help_text="Required to publish.",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles")
    dateline = models.CharField(
        max_length=100,
        blank=True,
        help_text="Where the story was reported from, e.g. “TAIPEI”. Leave empty for "
        "stories not reported from a place.",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        help_text="When the story goes live. A time in the future schedules it: it appears "
        "by itself at that time. Left empty, publishing uses the current time.",
    )
    embargo_until = models.DateTimeField(
        "embargoed until",
        null=True,
        blank=True,
        help_text="Until this time the story appears nowhere — not on the site, in feeds, "
        "sitemaps, search or the API — even if it is published. Leave empty for no embargo.",
    )
    retraction_note = models.TextField(
        blank=True,
        help_text="Required when retracting: why the story was withdrawn. Shown at the top "
        "of the story.",
    )
    retraction_hides_body = models.BooleanField(
        "hide the body when retracted",
        default=True,
        help_text="A retracted story stays online with its notice, headline, standfirst and "
        "corrections. Hiding the body takes it, its photos, tags and sources off the page, "
        "search, feeds, sharing previews and the API; untick to keep them readable below "
        "the notice.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="Who started the story. Reporters can edit only their own drafts.",
    )
    first_published_at = models.DateTimeField(
        null=True,
        editable=False,
        help_text="When the story first went live; kept if it is unpublished and republished.",
    )
    updated_at = models.DateTimeField(
        "updated time",
        null=True,
        blank=True,
        help_text="Shown to readers as “Updated”. Set it for substantive changes to the "
        "story, not for typo fixes.",
    )
    featured = models.BooleanField(
        default=False,
        help_text="Featured stories lead the home page; the newest featured story is the lead.",
    )
    comments_enabled = models.BooleanField(
        default=True, help_text="Readers may discuss this story."
    )
    premoderate_comments = models.BooleanField(
        "hold all comments",
        default=False,
        help_text="Every comment on this story waits for a moderator, trusted readers' "
        "included (for legally sensitive stories).",
    )
    comments_close_after_days = models.PositiveSmallIntegerField(
        "close comments after (days)",
        null=True,
        blank=True,
        help_text="Days after first publication when comments close. Empty uses the site's "
        "moderation policy; 0 keeps them open.",
    )
    comment_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Published comments, kept up to date by moderation."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    ninjs_uri = models.CharField(
        "ninjs URI",
        max_length=500,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="The wire item this story was imported from (python manage.py import_ninjs); "
        "importing the same item again updates this story instead of adding a copy.",
    )
    preview_key = models.CharField(
        max_length=32,
        default=new_preview_key,
        editable=False,
        help_text="Part of every preview link of the story; revoking the links gives a new "
        "key, and the links handed out before stop working.",
    )
    search_vector = SearchVectorField(
        null=True,
        editable=False,
        help_text="The words of the headline, standfirst, body and photo captions, weighted "
        "for site search (only the headline and standfirst while a retraction hides the "
        "body); recomputed on every save. Used on PostgreSQL only.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = [F("publish_at").desc(nulls_first=True), "-id"]
        permissions = [
            ("publish_article", "Can publish, schedule, unpublish and retract stories"),
        ]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="article_status_publish"),
            models.Index(
                fields=["section", "status", "publish_at"], name="article_section_publish"
            ),
            # Created on PostgreSQL only (see migration 0003); SQLite has no GIN.
            GinIndex(fields=["search_vector"], name="article_search_vector"),
            # Newest first, in index order: lists stop after a page of rows
            # instead of sorting every published story, however many there are.
            models.Index(fields=["-publish_at", "-id"], name="article_newest"),
            models.Index(fields=["section", "-publish_at", "-id"], name="article_section_newest"),
            models.Index(fields=["-featured", "-publish_at", "-id"], name="article_lead"),
            # The next embargo to lift (the page cache expires then).
            models.Index(
                fields=["embargo_until"],
                condition=Q(embargo_until__isnull=False),
                name="article_embargo",
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.body = sanitize_body(self.body)
        if self.status in self.ONLINE_STATUSES:
            if self.publish_at is None:
                self.publish_at = timezone.now()
            if self.first_published_at is None:
                self.first_published_at = self.publish_at
        super().save(*args, **kwargs)
        # The vector includes captions from other tables, so the database computes it
        # from the saved rows rather than this instance.
        Article.objects.filter(pk=self.pk).refresh_search_vectors()

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def validate_unique(self, exclude=None):
        super().validate_unique(exclude)
        if "slug" in (exclude or ()):
            return
        moved = FormerSlug.objects.filter(slug=self.slug).exclude(article_id=self.pk).first()
        if moved is not None:
            raise ValidationError(
                {
                    "slug": f"This address belonged to another story and redirects to "
                    f"“{moved.article}”; choose another."
                }
            )

    def clean(self):
        if self.status == self.Status.RETRACTED and not self.retraction_note.strip():
            raise ValidationError(
                {"retraction_note": "Say why the story is retracted; readers see this note."}
            )
        if self.status in self.ONLINE_STATUSES:
            errors = {}
            if self.section_id is None:
                errors["section"] = "Choose a section before publishing."
            if not has_text(self.body):
                errors["body"] = "A story needs a body before it can be published."
            if errors:
                raise ValidationError(errors)

    @property
    def is_published(self):
        now = timezone.now()
        return (
            self.status in self.ONLINE_STATUSES
            and self.publish_at is not None
            and self.publish_at <= now
            and (self.embargo_until is None or self.embargo_until <= now)
        )

    @property
    def is_previewable(self):
        """A preview link shows the story (see ArticleQuerySet.previewable)."""
        if self.status == self.Status.PUBLISHED:
            return not self.is_published
        return self.status in self.PREVIEW_STATUSES

    @property
    def is_retracted(self):
        return self.status == self.Status.RETRACTED

    @property
    def shows_body(self):
        """Readers get the body, its photos, tags and sources (see BODY_HIDDEN)."""
        return not (self.is_retracted and self.retraction_hides_body)

    @property
    def shown_tags(self):
        return list(self.tags.all()) if self.shows_body else []

    @property
    def shown_citations(self):
        return list(self.citations.all()) if self.shows_body else []

    @property
    def state_label(self):
        """The status as an editor thinks of it: a published story not yet due is scheduled."""
        if self.status == self.Status.PUBLISHED and not self.is_published:
            due = self.publish_at and self.publish_at <= timezone.now()
            return "Embargoed" if due else "Scheduled"
        return self.get_status_display()

    @property
    def goes_live_at(self):
        """When readers can first see the story: its publish time, or the end of an embargo
        that lifts later. None while it has no publish time."""
        if self.publish_at is None:
            return None
        if self.embargo_until and self.embargo_until > self.publish_at:
            return self.embargo_until
        return self.publish_at

    @property
    def shows_updated(self):
        return bool(self.updated_at and self.publish_at and self.updated_at > self.publish_at)

    @property
    def last_modified(self):
        """When readers were last told the story changed: its update time if it shows one,
        else its publish time. (`modified_at` moves on every save, seen by readers or not.)"""
        return self.updated_at if self.shows_updated else self.publish_at

    def byline_names(self) -> str:
        """The bylined authors' names in byline order, on one line: "Lin Mei, Tom Hale"."""
        return ", ".join(byline.author.name for byline in self.bylines.all())

    @property
    def lead_placement(self):
        """The lead photo wherever the story is shown: page, cards, feeds, sharing tags."""
        if not self.shows_body:
            return None
        if hasattr(self, "lead_placements"):
            return self.lead_placements[0] if self.lead_placements else None
        return next((p for p in self.photo_placements.all() if p.is_lead), None)

    def reading_view(self):
        """The body as readers get it: citation links, inline photos, and the sources."""
        citations = list(self.citations.all())
        body, backlinks = link_citations(self.body, len(citations))
        return ReadingView(
            segments=self.body_segments(body),
            sources=[
                Source(number, citation, backlinks.get(number, []))
                for number, citation in enumerate(citations, start=1)
            ],
        )

    def body_segments(self, body=None):
        """The body cut into blocks, each with the inline photos placed after it; photos
        placed before the first block come in a first segment with no text."""
        inline = [p for p in self.photo_placements.all() if not p.is_lead]
        blocks = split_blocks(self.body if body is None else body)
        segments = [BodySegment(html=block) for block in blocks] or [BodySegment(html="")]
        opening = BodySegment(html="")
        for placement in inline:
            if placement.after_block == 0:
                opening.photos.append(placement)
                continue
            index = min(placement.after_block or len(segments), len(segments)) - 1
            segments[index].photos.append(placement)
        return [opening, *segments] if opening.photos else segments


class FormerSlug(models.Model):
    """An address a published story had before its slug changed: it redirects to the story."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="former_slugs")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The old address (/articles/<slug>/ and its ninjs document) answers with a "
        "permanent redirect to the story's current one, for whoever may open the story; no "
        "other story can take it.",
    )
    retired_at = models.DateTimeField(
        default=timezone.now, help_text="When the story left this address."
    )

    class Meta:
        ordering = ["-retired_at", "-id"]

    def __str__(self):
        return self.slug

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})


@dataclass
class BodySegment:
    html: str
    photos: list = field(default_factory=list)


@dataclass
class BackLink:
    anchor: str
    letter: str


@dataclass
class Source:
    number: int
    citation: "Citation"
    backlinks: list[str]

    @property
    def back_links(self) -> list[BackLink]:
        """A link back to each place the source is cited; lettered a, b, c… when there are
        several, so that each reads differently, as in Wikipedia's reference lists."""
        if len(self.backlinks) == 1:
            return [BackLink(self.backlinks[0], "")]
        return [BackLink(anchor, letter_label(i)) for i, anchor in enumerate(self.backlinks)]


def letter_label(index: int) -> str:
    """a, b … z, aa, ab …: the label of the back-link at `index` (from 0)."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("a") + rest) + label
    return label


@dataclass
class ReadingView:
    segments: list[BodySegment]
    sources: list[Source]


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the byline; lower comes first."
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_author_once")
        ]

    def __str__(self):
        return str(self.author)


class PhotoPlacementQuerySet(models.QuerySet):
    def lead(self):
        return self.filter(role=PhotoPlacement.Role.LEAD)

    def in_published_articles(self):
        return self.filter(article__in=Article.objects.scheduled_or_published())


class PhotoPlacement(models.Model):
    """Where a library photo appears in one story, and how it is captioned there."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead photo"
        INLINE = "inline", "In the body"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="photo_placements")
    photo = models.ForeignKey(
        "photos.Photo",
        on_delete=models.PROTECT,
        related_name="placements",
        help_text="A photo from the library. It needs alt text before the story is published.",
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.INLINE)
    after_block = models.PositiveSmallIntegerField(
        "after paragraph",
        null=True,
        blank=True,
        help_text="Photos in the body only: the photo follows this paragraph (1 = after the "
        "first; headings and lists count as paragraphs), or 0 to open the body above the "
        "first. Empty or past the end puts it after the last paragraph.",
    )
    caption_override = models.TextField(
        blank=True,
        help_text="A caption for this story only. Leave empty to use the library caption.",
    )

    objects = PhotoPlacementQuerySet.as_manager()

    class Meta:
        ordering = ["role", F("after_block").asc(nulls_last=True), "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article"], condition=Q(role="lead"), name="one_lead_photo_per_article"
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.photo}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The story's search document holds its captions.
        Article.objects.filter(pk=self.article_id).refresh_search_vectors()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        Article.objects.filter(pk=self.article_id).refresh_search_vectors()
        return result

    def clean(self):
        errors = {}
        if self.role == self.Role.LEAD and self.after_block is not None:
            errors["after_block"] = "The lead photo sits above the story; leave this empty."
        article = getattr(self, "article", None)
        if (
            self.photo_id
            and article is not None
            and article.status in Article.ONLINE_STATUSES
            and not self.photo.alt_text.strip()
        ):
            errors["photo"] = (
                f"“{self.photo}” has no alt text. Add alt text in the photo library before "
                "publishing this story with it."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_lead(self):
        return self.role == self.Role.LEAD

    @property
    def caption(self):
        return self.caption_override or self.photo.caption


class CitationQuerySet(models.QuerySet):
    def broken(self):
        """Sources whose link or archived copy failed the check made for the address it has
        now (a changed address waits for its own check)."""
        link = Q(link_ok=False, link_checked_url=F("url"))
        archive = Q(archive_ok=False, archive_checked_url=F("archive_url")) & ~Q(archive_url="")
        return self.filter(link | archive)


class Citation(models.Model):
    """A source the story relies on, listed to readers under “Sources”."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="citations")
    outlet = models.CharField(
        max_length=200,
        validators=[validate_not_blank],
        help_text="The publisher, e.g. “Taiwan News” or “Nikkei Asia”.",
    )
    title = models.CharField(
        max_length=300, validators=[validate_not_blank], help_text="The cited report's title."
    )
    url = WebURLField(
        "URL",
        max_length=1000,
        help_text="http(s) link to the report on the public web; addresses on this machine or "
        "a private network (localhost, 10.x, 192.168.x …) are refused.",
    )
    published_on = models.DateField(
        "report date", null=True, blank=True, help_text="When the cited report was published."
    )
    person = models.CharField(
        "person quoted",
        max_length=200,
        blank=True,
        help_text="Who said it, when the source is a person speaking in the report rather "
        "than the outlet itself: the full name as the story first gives it, e.g. “Koichi "
        "Hagiuda”. The Sources list then reads “Koichi Hagiuda, Japan's trade minister, quoted "
        "by Nikkei Asia”. Leave empty when the outlet is the source.",
    )
    person_role = models.CharField(
        "person's role",
        max_length=200,
        blank=True,
        help_text="Who the person is, as the story first describes them, e.g. “Japan's trade "
        "minister” or “a spokesperson for the port authority”; only with a person quoted.",
    )
    quote = models.TextField(
        blank=True, help_text="The passage quoted or relied on, word for word, if any."
    )
    archive_url = WebURLField(
        "archived copy URL",
        max_length=1000,
        blank=True,
        help_text="A permanent copy (e.g. on the Wayback Machine) in case the original moves; "
        "a public web address, like the URL.",
    )
    claim = models.TextField(
        blank=True, help_text="The statement in our story that this source supports."
    )
    position = models.PositiveSmallIntegerField(
        default=0,
        help_text="Order in the Sources list; the first source is [cite:1] in the body.",
    )
    link_ok = models.BooleanField(
        "link works",
        null=True,
        editable=False,
        help_text="Result of the last link check: run after each save that changes the URL, "
        "and again once a week.",
    )
    link_check_result = models.CharField(max_length=200, blank=True, editable=False)
    link_checked_at = models.DateTimeField(null=True, editable=False)
    link_checked_url = models.CharField(
        "URL checked",
        max_length=1000,
        blank=True,
        editable=False,
        help_text="The URL the last link check was for; while it is not the URL, a check is due.",
    )
    archive_ok = models.BooleanField(
        "archived copy works",
        null=True,
        editable=False,
        help_text="Result of the last check of the archived copy URL, made with the URL's: "
        "after each save that changes it, and again once a week.",
    )
    archive_check_result = models.CharField(
        max_length=200,
        blank=True,
        editable=False,
        help_text="What the archived copy's server answered, e.g. “200 OK” or “404 Not Found”.",
    )
    archive_checked_at = models.DateTimeField(
        null=True, editable=False, help_text="When the archived copy was last checked."
    )
    archive_checked_url = models.CharField(
        "archived copy URL checked",
        max_length=1000,
        blank=True,
        editable=False,
        help_text="The archived copy URL the last check was for; while it is not the archived "
        "copy URL, a check is due.",
    )

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.outlet}: {self.title}"

    def clean(self):
        if self.person_role.strip() and not self.person.strip():
            raise ValidationError(
                {
                    "person": "Name the person quoted, or leave the role empty: a role alone "
                    "does not say who said it."
                }
            )

    @property
    def link_check_due(self) -> bool:
        """Whether the stored link check result is not for the URL as it is now."""
        return self.url != self.link_checked_url

    @property
    def archive_check_due(self) -> bool:
        """Whether there is an archived copy URL the stored result is not for."""
        return bool(self.archive_url) and self.archive_url != self.archive_checked_url


class CorrectionQuerySet(models.QuerySet):
    def on_published_stories(self):
        """Corrections and updates on the stories readers can see, newest first."""
        return self.filter(article__in=Article.objects.published()).order_by("-published_at", "-id")


class Correction(models.Model):
    """A dated note appended to a story; readers see them all, in date order."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"
        CLARIFICATION = "clarification", "Clarification"
        EDITORS_NOTE = "editors_note", "Editor's note"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        validators=[validate_not_blank],
        help_text="Say what was wrong and what is right, e.g. “An earlier version of this "
        "story misstated the date of the vote. It was March 3, not March 4.”",
    )
    published_at = models.DateTimeField(default=timezone.now)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["published_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.published_at:%Y-%m-%d})"
