"""Real `manage.py run_worker` processes: a worker killed mid-job, periodic work, `make run`."""

import contextlib
import itertools
import os
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest

from newsroom.tests.live import ROOT, SQLiteDatabase, free_port, wait_until
from newsroom.tests.services import require_program, require_service

from .queue import TABLE, WAITS_FOR, PostgresDatabase, Queue

POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("queue-template")
    database = SQLiteDatabase(folder)
    Queue(folder, database).migrate()
    return database.path.read_bytes()


@pytest.fixture
def sqlite_queue(migrated_sqlite, tmp_path):
    database = SQLiteDatabase(tmp_path)
    database.path.write_bytes(migrated_sqlite)
    queue = Queue(tmp_path, database)
    yield queue
    queue.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def queue(request, tmp_path):
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_queue")
        return
    require_service("PostgreSQL", "127.0.0.1", 5432)
    database = PostgresDatabase(POSTGRES)
    queue = Queue(tmp_path, database)
    try:
        queue.migrate()
        yield queue
    finally:
        queue.stop()
        database.drop()


def test_a_job_whose_worker_is_killed_runs_again_on_another_worker(queue, tmp_path):
    job = tmp_path / "job"
    job.mkdir()
    first = queue.start_worker()
    result = queue.enqueue(WAITS_FOR, str(job))
    wait_until("the first worker starting the job", lambda: list(job.glob("started-*")), 60)

    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    assert queue.row(result)["status"] == "RUNNING"

    (job / "go").touch()
    second = queue.start_worker()
    queue.status_becomes(result, "SUCCESSFUL", timeout=60)
    assert (job / "finished").read_text().split() == [str(second.pid)], queue.logs()
    assert len(queue.row(result)["worker_ids"]) == 2
    assert "lost its worker; it runs again" in queue.logs()


def as_time(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def test_two_workers_enqueue_a_periodic_job_at_most_once_per_interval(sqlite_queue):
    command = (sys.executable, "-m", "jobs.tests.periodic_worker", "--no-reload")
    sqlite_queue.start_worker(*command)
    sqlite_queue.start_worker(*command)
    ticks = f"SELECT enqueued_at FROM {TABLE} WHERE task_path = 'jobs.tests.jobs_for_tests.ticks'"
    wait_until("the first tick", lambda: sqlite_queue.database.query(ticks), 60)
    started = time.monotonic()
    time.sleep(4)
    elapsed = time.monotonic() - started
    sqlite_queue.stop()

    times = sorted(as_time(value) for (value,) in sqlite_queue.database.query(ticks))
    gaps = [(later - earlier).total_seconds() for earlier, later in itertools.pairwise(times)]
    assert 3 <= len(times) <= elapsed + 2, sqlite_queue.logs()
    assert min(gaps) >= 0.99, gaps
    heartbeats = sqlite_queue.database.query("SELECT count(*) FROM jobs_workerheartbeat")
    assert heartbeats == [(0,)], "a worker stopped cleanly gives up its lease"


def processes_under(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        found.update(children.get(todo[-1], []))
        todo.extend(children.pop(todo.pop(), []))
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_make_run_serves_the_site_with_a_worker_and_ctrl_c_stops_both(sqlite_queue, tmp_path):
    require_program("/usr/bin/make", "apt-get install -y make")
    port = free_port()
    command = ["make", "--no-print-directory", "serve-dev"]
    command += [f"BIN={Path(sys.executable).parent}", f"ADDRESS=127.0.0.1:{port}"]
    with open(tmp_path / "make.log", "wb") as log:
        # A session of its own, as a terminal's, with Ctrl-C's signal at its
        # default even if this test runs where SIGINT is ignored.
        make = subprocess.Popen(
            command, cwd=ROOT, env=sqlite_queue.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )  # fmt: skip
    try:
        wait_until(
            "the development server answering",
            lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).status == 200,
            60,
        )
        job = tmp_path / "job"
        job.mkdir()
        (job / "go").touch()
        result = sqlite_queue.enqueue(WAITS_FOR, str(job))
        sqlite_queue.status_becomes(result, "SUCCESSFUL", timeout=60)
        processes = processes_under(make.pid)

        # What the terminal does on Ctrl-C: SIGINT to its foreground process group.
        os.killpg(make.pid, signal.SIGINT)
        make.wait(timeout=30)
        wait_until("every process stopping", lambda: not any(map(running, processes)), 20)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(make.pid, signal.SIGKILL)
        for pid in processes_under(make.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    log_text = (tmp_path / "make.log").read_text()
    assert len(processes) >= 4, log_text  # the shell, runserver and the worker, each reloading
