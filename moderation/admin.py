"""The moderators' desk in the admin: the stock change list of comments, kept for admins
beside the workbench, the readers' profiles with their status history, and the
read-only list of each comment's moderation.

The change list's row buttons and bulk actions take the same decisions as the
workbench (decisions.py); moderators reach the workbench from the desk's app
list through the Workbench entry (WorkbenchEntryAdmin).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django_comments.models import CommentFlag
from django_comments_xtd.models import BlackListedDomain, XtdComment

from articles.models import Article
from discussion.models import CommentModeration, ModerationPolicy, ReaderProfile, ReaderStatusChange
from discussion.services import set_reader_status

from .decisions import approve, ban, decide_and_tell, reject, return_page
from .forms import RejectionForm
from .models import WorkbenchEntry
from .permissions import may_moderate
from .queue import with_author_record

QUEUE = "admin:django_comments_xtd_xtdcomment_changelist"


class RejectActionForm(ActionForm):
    # Checked by the action (RejectionForm), which can say what is wrong; a
    # refusal here would only get the admin's "No action selected."
    reason = forms.CharField(required=False, label="Reason for rejecting", widget=forms.Select())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reasons = ModerationPolicy.current().rejection_reason_list
        self.fields["reason"].widget.choices = [(r, r) for r in reasons]
        self.fields["reason"].initial = reasons[0]


class ReportedFilter(admin.SimpleListFilter):
    title = "reports"
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", "Reported by readers"), ("no", "Not reported")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(reports__isnull=False).distinct()
        if self.value() == "no":
            return queryset.filter(reports__isnull=True)
        return queryset


class StoryFilter(admin.SimpleListFilter):
    """Stories with comments waiting, so a moderator can clear one discussion at a time."""

    title = "story"
    parameter_name = "story"

    def lookups(self, request, model_admin):
        waiting = XtdComment.objects.filter(
            moderation__state=CommentModeration.State.PENDING
        ).values_list("object_pk", flat=True)
        return [(str(a.pk), a.headline) for a in Article.objects.filter(pk__in=list(waiting))]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(object_pk=self.value())
        return queryset


def row_prefix(comment) -> str:
    """The per-row reason's form prefix: every row's select is in the one changelist form."""
    return f"comment-{comment.pk}"


def decision_view(model_admin, decision):
    """The view behind one row's button: the decision on that comment alone."""

    def view(request, pk):
        if request.method != "POST" or not model_admin.has_change_permission(request):
            raise PermissionDenied
        comment = get_object_or_404(XtdComment.objects.select_related("moderation"), pk=pk)
        decide_and_tell(request, decision, [comment], prefix=row_prefix(comment))
        return redirect(return_page(request, reverse(QUEUE)))

    return view


# The package's own admin pages edit raw comment rows and would bypass moderation
# (the one below registers in their place for comments).
for model in (XtdComment, CommentFlag, BlackListedDomain):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(XtdComment)
class ModerationDeskAdmin(admin.ModelAdmin):
    """The moderation queue: pending comments first, with one-click decisions."""

    list_display = ["text", "author", "status", "reports_count", "submit_date"]
    # Comments are decided here, not edited; the text links to the story instead.
    list_display_links = None
    list_filter = ["moderation__state", "moderation__rule", ReportedFilter, StoryFilter]
    search_fields = ["comment", "user_name", "user__email"]
    list_per_page = 50
    actions = ["approve_selected", "reject_selected", "ban_authors"]
    action_form = RejectActionForm
    # "pending" sorts before "published" and "removed": the queue comes first.
    ordering = ["moderation__state", "-submit_date"]
    readonly_fields = ["user_name", "comment", "submit_date", "ip_address"]
    fields = readonly_fields

    def get_queryset(self, request):
        return with_author_record(
            super()
            .get_queryset(request)
            .select_related("moderation", "user__reader")
            .prefetch_related("content_object")
            .annotate(reports_total=Count("reports", distinct=True))
        )

    class Media:
        css = {"all": ["moderation/desk.css"]}

    def has_add_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {"title": "Moderation queue", **(extra_context or {})}
        )

    @admin.display(description="Comment")
    def text(self, comment):
        article = comment.content_object
        return format_html(
            '<div class="desk-comment">{}</div><div class="desk-story">on <a href="{}#c{}">{}</a>'
            "</div>",
            Truncator(comment.comment).chars(400),
            article.get_absolute_url() if article else "#",
            comment.pk,
            article or "a deleted story",
        )

    @admin.display(description="Author")
    def author(self, comment):
        reader = getattr(comment.user, "reader", None)
        status = reader.get_status_display() if reader else "no profile"
        return format_html(
            "<strong><bdi>{}</bdi></strong><br>{} · {} approved, {} removed",
            comment.user_name,
            status,
            comment.author_published,
            comment.author_removed,
        )

    @admin.display(description="Status", ordering="moderation__state")
    def status(self, comment):
        moderation = comment.moderation
        return format_html(
            '<strong class="desk-state desk-state--{}">{}</strong><br>{}',
            moderation.state,
            moderation.get_state_display(),
            moderation.reason,
        )

    @admin.display(description="Reports", ordering="reports_total")
    def reports_count(self, comment):
        return comment.reports_total

    def get_list_display(self, request):
        return [*self.list_display, self.decide_column(ModerationPolicy.current())]

    def decide_column(self, policy):
        """The Decide column: each row's buttons, with the site's reasons for rejecting."""

        @admin.display(description="Decide")
        def decide(comment):
            state = comment.moderation.state
            url = lambda name: reverse(f"admin:discussion_{name}", args=[comment.pk])  # noqa: E731
            context = {}
            if state != CommentModeration.State.PUBLISHED:
                context["approve_url"] = url("approve")
            if state != CommentModeration.State.REMOVED:
                form = RejectionForm(prefix=row_prefix(comment), auto_id=False, policy=policy)
                context["reason"] = form["reason"]
                context["reject_url"] = url("reject")
            if comment.user_id:
                context["ban_url"] = url("ban")
            return render_to_string("admin/moderation/decide.html", context)

        return decide

    def get_urls(self):
        row_decisions = [
            path(
                f"<int:pk>/{address}/",
                self.admin_site.admin_view(decision_view(self, decision)),
                name=f"discussion_{name}",
            )
            for address, name, decision in [
                ("approve", "approve", approve),
                ("reject", "reject", reject),
                ("ban-author", "ban", ban),
            ]
        ]
        return [*row_decisions, *super().get_urls()]

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve_selected(self, request, queryset):
        decide_and_tell(request, approve, list(queryset))

    @admin.action(
        description="Reject selected comments (with the reason chosen)", permissions=["change"]
    )
    def reject_selected(self, request, queryset):
        decide_and_tell(request, reject, list(queryset))

    @admin.action(description="Ban the authors of selected comments", permissions=["change"])
    def ban_authors(self, request, queryset):
        decide_and_tell(request, ban, list(queryset))


@admin.register(WorkbenchEntry)
class WorkbenchEntryAdmin(admin.ModelAdmin):
    """The desk's way in to the workbench, shown to those who may moderate."""

    def has_module_permission(self, request):
        return may_moderate(request.user)

    def has_view_permission(self, request, obj=None):
        return may_moderate(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return redirect("moderation:queue")


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
