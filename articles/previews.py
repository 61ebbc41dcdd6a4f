"""Signed, expiring preview links for stories that are not live yet.

A link names the story and its preview key, so giving the story a new key
(services.revoke_preview_links) ends every link handed out before.
"""

from datetime import timedelta

from django.core import signing
from django.urls import reverse

PREVIEW_MAX_AGE = timedelta(days=7)
_SALT = "articles.preview"


def preview_path(article) -> str:
    token = signing.TimestampSigner(salt=_SALT).sign(f"{article.pk}:{article.preview_key}")
    return reverse("articles:preview", kwargs={"token": token})


def previewed_story(token: str) -> dict | None:
    """The lookup (id and preview key) of the story a token names, or None when it is
    forged or older than a week."""
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=PREVIEW_MAX_AGE)
        pk, key = value.split(":")
        return {"pk": int(pk), "preview_key": key}
    except (signing.BadSignature, ValueError):
        return None
