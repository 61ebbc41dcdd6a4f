"""`make bench-edge`: a cached story through Varnish against a static file from gunicorn.

Run from the project folder: `python -m bench.bench_edge [--quick]`. It seeds
a PostgreSQL database (`newsroom_bench_edge`, 1k stories, kept between runs;
`--quick` starts `newsroom_bench_edge_quick` fresh with 50) as `make bench`
does, starts gunicorn (2 sync workers, production settings, the Redis page
cache when Redis is up), Debian's varnishd with deploy/varnish/default.vcl in
front of it, and one `manage.py run_worker` as `make worker` starts it, so
the purge jobs reach Varnish. Then, in interleaved rounds:

(a) a hashed static file straight from gunicorn (whitenoise), the ceiling
    `make bench` measures Django against;
(b) the cached 500-comment story through Varnish;
(c) the same static file through Varnish, which passes it on (it keeps only
    pages with tags), for context;

and last, approval to visibility: `--approvals` comments held for review, each
on a story of its own, each approved by `moderation.services.approve_comment` in
a long-running `manage.py shell`, while the script reads the story through
Varnish (a cached copy before each approval) until the comment is there.
"""

import argparse
import http.client
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_pages import (
    HOST,
    ROOT,
    Server,
    fresh_database,
    load,
    manage,
    prepare,
    production_environment,
    redis_up,
    summary,
)
from newsroom.tests.varnish import VARNISHD, free_port, running_varnish

# Not database 13, which `make bench` clears.
REDIS_DATABASE = 12
# Run in the site's environment: stories of their own, each with a comment held
# for review by a reader whose every comment is reviewed (one per story: a
# story page shows its first 20 threads); prints "<story URL> <pk> <text>" each.
HELD = """
import uuid
from django.contrib.auth import get_user_model
from allauth.account.models import EmailAddress
from articles.models import Section
from articles.tests.factories import make_article
from discussion.models import CommentModeration, ReaderProfile
from discussion.services import post_comment
token = uuid.uuid4().hex[:12]
user = get_user_model().objects.create_user("edge-" + token, "edge-" + token + "@example.org")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
reader = ReaderProfile.objects.create(user=user, display_name="Edge reader " + token,
                                      status=ReaderProfile.Status.PREMODERATED)
for number in range({count}):
    story = make_article(headline=f"Edge bench story {{number}} {{token}}",
                         slug=f"edge-bench-{{token}}-{{number}}", section=Section.objects.first())
    text = f"Edge bench comment {{number}} {{token}}"
    comment = post_comment(article=story, reader=reader, text=text, parent=None, follow=False,
                           submission_key=uuid.uuid4(), ip_address="127.0.0.1")
    state = CommentModeration.objects.get(comment=comment).state
    assert state == CommentModeration.State.PENDING, state
    print(story.get_absolute_url(), comment.pk, text)
"""
# Reads a comment's pk per line; approves it as a moderator would and answers
# with the monotonic clock (one clock for every process on this machine) once
# the approval has committed, or with the error.
APPROVER = """
import sys, time, traceback
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_comments_xtd.models import XtdComment
from moderation.services import approve_comment
moderator, _ = get_user_model().objects.get_or_create(
    username="edge-bench-moderator",
    defaults={"email": "edge-moderator@example.org", "is_staff": True})
moderator.groups.add(Group.objects.get(name="Moderators"))
for line in sys.stdin:
    try:
        approve_comment(comment=XtdComment.objects.get(pk=int(line)), by=moderator)
        print("approved", time.monotonic(), flush=True)
    except Exception:
        print("failed", traceback.format_exc().replace(chr(10), " | "), flush=True)
"""


def get(port, path):
    """One GET with no cookies and no compression: status, X-Edge-Cache, body."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.getheader("X-Edge-Cache"), response.read().decode()
    finally:
        connection.close()


class Worker:
    """One `manage.py run_worker`, as `make worker` starts it."""

    def __init__(self, env, interval, log):
        command = [sys.executable, "manage.py", "run_worker", "--no-reload", "--queue-name", "*"]
        command += ["--interval", str(interval)]
        with open(log, "ab") as output:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
            )

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=60)


def throughput(server, edge_port, paths, args):
    cases = [
        ("(a) static file, gunicorn (whitenoise)", server.port, paths["static"]),
        ("(b) cached story, Varnish", edge_port, paths["story"]),
        ("(c) static file, Varnish (passed on)", edge_port, paths["static"]),
    ]
    # Warm: every gunicorn worker has served the file, Varnish holds the story.
    for _ in range(4 * args.workers):
        get(server.port, paths["static"])
    get(edge_port, paths["story"])
    status, cache, _ = get(edge_port, paths["story"])
    if (status, cache) != (200, "hit"):
        raise RuntimeError(f"the story is not kept by Varnish: {status}, X-Edge-Cache {cache}")
    taken = {name: ([], 0.0, 0.0) for name, _, _ in cases}
    for _ in range(args.rounds):
        for name, port, path in cases:
            cpu_before = server.cpu_seconds()
            latencies, wall = load(
                port,
                path,
                requests=args.requests // args.rounds,
                seconds=args.seconds / args.rounds,
                concurrency=args.concurrency,
            )
            done, spent, used = taken[name]
            taken[name] = (done + latencies, spent + wall, used + server.cpu_seconds() - cpu_before)
    rows = []
    for name, _, _ in cases:
        done, spent, used = taken[name]
        rows.append({"case": name, **summary(done, spent), "cpu": used / len(done) * 1000})
        row = rows[-1]
        print(
            f"  {name:<40} {row['rps']:8.0f} req/s  p50 {row['p50']:6.2f} ms  "
            f"p95 {row['p95']:6.2f} ms  gunicorn CPU {row['cpu']:5.2f} ms/req",
            flush=True,
        )
    return rows


def approvals(env, edge_port, count, *, interval, poll, patience):
    """Seconds from each approval's commit to the first read through Varnish that shows it.

    Each approval waits a random part of the worker's poll interval first:
    approvals come at any moment, not in step with the worker's polls.
    """
    rng = random.Random(15)
    printed = manage(env, "shell", "--no-imports", "-c", HELD.format(count=count), capture=True)
    held = printed.strip().splitlines()
    approver = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", APPROVER],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    delays, problems = [], []
    try:
        for line in held:
            story, pk, text = line.split(" ", 2)
            get(edge_port, story)
            status, cache, page = get(edge_port, story)
            if (status, cache) != (200, "hit") or text in page:
                raise RuntimeError(
                    f"{story} before approval: {status}, {cache}, shown: {text in page}"
                )
            time.sleep(rng.uniform(0, interval))
            approver.stdin.write(pk + "\n")
            approver.stdin.flush()
            answer = approver.stdout.readline().split(" ", 1)
            if answer[0] != "approved":
                raise RuntimeError(f"approving comment {pk} failed: {answer[-1]}")
            approved = float(answer[1])
            while text not in get(edge_port, story)[2]:
                if time.monotonic() - approved > patience:
                    problems.append(f"comment {pk} not shown after {patience} s")
                    break
                time.sleep(poll)
            else:
                delays.append(time.monotonic() - approved)
                print(f"  comment {pk}: visible {delays[-1]:.3f} s after approval", flush=True)
    finally:
        approver.stdin.close()
        approver.wait(timeout=60)
    return delays, problems


def report(rows, delays, problems, args, database):
    by_case = {row["case"][:3]: row for row in rows}
    ratio = by_case["(b)"]["rps"] / by_case["(a)"]["rps"]
    lines = [
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {database}; gunicorn {args.workers} sync workers; "
        f"{subprocess.run([VARNISHD, '-V'], capture_output=True, text=True).stderr.splitlines()[0]}"
        f"; Python client with {args.concurrency} threads, at most {args.requests} requests "
        f"or {args.seconds} s per case in {args.rounds} interleaved rounds; load average at "
        f"the end {os.getloadavg()[0]:.1f}.",
        "",
        "| Case | req/s | p50 ms | p95 ms | × (a) | gunicorn CPU ms/req |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['case']} | {row['rps']:.0f} | {row['p50']:.2f} | {row['p95']:.2f} | "
            f"{row['rps'] / by_case['(a)']['rps']:.2f} | {row['cpu']:.2f} |"
        )
    lines += ["", f"- Cached story through Varnish ÷ static file from gunicorn: **{ratio:.2f}×** "
              "(target ≥ 1×)."]  # fmt: skip
    if delays:
        cut = (
            statistics.quantiles(delays, n=20, method="inclusive")
            if len(delays) > 1
            else delays * 19
        )
        lines.append(
            f"- Approval to visible through Varnish, {len(delays)} comments (worker polling "
            f"every {args.interval} s when idle): median **{statistics.median(delays):.2f} s**, "
            f"p95 {cut[18]:.2f} s, max {max(delays):.2f} s."
        )
    for problem in problems:
        lines.append(f"- Problem: {problem}")
    print("\n".join(lines))
    return ratio


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI smoke: tiny database, short runs")
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5, help="turns each case takes")
    parser.add_argument("--approvals", type=int, default=30)
    parser.add_argument(
        "--interval", type=float, default=1, help="the worker's idle poll (db_worker's default)"
    )
    args = parser.parse_args()
    if args.quick:
        args.articles, args.requests, args.seconds, args.rounds, args.approvals = 50, 100, 2, 1, 3
    if not os.access(VARNISHD, os.X_OK):
        sys.exit(f"{VARNISHD} is not installed (apt-get install varnish)")
    work = Path(tempfile.mkdtemp(prefix="bench-edge-"))
    name = "newsroom_bench_edge_quick" if args.quick else "newsroom_bench_edge"
    edge_port = free_port()
    env = {
        **production_environment(work),
        "DATABASE_URL": fresh_database(name, drop=args.quick),
        "NEWSROOM_EDGE": "varnish",
        "NEWSROOM_VARNISH_URL": f"http://{HOST}:{edge_port}/",
    }
    if redis_up():
        env["REDIS_URL"] = f"redis://{HOST}:6379/{REDIS_DATABASE}"
    try:
        manage(env, "collectstatic", "--no-input", "-v0")
        print(f"Seeding {name}: {args.articles:,} stories", flush=True)
        paths = prepare(env, args.articles, args.articles * 10, work / "static")
        manage(env, "shell", "--no-imports", "-c",
               "from django.core.cache import cache; cache.clear()")  # fmt: skip
        # Seeding queued renditions and link checks: done first, so that the
        # approvals' purges wait behind nothing but each other.
        manage(env, "run_worker", "--batch", "--no-reload", "--queue-name", "*", capture=True)
        server = Server(env, args.workers)
        worker = Worker(env, args.interval, work / "worker.log")
        try:
            with running_varnish(HOST, server.port, listen=edge_port, storage="malloc,256m"):
                rows = throughput(server, edge_port, paths, args)
                delays, problems = approvals(
                    env, edge_port, args.approvals, interval=args.interval, poll=0.005, patience=30
                )
        finally:
            worker.stop()
            server.stop()
        report(rows, delays, problems, args, f"PostgreSQL database {name}")
        if problems:
            log = (work / "worker.log").read_text(errors="replace").splitlines()
            sys.exit("The worker's last lines:\n" + "\n".join(log[-40:]))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
