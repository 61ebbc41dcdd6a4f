"""Signed, expiring preview links for stories that are not live yet."""

from datetime import timedelta

from django.core import signing
from django.urls import reverse

PREVIEW_MAX_AGE = timedelta(days=7)
_SALT = "articles.preview"


def preview_path(article) -> str:
    token = signing.TimestampSigner(salt=_SALT).sign(str(article.pk))
    return reverse("articles:preview", kwargs={"token": token})


def article_id_from(token: str) -> int | None:
    """The story a preview token names, or None when it is forged or older than a week."""
    try:
        return int(signing.TimestampSigner(salt=_SALT).unsign(token, max_age=PREVIEW_MAX_AGE))
    except (signing.BadSignature, ValueError):
        return None
