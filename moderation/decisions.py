"""The moderators' decisions on comments, taken from the workbench or the stock change list.

Every way of deciding (a card's button, a bulk selection, a change-list row or
action) runs through take_decision(): the same services, the same refusals,
the same words to the moderator, and nothing half done.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme

from .forms import BanForm, RejectionForm
from .services import (
    NotFeaturable,
    OtherComments,
    approve_comment,
    ban_authors,
    feature_comment,
    reject_comment,
    unfeature_comment,
)


def rejection_reason(data, prefix=None) -> str:
    """The reason sent with a reject button or action; ValidationError if it cannot be kept."""
    form = RejectionForm(data, prefix=prefix)
    if not form.is_valid():
        raise ValidationError([e for errors in form.errors.values() for e in errors])
    return form.cleaned_data["final_reason"]


def _each(request, comments, service, *, one, many):
    """Run the service on each comment; the message names the author of one, or counts."""
    for comment in comments:
        service(comment=comment, by=request.user)
    if len(comments) == 1:
        return format_html(one, comments[0].user_name), messages.INFO
    return many.format(count=len(comments)), messages.INFO


# Each decision takes the request, the comments and the prefix of the form
# fields sent with them, and says what it did (with the message's level).


def approve(request, comments, prefix):
    return _each(
        request,
        comments,
        approve_comment,
        one="Approved the comment by <bdi>{}</bdi>; it is on the story now.",
        many="Approved {count} comments.",
    )


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
    form = BanForm(request.POST, prefix=prefix)
    if not form.is_valid():
        raise ValidationError([error for errors in form.errors.values() for error in errors])
    other_comments = OtherComments(form.cleaned_data["other_comments"])
    banned = ban_authors(
        comments=comments,
        by=request.user,
        reason=form.cleaned_data["reason"],
        other_comments=other_comments,
    )
    names = format_html_join(", ", "<bdi>{}</bdi>", ((r.display_name,) for r in banned))
    message = format_html(
        "Banned: {}. The comments are removed; their other published comments: {}.",
        names or "nobody new",
        other_comments.label.lower(),
    )
    return message, messages.WARNING


def feature(request, comments, prefix):
    try:
        return _each(
            request,
            comments,
            feature_comment,
            one="Featured the comment by <bdi>{}</bdi> among the story's Editors' picks.",
            many="Featured {count} comments.",
        )
    except NotFeaturable as refusal:
        raise ValidationError(str(refusal)) from refusal


def unfeature(request, comments, prefix):
    return _each(
        request,
        comments,
        unfeature_comment,
        one="The comment by <bdi>{}</bdi> is no longer among the Editors' picks.",
        many="Unfeatured {count} comments.",
    )


DECISIONS = {
    "approve": approve,
    "reject": reject,
    "ban": ban,
    "feature": feature,
    "unfeature": unfeature,
}


def take_decision(request, decision, comments, *, prefix=None) -> tuple[str, int]:
    """Take the decision on all the comments or on none, and tell the moderator.

    Returns the message and its level (ERROR when refused, with why).
    """
    try:
        with transaction.atomic():
            message, level = decision(request, comments, prefix)
    except ValidationError as refusal:
        message, level = " ".join(refusal.messages), messages.ERROR
    return message, level


def decide_and_tell(request, decision, comments, *, prefix=None) -> None:
    """take_decision(), its outcome left for the next page the moderator opens."""
    message, level = take_decision(request, decision, comments, prefix=prefix)
    messages.add_message(request, level, message)


def return_page(request, fallback: str) -> str:
    """The desk page a decision was made on (`next`, its filters kept), if it is on this
    site; else `fallback`. The Referer is never followed: anyone may send one."""
    page = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return page
    return fallback
