"""Purging changed tags at the configured edge, by a job, after each commit.

The edge is our own infrastructure, named in settings by whoever deploys
the site, never an address a user gave: plain urllib with a timeout, not
newsroom.outbound (whose guard against reaching this machine would refuse a
Varnish on localhost).
"""

import json
import re
import urllib.error
import urllib.request

from django.conf import settings

from newsroom.jobs import background

# The most tags one purge request may name: Fastly takes 256 keys, Cloudflare 30 tags.
FASTLY_BATCH = 256
CLOUDFLARE_BATCH = 30


class EdgeUnavailable(OSError):
    """The edge answered 5xx or 429: it will take the purge later."""


def purge_after_change(tags):
    """Runs after commit (pagecache.registry.on_tags_changed): one purge job for the tags moved."""
    if settings.NEWSROOM_EDGE and tags:
        purge_tags.enqueue(sorted(tags))


@background(retry_on=(OSError,))
def purge_tags(tags: list[str]) -> None:
    """Drop every edge copy of a page showing one of `tags`; a purge repeated drops nothing more."""
    send = {"varnish": _varnish, "fastly": _fastly, "cloudflare": _cloudflare}.get(
        settings.NEWSROOM_EDGE
    )
    if send is not None and tags:
        send(sorted(tags))


def _varnish(tags):
    # One BAN for every tag: the VCL matches the alternatives as a regular expression.
    pattern = "|".join(re.escape(tag) for tag in tags)
    _send(settings.NEWSROOM_VARNISH_URL, method="BAN", headers={"X-Purge-Tags": pattern})


def _fastly(tags):
    url = f"{settings.NEWSROOM_FASTLY_API}/service/{settings.NEWSROOM_FASTLY_SERVICE_ID}/purge"
    for batch in _batches(tags, FASTLY_BATCH):
        _send(
            url,
            method="POST",
            headers={"Fastly-Key": settings.NEWSROOM_FASTLY_KEY, "Surrogate-Key": " ".join(batch)},
        )


def _cloudflare(tags):
    zone = settings.NEWSROOM_CLOUDFLARE_ZONE
    url = f"{settings.NEWSROOM_CLOUDFLARE_API}/client/v4/zones/{zone}/purge_cache"
    for batch in _batches(tags, CLOUDFLARE_BATCH):
        _send(
            url,
            method="POST",
            headers={
                "Authorization": f"Bearer {settings.NEWSROOM_CLOUDFLARE_TOKEN}",
                "Content-Type": "application/json",
            },
            body=json.dumps({"tags": batch}).encode(),
        )


def _batches(tags, size):
    return [tags[start : start + size] for start in range(0, len(tags), size)]


def _send(url, *, method, headers, body=None):
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=settings.NEWSROOM_EDGE_TIMEOUT) as response:
            response.read()
    except urllib.error.HTTPError as error:
        if error.code >= 500 or error.code == 429:
            raise EdgeUnavailable(f"{method} {url}: {error.code} {error.reason}") from None
        # A refused token or an unknown zone does not mend by waiting: the job fails, visibly.
        raise RuntimeError(f"{method} {url}: {error.code} {error.reason}") from None
