"""A copy of the current generation in Redis, so a cached hit needs no database at all.

Only with the shared django-redis cache: local memory is per process, so
there every hit reads the row. The row stays the truth. A writer publishes
the new generation after its transaction commits (never before, or a reader
could render old content under the new key), and a reader that finds no copy
publishes the one it read. Publishing keeps the larger generation number, so
neither a slow writer nor a reader holding an older row can put the past
back. The copy lives a minute: if a writer dies between its commit and its
publish, or Redis drops a write, pages are stale for at most that long.
"""

import logging
from datetime import UTC, datetime, timedelta

from django.core.cache import caches
from django_redis.cache import RedisCache
from redis.commands.core import Script
from redis.exceptions import RedisError

KEY = "pagecache:generation"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
LIFETIME = 60
# Compare-and-set in one step on the server, so two publishers cannot interleave.
SET_IF_NEWER = Script(
    None,
    b"""
local held = redis.call('GET', KEYS[1])
if held and tonumber(string.match(held, '^%d+')) > tonumber(ARGV[1]) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
""",
)

logger = logging.getLogger(__name__)


def _redis():
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return None, None
    return cache.client.get_client(write=True), cache.make_key(KEY)


# The copy and the page stored under its tag, in one round trip: a cached hit
# then costs a single Redis call.
READ_WITH_PAGE = Script(
    None,
    b"""
local copy = redis.call('GET', KEYS[1])
if not copy then
  return {}
end
local tag = string.match(copy, '([^|]*)$')
return {copy, redis.call('GET', ARGV[1] .. tag .. ARGV[2])}
""",
)


def read():
    """The copy as (number, changed_at, expires_at), or None if there is none or no Redis."""
    client, key = _redis()
    if client is None:
        return None
    try:
        return _parsed(client.get(key))
    except (RedisError, OSError):
        return None


def read_with_page(page_key):
    """The copy, and the page stored under its tag (`page_key(tag)`), in one round trip.

    (copy, page); either is None when missing, both when there is no Redis.
    """
    client, key = _redis()
    if client is None:
        return None, None
    prefix, suffix = caches["default"].make_key(page_key("\0")).split("\0")
    try:
        copy, page = READ_WITH_PAGE(keys=[key], args=[prefix, suffix], client=client) or (
            None,
            None,
        )
    except (RedisError, OSError):
        return None, None
    return _parsed(copy), None if page is None else caches["default"].client.decode(page)


def _parsed(copy):
    if copy is None:
        return None
    number, changed, expires, _ = copy.decode().split("|")
    return int(number), _moment(changed), _moment(expires) if expires else None


def publish(number, changed_at, expires_at, tag):
    client, key = _redis()
    if client is None:
        return
    expires = _microseconds(expires_at) if expires_at else ""
    value = f"{number}|{_microseconds(changed_at)}|{expires}|{tag}"
    try:
        SET_IF_NEWER(keys=[key], args=[number, value, LIFETIME], client=client)
    except (RedisError, OSError):
        logger.warning("Could not publish page-cache generation %s to Redis", number)


# Whole microseconds, not float seconds: the copy must give back the exact
# time, or its tag (and so every page key and ETag) would differ from the row's.
def _microseconds(moment):
    return (moment - EPOCH) // timedelta(microseconds=1)


def _moment(microseconds):
    return EPOCH + timedelta(microseconds=int(microseconds))
