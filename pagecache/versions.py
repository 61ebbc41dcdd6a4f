"""The current version of each tag, and moving a tag on; in Redis when there is one.

Without Redis, versions are rows of TagVersion, moved on in the writer's own
transaction: a reader sees the new version exactly when it sees the new
content. With Redis (the default cache is django-redis), each tag is a key
holding a random token, replaced after the writer commits (never before, or
a reader could store the old content under the new token); a tag Redis
lost is given a fresh token on its next read, so a page stored before the
loss never matches again. If Redis cannot be told, a job tells it later
(retried with backoff), so nothing stays stale once Redis is back.

Readers only compare versions for equality: a page is valid while every
tag it shows still has the version it was rendered under.
"""

import logging
import secrets

from django.core.cache import caches
from django.db import connection, transaction
from django_redis.cache import RedisCache
from redis.exceptions import RedisError

from newsroom.jobs import background

from . import registry
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
    redis = _redis()
    if redis is None:
        _database_bump(tags)
    transaction.on_commit(lambda: _after_commit(tags, in_redis=redis is not None))


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
    redis = _redis()
    if redis is not None:
        _redis_bump(tags)


def _redis():
    cache = caches["default"]
    return cache if isinstance(cache, RedisCache) else None


def _redis_key(cache, tag):
    return cache.make_key(f"pagecache:tag:{tag}")


def _redis_current(cache, tags):
    client = cache.client.get_client(write=True)
    keys = [_redis_key(cache, tag) for tag in tags]
    values = client.mget(keys)
    lost = [key for key, value in zip(keys, values, strict=True) if value is None]
    if lost:
        with client.pipeline() as pipe:
            for key in lost:
                pipe.set(key, _token(), nx=True)
            pipe.mget(lost)
            found = dict(zip(lost, pipe.execute()[-1], strict=True))
        values = [found.get(key, value) for key, value in zip(keys, values, strict=True)]
    return {tag: value.decode() for tag, value in zip(tags, values, strict=True)}


def _redis_bump(tags):
    client = _redis().client.get_client(write=True)
    client.mset({_redis_key(_redis(), tag): _token() for tag in tags})


def _token():
    return secrets.token_hex(8)


def _database_current(tags):
    """One indexed read; a tag with no row has never changed (version 0)."""
    table = connection.ops.quote_name(TagVersion._meta.db_table)
    marks = ", ".join(["%s"] * len(tags))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, version FROM {table} WHERE name IN ({marks})", tags)
        found = dict(cursor.fetchall())
    return {tag: found.get(tag, 0) for tag in tags}


def _database_bump(tags):
    """One statement; rows taken in name order, so two writers never deadlock on them."""
    table = connection.ops.quote_name(TagVersion._meta.db_table)
    rows = ", ".join(["(%s, 1)"] * len(tags))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, version) VALUES {rows} "
            f"ON CONFLICT (name) DO UPDATE SET version = {table}.version + 1",
            tags,
        )
