"""What the workers share beyond the queue table: who is alive, and when periodic work is due."""

from django.db import models
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class WorkerHeartbeat(models.Model):
    """A worker's lease on the jobs it runs.

    Machines cannot see each other's processes, so a worker proves it is
    alive by writing here every few seconds; the jobs of a worker not seen
    for settings.JOBS_LEASE are run again by the others.
    """

    worker_id = models.CharField(primary_key=True, max_length=64)
    host = models.CharField(max_length=255, help_text="The machine the worker runs on.")
    pid = models.PositiveIntegerField(help_text="The worker's process id on that machine.")
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(
        help_text="A worker not seen for the lease (NEWSROOM_JOBS_LEASE) is taken for dead "
        "and its running jobs go back to the queue."
    )

    class Meta:
        ordering = ["-last_seen"]

    def __str__(self):
        return f"worker {self.worker_id} (pid {self.pid} on {self.host})"


class PeriodicJob(models.Model):
    """When a job registered with newsroom.jobs.every() is next due, shared by all workers."""

    task_path = models.CharField(primary_key=True, max_length=255)
    every = models.DurationField(help_text="As registered in the code; updated at each run.")
    next_run_at = models.DateTimeField(
        help_text="The first worker to find this in the past enqueues the job and moves it on."
    )
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["next_run_at"]

    def __str__(self):
        return f"{self.task_path} every {self.every}"


class JobResult(DBTaskResult):
    """The queue's rows as the desk sees them: what ran, with what, and why it failed."""

    class Meta:
        proxy = True
        verbose_name = "job"
        verbose_name_plural = "jobs"
        ordering = ["-enqueued_at"]
        permissions = [("retry_jobresult", "Can run a failed job again")]

    def __str__(self):
        return f"{self.task_name} ({self.get_status_display()})"

    @property
    def arguments(self) -> str:
        args = [repr(value) for value in self.args_kwargs.get("args", [])]
        kwargs = self.args_kwargs.get("kwargs", {})
        args += [f"{name}={value!r}" for name, value in kwargs.items()]
        return ", ".join(args)

    @property
    def error(self) -> str:
        """The exception's last line, which names it and says what happened."""
        if self.status != TaskResultStatus.FAILED:
            return ""
        lines = self.traceback.strip().splitlines()
        return lines[-1] if lines else self.exception_class_path
