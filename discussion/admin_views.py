"""The moderation desk's decisions, taken from a row's buttons or as bulk actions.

Either way a decision runs through apply_decision(): the same services, the
same refusals and the same report to the moderator.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django_comments_xtd.models import XtdComment

from .models import CommentModeration
from .services import approve_comment, ban_authors, reject_comment

QUEUE = "admin:django_comments_xtd_xtdcomment_changelist"

REJECT_REASONS = [
    "Breaks the discussion rules.",
    "Abusive or hateful.",
    "Spam or advertising.",
    "Off topic.",
    "Shares personal information.",
]


class RejectionForm(forms.Form):
    """A moderator's reason for rejecting: one of the site's reasons, or their own words."""

    reason = forms.CharField(
        required=False,
        max_length=CommentModeration._meta.get_field("reason").max_length,
        widget=forms.Select(
            choices=[(r, r) for r in REJECT_REASONS], attrs={"aria-label": "Reason"}
        ),
        error_messages={
            "max_length": "A reason can be up to %(limit_value)d characters; this one has "
            "%(show_value)d. Nothing was changed."
        },
    )

    def clean_reason(self):
        return self.cleaned_data["reason"] or REJECT_REASONS[0]


def rejection_reason(data, prefix=None) -> str:
    """The reason sent with a reject button or action; ValidationError if it cannot be kept."""
    form = RejectionForm(data, prefix=prefix)
    if not form.is_valid():
        raise ValidationError(form.errors["reason"])
    return form.cleaned_data["reason"]


def row_prefix(comment) -> str:
    """The per-row reason's form prefix: every row's select is in the one changelist form."""
    return f"comment-{comment.pk}"


# Each decision takes the request, the comments and the prefix of the reason
# sent with them, and says what it did (with the message's level).


def approve(request, comments, prefix):
    for comment in comments:
        approve_comment(comment=comment, by=request.user)
    if len(comments) == 1:
        message = format_html(
            "Approved the comment by <bdi>{}</bdi>; it is on the story now.",
            comments[0].user_name,
        )
    else:
        message = f"Approved {len(comments)} comments."
    return message, messages.INFO


def reject(request, comments, prefix):
    reason = rejection_reason(request.POST, prefix=prefix)
    for comment in comments:
        reject_comment(comment=comment, by=request.user, reason=reason)
    if len(comments) == 1:
        message = format_html(
            "Rejected the comment by <bdi>{}</bdi>: {}", comments[0].user_name, reason
        )
    else:
        message = f"Rejected {len(comments)} comments: {reason}"
    return message, messages.INFO


def ban(request, comments, prefix):
    banned = ban_authors(comments=comments, by=request.user)
    names = format_html_join(", ", "<bdi>{}</bdi>", ((r.display_name,) for r in banned))
    message = format_html("Banned: {}. Their listed comments are removed.", names or "nobody new")
    return message, messages.WARNING


def apply_decision(model_admin, request, decision, comments, *, prefix=None) -> None:
    """Take the decision on the comments and tell the moderator, or why it was refused."""
    try:
        message, level = decision(request, comments, prefix)
    except ValidationError as refusal:
        model_admin.message_user(request, " ".join(refusal.messages), messages.ERROR)
    else:
        model_admin.message_user(request, message, level)


def desk_page(request) -> str:
    """The desk page the decision was made on (its filters kept), if it is on this site."""
    page = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return page
    return reverse(QUEUE)


def decision_view(model_admin, decision):
    """The view behind one row's button: the decision on that comment alone."""

    def view(request, pk):
        if request.method != "POST" or not model_admin.has_change_permission(request):
            raise PermissionDenied
        comment = get_object_or_404(XtdComment.objects.select_related("moderation"), pk=pk)
        apply_decision(model_admin, request, decision, [comment], prefix=row_prefix(comment))
        return redirect(desk_page(request))

    return view
