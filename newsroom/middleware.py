import logging

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template import loader
from django.urls import reverse

logger = logging.getLogger("newsroom.outage")

# Errors that pass if the reader tries again later: the database is down or
# restarting, a connection dropped, or (the same classes) a lock or statement
# timed out. A wrong query or bad data raises other DatabaseErrors: a 500.
TRANSIENT_DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable(exception: DatabaseError) -> HttpResponse:
    """The 503 page readers get while the database is away; renders without touching it."""
    logger.error("Database unavailable, serving 503: %s", exception, exc_info=exception)
    # No request context: its processors would query the database again.
    page = loader.render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class PermissionsPolicyMiddleware:
    """Tell browsers which powerful features pages may use: none of them."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class DatabaseOutageMiddleware:
    """A 503 page instead of a 500 when a view or its template finds the database unreachable.

    Errors raised by other middleware never reach process_exception;
    newsroom.views.server_error catches those.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, TRANSIENT_DATABASE_ERRORS):
            return database_unavailable(exception)
        return None


class RequireTwoFactorMiddleware:
    """Keeps members of NEWSROOM_REQUIRE_2FA_GROUPS out of the desk until they enrol.

    A desk account holds the power to publish under the masthead, so a stolen
    password alone must not be enough. Only the desk is guarded: the setup
    pages, logging out and the public site stay open, so the member can enrol.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_enrol_first(request):
            messages.warning(
                request,
                "Your role needs two-factor authentication. Set up an authenticator app "
                "to open the desk.",
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _must_enrol_first(self, request) -> bool:
        groups = settings.NEWSROOM_REQUIRE_2FA_GROUPS
        if not groups:
            return False
        return (
            request.path.startswith(reverse("admin:index"))
            and request.path != reverse("admin:logout")
            and request.user.is_authenticated
            and request.user.groups.filter(name__in=groups).exists()
            and not Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
        )
