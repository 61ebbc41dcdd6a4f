"""Our VCL (deploy/varnish/default.vcl) in front of the site, on Debian's varnishd.

Started by the test on a free loopback port, with the VCL's backend line
pointed at the live server.
"""

import http.client
import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.signals import request_started

from articles.tests.factories import make_article
from discussion.models import CommentModeration
from discussion.services import approve_comment
from discussion.tests.factories import add_comment, make_moderator, make_reader
from newsroom.tests.services import require_program

VARNISHD = "/usr/sbin/varnishd"
VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "default.vcl"
BACKEND_LINE = re.compile(r'^backend default \{ .host = "[^"]*"; .port = "\d+"; \}.*$', re.M)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def varnish(live_server):
    require_program(VARNISHD, "apt-get install varnish")
    backend = live_server.url.removeprefix("http://")
    host, port = backend.rsplit(":", 1)
    # Not under pytest's tmp_path, which only root may enter: varnishd drops
    # to its own users before it reads the VCL.
    with tempfile.TemporaryDirectory(prefix="newsroom-varnish-") as name:
        os.chmod(name, 0o755)
        yield from _run_varnishd(Path(name), host, port)


def _run_varnishd(folder, host, port):
    vcl = folder / "default.vcl"
    vcl_text, replaced = BACKEND_LINE.subn(
        f'backend default {{ .host = "{host}"; .port = "{port}"; }}', VCL.read_text()
    )
    assert replaced == 1, "the VCL's backend line is not where the tests look for it"
    vcl.write_text(vcl_text)
    listen = free_port()
    process = subprocess.Popen(
        [
            VARNISHD,
            "-F",
            "-n",
            str(folder / "work"),
            "-a",
            f"127.0.0.1:{listen}",
            "-f",
            str(vcl),
            "-s",
            "malloc,32m",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", listen), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"varnishd did not start: {process.communicate()[0]}")
            time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{listen}"
    finally:
        process.terminate()
        process.communicate(timeout=10)


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
