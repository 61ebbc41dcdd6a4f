from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse


class PermissionsPolicyMiddleware:
    """Tell browsers which powerful features pages may use: none of them."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


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
