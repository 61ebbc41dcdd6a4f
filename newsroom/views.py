import sys
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
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


def desk_login(request):
    """The desk's login page hands over to allauth's log-in.

    Django's admin login form knows nothing of two-factor authentication or
    allauth's rate limits; allauth's login applies both, and brings the editor
    back to the desk page they asked for.
    """
    if request.user.is_authenticated:
        if admin.site.has_permission(request):
            return redirect("admin:index")
        # Sending a signed-in reader to the login would bring them straight back here.
        raise PermissionDenied("This account has no access to the desk.")
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
    return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")
