"""Fixtures for the tests that run the whole site under gunicorn (see live.py)."""

import contextlib
import itertools
import os
import sys

import pytest

from accounts.tests.two_factor import clock as clock  # for test_two_factor.py
from newsroom.tests.live import (
    ROOT,
    PostgresCluster,
    PostgresDatabase,
    RedisServer,
    Site,
    SQLiteDatabase,
    postgres_binaries,
    run,
)
from newsroom.tests.services import require_path, require_program


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """collectstatic once per run: production's manifest storage needs it for every page."""
    folder = tmp_path_factory.mktemp("static")
    run(
        [sys.executable, "manage.py", "collectstatic", "--no-input"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_STATIC_ROOT": str(folder)},
        timeout=180,
    )
    return folder


@pytest.fixture
def serve(tmp_path, collected_static):
    """Start a site; everything it started is stopped and removed afterwards, even on failure.

    database="sqlite" is a file in the test's folder; "postgresql" a cluster of
    the site's own (site.cluster, which the test may crash) on a free port,
    so the machine's shared server and the suites using it are never touched.
    redis=True gives the site a redis-server of its own (site.redis);
    environment={...} sets variables of the site's (e.g. the real rate limits).
    """
    numbers = itertools.count(1)
    with contextlib.ExitStack() as cleanup:

        def start(database, redis=False, readers=20, environment=None):
            folder = tmp_path / f"site-{next(numbers)}"
            folder.mkdir()
            cluster = None
            if database == "postgresql":
                if postgres_binaries() is None:
                    require_path("/usr/lib/postgresql/<version>/bin", "apt-get install postgresql")
                cluster = PostgresCluster()
                cleanup.callback(cluster.remove)
                db = PostgresDatabase(cluster.server_url)
            else:
                db = SQLiteDatabase(folder)
            redis_server = None
            if redis:
                require_program("/usr/bin/redis-server", "apt-get install -y redis-server")
                redis_server = RedisServer(folder)
                cleanup.callback(redis_server.kill)
            site = Site(
                folder,
                db,
                collected_static,
                readers=readers,
                redis_url=redis_server.url if redis_server else "",
                environment=environment,
            )
            site.cluster, site.redis = cluster, redis_server
            cleanup.callback(site.stop)
            return site.start()

        yield start
