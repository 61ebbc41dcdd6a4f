"""The queue table as the workers see it, worked in this process for the desk's tests."""

import pytest
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Worker


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def work_queue(database_queue, monkeypatch):
    """Runs every job that is due, here and now, as a worker would, then returns.

    A worker drops its database connection between jobs when it is not in
    autocommit mode, which inside the test's transaction it never is: on
    PostgreSQL that would close the test's own connection. The worker
    processes of test_workers.py run the real loop.
    """
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def work():
        Worker(
            queue_names=["default"], interval=0, batch=True, backend_name="default",
            startup_delay=False, max_tasks=None, worker_id="in-test", excluded_queue_names=[],
        ).run()  # fmt: skip

    return work
