from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse


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
