"""Fixtures shared by every app's tests."""

import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast hashing, private media and originals folders, static files without a manifest.

    The production static storage needs `collectstatic` to have run; one test in
    newsroom/tests covers that path on purpose, the rest render templates
    without it.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PHOTO_ORIGINALS_ROOT = tmp_path / "originals"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so rate limits do not carry over."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
