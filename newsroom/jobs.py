"""Background jobs through Django's task API (django-tasks, `django.tasks` from Django 6).

Work that may be slow or may fail for a while (renditions, emails, link
checks, edge purges) leaves the request: the request stores what must be done
and a worker does it. The default backend is a queue table in the site's own
database (django-tasks-db): no broker to run, and on PostgreSQL any number of
workers claim rows with SELECT … FOR UPDATE SKIP LOCKED.
"""

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger(__name__)

# Waits before the 2nd, 3rd … attempt: a mail server restarting or storage
# timing out for a few minutes is ridden out; after the last attempt the job
# is a failure an editor can see and retry from the desk.
BACKOFF = [timedelta(seconds=s) for s in (10, 30, 120, 600, 1800)]


def background(
    *,
    retry_on: tuple[type[BaseException], ...] = (),
    attempts: int = len(BACKOFF) + 1,
    on_failure: Callable[..., None] | None = None,
) -> Callable[[Callable], Task]:
    """A module-level function made a job; `retry_on` errors are transient.

    A transient error enqueues the job again after the next wait of BACKOFF
    (at once on a backend that cannot defer, as the tests' immediate one);
    any other error, or the last attempt's, fails the job. The function must
    be safe to run twice: a worker may die after it did its work and before
    the queue heard of it, and the job then runs again.

    `on_failure(error, *args, **kwargs)` runs when the job fails for good, with
    the job's own arguments, so the rows it was working for can say so
    (the queue's own record is for the jobs page, not for the desk's pages);
    also when it fails for killing its workers (jobs.services.WorkerLost).
    """

    def make_job(function: Callable) -> Task:
        @functools.wraps(function)
        def attempt(*args, attempt_number: int = 1, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception as error:
                if not isinstance(error, retry_on) or attempt_number >= attempts:
                    if on_failure is not None:
                        on_failure(error, *args, **kwargs)
                    raise
                wait = BACKOFF[min(attempt_number, len(BACKOFF)) - 1] * settings.JOB_BACKOFF_SCALE
                logger.warning(
                    "%s failed (%s: %s); attempt %d of %d in %s",
                    job.name,
                    type(error).__name__,
                    error,
                    attempt_number + 1,
                    attempts,
                    wait,
                )
                again = job
                if job.get_backend().supports_defer:
                    again = job.using(run_after=timezone.now() + wait)
                again.enqueue(*args, attempt_number=attempt_number + 1, **kwargs)
                return None

        job = task()(attempt)
        if on_failure is not None:
            FAILURE_HOOKS[job.module_path] = on_failure
        return job

    return make_job


# Job path → its on_failure. A job whose worker keeps dying never reaches its
# own except clause; the queue's keeper (jobs/services.py) fails it and calls
# the hook through report_failure.
FAILURE_HOOKS: dict[str, Callable[..., None]] = {}


def report_failure(task_path: str, error: Exception, args_kwargs: dict) -> None:
    """Run the on_failure of a job failed outside its own run, with the job's arguments."""
    hook = FAILURE_HOOKS.get(task_path)
    if hook is None:
        return
    kwargs = dict(args_kwargs.get("kwargs", {}))
    kwargs.pop("attempt_number", None)
    hook(error, *args_kwargs.get("args", []), **kwargs)


def after_commit(job: Task, /, *args, **kwargs) -> None:
    """Enqueue `job` once the current transaction commits, and not at all if it rolls back.

    A job enqueued inside the transaction could start before its rows are
    visible to the worker, or run for rows that were never saved.
    """
    transaction.on_commit(functools.partial(job.enqueue, *args, **kwargs))


@dataclass(frozen=True)
class Periodic:
    interval: timedelta
    job: Task


# Job path → how often it runs; filled by apps' ready() through every().
PERIODIC: dict[str, Periodic] = {}


def every(interval: timedelta, job: Task) -> None:
    """Run `job` (taking no arguments) once per `interval`, on whichever worker comes first.

    Call it from an AppConfig's ready(). The workers (`manage.py run_worker`)
    enqueue a due job at most once per interval between them, however many
    there are, so no system cron is needed.
    """
    if interval <= timedelta(0):
        raise ValueError(f"{job.name}: the interval must be positive, not {interval}")
    PERIODIC[job.module_path] = Periodic(interval, job)
