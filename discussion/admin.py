from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.html import format_html
from django_comments.models import CommentFlag
from django_comments_xtd.models import BlackListedDomain, XtdComment

from .models import CommentModeration, ModerationPolicy, ReaderProfile, ReaderStatusChange
from .services import set_reader_status

# The package's own admin pages edit raw comment rows and would bypass moderation
# (the moderation room registers its own for comments).
for model in (XtdComment, CommentFlag, BlackListedDomain):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class ReaderProfileForm(forms.ModelForm):
    change_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when you change the status; kept in the reader's history.",
    )

    class Meta:
        model = ReaderProfile
        fields = ["display_name", "status", "suspended_until"]

    def clean(self):
        cleaned = super().clean()
        status_changed = {"status", "suspended_until"} & set(self.changed_data)
        if status_changed and not cleaned.get("change_reason", "").strip():
            self.add_error("change_reason", "Say why the status changes.")
        return cleaned


class StatusHistoryInline(admin.TabularInline):
    model = ReaderStatusChange
    fields = ["changed_at", "old_status", "new_status", "suspended_until", "reason", "changed_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReaderProfile)
class ReaderProfileAdmin(admin.ModelAdmin):
    form = ReaderProfileForm
    list_display = ["name", "email", "status", "suspended_until", "joined_at"]
    list_filter = ["status"]
    list_select_related = ["user"]
    search_fields = ["display_name", "user__email"]
    inlines = [StatusHistoryInline]
    fields = ["display_name", "status", "suspended_until", "change_reason"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Display name", ordering="display_name")
    def name(self, reader):
        return format_html("<bdi>{}</bdi>", reader.display_name)

    @admin.display(description="Email", ordering="user__email")
    def email(self, reader):
        return reader.user.email

    def save_model(self, request, obj, form, change):
        if {"status", "suspended_until"} & set(form.changed_data):
            try:
                set_reader_status(
                    reader=obj,
                    status=obj.status,
                    until=obj.suspended_until,
                    reason=form.cleaned_data["change_reason"],
                    by=request.user,
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            obj.save()


@admin.register(ModerationPolicy)
class ModerationPolicyAdmin(admin.ModelAdmin):
    fieldsets = [
        ("Who is reviewed", {"fields": ["premoderate_all", "hold_first_comments"]}),
        (
            "What is reviewed or rejected",
            {"fields": ["max_links", "suspect_words", "banned_words"]},
        ),
        (
            "Screening",
            {"fields": ["screening_threshold", "nudge_before_posting"]},
        ),
        (
            "Readers' records",
            {
                "fields": [
                    "recent_history_days",
                    "recent_history_min_decided",
                    "recent_history_rejected_percent",
                    "repeat_window_minutes",
                ]
            },
        ),
        (
            "Decisions",
            {
                "fields": [
                    "rejection_reasons",
                    "email_author_on_rejection",
                    "email_author_on_feature",
                ]
            },
        ),
        (
            "Closing and reports",
            {
                "fields": [
                    "close_after_days",
                    "flags_to_requeue",
                    "report_min_account_days",
                    "report_min_approved_comments",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return not ModerationPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        policy = ModerationPolicy.current()
        return redirect("admin:discussion_moderationpolicy_change", policy.pk)


@admin.register(CommentModeration)
class CommentModerationAdmin(admin.ModelAdmin):
    """The decision log, read-only: what was decided, by which rule or person, and when."""

    list_display = ["comment", "state", "rule", "reason", "decided_by", "decided_at"]
    list_filter = ["state", "rule"]
    list_select_related = ["comment", "decided_by"]
    date_hierarchy = "decided_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
