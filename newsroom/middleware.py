import logging

from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template import loader
from django.urls import Resolver404, resolve, reverse

from newsroom.auth_backends import must_enrol_first

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
    """Sends members of NEWSROOM_REQUIRE_2FA_GROUPS to the setup page until they enrol.

    A desk account holds the power to publish under the masthead, so a stolen
    password alone must not be enough. Until they enrol they have no
    permissions anywhere (newsroom.auth_backends); this sends them from the
    desk to the setup page, saying why, while logging out and the public site
    stay open. A superuser's rights come with the account and cannot be
    withheld, so a superuser who must enrol reaches only the account pages.
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
        if not settings.NEWSROOM_REQUIRE_2FA_GROUPS or request.path == reverse("admin:logout"):
            return False
        on_desk = request.path.startswith(reverse("admin:index"))
        if not (on_desk or request.user.is_superuser) or not must_enrol_first(request.user):
            return False
        return on_desk or not _is_account_page(request)


def _is_account_page(request) -> bool:
    """allauth's pages: enrolling, confirming the password, logging out."""
    try:
        name = resolve(request.path_info).url_name or ""
    except Resolver404:
        return False
    return name.startswith(("account_", "mfa_"))
