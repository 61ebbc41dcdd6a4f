"""A queue worked by real worker processes: a migrated database of its own, workers started,
killed and stopped as an operator would, and the queue table read back with plain SQL."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import psycopg

from newsroom.tests.live import ROOT, run, wait_until

TABLE = "django_tasks_database_dbtaskresult"
WAITS_FOR = "jobs.tests.jobs_for_tests.waits_for"
# Short, so a lost worker's job is picked up within seconds.
LEASE = 1.5


class Queue:
    def __init__(self, folder: Path, database):
        self.folder = folder
        self.database = database
        self.workers: list[subprocess.Popen] = []
        self.env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DATABASE_URL": database.url,
            "NEWSROOM_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "NEWSROOM_JOBS_LEASE": str(LEASE),
            "PYTHONUNBUFFERED": "1",
        }

    def migrate(self):
        self.manage("migrate", "--no-input")

    def manage(self, *args):
        run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, timeout=180)

    def enqueue(self, job: str, *args) -> str:
        """Enqueued from a process of its own, as a request would, with the id of its row."""
        module, name = job.rsplit(".", 1)
        code = f"from {module} import {name}; print({name}.enqueue(*{args!r}).id)"
        out = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        return out.stdout.split()[-1]

    def start_worker(self, *command, name="worker"):
        command = command or (sys.executable, "manage.py", "run_worker", "--no-reload")
        command = [*command, "--no-startup-delay", "--interval", "0.1"]
        log = open(self.folder / f"{name}-{len(self.workers)}.log", "ab")  # noqa: SIM115
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log.close()
        self.workers.append(process)
        return process

    def row(self, result_id: str) -> dict:
        (status, worker_ids, args_kwargs), *_ = self.database.query(
            f"SELECT status, worker_ids, args_kwargs FROM {TABLE} "
            f"WHERE replace(CAST(id AS TEXT), '-', '') = '{result_id.replace('-', '')}'"
        )
        as_json = [json.loads(v) if isinstance(v, str) else v for v in (worker_ids, args_kwargs)]
        return {"status": status, "worker_ids": as_json[0], "args_kwargs": as_json[1]}

    def status_becomes(self, result_id: str, status: str, timeout=30):
        def reached():
            return self.row(result_id)["status"] == status

        wait_until(f"job {result_id} {status}", reached, timeout)

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.folder.glob("*.log")))

    def stop(self):
        for process in self.workers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.workers:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


class PostgresDatabase:
    """A database of the queue's own on a PostgreSQL server, dropped when done."""

    def __init__(self, server_url: str):
        self.server_url = server_url
        self.name = f"jobs_queue_{os.getpid()}"
        self.url = server_url.rsplit("/", 1)[0] + f"/{self.name}"
        self._admin("CREATE DATABASE")

    def _admin(self, statement):
        with psycopg.connect(self.server_url, autocommit=True, connect_timeout=10) as connection:
            connection.execute(f'{statement} "{self.name}"')

    def query(self, sql):
        # A connection per query: none is left open across a server restart.
        with psycopg.connect(self.url, connect_timeout=10) as connection:
            return connection.execute(sql).fetchall()

    def drop(self):
        self._admin("DROP DATABASE IF EXISTS")
