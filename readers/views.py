import json

from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from discussion.models import ModerationPolicy

from .forms import DeleteAccountForm
from .services import (
    EXPORT_INTERVAL,
    ErasureRefused,
    ExportTooSoon,
    erase_reader,
    erasure_refusal,
    export_reader_data,
    next_export_at,
)


@method_decorator(never_cache, name="dispatch")
class DataView(LoginRequiredMixin, TemplateView):
    """What the reader's data file holds, and the button that downloads it (POST only)."""

    template_name = "readers/data.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            next_export_at=next_export_at(user=self.request.user),
            export_interval_hours=int(EXPORT_INTERVAL.total_seconds() // 3600),
            **kwargs,
        )

    def post(self, request):
        try:
            data = export_reader_data(
                user=request.user, site_url=request.build_absolute_uri("/").rstrip("/")
            )
        except ExportTooSoon as too_soon:
            response = render(
                request, "readers/data_wait.html", {"next_at": too_soon.next_at}, status=429
            )
            wait = too_soon.next_at - timezone.now()
            response["Retry-After"] = str(max(int(wait.total_seconds()), 1))
            return response
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        day = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="newsroom-data-{day}.json"'
        return response


@method_decorator(never_cache, name="dispatch")
class DeleteAccountView(LoginRequiredMixin, FormView):
    """What deleting the account does, and the form that does it (never on a GET)."""

    template_name = "readers/delete.html"
    form_class = DeleteAccountForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        policy = ModerationPolicy.current()
        kwargs.setdefault("refusal", erasure_refusal(self.request.user))
        return super().get_context_data(
            removes_comments=policy.erased_comments == ModerationPolicy.ErasedComments.REMOVE,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        refusal = erasure_refusal(request.user)
        if refusal:
            return self.refuse(refusal)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            erase_reader(user=self.request.user)
        except ErasureRefused as refusal:
            return self.refuse(str(refusal))
        logout(self.request)
        return redirect("readers:deleted")

    def refuse(self, refusal: str):
        context = self.get_context_data(form=None, refusal=refusal)
        return self.render_to_response(context, status=403)


class AccountDeletedView(TemplateView):
    template_name = "readers/delete_done.html"
