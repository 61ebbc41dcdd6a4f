"""The moderation log: who decided what about which comment, when and why.

Moderators and editors read it on the desk, filtered by moderator, action
and period, and take the same rows away as CSV.
"""

import csv

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import StreamingHttpResponse
from django.urls import reverse_lazy
from django.utils import dateformat, timezone
from django.views.generic import ListView

from discussion.models import ModerationDecision

POLICY = "policy"
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = ["When", "Moderator", "Action", "Comment", "Comment text", "Reader", "Reason"]


def moderator_name(user) -> str:
    """How the log names a person on the desk: never by email (desk usernames are emails)."""
    if user is None:
        return "Policy"
    reader = getattr(user, "reader", None)
    if reader:
        return reader.display_name
    if user.get_full_name():
        return user.get_full_name()
    return user.username if "@" not in user.username else f"Staff member {user.pk}"


class LogFilterForm(forms.Form):
    moderator = forms.ChoiceField(required=False)
    action = forms.ChoiceField(
        required=False, choices=[("", "Every action"), *ModerationDecision.Action.choices]
    )
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only people who have decided something: a longer list would be no filter.
        people = (
            get_user_model()
            .objects.filter(moderation_decisions__isnull=False)
            .select_related("reader")
            .distinct()
        )
        named = sorted(((str(p.pk), moderator_name(p)) for p in people), key=lambda c: c[1])
        self.fields["moderator"].choices = [
            ("", "Everyone"),
            (POLICY, "Policy (no moderator)"),
            *named,
        ]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError(
                f"The period starts on {dateformat.format(since, 'j F Y')}, after it ends "
                f"({dateformat.format(until, 'j F Y')}); give a start on or before the end."
            )
        return cleaned

    def decisions(self):
        """The log's rows these filters keep, newest first; call only on a valid form."""
        rows = ModerationDecision.objects.select_related(
            "moderator__reader", "reader", "comment"
        ).order_by("-decided_at", "-id")
        moderator = self.cleaned_data["moderator"]
        if moderator == POLICY:
            rows = rows.filter(moderator__isnull=True)
        elif moderator:
            rows = rows.filter(moderator_id=moderator)
        if self.cleaned_data["action"]:
            rows = rows.filter(action=self.cleaned_data["action"])
        # Days as the desk's clock counts them (TIME_ZONE), both ends included.
        if self.cleaned_data["since"]:
            rows = rows.filter(decided_at__date__gte=self.cleaned_data["since"])
        if self.cleaned_data["until"]:
            rows = rows.filter(decided_at__date__lte=self.cleaned_data["until"])
        return rows


def safe_cell(value) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_row(decision, request) -> list[str]:
    comment = decision.comment
    return [
        safe_cell(cell)
        for cell in (
            timezone.localtime(decision.decided_at).isoformat(),
            moderator_name(decision.moderator),
            decision.get_action_display(),
            request.build_absolute_uri(comment.get_absolute_url()) if comment else "",
            comment.comment if comment else "",
            decision.reader.display_name if decision.reader else "",
            decision.reason,
        )
    ]


class _Lines:
    """What csv.writer writes to: each row handed straight back, for streaming."""

    def write(self, line):
        return line


class ModerationLogView(PermissionRequiredMixin, ListView):
    permission_required = "django_comments.can_moderate"
    login_url = reverse_lazy("admin:login")
    template_name = "moderation/log.html"
    context_object_name = "decisions"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        self.form = LogFilterForm(request.GET)
        if not self.form.is_valid():
            self.object_list = ModerationDecision.objects.none()
            return self.render_to_response(self.get_context_data(), status=400)
        if request.GET.get("format") == "csv":
            response = StreamingHttpResponse(self.csv_lines(), content_type="text/csv")
            response["Content-Disposition"] = (
                f'attachment; filename="moderation-log-{timezone.localdate():%Y-%m-%d}.csv"'
            )
            return response
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.form.decisions()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            # The desk's own page chrome: its header, user links and sidebar.
            **admin.site.each_context(self.request),
            title="Moderation log",
            form=self.form,
            **kwargs,
        )
        context["rows"] = [(d, moderator_name(d.moderator)) for d in context["decisions"]]
        return context

    def csv_lines(self):
        writer = csv.writer(_Lines())
        yield writer.writerow(CSV_HEADER)
        for decision in self.get_queryset().iterator(chunk_size=500):
            yield writer.writerow(csv_row(decision, self.request))
