"""Tell the edge cache which tags each public page shows, so a purge can find it.

Only with an edge configured (NEWSROOM_EDGE): the tags are meant for the
edge alone, each strips them before the reader (Fastly and Cloudflare by
themselves, Varnish in deploy/varnish/default.vcl), and `s-maxage` lets only
a cache we purge keep the page beyond the browser's max-age=0.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control


def tag_headers(tags):
    """The headers naming `tags`: each CDN reads its own, separated as it wants."""
    ordered = sorted(tags)
    return {
        "Surrogate-Key": " ".join(ordered),  # Fastly
        "Cache-Tag": ",".join(ordered),  # Cloudflare
        "xkey": " ".join(ordered),  # Varnish (our VCL bans on it; vmod xkey reads it too)
    }


class EdgeTagsMiddleware:
    """Outside the page cache, so it sees hits and misses alike."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        tags = getattr(response, "page_tags", None)
        if settings.NEWSROOM_EDGE and tags and _public(response):
            for name, value in tag_headers(tags).items():
                response[name] = value
            patch_cache_control(response, s_maxage=settings.NEWSROOM_EDGE_SECONDS)
        return response


def _public(response):
    control = response.get("Cache-Control", "")
    return response.status_code in (200, 304) and "public" in control and "private" not in control
