"""Whose requests the rate limits count: the reader's address, behind our proxies or not."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.test import Client
from django.urls import reverse
from django_comments_xtd.models import XtdComment

from articles.tests.factories import make_article
from discussion.tests.factories import make_reader, post_through_form

from .live import report
from .test_settings import django_shell

PROXY = "10.0.0.2"  # what REMOTE_ADDR says for every request that came through the proxy


def behind_the_proxy(reader_address):
    """A visitor whose requests reach us through one proxy that appends their address."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=reader_address)


def search_statuses(client, times):
    return [client.get("/search/", {"q": f"harbour {n}"}).status_code for n in range(times)]


def failed_logins(client, times):
    """Wrong passwords for different accounts, so only the per-address limit can stop them.

    Each answer is "refused" when allauth's login_failed limit turned the attempt away.
    """
    pages = [
        client.post(
            reverse("account_login"), {"login": f"nobody{n}@example.org", "password": "wrong"}
        ).content.decode()
        for n in range(times)
    ]
    return ["refused" if "Too many failed login attempts" in page else "tried" for page in pages]


def test_the_proxy_count_comes_from_one_variable_read_by_allauth_too():
    out = django_shell(
        "from django.conf import settings; from allauth import app_settings; "
        "print(app_settings.TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_PROXY_COUNT)",
        DJANGO_DEBUG="1",
        NEWSROOM_TRUSTED_PROXY_COUNT="1",
    )
    assert out == "1 1"
    out = django_shell(
        "from allauth import app_settings; print(app_settings.TRUSTED_PROXY_COUNT)",
        DJANGO_DEBUG="1",
    )
    assert out == "0"


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_reader_has_their_own_search_limit(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    first, second = behind_the_proxy("203.0.113.5"), behind_the_proxy("198.51.100.7")
    assert search_statuses(first, 31) == [200] * 30 + [429]
    assert search_statuses(second, 30) == [200] * 30
    # The proxy's own entry comes last; a reader's forged entries before it change nothing.
    forged = behind_the_proxy("192.0.2.99, 203.0.113.5")
    assert search_statuses(forged, 1) == [429]


@pytest.mark.django_db
def test_behind_a_trusted_proxy_failed_logins_lock_out_one_reader_not_everyone(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    guesser, reader = behind_the_proxy("203.0.113.5"), behind_the_proxy("198.51.100.7")
    assert failed_logins(guesser, 11) == ["tried"] * 10 + ["refused"]
    assert failed_logins(reader, 1) == ["tried"]


@pytest.mark.django_db
def test_with_no_trusted_proxy_a_forged_forwarded_for_gives_no_fresh_limit():
    direct = Client(REMOTE_ADDR="203.0.113.5")
    assert search_statuses(direct, 31) == [200] * 30 + [429]
    forged = Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert search_statuses(forged, 1) == [429]
    assert failed_logins(direct, 11)[-1] == "refused"
    assert failed_logins(forged, 1) == ["refused"]


@pytest.mark.django_db
def test_a_request_that_went_around_a_proxy_is_refused_not_an_error(settings):
    """Two proxies configured, one entry in the header: someone reached the inner proxy directly."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    around = behind_the_proxy("203.0.113.5")
    around.raise_request_exception = False
    assert around.get("/search/", {"q": "harbour"}).status_code == 403
    login = {"login": "nobody@example.org", "password": "wrong"}
    assert around.post(reverse("account_login"), login).status_code == 403


@pytest.mark.django_db
def test_a_comment_records_the_readers_address_not_the_proxys(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client = behind_the_proxy("203.0.113.5")
    client.force_login(make_reader(status="trusted"))
    assert post_through_form(client, make_article(), "Seen from the harbour.").status_code == 302
    assert XtdComment.objects.get().ip_address == "203.0.113.5"


# About 20 s each here: run by `make faults`, not `make test`.
@pytest.mark.faults
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_without_redis_every_gunicorn_worker_counts_in_one_place(serve, artifacts, database):
    """Production with no REDIS_URL or CACHE_URL: 4 workers, yet one count per address."""
    site = serve(database, readers=0, environment={"NEWSROOM_RATE_LIMIT_FACTOR": "1"})

    def search(number):
        return site.client().request(f"/search/?q=harbour+{number}").status

    # Several at once, as readers sharing one address would, so every worker takes some.
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = Counter(pool.map(search, range(150)))
    figures = {"searches from one address": 150, **{f"status {s}": n for s, n in statuses.items()}}
    report(artifacts, f"ratelimit-{site.database.kind}", figures, site)
    assert statuses == {200: 30, 429: 120}
