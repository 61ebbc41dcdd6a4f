"""A copy of the current generation in Redis, so a cached hit needs no database at all.

Only with the shared django-redis cache: local memory is per process, so
there every hit reads the row. The row stays the truth. A writer publishes
the new generation after its transaction commits (never before, or a reader
could render old content under the new key), and a reader that finds no copy
publishes the one it read. Publishing keeps the larger generation number, so
neither a slow writer nor a reader holding an older row can put the past
back. The copy lives a minute: if a writer dies between its commit and its
publish, or Redis drops a write, pages are stale for at most that long.

Each thread also keeps the copy in memory (a `Watch`), read over a Redis
connection of its own with client tracking on: Redis sends that connection a
notice when the copy changes, queued while it runs the change, before it
answers the writer. A cached hit only looks for a notice waiting on the
socket, which costs no round trip. Pages are kept in memory beside it, for
the current generation only: a page stored under a generation's tag never
changes, so pages need no notices of their own.
"""

import logging
import os
import time
import weakref
from collections import OrderedDict
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django_redis.cache import RedisCache
from redis.backoff import NoBackoff
from redis.commands.core import Script
from redis.exceptions import RedisError
from redis.retry import Retry

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
# A watch reads the copy again after this long even without a notice: Redis
# sends none for the copy's own expiry until it gets round to deleting it.
REFRESH_SECONDS = 1.0
# After a failed connection, hits use the database for this long before the
# watch tries Redis again, rather than paying a connect attempt each time.
RETRY_SECONDS = 1.0

logger = logging.getLogger(__name__)


def read():
    """The copy as (number, changed_at, expires_at), or None if there is none or no Redis."""
    watch = _watch()
    if watch is None:
        return None
    try:
        return watch.copy()
    except (RedisError, OSError) as error:
        watch.failed(error)
        return None


def read_with_page(page_key):
    """The copy, and the page stored under its tag (`page_key(tag)`).

    (copy, page); either is None when missing, both when there is no Redis.
    """
    watch = _watch()
    if watch is None:
        return None, None
    try:
        copy = watch.copy()
        raw = None if copy is None else watch.page(page_key(watch.tag))
    except (RedisError, OSError) as error:
        watch.failed(error)
        return None, None
    return copy, None if raw is None else watch.cache.client.decode(raw)


def publish(number, changed_at, expires_at, tag):
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return
    expires = _microseconds(expires_at) if expires_at else ""
    value = f"{number}|{_microseconds(changed_at)}|{expires}|{tag}"
    try:
        SET_IF_NEWER(
            keys=[cache.make_key(KEY)],
            args=[number, value, LIFETIME],
            client=cache.client.get_client(write=True),
        )
    except (RedisError, OSError):
        logger.warning("Could not publish page-cache generation %s to Redis", number)
    # This thread's own watch may not have had the notice yet when its next
    # request comes; it must not serve that request from the old copy.
    watch = _watches.get(cache)
    if watch is not None:
        watch.stale()


# Django's caches are per thread, so each thread gets a watch (and a
# connection) of its own, and no watch is ever shared between threads.
_watches = weakref.WeakKeyDictionary()


def _watch():
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        return None
    watch = _watches.get(cache)
    # A forked child must not read from its parent's socket.
    if watch is None or watch.pid != os.getpid():
        watch = _watches[cache] = Watch(cache)
    return watch if watch.usable() else None


class Watch:
    """One thread's copy of the generation and of the pages stored under it."""

    def __init__(self, cache):
        self.cache = cache
        self.pid = os.getpid()
        self.key = cache.make_key(KEY)
        self.client = cache.client.get_client(write=True)
        pool = self.client.connection_pool
        self.connection = pool.connection_class(
            **{**pool.connection_kwargs, "protocol": 3, "retry": Retry(NoBackoff(), 0)}
        )
        # Also after a reconnection: a notice may have been missed meanwhile.
        self.connection.register_connect_callback(self._track)
        self.retry_at = 0.0
        self.raw = self.parsed = self.tag = None
        self.pages, self.page_bytes = OrderedDict(), 0
        self.stale()

    def _track(self, connection):
        connection.send_command("CLIENT", "TRACKING", "ON")
        connection.read_response()
        self.stale()

    def stale(self):
        self.read_at = float("-inf")

    def usable(self):
        return time.monotonic() >= self.retry_at

    def failed(self, error):
        # Once per outage, not once per retry.
        if self.read_at > float("-inf"):
            logger.warning("Lost the Redis watch on the page-cache generation: %s", error)
        self.connection.disconnect()
        self.retry_at = time.monotonic() + RETRY_SECONDS
        self.stale()

    def copy(self):
        """(number, changed_at, expires_at), read again only when it may have changed."""
        # First: if it has to reconnect, that marks the copy stale.
        notice = self.connection.can_read(timeout=0)
        if notice or time.monotonic() - self.read_at > REFRESH_SECONDS:
            self._read()
        return self.parsed

    def _read(self):
        connection = self.connection
        while connection.can_read(timeout=0):
            connection.read_response(push_request=True)
        connection.send_command("GET", self.key)
        raw = connection.read_response()
        self.read_at = time.monotonic()
        if raw is None or raw != self.raw:
            self.raw, self.parsed, self.tag = raw, _parsed(raw), _tag(raw)
            self.pages, self.page_bytes = OrderedDict(), 0

    def page(self, key):
        """The stored page (as the cache stored it), from memory or else from Redis."""
        raw = self.pages.get(key)
        if raw is not None:
            self.pages.move_to_end(key)
            return raw
        raw = self.client.get(self.cache.make_key(key))
        if raw is not None:
            self._keep(key, raw)
        return raw

    def _keep(self, key, raw):
        budget = settings.PAGE_CACHE_MEMORY_BYTES
        if len(raw) > budget:
            return
        self.pages[key] = raw
        self.page_bytes += len(raw)
        while self.page_bytes > budget:
            _, dropped = self.pages.popitem(last=False)
            self.page_bytes -= len(dropped)


def _parsed(copy):
    if copy is None:
        return None
    number, changed, expires, _ = copy.decode().split("|")
    return int(number), _moment(changed), _moment(expires) if expires else None


def _tag(copy):
    return None if copy is None else copy.decode().rsplit("|", 1)[1]


# Whole microseconds, not float seconds: the copy must give back the exact
# time, or its tag (and so every page key and ETag) would differ from the row's.
def _microseconds(moment):
    return (moment - EPOCH) // timedelta(microseconds=1)


def _moment(microseconds):
    return EPOCH + timedelta(microseconds=int(microseconds))
