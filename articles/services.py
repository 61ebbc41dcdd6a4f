"""Operations on a story that touch more than its own row."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Article


@transaction.atomic
def publish_article(*, article: Article, at: datetime | None = None) -> Article:
    """Publish now, or schedule for `at`; refuse with every problem found at once.

    Checks the story and each of its photo placements (alt text), so a story is
    never live with a photo that blind readers cannot follow.
    """
    previous = article.status, article.publish_at
    article.status = Article.Status.PUBLISHED
    article.publish_at = at or article.publish_at or timezone.now()
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
        article.status, article.publish_at = previous
        raise ValidationError(errors)
    article.save()
    return article


@transaction.atomic
def unpublish_article(*, article: Article) -> Article:
    """Take a story off the site; it keeps its first-published time for the record."""
    article.status = Article.Status.UNPUBLISHED
    article.full_clean()
    article.save()
    return article
