"""The database going away: a friendly 503 page instead of a 500, wherever the error comes from.

Other errors keep the 500 page: test_error_pages.py covers it through the same handler500.
"""

import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import InterfaceError, OperationalError

from articles.views import HomeView
from newsroom.middleware import RETRY_AFTER_SECONDS, database_unavailable
from newsroom.ratelimit import exceeded

DETAIL = 'connection to server at "10.9.8.7", port 5432 failed: Connection refused'


def assert_outage_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "We'll be back in a moment" in html
    assert f"try again in {RETRY_AFTER_SECONDS} seconds" in html
    # Nothing about the server, the address or the code reaches the reader.
    for leak in ("10.9.8.7", "Traceback", "OperationalError", "psycopg"):
        assert leak not in html
    print(f"503 page: {len(html)} bytes, Retry-After {response['Retry-After']}, no details")


def test_the_503_page_renders_without_the_database():
    # No django_db mark: any query here would raise instead of returning a page.
    assert_outage_page(database_unavailable(OperationalError(DETAIL)))


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_view_that_loses_the_database_gets_503(client, monkeypatch, caplog, error):
    def lose_database(*args, **kwargs):
        raise error(DETAIL)

    monkeypatch.setattr(HomeView, "get_queryset", lose_database)
    with caplog.at_level(logging.ERROR, logger="newsroom.outage"):
        response = client.get("/")
    assert_outage_page(response)
    # The operator sees what happened in the log, with the traceback.
    logged = [r for r in caplog.records if r.name == "newsroom.outage"]
    assert len(logged) == 1 and DETAIL in logged[0].getMessage() and logged[0].exc_info


class LosesDatabaseMiddleware:
    """Stands for middleware that reads the database before any view (sessions, page cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError(DETAIL)


@pytest.mark.django_db
def test_middleware_that_loses_the_database_gets_503(client, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.LosesDatabaseMiddleware"]
    # The error escapes every process_exception, so Django's handler500 answers.
    client.raise_request_exception = False
    assert_outage_page(client.get("/"))


def test_rate_limits_let_readers_through_when_the_cache_is_down(settings, rf):
    # A Redis that is not there: nothing listens on port 1.
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2},
        }
    }
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
    request = rf.post("/")
    request.user = AnonymousUser()
    try:
        verdicts = [exceeded(request, "test", [("ip", 2, 60)]) for _ in range(5)]
    finally:
        caches["default"].close()
    print(f"5 requests against a limit of 2 with the cache down: limited {verdicts}")
    assert verdicts == [False] * 5
