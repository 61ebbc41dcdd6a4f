"""newsroom/jobs.py: transient errors retried, others fail; enqueued only after commit."""

import pytest
from django.db import transaction
from django_tasks import TaskResultStatus

from newsroom.jobs import after_commit

from . import jobs_for_tests as jobs


@pytest.fixture(autouse=True)
def _fresh_attempts():
    jobs.ATTEMPTS.clear()


def test_a_transient_error_runs_the_job_again_until_it_succeeds():
    result = jobs.fails_until.enqueue(3, "story-42")
    assert jobs.ATTEMPTS == ["story-42"] * 3
    assert result.status == TaskResultStatus.SUCCESSFUL


def test_after_the_last_attempt_the_transient_error_fails_the_job():
    with pytest.raises(jobs.Flaky):
        jobs.fails_until.call(4, "story-42", attempt_number=3)
    assert jobs.ATTEMPTS == ["story-42"]


def test_other_errors_fail_at_once():
    result = jobs.breaks.enqueue("story-42")
    assert result.status == TaskResultStatus.FAILED
    assert jobs.ATTEMPTS == ["story-42"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_is_enqueued_when_the_transaction_commits_and_never_if_it_rolls_back():
    with transaction.atomic():
        after_commit(jobs.fails_until, 1, "committed")
        assert jobs.ATTEMPTS == []
    assert jobs.ATTEMPTS == ["committed"]

    with pytest.raises(RuntimeError), transaction.atomic():
        after_commit(jobs.fails_until, 1, "rolled back")
        raise RuntimeError
    assert jobs.ATTEMPTS == ["committed"]
