"""The moderation policy's admin page; the moderators' desk (comments, readers, the
decision log) is the moderation room's (moderation/admin.py)."""

from django.contrib import admin
from django.shortcuts import redirect

from .models import ModerationPolicy


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
        # The one policy is made the first time anything asks for it
        # (ModerationPolicy.current(), as the change list does): never one to add.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        policy = ModerationPolicy.current()
        return redirect("admin:discussion_moderationpolicy_change", policy.pk)
