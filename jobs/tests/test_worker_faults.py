"""A worker outliving a PostgreSQL restart (make faults: a cluster of the test's own)."""

import time

import pytest

from newsroom.tests.live import PostgresCluster, postgres_binaries
from newsroom.tests.services import require_path

from .queue import WAITS_FOR, PostgresDatabase, Queue

pytestmark = pytest.mark.faults


@pytest.fixture
def cluster():
    binaries = postgres_binaries()
    require_path(str(binaries or "/usr/lib/postgresql"), "apt-get install -y postgresql")
    cluster = PostgresCluster()
    yield cluster
    cluster.remove()


def test_the_worker_waits_through_a_postgresql_restart_and_resumes(cluster, tmp_path):
    database = PostgresDatabase(cluster.server_url)
    queue = Queue(tmp_path, database)
    queue.migrate()
    job = tmp_path / "job"
    job.mkdir()
    (job / "go").touch()
    try:
        worker = queue.start_worker()
        queue.status_becomes(queue.enqueue(WAITS_FOR, str(job)), "SUCCESSFUL", timeout=60)

        cluster.crash()
        time.sleep(5)
        assert worker.poll() is None, queue.logs()
        cluster.start()

        queue.status_becomes(queue.enqueue(WAITS_FOR, str(job)), "SUCCESSFUL", timeout=60)
        assert worker.poll() is None
        assert "waits for the database" in queue.logs()
        assert len((job / "finished").read_text().split()) == 2
    finally:
        queue.stop()
        database.drop()
