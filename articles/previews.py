"""Signed, expiring preview links for stories that are not live yet.

A link names the story and its preview key, so giving the story a new key
(services.revoke_preview_links) ends every link handed out before; and it
carries the time it was made, so a story that has been live since keeps it
closed.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core import signing
from django.urls import reverse

PREVIEW_MAX_AGE = timedelta(days=7)
_SALT = "articles.preview"


@dataclass(frozen=True)
class PreviewLink:
    pk: int
    preview_key: str
    signed_at: datetime


def preview_path(article) -> str:
    token = signing.TimestampSigner(salt=_SALT).sign(f"{article.pk}:{article.preview_key}")
    return reverse("articles:preview", kwargs={"token": token})


def read_preview_link(token: str) -> PreviewLink | None:
    """What a preview token names, or None when it is forged or older than a week."""
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        value = signer.unsign(token, max_age=PREVIEW_MAX_AGE)
        pk, key = value.split(":")
        # The signature covers the time it was made, the part before the signature.
        signed_at = datetime.fromtimestamp(signing.b62_decode(token.rsplit(":", 2)[1]), UTC)
        return PreviewLink(pk=int(pk), preview_key=key, signed_at=signed_at)
    except (signing.BadSignature, ValueError):
        return None
