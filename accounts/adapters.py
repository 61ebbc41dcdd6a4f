"""allauth as this site uses it (settings.ACCOUNT_ADAPTER)."""

from contextlib import contextmanager

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal import flows
from allauth.account.utils import get_next_redirect_url
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse
from django.utils.http import urlencode

from outbox.services import queue_email


@contextmanager
def _building_email_links(request):
    """The request allauth may build an email's links from: in production, none.

    allauth builds them from the request, so the Host header a request names
    (an allowed name on any port) would decide where a password-reset link
    points. Without a request allauth builds them as Django's own password
    reset does, on the current Site's domain (which newsroom/apps.py keeps
    equal to NEWSROOM_SITE_DOMAIN) over ACCOUNT_DEFAULT_HTTP_PROTOCOL. In
    development the request's host is the right one: it has runserver's port.
    """
    if settings.DEBUG:
        yield request
        return
    with allauth_context.request_context(None):
        yield None


class AccountAdapter(DefaultAccountAdapter):
    """Every link in allauth's emails on the site's own domain in production, and every
    email sent by a job, not in the request.

    Also the reader's address, for allauth's rate limits and ours
    (newsroom/ratelimit.py).
    """

    def get_client_ip(self, request):
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            # Fewer X-Forwarded-For entries than NEWSROOM_TRUSTED_PROXY_COUNT:
            # the request went around a proxy of ours (or the count is wrong),
            # so the reader's address cannot be told.
            raise PermissionDenied("The request did not come through the site's proxies.") from None

    def get_email_confirmation_url(self, request, emailconfirmation):
        """The confirmation link, leading on to where the reader was going when they
        signed up or logged in (a story's discussion, say).

        The link is often opened in another browser, or after the session has
        ended, where nothing of the visit is left, so the link carries the
        address itself. It leads through the login page: a reader who confirms
        there is not signed in yet, and the login page sends one who already is
        straight on. allauth checks both addresses again when they are used, so
        an edited link can lead nowhere but this site.
        """
        going_to = get_next_redirect_url(request) if request else None
        with _building_email_links(request) as link_request:
            url = super().get_email_confirmation_url(link_request, emailconfirmation)
        if going_to:
            login = f"{reverse('account_login')}?{urlencode({'next': going_to})}"
            url = f"{url}?{urlencode({'next': login})}"
        return url

    def get_reset_password_from_key_url(self, key):
        with _building_email_links(self.request) as request:
            return flows.password_reset.get_reset_password_from_key_url(request, key)

    def send_account_already_exists_mail(self, email):
        with _building_email_links(allauth_context.request):
            super().send_account_already_exists_mail(email)

    def send_mail(self, template_prefix, email, context):
        """allauth's send_mail, with the rendered email queued (outbox) instead of sent.

        A sign-up or password reset with the mail server down is answered
        as usual; the email follows when the server is back.
        """
        request = allauth_context.request
        if template_prefix == "account/email/unknown_account":
            # The one link allauth builds outside the adapter, from the request.
            with _building_email_links(request) as link_request:
                context = {**context, "signup_url": flows.signup.get_signup_url(link_request)}
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        queue_email(message=self.render_mail(template_prefix, email, context))
