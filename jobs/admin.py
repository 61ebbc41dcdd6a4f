"""The queue in the desk: every job with its arguments and outcome, failures to run again.

Replaces django-tasks-db's own admin, which has no retry and shows the
traceback in the list's place of the error.
"""

from django.contrib import admin, messages
from django.utils.html import format_html
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from . import services
from .models import JobResult, PeriodicJob, WorkerHeartbeat

admin.site.unregister(DBTaskResult)


class ReadOnlyAdmin(admin.ModelAdmin):
    """The workers write these rows; the desk only looks."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JobResult)
class JobResultAdmin(ReadOnlyAdmin):
    list_display = ("task_name", "status", "arguments", "enqueued_at", "finished_at", "error")
    list_filter = ("status", "task_path", "queue_name")
    search_fields = ("task_path", "id")
    date_hierarchy = "enqueued_at"
    actions = ["retry"]
    fields = (
        "task_name",
        "status",
        "arguments",
        "enqueued_at",
        "started_at",
        "finished_at",
        "run_after",
        "worker_ids",
        "error",
        "formatted_traceback",
    )
    readonly_fields = fields

    @admin.display(description="traceback")
    def formatted_traceback(self, obj):
        return format_html("<pre>{}</pre>", obj.traceback) if obj.traceback else "-"

    def has_retry_permission(self, request):
        return request.user.has_perm("jobs.retry_jobresult")

    @admin.action(description="Run the selected failed jobs again", permissions=["retry"])
    def retry(self, request, queryset):
        failed = queryset.filter(status=TaskResultStatus.FAILED)
        retried = sum(services.retry_job(result=result) for result in failed)
        skipped = queryset.count() - retried
        if retried:
            self.message_user(request, f"{retried} job(s) queued to run again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} job(s) left alone: only failed jobs run again.",
                messages.WARNING,
            )


@admin.register(PeriodicJob)
class PeriodicJobAdmin(ReadOnlyAdmin):
    list_display = ("task_path", "every", "last_run_at", "next_run_at")
    search_fields = ("task_path",)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ("worker_id", "host", "pid", "started_at", "last_seen")
    search_fields = ("worker_id", "host")
