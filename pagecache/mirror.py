"""Each worker thread's copy of what it last read from Redis, kept exact by client tracking.

Only with the shared django-redis cache, holding both the tag versions and
the pages. Each thread reads over a Redis connection of its own with client
tracking on: Redis remembers which keys that connection read, and sends it a
notice when one of them changes, is evicted or expires (queued while it runs
the change, before it answers the writer). So a thread keeps the tag
versions and the pages it read in memory, and a cached hit that finds no
notice waiting on the socket (a `recv` that finds nothing, no round trip)
is answered without asking Redis at all. A thread's own writes drop its own
copies at once, not waiting for the notice. After a lost connection
everything kept is dropped (a notice may have been missed), and reads go
straight to Redis until the watch has reconnected.
"""

import logging
import os
import time
import weakref
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django_redis.cache import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

# After a failed connection, reads go straight to Redis for this long before
# the watch tries again, rather than paying a connect attempt each time.
RETRY_SECONDS = 1.0

logger = logging.getLogger(__name__)

# Django's caches are per thread, so each thread gets a watch (and a
# connection) of its own, and no watch is ever shared between threads.
_watches = weakref.WeakKeyDictionary()


def watch():
    """This thread's watch, or None without Redis (or while it waits to reconnect)."""
    cache = caches["default"]
    if not _same_redis(cache):
        return None
    found = _watches.get(cache)
    # A forked child must not read from its parent's socket.
    if found is None or found.pid != os.getpid():
        found = _watches[cache] = Watch(cache)
    return found if found.usable() else None


def _same_redis(cache):
    pages = caches["pages"]
    return (
        isinstance(cache, RedisCache)
        and isinstance(pages, RedisCache)
        and pages._server == cache._server
    )


def forget(keys):
    """This thread wrote these keys: its copies must not answer its next request."""
    found = _watches.get(caches["default"])
    if found is not None:
        for key in keys:
            found.drop(key.encode())


class Watch:
    """One thread's tracked connection and the values it read over it."""

    def __init__(self, cache):
        self.cache = cache
        self.pid = os.getpid()
        pool = cache.client.get_client(write=True).connection_pool
        self.connection = pool.connection_class(
            **{**pool.connection_kwargs, "protocol": 3, "retry": Retry(NoBackoff(), 0)}
        )
        # Also after a reconnection: a notice may have been missed meanwhile.
        self.connection.register_connect_callback(self._track)
        self.retry_at = 0.0
        self.values, self.page_bytes = OrderedDict(), 0

    def _track(self, connection):
        connection._parser.set_invalidation_push_handler(self._invalidated)
        connection.send_command("CLIENT", "TRACKING", "ON")
        connection.read_response()
        self.forget_all()

    def _invalidated(self, message):
        keys = message[1]
        if keys is None:  # FLUSHDB, or Redis dropped its tracking table
            self.forget_all()
        else:
            for key in keys:
                self.drop(key)

    def forget_all(self):
        self.values, self.page_bytes = OrderedDict(), 0

    def drop(self, key):
        value = self.values.pop(key, None)
        if value is not None:
            self.page_bytes -= len(value)

    def usable(self):
        return time.monotonic() >= self.retry_at

    def failed(self, error):
        logger.warning("Lost the Redis watch on the page cache: %s", error)
        self.connection.disconnect()
        self.retry_at = time.monotonic() + RETRY_SECONDS
        self.forget_all()

    def get_many(self, keys):
        """{key: raw value or None}, from memory where no notice says it changed."""
        wanted = [key.encode() for key in keys]
        try:
            connection = self.connection
            # First: if it has to reconnect, that drops every copy.
            while connection.can_read(timeout=0):
                connection.read_response(push_request=True)
            missing = [key for key in wanted if key not in self.values]
            fetched = {}
            if missing:
                connection.send_command("MGET", *missing)
                fetched = dict(zip(missing, connection.read_response(), strict=True))
        except (RedisError, OSError) as error:
            self.failed(error)
            raise
        # Looked up before keeping what was fetched, which may push older copies out.
        found = {}
        for key, raw in zip(keys, wanted, strict=True):
            if raw not in fetched:
                found[key] = self.values[raw]
                self.values.move_to_end(raw)
        for key, raw in zip(keys, wanted, strict=True):
            if raw in fetched:
                found[key] = fetched[raw]
                self._keep(raw, fetched[raw])
        return {key: found[key] for key in keys}

    def _keep(self, key, value):
        """Keep what was read, within the memory budget, least recently read dropped first."""
        size = 0 if value is None else len(value)
        budget = settings.PAGE_CACHE_MEMORY_BYTES
        if size > budget:
            return
        self.values[key] = value
        self.page_bytes += size
        while self.page_bytes > budget:
            _, dropped = self.values.popitem(last=False)
            self.page_bytes -= 0 if dropped is None else len(dropped)
