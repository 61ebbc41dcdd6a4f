"""The forms behind the workbench's decisions and the author panel."""

from datetime import datetime, time

from django import forms
from django.utils import timezone

from discussion.models import CommentModeration, ModerationDecision, ModerationPolicy, ReaderProfile

from .services import QUEUE_BAN_REASON, OtherComments

REASON_LIMIT = CommentModeration._meta.get_field("reason").max_length
TOO_LONG = {
    "max_length": "A reason can be up to %(limit_value)d characters; this one has "
    "%(show_value)d. Nothing was changed."
}


class RejectionForm(forms.Form):
    """A moderator's reason for rejecting: one of the site's reasons, or their own words.

    `reason` is a menu in the page, but a reason typed elsewhere (the bulk
    action's field, a script) is kept too if it fits the log.
    """

    reason = forms.CharField(
        required=False,
        max_length=REASON_LIMIT,
        label="Reason",
        widget=forms.Select(attrs={"aria-label": "Reason"}),
        error_messages=TOO_LONG,
    )
    own_words = forms.CharField(
        required=False,
        max_length=REASON_LIMIT,
        label="Or in your own words",
        error_messages=TOO_LONG,
    )

    def __init__(self, *args, policy: ModerationPolicy | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.reasons = (policy or ModerationPolicy.current()).rejection_reason_list
        self.fields["reason"].widget.choices = [(r, r) for r in self.reasons]
        self.fields["reason"].initial = self.reasons[0]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            chosen = cleaned.get("own_words", "").strip() or cleaned.get("reason", "").strip()
            cleaned["final_reason"] = chosen or self.reasons[0]
        return cleaned


def other_comments_field(**options):
    # Not required: a ban sent without the choice (the stock change list's) keeps them.
    return forms.ChoiceField(
        required=False,
        choices=OtherComments.choices,
        initial=OtherComments.KEEP,
        label="Their other published comments",
        error_messages={"invalid_choice": "Choose what becomes of their other comments."},
        **options,
    )


class BanForm(forms.Form):
    """Banning a comment's author: the comment is removed; their other comments as chosen."""

    other_comments = other_comments_field()
    reason = forms.CharField(
        required=False,
        max_length=ModerationDecision._meta.get_field("reason").max_length,
        label="Reason (kept in their history)",
        error_messages={
            "max_length": "A reason can be up to %(limit_value)d characters; this one has "
            "%(show_value)d. Nothing was changed."
        },
    )

    def clean_other_comments(self):
        return self.cleaned_data["other_comments"] or OtherComments.KEEP

    def clean_reason(self):
        return self.cleaned_data["reason"].strip() or QUEUE_BAN_REASON


class ReaderStatusForm(forms.Form):
    """A moderator's change of a reader's standing, with the reason kept in their history."""

    status = forms.ChoiceField(choices=ReaderProfile.Status.choices, label="New status")
    suspended_until = forms.DateField(
        required=False,
        label="Suspended until",
        help_text="For a suspension: the last day they cannot comment.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    other_comments = other_comments_field(
        help_text="When you ban them: what becomes of their published comments."
    )
    reason = forms.CharField(
        max_length=REASON_LIMIT,
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the reader's history.",
        error_messages={"required": "Say why the status changes."},
    )

    def __init__(self, *args, reader: ReaderProfile, **kwargs):
        self.reader = reader
        kwargs.setdefault("initial", {"status": reader.status})
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        status, day = cleaned.get("status"), cleaned.get("suspended_until")
        if status == ReaderProfile.Status.SUSPENDED:
            if day is None:
                self.add_error("suspended_until", "Give the last day of the suspension.")
            elif day < timezone.localdate():
                self.add_error("suspended_until", "The suspension must end today or later.")
            else:
                # The suspension runs to the end of the day given, in the site's time.
                cleaned["until"] = timezone.make_aware(datetime.combine(day, time.max))
        elif status == self.reader.status:
            self.add_error("status", "That is their status already.")
        return cleaned
