import uuid

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import MaxLengthValidator
from django_comments_xtd.forms import XtdCommentForm

from discussion.models import CommentReport

COMMENT_MAX_LENGTH = settings.NEWSROOM_COMMENT_MAX_LENGTH
# Signs every nudge mark: changing it voids the marks on forms already handed back.
NUDGE_SALT = "discussion.comment-nudged"


class CommentForm(XtdCommentForm):
    """django-comments-xtd's form (security hash, timestamp, threading) for signed-in readers.

    Name and email come from the reader's profile, never from the form, and a
    one-time submission key makes a double submit harmless. A form handed back by
    "think before you post" carries `nudged`, the submission key signed, so its
    next submit is sent as it is, whatever the text now says, and the mark cannot
    be forged for another form.
    """

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    nudged = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, target_object, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4())
        super().__init__(target_object, *args, **kwargs)
        for field in ("name", "email", "url"):
            del self.fields[field]
        text = self.fields["comment"]
        text.label = "Your comment"
        text.max_length = COMMENT_MAX_LENGTH
        text.widget.attrs.update(
            {"rows": 5, "class": "comment-form__text", "maxlength": COMMENT_MAX_LENGTH}
        )
        text.widget.attrs.pop("placeholder", None)
        text.error_messages["required"] = "Write something before posting."
        # Our own length check below says how long the comment is.
        text.validators = [v for v in text.validators if not isinstance(v, MaxLengthValidator)]
        # StoryFollow is what the box creates: django-comments-xtd's own
        # followup column is no longer written or read (see discussion.services.post_comment).
        self.fields["followup"].label = "Follow this story: email me every new comment"
        # The honeypot is hidden from sight and from assistive technology; out of
        # the tab order too, so keyboard users never land in an invisible field.
        self.fields["honeypot"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_comment(self):
        text = self.cleaned_data["comment"]
        if len(text) > COMMENT_MAX_LENGTH:
            raise forms.ValidationError(
                f"Comments can be up to {COMMENT_MAX_LENGTH:,} characters; "
                f"this one has {len(text):,}."
            )
        return text

    @staticmethod
    def nudged_mark(submission_key) -> str:
        return signing.dumps(str(submission_key), salt=NUDGE_SALT)

    def was_nudged(self) -> bool:
        """Whether the writer was already asked to think again about this form's comment."""
        try:
            key = signing.loads(self.cleaned_data["nudged"], salt=NUDGE_SALT)
        except signing.BadSignature:
            return False
        return key == str(self.cleaned_data["submission_key"])

    def expired(self):
        return "timestamp" in self.errors and "security_hash" not in self.errors

    def is_for(self, target):
        """Whether the signed form was made for this story (its hash covers the ids)."""
        return self.data.get("object_pk") == str(target.pk) and self.data.get(
            "content_type"
        ) == str(target._meta)

    def forged(self):
        return "security_hash" in self.errors or "honeypot" in self.errors


class ReportForm(forms.ModelForm):
    # Declared, not generated: the model's field would offer an empty "---------"
    # choice, shown ticked, that is refused when sent. Nothing is ticked until the
    # reader picks a real reason.
    reason = forms.ChoiceField(
        choices=CommentReport.Reason.choices,
        widget=forms.RadioSelect,
        label="What is wrong with this comment?",
        error_messages={"required": "Choose what is wrong with the comment."},
    )

    class Meta:
        model = CommentReport
        fields = ["reason", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        labels = {"note": "Anything to add"}


class EditCommentForm(forms.Form):
    """The author's new text for their comment, held to the comment form's rules."""

    comment = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(
            attrs={"rows": 5, "class": "comment-form__text", "maxlength": COMMENT_MAX_LENGTH}
        ),
        error_messages={"required": "Write something; to take the comment back, delete it."},
    )
    clean_comment = CommentForm.clean_comment
