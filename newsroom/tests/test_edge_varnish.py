"""Our VCL (deploy/varnish/default.vcl) in front of the site, on Debian's varnishd.

Started by the test on a free loopback port, with the VCL's backend line
pointed at the live server.
"""

import http.client
import urllib.request

import pytest
from django.core.signals import request_started

from articles.tests.factories import make_article
from discussion.models import CommentModeration
from discussion.tests.factories import add_comment, make_moderator, make_reader
from moderation.services import approve_comment
from newsroom.tests.services import require_program
from newsroom.tests.varnish import VARNISHD, running_varnish


@pytest.fixture
def varnish(live_server):
    require_program(VARNISHD, "apt-get install varnish")
    host, port = live_server.url.removeprefix("http://").rsplit(":", 1)
    try:
        with running_varnish(host, port) as url:
            yield url
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture
def edge(settings, varnish):
    settings.NEWSROOM_EDGE = "varnish"
    settings.NEWSROOM_VARNISH_URL = varnish + "/"
    return varnish


@pytest.fixture
def django_requests():
    """The requests that reached Django (the live server runs in this process)."""
    seen = []

    def count(sender, environ=None, **kwargs):
        seen.append(environ["PATH_INFO"] if environ else None)

    request_started.connect(count)
    yield seen
    request_started.disconnect(count)


def read(url, cookie=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers, response.read().decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_story_is_served_by_varnish_and_an_approved_comment_shows_on_the_next_read(
    edge, django_requests
):
    story = make_article(headline="Harbour bridge reopens")
    other_url = edge + make_article().get_absolute_url()
    read(other_url)
    django_requests.clear()
    comment = add_comment(story, make_reader(), "Finally, the ferry queues are over.")
    CommentModeration.objects.filter(comment=comment).update(state="pending")
    story_url = edge + story.get_absolute_url()

    # Cookies other than the session's neither reach the lookup nor split the copy (Vary).
    headers, page = read(story_url, cookie="csrftoken=" + "k" * 32)
    assert "Harbour bridge reopens" in page
    assert "ferry queues" not in page
    assert headers["X-Edge-Cache"] == "miss"
    assert django_requests == [story.get_absolute_url()]
    # The tags are for the edge only.
    assert not {"xkey", "Surrogate-Key", "Cache-Tag"} & set(headers.keys())

    headers, again = read(story_url, cookie="_ga=GA1.2.3")
    assert headers["X-Edge-Cache"] == "hit"
    assert again == page
    assert len(django_requests) == 1

    approve_comment(comment=comment, by=make_moderator())

    headers, page = read(story_url)
    assert "ferry queues" in page
    assert headers["X-Edge-Cache"] == "miss"
    assert len(django_requests) == 2
    # The ban named only what the approval changed.
    assert read(other_url)[0]["X-Edge-Cache"] == "hit"
    assert len(django_requests) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reader_with_a_session_is_always_served_by_django(edge, django_requests):
    story = make_article()
    story_url = edge + story.get_absolute_url()
    read(story_url)

    headers, _ = read(story_url, cookie="sessionid=not-a-session")

    assert headers["X-Edge-Cache"] == "miss"
    assert len(django_requests) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_page_django_keeps_private_is_not_kept_by_varnish(edge, django_requests):
    read(edge + "/accounts/login/")
    headers, _ = read(edge + "/accounts/login/")

    assert headers["X-Edge-Cache"] == "miss"
    assert len(django_requests) == 2


def ban(url, source, **headers):
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10, source_address=(source, 0))
    try:
        connection.request("BAN", "/", headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_only_the_purgers_acl_may_ban(edge):
    # 127.0.0.2 is this machine too, but not in the VCL's ACL.
    assert ban(edge, "127.0.0.2", **{"X-Purge-Tags": "latest"}) == 405
    assert ban(edge, "127.0.0.1") == 400
    assert ban(edge, "127.0.0.1", **{"X-Purge-Tags": "latest"}) == 200
