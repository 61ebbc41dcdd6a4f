import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

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
