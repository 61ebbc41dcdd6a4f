import json
import socket

import pytest
from django_tasks import TaskResultStatus

from edge.purges import CLOUDFLARE_BATCH, purge_tags
from newsroom.jobs import BACKOFF

from .stub import PurgeStub


@pytest.fixture
def stub():
    with PurgeStub() as server:
        yield server


@pytest.fixture
def fastly(settings, stub):
    settings.NEWSROOM_EDGE = "fastly"
    settings.NEWSROOM_FASTLY_API = stub.url
    settings.NEWSROOM_FASTLY_SERVICE_ID = "SU1Z0isxPaozGVKXdv0eY"
    settings.NEWSROOM_FASTLY_KEY = "fastly-token"
    return stub


@pytest.fixture
def cloudflare(settings, stub):
    settings.NEWSROOM_EDGE = "cloudflare"
    settings.NEWSROOM_CLOUDFLARE_API = stub.url
    settings.NEWSROOM_CLOUDFLARE_ZONE = "023e105f4ecef8ad9ca31a8372d0c353"
    settings.NEWSROOM_CLOUDFLARE_TOKEN = "cloudflare-token"
    return stub


def test_fastly_is_sent_the_surrogate_keys_with_the_service_token(fastly):
    result = purge_tags.enqueue(["story:7", "latest"])

    assert result.status == TaskResultStatus.SUCCESSFUL
    [purge] = fastly.received
    assert (purge.method, purge.path) == ("POST", "/service/SU1Z0isxPaozGVKXdv0eY/purge")
    assert purge.headers["Fastly-Key"] == "fastly-token"
    assert purge.headers["Surrogate-Key"] == "latest story:7"


def test_cloudflare_is_sent_the_tags_as_json_in_batches_it_accepts(cloudflare):
    tags = [f"story:{number}" for number in range(CLOUDFLARE_BATCH + 5)]

    purge_tags.enqueue(tags)

    assert [request.path for request in cloudflare.received] == [
        "/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache"
    ] * 2
    assert cloudflare.received[0].headers["Authorization"] == "Bearer cloudflare-token"
    sent = [json.loads(request.body)["tags"] for request in cloudflare.received]
    assert [len(batch) for batch in sent] == [CLOUDFLARE_BATCH, 5]
    assert sorted(sent[0] + sent[1]) == sorted(tags)


def test_varnish_is_sent_one_ban_naming_every_tag(settings, stub):
    settings.NEWSROOM_EDGE = "varnish"
    settings.NEWSROOM_VARNISH_URL = stub.url + "/"

    purge_tags.enqueue(["story:7:comments", "latest"])

    [ban] = stub.received
    assert ban.method == "BAN"
    assert ban.headers["X-Purge-Tags"] == r"latest|story:7:comments"


def test_an_edge_answering_5xx_is_asked_again(fastly):
    fastly.statuses = [503, 502]

    result = purge_tags.enqueue(["latest"])

    # The immediate backend runs each retry at once; a queue waits BACKOFF first.
    assert len(fastly.received) == 3
    assert result.status == TaskResultStatus.SUCCESSFUL


def test_a_refused_token_fails_the_job_without_retrying(fastly):
    fastly.statuses = [403]

    result = purge_tags.enqueue(["latest"])

    assert len(fastly.received) == 1
    assert result.status == TaskResultStatus.FAILED


def test_an_edge_that_cannot_be_reached_is_a_transient_error(settings, caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens there once the probe is closed.
    settings.NEWSROOM_EDGE = "varnish"
    settings.NEWSROOM_VARNISH_URL = f"http://127.0.0.1:{port}/"

    purge_tags.enqueue(["latest"])

    retries = [record for record in caplog.records if "Connection refused" in record.getMessage()]
    assert len(retries) == len(BACKOFF)
