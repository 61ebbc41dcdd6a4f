"""The database cache that counts rate limits when there is no Redis (newsroom/cache.py)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db


def searches(client, times):
    return [client.get("/search/", {"q": "harbour"}).status_code for _ in range(times)]


def test_a_limits_window_ends_when_it_should_however_often_it_was_hit():
    client = Client()
    start = datetime(2026, 12, 1, 9, 0, 0, 500000, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert searches(client, 31) == [200] * 30 + [429]
        clock.move_to(start + timedelta(seconds=58))
        assert searches(client, 1) == [429]
        clock.move_to(start + timedelta(seconds=61))
        assert searches(client, 1) == [200]


def test_an_hours_window_is_not_cut_short_by_counting():
    cache.add("count", 0, timeout=3600)
    start = datetime.now(UTC)
    for _ in range(3):
        cache.incr("count")
    with time_machine.travel(start + timedelta(minutes=30)):
        assert cache.get("count") == 3
        assert cache.incr("count", 2) == 5
    with time_machine.travel(start + timedelta(minutes=61)):
        assert cache.get("count") is None
        with pytest.raises(ValueError):
            cache.incr("count")
