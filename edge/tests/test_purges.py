import json

import pytest
from django_tasks import TaskResultStatus

from articles.tests.factories import make_article
from discussion.models import CommentModeration
from discussion.services import approve_comment
from discussion.tests.factories import add_comment, make_moderator, make_reader
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


def test_an_edge_that_cannot_be_reached_is_a_transient_error(settings, stub, caplog):
    settings.NEWSROOM_EDGE = "varnish"
    settings.NEWSROOM_VARNISH_URL = stub.url
    stub.server.server_close()  # nothing listens there any more

    purge_tags.enqueue(["latest"])

    retries = [record for record in caplog.records if "URLError" in record.getMessage()]
    assert len(retries) == len(BACKOFF)


@pytest.mark.django_db
def test_an_approved_comment_purges_its_story_once_committed(
    fastly, django_capture_on_commit_callbacks
):
    story = make_article()
    comment = add_comment(story, make_reader(), "Held for a moderator.")
    CommentModeration.objects.filter(comment=comment).update(state="pending")
    moderator = make_moderator()
    fastly.received.clear()

    with django_capture_on_commit_callbacks(execute=True):
        approve_comment(comment=comment, by=moderator)

    purged = {
        tag for request in fastly.received for tag in request.headers["Surrogate-Key"].split()
    }
    assert f"story:{story.pk}:comments" in purged


@pytest.mark.django_db
def test_nothing_is_purged_without_an_edge(settings, stub, django_capture_on_commit_callbacks):
    settings.NEWSROOM_EDGE = ""
    with django_capture_on_commit_callbacks(execute=True):
        make_article()

    assert stub.received == []
