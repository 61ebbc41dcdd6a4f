"""Keeping the queue honest: leases on running jobs, periodic work, retries from the desk."""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import get_date_max

from newsroom.jobs import PERIODIC, report_failure

from .models import JobResult, PeriodicJob, WorkerHeartbeat

logger = logging.getLogger(__name__)

# A job whose worker died this many times is more likely killing its workers
# (out of memory, a crash in a library) than unlucky: it fails for the desk.
MAX_LOST_WORKERS = 3


class WorkerLost(Exception):
    """The worker running the job stopped before the job finished, too many times."""


def beat(*, worker_id: str, host: str, pid: int, now: datetime | None = None) -> None:
    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(pk=worker_id).update(last_seen=now)
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, host=host, pid=pid, started_at=now, last_seen=now
        )


def forget_worker(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(pk=worker_id).delete()


def _requeue(rows) -> int:
    """Each running row back to the queue, or failed once it has lost too many workers.

    The update is conditional on the row being as read (still running, same
    claim), so a worker that finished it meanwhile, or another worker
    requeueing it at the same moment, is never overwritten.
    """
    requeued = 0
    for row in rows:
        same_claim = JobResult.objects.filter(
            pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
        )
        if len(row.worker_ids) >= MAX_LOST_WORKERS:
            error = WorkerLost(f"its worker stopped {len(row.worker_ids)} times while running it")
            failed = same_claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}: {error}\n",
            )
            logger.error("Job %s (%s) failed: %s", row.pk, row.task_path, error)
            if failed:
                _report(row, error)
        elif same_claim.update(status=TaskResultStatus.READY):
            requeued += 1
            logger.warning("Job %s (%s) lost its worker; it runs again", row.pk, row.task_path)
    return requeued


def _report(row, error: WorkerLost) -> None:
    """The job's own failure hook, so its rows say what happened; a broken hook is logged,
    and the keeper goes on with the other rows."""
    try:
        with transaction.atomic():
            report_failure(row.task_path, error, row.args_kwargs)
    except Exception:
        logger.exception("The failure hook of job %s (%s) failed", row.pk, row.task_path)


def requeue_abandoned_jobs(*, lease: timedelta, now: datetime | None = None) -> int:
    """Running jobs whose worker has not been seen for `lease` go back to the queue."""
    now = now or timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(last_seen__gte=now - lease).values_list("pk", flat=True)
    )
    # Claimed before the lease began: a worker beats before it claims anything.
    running = JobResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=now - lease)
    return _requeue(row for row in running if not row.worker_ids or row.worker_ids[-1] not in alive)


def release_jobs_of(*, worker_id: str) -> int:
    """The jobs a worker left running when it lost the database or was stopped, queued again.

    A worker runs one job at a time, so when it is between jobs anything
    still running in its name is lost work.
    """
    running = JobResult.objects.filter(status=TaskResultStatus.RUNNING)
    return _requeue(row for row in running if row.worker_ids[-1:] == [worker_id])


def enqueue_due_periodic_jobs(*, now: datetime | None = None) -> list[str]:
    """Enqueue every registered periodic job that is due; at most once per interval in all.

    Claiming is one conditional UPDATE: of several workers finding the job due
    at the same moment, one moves `next_run_at` on and enqueues it, in the
    same transaction, and the others update nothing.
    """
    now = now or timezone.now()
    enqueued = []
    for path, periodic in PERIODIC.items():
        PeriodicJob.objects.get_or_create(
            task_path=path, defaults={"every": periodic.interval, "next_run_at": now}
        )
        with transaction.atomic():
            claimed = PeriodicJob.objects.filter(task_path=path, next_run_at__lte=now).update(
                next_run_at=now + periodic.interval, every=periodic.interval, last_run_at=now
            )
            if claimed:
                periodic.job.enqueue()
                enqueued.append(path)
    return enqueued


def retry_job(*, result: JobResult) -> bool:
    """A failed job back in the queue as it was first enqueued, with all its attempts again.

    The same row is reset rather than a copy enqueued, so a retried failure
    leaves the desk's list of failures, and a second click does nothing.
    """
    kwargs = dict(result.args_kwargs.get("kwargs", {}))
    kwargs.pop("attempt_number", None)
    retried = JobResult.objects.filter(pk=result.pk, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY,
        args_kwargs={**result.args_kwargs, "kwargs": kwargs},
        run_after=get_date_max(),
        started_at=None,
        finished_at=None,
        exception_class_path="",
        traceback="",
    )
    return bool(retried)


def prune_job_results(
    *, keep_successful: timedelta, keep_failed: timedelta, now: datetime | None = None
) -> int:
    """Finished jobs older than their keeping time, and the leases of long-gone workers, deleted."""
    now = now or timezone.now()
    deleted, _ = JobResult.objects.filter(
        Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - keep_successful)
        | Q(status=TaskResultStatus.FAILED, finished_at__lt=now - keep_failed)
    ).delete()
    # Past the lease a heartbeat only says a worker is dead, which its absence says as well.
    WorkerHeartbeat.objects.filter(last_seen__lt=now - keep_successful).delete()
    return deleted
