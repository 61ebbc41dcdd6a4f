"""The queue table as the workers see it, worked in this process for the desk's tests."""

import pytest
from django_tasks_db.management.commands.db_worker import Worker


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def work_queue(database_queue):
    """Runs every job that is due, here and now, as a worker would, then returns."""

    def work():
        Worker(
            queue_names=["default"], interval=0, batch=True, backend_name="default",
            startup_delay=False, max_tasks=None, worker_id="in-test", excluded_queue_names=[],
        ).run()  # fmt: skip

    return work
