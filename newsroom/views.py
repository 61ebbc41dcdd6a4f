import sys

from django.http import HttpResponse
from django.urls import reverse
from django.views import defaults
from django.views.decorators.http import require_GET

from newsroom.middleware import TRANSIENT_DATABASE_ERRORS, database_unavailable

# Private or endless pages that crawlers should leave alone.
DISALLOWED = ["/admin/", "/accounts/", "/comments/", "/search/", "/preview/"]


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in DISALLOWED),
        f"Sitemap: {request.build_absolute_uri(reverse('distribution:sitemap-index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def server_error(request):
    """Django's 500 page, or the 503 page when the error is an unreachable database.

    Django calls this while handling the exception, for errors raised anywhere
    in a request, including in middleware before any view runs (sessions, the
    page cache's generation read).
    """
    exception = sys.exception()
    if isinstance(exception, TRANSIENT_DATABASE_ERRORS):
        return database_unavailable(exception)
    return defaults.server_error(request)
