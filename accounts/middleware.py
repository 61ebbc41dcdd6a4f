from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from accounts.backends import must_enrol_first


class RequireTwoFactorMiddleware:
    """Sends members of NEWSROOM_REQUIRE_2FA_GROUPS to the setup page until they enrol.

    A desk account holds the power to publish under the masthead, so a stolen
    password alone must not be enough. Until they enrol they have no
    permissions anywhere (accounts.backends); this sends them from the
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
