"""Each thread's tracked copies of tag versions and pages: hits with no round trip, never stale.

Every test here runs a redis-server of its own, so the command counts it
reads are this test's alone.
"""

import threading

import pytest
import redis
from django.core.cache import caches
from django.db import connection
from django.test import override_settings

from articles.models import Article
from articles.tests.factories import make_article
from discussion.tests.factories import add_comment, make_moderator, make_reader
from moderation.services import approve_comment
from newsroom.tests.live import RedisServer
from newsroom.tests.services import require_program
from pagecache import mirror

from .test_pages import get, redis_cache

# Real commits: tags move on in Redis only once the writer's transaction commits.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def own_redis(tmp_path):
    require_program("/usr/bin/redis-server", "apt-get install -y redis-server")
    server = RedisServer(tmp_path)
    try:
        with override_settings(CACHES=redis_cache(server.url)):
            yield redis.Redis.from_url(server.url)
    finally:
        server.kill()


def commands_since_reset(server):
    """Commands the server ran since CONFIG RESETSTAT, by name, besides the test's own two."""
    stats = server.info("commandstats")
    asked = {"cmdstat_info", "cmdstat_config|resetstat"}
    return {name: entry["calls"] for name, entry in stats.items() if name not in asked}


def in_another_thread(work):
    """Run `work` as another worker would: its own database connection and its own Redis watch."""
    failure = []

    def run():
        try:
            work()
        except Exception as error:  # handed to the test below
            failure.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not failure, failure


def edit_headline(story_pk, headline):
    def work():
        try:
            story = Article.objects.get(pk=story_pk)
            story.headline = headline
            story.save()
        finally:
            connection.close()

    return work


def test_a_hit_sends_nothing_to_redis(own_redis, story):
    url = story.get_absolute_url()
    get(url)  # rendered and stored
    get(url)  # fetched once into this thread's memory
    own_redis.config_resetstat()
    responses = [get(url)[0] for _ in range(5)]
    assert [response["X-Page-Cache"] for response in responses] == ["hit"] * 5
    assert commands_since_reset(own_redis) == {}


def test_an_edit_in_another_worker_reaches_the_next_hit(own_redis, story):
    url = story.get_absolute_url()
    get(url)
    assert get(url)[0]["X-Page-Cache"] == "hit"
    in_another_thread(edit_headline(story.pk, "Ferry timetable restored"))
    response, html = get(url)
    assert "Ferry timetable restored" in html
    assert response["X-Page-Cache"] == "miss"


def test_a_watch_that_lost_its_connection_never_serves_the_old_page(own_redis, story):
    url = story.get_absolute_url()
    get(url)
    assert get(url)[0]["X-Page-Cache"] == "hit"
    # Every client is cut off, so no notice of the edit below can reach this thread.
    own_redis.client_kill_filter(_type="normal", skipme=True)
    in_another_thread(edit_headline(story.pk, "Ferry timetable restored"))
    assert "Ferry timetable restored" in get(url)[1]


def test_an_edit_shows_on_the_same_threads_next_hit(own_redis, story):
    url = story.get_absolute_url()
    get(url)
    get(url)
    story.headline = "Ferry timetable restored"
    story.save()
    assert "Ferry timetable restored" in get(url)[1]


def test_a_comment_on_another_story_leaves_this_page_in_memory(own_redis, story):
    other = make_article(section=story.section, headline="Cup final tonight")
    url = story.get_absolute_url()
    get(url)
    get(url)
    comment = add_comment(other, make_reader(), "On the other story")
    approve_comment(comment=comment, by=make_moderator())
    own_redis.config_resetstat()
    assert get(url)[0]["X-Page-Cache"] == "hit"
    assert commands_since_reset(own_redis) == {}


def test_pages_kept_in_memory_stay_within_the_budget(own_redis, story):
    urls = ["/", story.get_absolute_url(), "/section/world/"]
    for url in urls:
        get(url)
    sizes = [len(own_redis.get(key)) for key in own_redis.keys("*:page:*")]
    budget = sum(sizes) - min(sizes)  # room for all but one of them
    with override_settings(PAGE_CACHE_MEMORY_BYTES=budget):
        for url in urls:
            assert get(url)[0]["X-Page-Cache"] == "hit"
        watch = mirror._watches[caches["default"]]
        assert 0 < watch.page_bytes <= budget
        # The least recently read went first; the others are still answered from memory.
        own_redis.config_resetstat()
        assert get(urls[-1])[0]["X-Page-Cache"] == "hit"
        assert commands_since_reset(own_redis) == {}
        assert get(urls[0])[0]["X-Page-Cache"] == "hit"
        assert commands_since_reset(own_redis) == {"cmdstat_mget": 1}
