"""Leases, periodic claims and pruning, on the queue table itself."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus

from jobs import services
from jobs.models import JobResult, PeriodicJob, WorkerHeartbeat
from newsroom import jobs as registry

from . import jobs_for_tests

pytestmark = pytest.mark.django_db
LEASE = timedelta(seconds=30)


def claimed(worker_ids, *, minutes_ago=5, enqueue=jobs_for_tests.ticks.enqueue) -> JobResult:
    result = enqueue()
    row = JobResult.objects.get(pk=result.id)
    row.status = TaskResultStatus.RUNNING
    row.worker_ids = worker_ids
    row.started_at = timezone.now() - timedelta(minutes=minutes_ago)
    row.save()
    return row


def seen(worker_id, *, seconds_ago):
    at = timezone.now() - timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, host="test", pid=1, started_at=at, last_seen=at
    )


def status(row) -> str:
    row.refresh_from_db()
    return row.status


def test_only_the_jobs_of_workers_unseen_for_the_lease_go_back_to_the_queue(database_queue):
    seen("alive", seconds_ago=5)
    seen("dead", seconds_ago=60)
    of_alive, of_dead, of_unknown = claimed(["alive"]), claimed(["dead"]), claimed(["gone"])
    just_claimed = claimed(["also-gone"], minutes_ago=0)

    assert services.requeue_abandoned_jobs(lease=LEASE) == 2
    assert [status(r) for r in (of_alive, of_dead, of_unknown, just_claimed)] == [
        "RUNNING", "READY", "READY", "RUNNING",
    ]  # fmt: skip
    assert services.requeue_abandoned_jobs(lease=LEASE) == 0


def test_a_job_that_lost_its_worker_three_times_fails_for_the_desk(database_queue):
    row = claimed(["w1", "w2", "w3"])
    assert services.requeue_abandoned_jobs(lease=LEASE) == 0
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert row.error == "jobs.services.WorkerLost: its worker stopped 3 times while running it"


def test_a_job_failed_for_losing_its_workers_runs_its_failure_hook_once(database_queue):
    jobs_for_tests.FAILURES.clear()
    job = jobs_for_tests.says_when_it_fails
    row = claimed(["w1", "w2", "w3"], enqueue=lambda: job.enqueue("photo 7"))
    services.requeue_abandoned_jobs(lease=LEASE)
    services.requeue_abandoned_jobs(lease=LEASE)
    assert status(row) == TaskResultStatus.FAILED
    assert jobs_for_tests.FAILURES == [
        ("photo 7", "WorkerLost: its worker stopped 3 times while running it")
    ]


def test_a_worker_releases_what_it_left_running_and_nothing_of_others(database_queue):
    mine, theirs = claimed(["other", "me"]), claimed(["me", "other"])
    assert services.release_jobs_of(worker_id="me") == 1
    assert (status(mine), status(theirs)) == ("READY", "RUNNING")


def test_a_periodic_job_is_enqueued_once_per_interval(database_queue, monkeypatch):
    monkeypatch.setattr(
        registry, "PERIODIC", {"t": registry.Periodic(timedelta(minutes=5), jobs_for_tests.ticks)}
    )
    monkeypatch.setattr(services, "PERIODIC", registry.PERIODIC)
    now = timezone.now()
    assert services.enqueue_due_periodic_jobs(now=now) == ["t"]
    assert services.enqueue_due_periodic_jobs(now=now) == []
    assert services.enqueue_due_periodic_jobs(now=now + timedelta(minutes=4)) == []
    assert services.enqueue_due_periodic_jobs(now=now + timedelta(minutes=5)) == ["t"]
    assert JobResult.objects.filter(task_path=jobs_for_tests.ticks.module_path).count() == 2
    assert PeriodicJob.objects.get().next_run_at == now + timedelta(minutes=10)


def test_every_refuses_an_interval_that_is_not_positive():
    with pytest.raises(ValueError, match="must be positive"):
        registry.every(timedelta(0), jobs_for_tests.ticks)


def test_the_pruning_job_is_registered_hourly():
    assert registry.PERIODIC["jobs.tasks.prune_job_results"].interval == timedelta(hours=1)


def test_pruning_keeps_failures_longer_than_successes_and_never_touches_unfinished(work_queue):
    jobs_for_tests.FAILING["on"] = True
    failed = jobs_for_tests.fails_while_told.enqueue("reply email")
    done = jobs_for_tests.ticks.enqueue()
    work_queue()
    waiting = jobs_for_tests.ticks.enqueue()
    later = timezone.now() + timedelta(days=10)

    assert services.prune_job_results(
        keep_successful=timedelta(days=7), keep_failed=timedelta(days=30), now=later
    ) == 1  # fmt: skip
    left = set(JobResult.objects.values_list("pk", flat=True))
    assert {str(pk) for pk in left} == {failed.id, waiting.id}
    assert done.id not in {str(pk) for pk in left}
