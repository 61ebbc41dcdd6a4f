"""`make bench-uploads`: the upload request vs its renditions job, and a batch of 20 at once.

Run from the project folder: `python -m bench.bench_uploads`. It starts a site
of its own (newsroom/tests/live.py: a migrated SQLite database, or PostgreSQL
with `--database postgresql`, in a cluster of its own; gunicorn with its
default 30 s worker timeout; the database queue), logs in as the desk, and:

1. uploads one 24 MP JPEG through *Upload photos*, `--count` times: the
   request's time against the renditions job's own (its queue row, from
   started to finished) in one `manage.py db_worker`;
2. uploads `--batch` such photos in one request: its time and status (a
   worker the timeout kills answers no 302), then one worker drains the queue:
   the time until every photo is ready.

It prints one Markdown table; docs/benchmarks.md keeps a copy with the machine.
"""

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.wire_photos import SIZE, wire_photo
from newsroom.tests.live import (
    PASSWORD,
    ROOT,
    PostgresCluster,
    PostgresDatabase,
    Site,
    SQLiteDatabase,
    run,
)
from newsroom.tests.test_faults import UPLOAD, multipart

GUNICORN_DEFAULT_TIMEOUT = 30


def moment(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def upload(desk, photos: list[bytes]):
    """One *Upload photos* request with every file; its reply and how long it took."""
    body, content_type = multipart(
        {"csrfmiddlewaretoken": desk.cookie("csrftoken"), "credit": "Bench Wire"},
        [("files", (f"wire-{number}.jpg", data)) for number, data in enumerate(photos)],
    )
    started = time.perf_counter()
    reply = desk.request(UPLOAD, body, {"Content-Type": content_type})
    return reply, time.perf_counter() - started


def drain(site) -> float:
    """One worker runs every queued job and exits; the seconds it took."""
    started = time.perf_counter()
    run(
        [sys.executable, "manage.py", "run_worker", "--batch", "--interval", "0.1"],
        cwd=ROOT,
        env=site.env,
        timeout=3600,
    )
    return time.perf_counter() - started


def job_seconds(site) -> list[float]:
    rows = site.database.query(
        "SELECT started_at, finished_at FROM django_tasks_database_dbtaskresult "
        "WHERE task_path LIKE '%make_renditions_job' AND status = 'SUCCESSFUL' ORDER BY id"
    )
    return [(moment(end) - moment(start)).total_seconds() for start, end in rows]


def photos_ready(site) -> tuple[int, int]:
    [(total, ready)] = site.database.query(
        "SELECT count(*), count(CASE WHEN rendered_version = rendition_version THEN 1 END) "
        "FROM photos_photo"
    )
    return total, ready


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3, help="Single uploads (default 3).")
    parser.add_argument("--batch", type=int, default=20, help="Photos in one request (20).")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-uploads-"))
    cluster = None
    try:
        static = folder / "static"
        run(
            [sys.executable, "manage.py", "collectstatic", "--no-input"],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SECRET_KEY": "bench-uploads-secret-key-not-for-production-0123456789",
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
                "DJANGO_STATIC_ROOT": str(static),
            },
            timeout=300,
        )
        cluster = PostgresCluster() if args.database == "postgresql" else None
        database = PostgresDatabase(cluster.server_url) if cluster else SQLiteDatabase(folder)
        site = Site(folder, database, static, readers=0)
        site.start(timeout=GUNICORN_DEFAULT_TIMEOUT)
        try:
            report(site, args)
        finally:
            site.stop()
    finally:
        if cluster:
            cluster.remove()
        shutil.rmtree(folder, ignore_errors=True)


def report(site, args):
    desk = site.client()
    desk.timeout = 300
    desk.log_in("desk@example.org", PASSWORD)
    assert desk.request(UPLOAD).status == 200

    wanted = args.count + args.batch
    print(f"Generating {wanted} photos of {SIZE[0]}×{SIZE[1]} px…", file=sys.stderr)
    photos = [wire_photo(seed) for seed in range(wanted)]
    requests = []
    for data in photos[: args.count]:
        reply, seconds = upload(desk, [data])
        assert reply.status == 302, (reply.status, reply.body[:500])
        requests.append(seconds)
        drain(site)
        print(f"  upload {seconds:.2f} s, job {job_seconds(site)[-1]:.2f} s", file=sys.stderr)
    jobs = job_seconds(site)
    assert len(jobs) == args.count and photos_ready(site) == (args.count, args.count)

    print(f"Uploading {args.batch} photos in one request…", file=sys.stderr)
    reply, batch_seconds = upload(desk, photos[args.count :])
    total, ready_before = photos_ready(site)
    batch_drain = drain(site)
    total_after, ready_after = photos_ready(site)
    batch_jobs = job_seconds(site)[args.count :]

    request, job = statistics.median(requests), statistics.median(jobs)
    print(
        f"\n{len(photos[0]) / 1e6:.1f} MB JPEGs of {SIZE[0]}×{SIZE[1]} px; {site.database.kind}; "
        f"gunicorn timeout {GUNICORN_DEFAULT_TIMEOUT} s; Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs ({platform.machine()})\n"
    )
    print("| Case | Figure |")
    print("| --- | ---: |")
    print(f"| Upload request, 1 photo (median of {args.count}) | {request:.2f} s |")
    print(f"| Its renditions job (median of {args.count}) | {job:.2f} s |")
    print(f"| Request ÷ job (target ≤ 0.2) | {request / job:.2f}× |")
    print(f"| Upload request, {args.batch} photos at once: status | {reply.status} |")
    print(f"| … its time (gunicorn kills a worker at {GUNICORN_DEFAULT_TIMEOUT} s) | "
          f"{batch_seconds:.2f} s |")  # fmt: skip
    print(f"| … photos ready when it answered | {ready_before - args.count} of {args.batch} |")
    print(f"| One worker, all {args.batch} ready after | {batch_drain:.1f} s |")
    print(f"| … median job | {statistics.median(batch_jobs):.2f} s |")
    print(f"| … photos ready after the worker | {ready_after - args.count} of {args.batch} |")
    assert reply.status == 302 and total == total_after == args.count + args.batch
    assert ready_after == total_after


if __name__ == "__main__":
    main()
