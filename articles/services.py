"""Operations on a story that touch more than its own row, or need a person's rights.

Retracting is done on the story form (status Retracted with a note), which
Article.clean() checks and only editors can choose.
"""

from datetime import datetime

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from reversion.models import Version

from photos.services import portrait_from_upload

from .models import (
    PUBLISH_PERMISSION,
    Article,
    Author,
    Correction,
    FormerSlug,
    new_preview_key,
)

# The statuses a reporter may give a story; the others are the editors' to choose.
REPORTER_STATUSES = (Article.Status.DRAFT, Article.Status.IN_REVIEW)


def can_publish(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def may_set_status(user, status: str) -> bool:
    return can_publish(user) or status in REPORTER_STATUSES


def may_edit(user, article: Article) -> bool:
    """Editors edit any story; reporters only their own drafts and stories in review."""
    return can_publish(user) or (
        article.created_by_id == user.pk and article.status in REPORTER_STATUSES
    )


def submittable_by(user, articles: QuerySet) -> QuerySet:
    """The stories among `articles` that `user` may submit for review (a reporter's own)."""
    return articles if can_publish(user) else articles.filter(created_by=user)


class EditConflict(ValidationError):
    """A save refused because someone saved the story after the form was opened.

    Carries who saved (`saved_by`, None when unknown), when (`saved_at`), and
    the saved versions either side: `opened`, the one the refused form was
    opened on, and `current`, the latest (either None when not kept).
    """

    def __init__(self, *, saved_by, saved_at: datetime, opened, current):
        who = _person(saved_by) if saved_by else "Someone else"
        super().__init__(
            f"{who} saved this story at {timezone.localtime(saved_at):%H:%M:%S on %d %b %Y}, "
            "after you opened it. Your changes are not saved: what they changed and your "
            "own text are shown below; open the story again in a new tab and copy your "
            "changes over."
        )
        self.saved_by, self.saved_at = saved_by, saved_at
        self.opened, self.current = opened, current


def refuse_if_saved_since(*, article: Article, loaded: datetime) -> None:
    """EditConflict if someone saved the story after `loaded`, when an editor opened it."""
    saved_at = Article.objects.filter(pk=article.pk).values_list("modified_at", flat=True).first()
    if saved_at is None or saved_at == loaded:
        return
    versions = Version.objects.get_for_object(article).select_related("revision__user")
    current = versions.first()
    # The version kept of the story as it was opened: its saved modified_at is
    # the form's, to the millisecond versions keep. A revision starts before
    # the row is saved, so its date is a little earlier than that.
    kept_time = loaded.replace(microsecond=loaded.microsecond // 1000 * 1000)
    opened = next(
        (
            version
            for version in versions.filter(revision__date_created__lte=loaded)[:5]
            if version.field_dict.get("modified_at") == kept_time
        ),
        None,
    )
    raise EditConflict(
        saved_by=current.revision.user if current else None,
        saved_at=saved_at,
        opened=opened,
        current=current,
    )


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def _require_publisher(user) -> None:
    if not can_publish(user):
        raise PermissionDenied("Only editors can publish, schedule, unpublish or retract a story.")


def validate_for_publication(article: Article) -> None:
    """Every problem that keeps the story off the site, at once (photos need alt text)."""
    errors = []
    try:
        article.full_clean()
    except ValidationError as error:
        errors.extend(error.messages)
    for placement in article.photo_placements.select_related("photo"):
        placement.article = article
        try:
            placement.full_clean()
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)


def _release(article: Article, *, status: str, at: datetime | None) -> Article:
    previous = article.status, article.publish_at
    article.status = status
    article.publish_at = at or article.publish_at or timezone.now()
    try:
        validate_for_publication(article)
    except ValidationError:
        article.status, article.publish_at = previous
        raise
    article.save()
    return article


@transaction.atomic
def publish_article(*, article: Article, by, at: datetime | None = None) -> Article:
    """Publish now (or at `at`, which may be in the past for backdating)."""
    _require_publisher(by)
    return _release(article, status=Article.Status.PUBLISHED, at=at)


@transaction.atomic
def schedule_article(*, article: Article, by, at: datetime) -> Article:
    """Publish at a future time; the story appears by itself then."""
    _require_publisher(by)
    if at <= timezone.now():
        raise ValidationError(
            f"A story can only be scheduled for a future time; {at:%d %B %Y, %H:%M} has "
            "passed. Publish it instead, or choose a later time."
        )
    return _release(article, status=Article.Status.PUBLISHED, at=at)


@transaction.atomic
def unpublish_article(*, article: Article, by) -> Article:
    """Take a story off the site; it keeps its first-published time for the record."""
    _require_publisher(by)
    article.status = Article.Status.UNPUBLISHED
    article.full_clean()
    article.save()
    return article


def submit_for_review(*, article: Article, by) -> Article:
    if article.status != Article.Status.DRAFT:
        raise ValidationError("Only a draft can be submitted for review.")
    article.status = Article.Status.IN_REVIEW
    article.save(update_fields=["status", "modified_at"])
    return article


@transaction.atomic
def record_slug_change(*, article: Article, previous_slug: str) -> None:
    """After `article` was saved: if its slug changed and it has been published, the
    previous slug becomes a former one, whose addresses redirect to the new slug."""
    if article.slug == previous_slug:
        return
    # Back at an old address: it is the current one again.
    article.former_slugs.filter(slug=article.slug).delete()
    if article.first_published_at is not None:
        FormerSlug.objects.update_or_create(
            slug=previous_slug, article=article, defaults={"retired_at": timezone.now()}
        )


def revoke_preview_links(*, article: Article, by) -> Article:
    """End every preview link handed out for the story; its desk page shows a new one."""
    if not by.has_perm("articles.change_article"):
        raise PermissionDenied("Only the story's editors and reporters can revoke its links.")
    article.preview_key = new_preview_key()
    # Not a save: the story itself is unchanged (no edit conflict for whoever has it
    # open, no page to refresh).
    Article.objects.filter(pk=article.pk).update(preview_key=article.preview_key)
    return article


def mark_updated(*, article: Article, at: datetime | None = None) -> Article:
    """Record a substantive update: readers see “Updated” with this time."""
    article.updated_at = at or timezone.now()
    article.save(update_fields=["updated_at", "modified_at"])
    return article


def mark_corrected(*, article: Article, corrections: list[Correction]) -> Article:
    """After corrections were saved: a new correction is news to readers, so the story's
    “Updated” time moves to the latest of them."""
    if corrections:
        mark_updated(article=article, at=max(c.published_at for c in corrections))
    return article


def restore_version(*, article: Article, version: Version, by) -> Article:
    """Bring the story back to a saved version, recorded as a version of its own."""
    previous_slug = article.slug
    with reversion.create_revision():
        version.revision.revert(delete=True)
        # Reverting writes the rows as stored, bypassing save(): the search
        # document (retraction, body, captions) and old addresses follow here.
        Article.objects.filter(pk=article.pk).refresh_search_vectors()
        article.refresh_from_db()
        record_slug_change(article=article, previous_slug=previous_slug)
        reversion.set_user(by)
        reversion.set_comment(
            f"Restored the version of {version.revision.date_created:%d %b %Y %H:%M}."
        )
    return article


def save_author(*, author: Author) -> Author:
    """Validates and saves the author, with a newly uploaded portrait re-encoded first.

    The portrait is checked as photos are (a bad file raises ValidationError
    before anything is written) and only its credit and rights survive: no
    location, camera data or anything else the upload smuggled in is
    published. The file it replaces, or a portrait cleared, is deleted once
    the save commits; if the save fails, the new file is deleted instead and
    the old one kept.
    """
    stored = Author.objects.filter(pk=author.pk).values_list("portrait", flat=True).first()
    upload = author.portrait
    # The test FileField.pre_save() applies to decide that a file is new.
    if upload and not upload._committed:
        portrait = portrait_from_upload(file=upload.file)
        portrait.name = f"{author.slug}-{portrait.name}"
        author.portrait = portrait
    author.full_clean()
    storage = author.portrait.storage
    try:
        with transaction.atomic():
            author.save()
    except BaseException:
        # Written before the row failed (a file is committed once it is in storage).
        if author.portrait._committed and author.portrait.name not in ("", stored):
            storage.delete(author.portrait.name)
        raise
    if stored and stored != author.portrait.name:
        transaction.on_commit(lambda: storage.delete(stored))
    return author
