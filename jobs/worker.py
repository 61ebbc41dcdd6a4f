"""django-tasks-db's worker with a lease on its jobs, periodic work and patience with the database.

Next to the job loop a housekeeping thread, every fifth of the lease, renews
this worker's heartbeat, sends back to the queue the jobs of workers not seen
for the lease (on any machine: no process ids are compared), and enqueues
the periodic jobs that are due.
"""

import contextlib
import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.db import InterfaceError, OperationalError, close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker as QueueWorker

from . import services

logger = logging.getLogger(__name__)

# What a database that went away raises; other errors are bugs and stop the worker.
CONNECTION_ERRORS = (OperationalError, InterfaceError)
# Between attempts to reach a database that went away (a restart, a failover).
RECONNECT_WAIT = 2


class Housekeeping(threading.Thread):
    def __init__(self, *, worker_id: str, lease: timedelta):
        super().__init__(name=f"housekeeping {worker_id}", daemon=True)
        self.worker_id = worker_id
        self.lease = lease
        self.stopped = threading.Event()

    def tick(self) -> None:
        close_old_connections()
        services.beat(worker_id=self.worker_id, host=socket.gethostname(), pid=os.getpid())
        services.requeue_abandoned_jobs(lease=self.lease)
        services.enqueue_due_periodic_jobs()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.lease.total_seconds() / 5):
                try:
                    self.tick()
                except CONNECTION_ERRORS as error:
                    # The next tick tries again; a lease is several ticks long.
                    logger.warning("Housekeeping of worker %s: %s", self.worker_id, error)
        finally:
            connection.close()


class Worker(QueueWorker):
    def __init__(self, *, lease: timedelta, **options):
        super().__init__(**options)
        self.lease = lease

    def run(self) -> None:
        housekeeping = Housekeeping(worker_id=self.worker_id, lease=self.lease)
        # Seen before it claims anything, so no other worker takes its first job for lost.
        self._until_reachable(housekeeping.tick)
        housekeeping.start()
        try:
            while True:
                try:
                    super().run()
                    return
                except CONNECTION_ERRORS as error:
                    if not self.running:
                        raise
                    logger.warning("Worker %s lost the database: %s", self.worker_id, error)
                    self._until_reachable(
                        lambda: services.release_jobs_of(worker_id=self.worker_id)
                    )
        finally:
            housekeeping.stopped.set()
            housekeeping.join(timeout=5)
            # Without the database, the lease runs out and others requeue the jobs instead.
            with contextlib.suppress(*CONNECTION_ERRORS):
                self._until_reachable(self._leave, attempts=3)

    def _leave(self) -> None:
        services.release_jobs_of(worker_id=self.worker_id)
        services.forget_worker(worker_id=self.worker_id)

    def _until_reachable(self, action, attempts: int | None = None) -> None:
        while True:
            close_old_connections()
            try:
                action()
                return
            except CONNECTION_ERRORS as error:
                if attempts is not None:
                    attempts -= 1
                    if attempts <= 0:
                        raise
                logger.warning("Worker %s waits for the database: %s", self.worker_id, error)
                time.sleep(RECONNECT_WAIT)
