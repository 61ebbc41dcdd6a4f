"""The current version of each tag, and moving a tag on; in Redis when there is one.

Without Redis, versions are rows of TagVersion, moved on in the writer's own
transaction: a reader sees the new version exactly when it sees the new
content. With Redis (the default cache is django-redis), each tag is a key
holding a random token, replaced after the writer commits (never before, or
a reader could store the old content under the new token); a tag Redis
lost is given a fresh token on its next read, so a page stored before the
loss never matches again. If Redis cannot be told, a job tells it later
(retried with backoff), so nothing stays stale once Redis is back.

A tag whose pages change by themselves at a moment (registry.
pages_change_by_themselves: `latest` at the next scheduled release) carries
that moment with its version; the first read after it moves the tag on, and
works out the next moment.

Readers only compare versions for equality: a page is valid while every
tag it shows still has the version it was rendered under.
"""

import functools
import logging
import secrets
import weakref
from datetime import UTC, datetime

from django.core.cache import caches
from django.db import connection, transaction
from django.utils import timezone
from django_redis.cache import RedisCache
from redis.exceptions import RedisError

from newsroom.jobs import background

from . import mirror, registry
from .models import TagVersion

logger = logging.getLogger(__name__)

# Versions could not be read: serve nothing from the cache and store nothing.
Unavailable = (RedisError, OSError)


def current(tags) -> dict:
    """{tag: version} for these tags, as of now (raises Unavailable when Redis is down)."""
    tags = sorted(set(tags))
    if not tags:
        return {}
    redis = _redis()
    return _database_current(tags) if redis is None else _redis_current(redis, tags)


def bump(tags) -> None:
    """Every page showing one of these tags is out of date once the current transaction commits."""
    tags = sorted(set(tags))
    if not tags:
        return
    if _redis() is None:
        _database_bump(tags)
    batch = _CommitBatch.of(transaction.get_connection())
    transaction.on_commit(functools.partial(batch.tell, tags))


class _CommitBatch:
    """What one commit has told Redis and the listeners, so that a tag goes out once.

    A comment saves its row, its moderation and the story's count, each
    moving the same tag: without this, three Redis writes and three edge
    purge jobs for one change. Every write still has its own on_commit
    callback (a rollback drops exactly its own); the callbacks of one commit
    run one after another, and each tells only the tags not told yet. The
    batch closes when its first callback runs, so writes after the commit
    start a new one.
    """

    _open: "weakref.WeakKeyDictionary[object, _CommitBatch]" = weakref.WeakKeyDictionary()

    def __init__(self):
        self.told: set[str] = set()
        self.closed = False

    @classmethod
    def of(cls, writer) -> "_CommitBatch":
        batch = cls._open.get(writer)
        if batch is None or batch.closed:
            batch = cls._open[writer] = cls()
        return batch

    def tell(self, tags) -> None:
        self.closed = True
        new = [tag for tag in tags if tag not in self.told]
        if new:
            self.told.update(new)
            _after_commit(new, in_redis=_redis() is not None)


def _after_commit(tags, *, in_redis):
    if in_redis:
        try:
            _redis_bump(tags)
        except Unavailable as error:
            logger.warning("Could not move page-cache tags on in Redis (%s); retrying", error)
            publish_tags.enqueue(tags)
    registry.tags_changed(frozenset(tags))


@background(retry_on=Unavailable)
def publish_tags(tags: list[str]) -> None:
    """Move tags on in Redis that a writer could not reach it for."""
    if _redis() is not None:
        _redis_bump(tags)


def _is_due(moment):
    return moment is not None and moment <= timezone.now()


def _redis():
    cache = caches["default"]
    return cache if isinstance(cache, RedisCache) else None


def _redis_key(cache, tag):
    return cache.make_key(f"pagecache:tag:{tag}")


def _redis_value(tag):
    """A fresh token, and the moment the tag changes by itself (microseconds, or empty)."""
    moment = registry.next_change([tag])
    return f"{secrets.token_hex(8)}|{'' if moment is None else int(moment.timestamp() * 1e6)}"


def _redis_current(cache, tags):
    client = cache.client.get_client(write=True)
    keys = [_redis_key(cache, tag) for tag in tags]
    found = read_many(keys)
    values = [None if found[key] is None else found[key].decode() for key in keys]
    due = [tag for tag, value in zip(tags, values, strict=True) if value and _due_in(value)]
    if due:
        # Whichever process reads first after the moment moves the tag on;
        # another doing the same at once costs a render, never a stale page.
        client.mset({_redis_key(cache, tag): _redis_value(tag) for tag in due})
    lost = [tag for tag, value in zip(tags, values, strict=True) if value is None]
    if lost or due:
        mirror.forget(keys)
        with client.pipeline() as pipe:
            for tag in lost:
                pipe.set(_redis_key(cache, tag), _redis_value(tag), nx=True)
            pipe.mget(keys)
            values = [value.decode() for value in pipe.execute()[-1]]
    return {tag: value.split("|")[0] for tag, value in zip(tags, values, strict=True)}


def _due_in(value):
    moment = value.split("|")[1]
    return bool(moment) and _is_due(datetime.fromtimestamp(int(moment) / 1e6, tz=UTC))


def _redis_bump(tags):
    cache = _redis()
    keys = {_redis_key(cache, tag): _redis_value(tag) for tag in tags}
    cache.client.get_client(write=True).mset(keys)
    mirror.forget(keys)


def read_many(keys):
    """{key: raw value or None} from Redis, through this thread's watch when it has one."""
    watch = mirror.watch()
    if watch is not None:
        try:
            return watch.get_many(keys)
        except Unavailable:
            pass  # the watch waits a moment before reconnecting; Redis may still answer
    cache = _redis()
    values = cache.client.get_client(write=True).mget(keys)
    return dict(zip(keys, values, strict=True))


def _table():
    return connection.ops.quote_name(TagVersion._meta.db_table)


def _database_current(tags):
    """One indexed read; a tag with no row has never changed (version 0)."""
    marks = ", ".join(["%s"] * len(tags))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, version, changes_at FROM {_table()} WHERE name IN ({marks})", tags
        )
        found = {name: (version, _aware(moment)) for name, version, moment in cursor.fetchall()}
    # A tag that changes by itself but has no row yet has never had its moment worked out.
    due = [
        tag
        for tag in tags
        if (_is_due(found[tag][1]) if tag in found else registry.changes_by_itself(tag))
    ]
    if due:
        _database_move_due({tag: found.get(tag, (0, None))[0] for tag in due})
        return _database_current(tags)
    return {tag: found.get(tag, (0, None))[0] for tag in tags}


def _database_move_due(seen):
    """Move each tag on unless another process already has (it then holds another version)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for tag, version in seen.items():
            moment = _adapt(registry.next_change([tag]))
            cursor.execute(
                f"INSERT INTO {_table()} (name, version, changes_at) VALUES (%s, 1, %s) "
                f"ON CONFLICT (name) DO UPDATE SET version = {_table()}.version + 1, "
                f"changes_at = excluded.changes_at WHERE {_table()}.version = %s",
                [tag, moment, version],
            )


def _database_bump(tags):
    """One statement; rows taken in name order, so two writers never deadlock on them."""
    rows = ", ".join(["(%s, 1, %s)"] * len(tags))
    values = [value for tag in tags for value in (tag, _adapt(registry.next_change([tag])))]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table()} (name, version, changes_at) VALUES {rows} "
            f"ON CONFLICT (name) DO UPDATE SET version = {_table()}.version + 1, "
            "changes_at = excluded.changes_at",
            values,
        )


def _adapt(moment):
    return None if moment is None else connection.ops.adapt_datetimefield_value(moment)


def _aware(moment):
    """SQLite hands back naive datetimes; Django stores them in UTC."""
    if moment is not None and timezone.is_naive(moment):
        return moment.replace(tzinfo=UTC)
    return moment
