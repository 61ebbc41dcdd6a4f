"""Object storage wiring in newsroom/settings.py, read in fresh processes (no network).

URLs are built locally by django-storages and boto3 (signing needs keys, not
a connection), so the test can check what readers and staff would be sent.
"""

import json
from urllib.parse import parse_qs, urlsplit

from .test_settings import django_shell

PRODUCTION = {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "news.example.org"}
BUCKET = {
    "AWS_STORAGE_BUCKET_NAME": "newsroom-media",
    "AWS_S3_REGION_NAME": "eu-west-1",
    "AWS_S3_CUSTOM_DOMAIN": "media.news.example.org",
    "AWS_ORIGINALS_BUCKET_NAME": "newsroom-originals",
    # Throwaway keys: boto3 signs URLs with them locally and never calls out.
    "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEEXAMPLE00",
    "AWS_SECRET_ACCESS_KEY": "example-secret-key-not-real",
}
SHOW_STORAGES = """
import json
from django.conf import settings
from django.core.files.storage import storages
public, private = storages["default"], storages["photo_originals"]
print(json.dumps({
    "backends": {alias: conf["BACKEND"] for alias, conf in settings.STORAGES.items()},
    "public_url": public.url("renditions/7/full-800w-3f9c.webp"),
    "original_url": private.url("2026/11/wire.jpg"),
    "cache_control": getattr(public, "object_parameters", {}).get("CacheControl"),
    "img_src": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
}))
"""


def storages_with(**env):
    found = json.loads(django_shell(SHOW_STORAGES, **PRODUCTION, **env))
    print(f"environment {sorted(env)} → {json.dumps(found, indent=1)}")
    return found


def test_without_a_bucket_media_stay_in_the_local_folders():
    found = storages_with()
    assert found["backends"] == {
        "default": "django.core.files.storage.FileSystemStorage",
        "photo_originals": "photos.storage.OriginalsStorage",
        "staticfiles": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    }
    assert found["public_url"] == "/media/renditions/7/full-800w-3f9c.webp"
    # Originals are only reachable through the staff-only admin view.
    assert found["original_url"] == "/admin/photos/photo/original/2026/11/wire.jpg"
    assert found["img_src"] == ["'self'", "data:"]


def test_a_bucket_in_the_environment_moves_media_to_s3_public_and_private():
    found = storages_with(**BUCKET)
    assert found["backends"]["default"] == "storages.backends.s3.S3Storage"
    assert found["backends"]["photo_originals"] == "storages.backends.s3.S3Storage"
    # Static files stay with whitenoise on every app server.
    assert found["backends"]["staticfiles"].startswith("whitenoise.")
    # Renditions: plain, cacheable URLs on the bucket's domain, allowed by the CSP.
    assert found["public_url"] == "https://media.news.example.org/renditions/7/full-800w-3f9c.webp"
    assert found["cache_control"] == "public, max-age=31536000, immutable"
    assert "https://media.news.example.org" in found["img_src"]
    # Originals: the private bucket, under their prefix, only with a signature that expires.
    original = urlsplit(found["original_url"])
    query = parse_qs(original.query)
    assert "newsroom-originals" in original.netloc + original.path
    assert original.path.endswith("/originals/2026/11/wire.jpg")
    assert "media.news.example.org" not in original.netloc
    assert query["X-Amz-Expires"] == ["300"] and "X-Amz-Signature" in query


def test_an_s3_compatible_endpoint_is_used_for_both_buckets():
    found = storages_with(
        **{**BUCKET, "AWS_S3_CUSTOM_DOMAIN": "", "AWS_ORIGINALS_BUCKET_NAME": ""},
        AWS_S3_ENDPOINT_URL="https://objects.example.net",
    )
    public, original = urlsplit(found["public_url"]), urlsplit(found["original_url"])
    assert public.netloc.endswith("objects.example.net") and not public.query
    assert "newsroom-media" in public.netloc + public.path
    # Without a bucket of their own, originals live under a prefix of the media bucket.
    assert "newsroom-media" in original.netloc + original.path
    assert original.path.endswith("/originals/2026/11/wire.jpg")
    assert "X-Amz-Signature" in parse_qs(original.query)
    assert found["img_src"] == ["'self'", "data:"]
