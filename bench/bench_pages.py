"""`make bench`: page speed at scale, cached and uncached, against two ceilings/peers.

Run from the project folder: `python -m bench.bench_pages [--quick]`. It
seeds two PostgreSQL databases with seed_demo (a small one and a large one:
1k and 100k stories by default, ten comments per story on average with a
news site's skew), adds one story with exactly 500 comments to each, starts
gunicorn three ways and measures with a bounded load loop on 127.0.0.1:

- "cached": the normal site (Redis page cache when Redis is up, else local
  memory): a static file through whitenoise (the ceiling), a cached story,
  the cached home page, and a search (never cached; the rate limits are
  raised with NEWSROOM_RATE_LIMIT_FACTOR so one address may send them all);
- "uncached": the same code with a dummy cache, so every request renders:
  the 500-comment story, home, a section;
- "xtd peer": uncached, with the discussion rendered by django-comments-xtd's
  stock `render_xtdcomment_tree` (bench/peer_settings.py), same story;
- "busy day": the normal site, anonymous readers spread over the stories
  Zipf-style (by recency) plus the home page, in rounds without and with 2
  comments a second posted through the real form by signed-in readers; the
  ratio of the two read rates, and whether each posted comment was on its
  story's next anonymous read.

Every figure is also given as a ratio to the static ceiling, and p95 of the
uncached pages is compared between the small and the large database. The
client is Python (threads, keep-alive where the server allows it), so the
ceiling is partly the client's own; each case stops after --requests or
--seconds, whichever comes first. Databases are kept between runs (seeding
only adds what is missing) except with --quick, which starts fresh.
"""

import argparse
import http.client
import itertools
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

from newsroom.tests.forms import form_fields
from newsroom.tests.live import Client

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # the load loop never leaves this machine
PG = {"host": HOST, "port": 5432, "user": "postgres"}
COMMENTS_PER_STORY = 10
BUSY_STORY_COMMENTS = 500
# About one synthetic story in nine matches: a broad query, ranked by relevance.
SEARCH = "/search/?q=tidal+study"

PREPARE = """
import random
from django.utils import timezone
from articles.models import Article, Section
from demo.bulk import add_published_comments
from discussion.models import ReaderProfile
story = Article.objects.published().filter(comment_count={busy}).first()
if story is None:
    story = Article.objects.published().filter(comment_count=0).order_by("-pk").first()
    readers = list(ReaderProfile.objects.all()[:200])
    add_published_comments(counts={{story.pk: {busy}}}, readers=readers,
                           now=timezone.now(), rng=random.Random(500))
print(story.slug, story.section.slug)
"""


BUSY_READERS = 20
BUSY_PASSWORD = "bench-reader-password-1"
# Trusted readers' comments are published at once, as a busy day's regulars'
# are; the story slugs come newest first, the order of a reader's Zipf rank.
BUSY_SETUP = """
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from articles.models import Article
from discussion.models import ModerationPolicy, ReaderProfile
from discussion.moderation import closed_reason
password = make_password({password!r})
for number in range({readers}):
    email = f"busy{{number}}@example.org"
    user, _ = get_user_model().objects.get_or_create(
        username=f"busy{{number}}", defaults={{"email": email, "password": password}}
    )
    EmailAddress.objects.get_or_create(user=user, email=email, verified=True, primary=True)
    ReaderProfile.objects.get_or_create(
        user=user,
        defaults={{"display_name": f"Busy reader {{number}}",
                   "status": ReaderProfile.Status.TRUSTED}},
    )
stories = Article.objects.published().newest_first()
for slug in stories.values_list("slug", flat=True):
    print(slug)
# Comments close some days after publication: posts go to the newest open stories.
policy = ModerationPolicy.current()
for story in stories[:{open_among}]:
    if closed_reason(story, policy) is None:
        print("open:" + story.slug)
"""
BUSY_OPEN_AMONG = 300
BUSY_HOME_SHARE = 0.1
ZIPF_S = 1.0
COMMENTS_PER_SECOND = 2


def manage(env, *args, capture=False):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )
    return result.stdout


def fresh_database(name, *, drop):
    with psycopg.connect(**PG, dbname="postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and drop:
            connection.execute(f'DROP DATABASE "{name}"')
        if drop or not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://{PG['user']}@{HOST}:{PG['port']}/{name}"


def redis_up():
    try:
        socket.create_connection((HOST, 6379), timeout=1).close()
    except OSError:
        return False
    return True


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn on a free loopback port with one configuration."""

    def __init__(self, env, workers):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "newsroom.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"{HOST}:{self.port}",
                "--log-level",
                "warning",
                # Not the control socket every gunicorn of this user shares.
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if fetch(self.port, "/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer within 60 s")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)

    def cpu_seconds(self):
        """CPU time the workers have used so far (Linux /proc; the master only supervises).

        Unlike requests/s, this does not move when other work on the machine
        takes the cores, so it is the steadier measure of what a page costs.
        """
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ticks = 0
        for child in children:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")


def fetch(port, path, *, gzip_ok=True):
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def load(port, path, *, requests, seconds, concurrency):
    """GET path until `requests` are done or `seconds` pass; requests/s, p50 and p95 in ms."""
    latencies, failures, lock = [], [], threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                if len(latencies) + len(failures) >= requests:
                    break
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
            elapsed = time.perf_counter() - started
            with lock:
                (latencies if ok else failures).append(elapsed)
        connection.close()

    wall = in_threads(worker, concurrency)
    if failures or not latencies:
        raise RuntimeError(f"{path}: {len(failures)} failed requests")
    return latencies, wall


def in_threads(worker, concurrency) -> float:
    """Run `worker` in `concurrency` threads at once; the wall time until all are done."""
    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def reads(port, paths, *, seconds, concurrency):
    """GET the paths in turn from `concurrency` threads for `seconds`: count, wall, hit share."""
    done, hits, failures, lock = [0], [0], [], threading.Lock()
    deadline = time.monotonic() + seconds
    turn = itertools.cycle(paths)

    def worker():
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < deadline:
            with lock:
                path = next(turn)
            try:
                connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
                response = connection.getresponse()
                response.read()
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                failures.append(path)
                connection.close()
                continue
            with lock:
                if response.status != 200:
                    failures.append(path)
                done[0] += 1
                hits[0] += response.getheader("X-Page-Cache") == "hit"
        connection.close()

    wall = in_threads(worker, concurrency)
    if failures:
        raise RuntimeError(f"busy day: {len(failures)} failed reads, e.g. {failures[:3]}")
    return done[0], wall, hits[0] / max(done[0], 1)


class Commenters:
    """Signed-in readers posting COMMENTS_PER_SECOND comments through the story page's form.

    After each post, the page the form sent the reader back to is read as a
    visitor with no cookies would, to see the comment there.
    """

    def __init__(self, port, stories):
        self.port, self.stories = port, stories
        self.clients = []
        for number in range(BUSY_READERS):
            client = Client(f"http://{HOST}:{port}")
            client.log_in(f"busy{number}@example.org", BUSY_PASSWORD)
            self.clients.append(client)
        self.posted = self.visible = 0
        self.problems = []
        self.serial = itertools.count()

    def run(self, seconds):
        stop = threading.Event()
        thread = threading.Thread(target=self._post_until, args=(stop,))
        thread.start()
        time.sleep(seconds)
        stop.set()
        thread.join()

    def _post_until(self, stop):
        interval = 1 / COMMENTS_PER_SECOND
        next_at = time.monotonic()
        while not stop.is_set():
            number = next(self.serial)
            self._post(self.clients[number % len(self.clients)], next(self.stories), number)
            next_at += interval
            stop.wait(max(0, next_at - time.monotonic()))

    def _post(self, client, story, number):
        page = client.request(story)
        if page.status != 200 or 'id="comment-form"' not in page.body:
            self.problems.append(f"{story}: {page.status}, no comment form")
            return
        action, fields = form_fields(page.body, "comment-form")
        text = f"Busy day comment number {number} from the bench"
        reply = client.request(action, {**fields, "comment": text})
        if reply.status != 302 or "#c" not in reply.headers.get("Location", ""):
            self.problems.append(f"post on {story}: {reply.status} {reply.body[:120]!r}")
            return
        self.posted += 1
        back = reply.headers["Location"].split("#")[0].removeprefix(f"http://{HOST}:{self.port}")
        status, body = fetch(self.port, back, gzip_ok=False)
        if status == 200 and text in body.decode():
            self.visible += 1
        else:
            self.problems.append(f"comment {number} not on the next read of {back} ({status})")


def zipf_paths(stories, count, rng, home_share=BUSY_HOME_SHARE):
    """Story pages by Zipf rank (the newest most read), and the home page, in random order."""
    weights = [1 / (rank**ZIPF_S) for rank in range(1, len(stories) + 1)]
    picks = rng.choices(stories, weights=weights, k=count)
    return ["/" if rng.random() < home_share else f"/articles/{slug}/" for slug in picks]


def busy_day(env, args, scale_label):
    env = {**env, "NEWSROOM_RATE_LIMIT_FACTOR": "1000000", "DJANGO_SECURE_COOKIES": "0"}
    if redis_up():
        env["REDIS_URL"] = f"redis://{HOST}:6379/13"
    setup = BUSY_SETUP.format(
        password=BUSY_PASSWORD, readers=BUSY_READERS, open_among=BUSY_OPEN_AMONG
    )
    printed = manage(env, "shell", "--no-imports", "-c", setup, capture=True).split()
    stories = [slug for slug in printed if not slug.startswith("open:")]
    open_stories = [slug.removeprefix("open:") for slug in printed if slug.startswith("open:")]
    if not open_stories:
        raise RuntimeError("busy day: no story among the newest is open for comments")
    rng = random.Random(15)
    paths = zipf_paths(stories, 20000, rng)
    server = Server(env, args.workers)
    try:
        manage(env, "shell", "--no-imports", "-c",
               "from django.core.cache import cache; cache.clear()")  # fmt: skip
        posts_to = zipf_paths(open_stories, 100000, rng, home_share=0)
        commenters = Commenters(server.port, iter(posts_to))
        # Warm: the most read pages start stored in both phases alike.
        reads(server.port, paths[:2000], seconds=args.seconds, concurrency=args.concurrency)
        quiet = busy = (0, 0.0)
        hit_share = {"without": [], "with": []}
        seconds = args.seconds / args.rounds
        for _ in range(args.rounds):
            done, wall, share = reads(
                server.port, paths, seconds=seconds, concurrency=args.concurrency
            )
            quiet = (quiet[0] + done, quiet[1] + wall)
            hit_share["without"].append(share)
            poster = threading.Thread(target=commenters.run, args=(seconds,))
            poster.start()
            done, wall, share = reads(
                server.port, paths, seconds=seconds, concurrency=args.concurrency
            )
            poster.join()
            busy = (busy[0] + done, busy[1] + wall)
            hit_share["with"].append(share)
    finally:
        server.stop()
    result = {
        "scale": scale_label,
        "without": quiet[0] / quiet[1],
        "with": busy[0] / busy[1],
        "hits without": statistics.mean(hit_share["without"]),
        "hits with": statistics.mean(hit_share["with"]),
        "posted": commenters.posted,
        "visible": commenters.visible,
        "problems": commenters.problems[:5],
        "stories": len(stories),
        "open": len(open_stories),
    }
    print(
        f"  {scale_label:>6} busy day  reads {result['without']:.0f} req/s without comments, "
        f"{result['with']:.0f} with ({result['with'] / result['without']:.2f}×); "
        f"{result['visible']}/{result['posted']} comments on the next anonymous read",
        flush=True,
    )
    return result


def summary(latencies, wall):
    cut = statistics.quantiles(latencies, n=100)
    return {
        "rps": len(latencies) / wall,
        "p50": cut[49] * 1000,
        "p95": cut[94] * 1000,
        "n": len(latencies),
    }


def prepare(env, articles, comments, static_root):
    manage(env, "migrate", "--no-input", "-v0")
    started = time.monotonic()
    manage(env, "seed_demo", "--articles", str(articles), "--comments", str(comments))
    seeded = time.monotonic() - started
    # Bulk inserts leave the planner's statistics behind until autovacuum
    # catches up; a site that grew over months would have them.
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    slug, section = manage(
        env, "shell", "--no-imports", "-c", PREPARE.format(busy=BUSY_STORY_COMMENTS), capture=True
    ).split()
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    return {
        "story": f"/articles/{slug}/",
        "section": f"/section/{section}/",
        "static": "/static/" + manifest["paths"]["css/site.css"],
        "seeded": seeded,
    }


def measure(base_env, paths, args, scale_label):
    # The load loop sends thousands of searches a minute from one address; the
    # limiter still counts each one, so its cost stays in the figures.
    cached_env = {**base_env, "NEWSROOM_RATE_LIMIT_FACTOR": "1000000"}
    if redis_up():
        cached_env["REDIS_URL"] = f"redis://{HOST}:6379/13"
    uncached_env = {**base_env, "CACHE_URL": "dummycache://"}
    peer_env = {**uncached_env, "DJANGO_SETTINGS_MODULE": "bench.peer_settings"}
    rows = []
    for label, env, cases in [
        (
            "cached",
            cached_env,
            [
                ("static file (ceiling)", "static"),
                ("story, cached", "story"),
                ("home, cached", "/"),
                ("search", SEARCH),
            ],
        ),
        (
            "uncached",
            uncached_env,
            [("story with 500 comments", "story"), ("home", "/"), ("section", "section")],
        ),
        ("xtd peer", peer_env, [("story with 500 comments", "story")]),
    ]:
        server = Server(env, args.workers)
        try:
            if label == "cached":
                subprocess.run(
                    [
                        sys.executable,
                        "-c",
                        "import django; django.setup(); "
                        "from django.core.cache import cache; cache.clear()",
                    ],
                    cwd=ROOT,
                    env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
                    check=True,
                )
            # Warm: cached cases start stored, and every worker has loaded the
            # URL conf and views before a hit is timed (a few requests each,
            # as connections go to whichever worker accepts first). Rendered
            # cases are slow enough that this one-off cost disappears.
            for _ in range(4 * args.workers if label == "cached" else 1):
                for _, key in cases:
                    fetch(server.port, paths.get(key, key))
            # The cases take turns in short rounds, so a busy moment on the
            # machine falls on all of them rather than on one.
            taken = {name: ([], 0.0, 0.0) for name, _ in cases}
            for _ in range(args.rounds):
                for name, key in cases:
                    cpu_before = server.cpu_seconds()
                    latencies, wall = load(
                        server.port,
                        paths.get(key, key),
                        requests=args.requests // args.rounds,
                        seconds=args.seconds / args.rounds,
                        concurrency=args.concurrency,
                    )
                    cpu = server.cpu_seconds() - cpu_before
                    done, spent, used = taken[name]
                    taken[name] = (done + latencies, spent + wall, used + cpu)
            for name, _ in cases:
                done, spent, used = taken[name]
                result = {**summary(done, spent), "cpu": used / len(done) * 1000}
                rows.append({"scale": scale_label, "server": label, "page": name, **result})
                print(
                    f"  {scale_label:>6} {label:<9} {name:<26} {result['rps']:8.1f} req/s "
                    f"p50 {result['p50']:7.1f} ms  p95 {result['p95']:7.1f} ms  "
                    f"CPU {result['cpu']:6.2f} ms/req",
                    flush=True,
                )
        finally:
            server.stop()
    return rows


GROWTH = [
    ("uncached", "story with 500 comments"),
    ("uncached", "home"),
    ("uncached", "section"),
    ("cached", "search"),
]


def report_busy(busy):
    lines = [
        "",
        f"Busy day: readers Zipf (s={ZIPF_S}) over the stories by recency, "
        f"{BUSY_HOME_SHARE:.0%} home page; {COMMENTS_PER_SECOND} comments/s through the form "
        f"by {BUSY_READERS} signed-in trusted readers, same server, rounds interleaved:",
        "",
        "| Stories | reads/s without | reads/s with | ratio (target ≥ 0.8×) | hits without | "
        "hits with | comments on next anonymous read |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for b in busy:
        lines.append(
            f"| {b['scale']} | {b['without']:.0f} | {b['with']:.0f} | "
            f"{b['with'] / b['without']:.2f} | {b['hits without']:.0%} | {b['hits with']:.0%} | "
            f"{b['visible']}/{b['posted']} |"
        )
        if b["problems"]:
            lines.append(f"| {b['scale']} problems | {'; '.join(b['problems'])} |")
    print("\n".join(lines))


def report(rows, scales, args, seeded):
    large = scales[-1][0]
    at = {(r["scale"], r["server"], r["page"]): r for r in rows}
    ceiling = at[large, "cached", "static file (ceiling)"]["rps"]
    ceiling_cpu = at[large, "cached", "static file (ceiling)"]["cpu"]
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, PostgreSQL on 127.0.0.1; gunicorn {args.workers} sync "
        f"workers; Python client with {args.concurrency} threads, at most {args.requests} "
        f"requests or {args.seconds} s per case, taken in {args.rounds} interleaved rounds; "
        f"load average at the end {os.getloadavg()[0]:.1f}.",
        "",
        "seed_demo this run (it adds only what is missing): "
        + "; ".join(
            f"{s[0]} ({s[1]:,} stories, {s[2]:,} comments) {seeded[s[0]]:.0f} s" for s in scales
        ),
        "",
        f"At {large} stories:",
        "",
        "| Page | Server | req/s | p50 ms | p95 ms | × static | server CPU ms/req | × static CPU |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r["scale"] == large:
            lines.append(
                f"| {r['page']} | {r['server']} | {r['rps']:.0f} | {r['p50']:.1f} | "
                f"{r['p95']:.1f} | {r['rps'] / ceiling:.2f} | {r['cpu']:.2f} | "
                f"{ceiling_cpu / r['cpu']:.2f} |"
            )
    ours = at[large, "uncached", "story with 500 comments"]
    peer = at[large, "xtd peer", "story with 500 comments"]
    cached = at[large, "cached", "story, cached"]
    lines += [
        "",
        f"- Cached story vs static ceiling: {cached['rps'] / ceiling:.2f}× the requests/s "
        f"(target ≥ 0.8×); by server CPU per request {ceiling_cpu / cached['cpu']:.2f}×.",
        f"- Uncached 500-comment story vs stock render_xtdcomment_tree: "
        f"{ours['rps'] / peer['rps']:.1f}× the requests/s, p50 {peer['p50'] / ours['p50']:.1f}× "
        "lower (target ≥ 3×).",
    ]
    if len(scales) > 1:
        small = scales[0][0]
        lines += [
            "",
            f"Growth, p95 of rendered pages at {small} vs {large} stories (target ≤ 1.5×):",
            "",
            f"| Page | p95 @ {small} | p95 @ {large} | ratio |",
            "|---|---:|---:|---:|",
        ]
        for server, page in GROWTH:
            a, b = at[small, server, page]["p95"], at[large, server, page]["p95"]
            lines.append(f"| {page} | {a:.1f} | {b:.1f} | {b / a:.2f} |")
    print("\n".join(lines))


def production_environment(work: Path) -> dict:
    """This shell's environment without its site settings: DEBUG off, files under `work`.

    NEWSROOM_* go too: an edge or a rate limit set in the shell would change
    what is measured.
    """
    return {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL", "REDIS_URL", "NEWSROOM_"))
        },
        "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "DJANGO_MEDIA_ROOT": str(work / "media"),
        "PHOTO_ORIGINALS_ROOT": str(work / "originals"),
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI smoke: tiny scales, short runs")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000, help="stories in the small database")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5, help="turns each case takes")
    parser.add_argument("--busy-only", action="store_true", help="only the busy-day case")
    parser.add_argument("--small-only", action="store_true", help="only the small database")
    args = parser.parse_args()
    if args.quick:
        args.articles, args.small, args.requests, args.seconds, args.rounds = 200, 50, 100, 2, 1
    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    prefix = "newsroom_bench_quick" if args.quick else "newsroom_bench"
    scales = [
        (f"{n // 1000}k" if n >= 1000 else str(n), n, n * COMMENTS_PER_STORY)
        for n in ((args.small,) if args.small_only else (args.small, args.articles))
    ]
    base = production_environment(work)
    try:
        manage(base, "collectstatic", "--no-input", "-v0")
        rows, seeded, busy = [], {}, []
        for label, articles, comments in scales:
            env = {**base, "DATABASE_URL": fresh_database(f"{prefix}_{label}", drop=args.quick)}
            print(f"Seeding {label}: {articles:,} stories, {comments:,} comments", flush=True)
            paths = prepare(env, articles, comments, work / "static")
            seeded[label] = paths.pop("seeded")
            if not args.busy_only:
                rows += measure(env, paths, args, label)
            busy.append(busy_day(env, args, label))
        print()
        if rows:
            report(rows, scales, args, seeded)
        report_busy(busy)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
