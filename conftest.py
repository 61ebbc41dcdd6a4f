"""Fixtures shared by every app's tests."""

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast hashing, private media and originals folders, static files without a manifest,
    jobs run at once.

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
    # Tests of the queue itself start real workers on the database backend.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _empty_cache(request, _django_db_marker):
    """Each test starts with empty caches, so rate limits and pages do not carry over.

    As in production without Redis, the default cache is a table in the
    database. The rows a test writes in its own transaction go with it; a test
    that commits (transaction=True) leaves them, and flushing the database
    leaves that table alone, so they are deleted after it (while the django_db
    marker, requested above, still holds the database open).
    """
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache
    from django.db import connection

    def clear(in_database):
        for alias in caches:
            if isinstance(caches[alias], DatabaseCache) == in_database:
                caches[alias].clear()

    clear(in_database=False)
    yield
    clear(in_database=False)
    if request.node.get_closest_marker("django_db") and not connection.in_atomic_block:
        clear(in_database=True)


@pytest.fixture
def artifacts():
    """Folder for screenshots and reports a test leaves behind (kept by CI, ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def browser(monkeypatch):
    """Debian's Chromium driven by Playwright; tests using it are marked `browser`."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    from newsroom.tests.services import require_program

    require_program(CHROMIUM, "apt-get install -y chromium")
    # Playwright's synchronous API runs an event loop in this thread; the ORM
    # calls a test makes between browser steps are still plain sync code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
        # Database connections opened while Playwright's loop runs belong to
        # its context; close them here or they outlive the test database.
        connections.close_all()
