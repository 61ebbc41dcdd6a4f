from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from .unsubscribe import BadLink, read_token

ONE_CLICK = "One-Click"


# The signed link is the proof of who asks, as RFC 8058 wants: a mail
# program's one-click POST comes with no session and no CSRF token, and a
# forged request without the link can do nothing.
@method_decorator([csrf_exempt, never_cache], name="dispatch")
class UnsubscribeView(View):
    """An unsubscribe link: GET shows a button (mail scanners open links, so GET changes
    nothing); the POST, from that button or from a mail program, stops the emails."""

    http_method_names = ["get", "post"]

    def get(self, request, token):
        try:
            unsubscription = read_token(token)
        except BadLink as error:
            return self.bad_link(error)
        return render(
            request,
            "outbox/unsubscribe.html",
            {"unsubscription": unsubscription, "one_click": ONE_CLICK},
        )

    def post(self, request, token):
        try:
            unsubscription = read_token(token)
        except BadLink as error:
            return self.bad_link(error)
        if request.POST.get("List-Unsubscribe") != ONE_CLICK:
            return self.bad_link(
                "This request did not say List-Unsubscribe=One-Click; nothing was changed. "
                "Open the link from the email and press the button."
            )
        unsubscription.stop()
        return render(request, "outbox/unsubscribed.html", {"unsubscription": unsubscription})

    def bad_link(self, error):
        return render(
            self.request, "outbox/unsubscribe_failed.html", {"problem": str(error)}, status=400
        )
