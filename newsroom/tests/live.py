"""A real site for load and fault tests: its own database, gunicorn with 4 workers, HTTP clients.

Everything runs as in production (DEBUG off, collected static files, sync
gunicorn workers) on loopback. The database is a throwaway one: a SQLite file
in a temporary folder, or a `newsroom_faults_<pid>` database in a
PostgreSQL cluster of the test's own (`PostgresCluster`), which the test may
crash and restart without touching the machine's shared server. Only the
standard library talks HTTP, so a page is fetched exactly as sent.
"""

import contextlib
import http.client
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg

from newsroom.tests.forms import form_fields

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
PASSWORD = "load-test-passphrase-2026"  # every reader's and the desk account's
STORY = "/articles/load-test-story/"
OUTAGE_TEXT = "We'll be back in a moment"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(what, check, timeout, interval=0.2):
    """Poll check() until it returns something true; fail naming what never happened."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(Exception):
            result = check()
            if result:
                return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout} s")
        time.sleep(interval)


def run(command, *, timeout, **options):
    """Run a setup command; when it fails, say what it printed."""
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **options)
    if result.returncode:
        raise RuntimeError(f"{command[:3]} failed ({result.returncode}):\n{result.stderr[-3000:]}")


def files_under(*folders) -> set[str]:
    return {str(p) for folder in folders for p in Path(folder).rglob("*") if p.is_file()}


class SQLiteDatabase:
    kind = "sqlite"

    def __init__(self, folder: Path):
        self.path = folder / "site.sqlite3"
        self.url = f"sqlite:///{self.path}"

    def query(self, sql):
        with contextlib.closing(sqlite3.connect(self.path, timeout=20)) as connection:
            return connection.execute(sql).fetchall()


class PostgresDatabase:
    """A database of its own on a server."""

    kind = "postgresql"

    def __init__(self, server_url: str):
        self.name = f"newsroom_faults_{os.getpid()}"
        self.url = urlsplit(server_url)._replace(path=f"/{self.name}").geturl()
        with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')

    def query(self, sql):
        # A connection per query: none is left open across a server restart.
        with psycopg.connect(self.url, connect_timeout=10) as connection:
            return connection.execute(sql).fetchall()


def postgres_binaries() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


class PostgresCluster:
    """A PostgreSQL server of the test's own, on a free port, that the test may stop and start.

    Restarting the machine's shared cluster would cut every other suite's
    connections; this one serves only the site under test.
    """

    def __init__(self):
        self.bin = postgres_binaries()
        self.port = free_port()
        # Under /tmp itself: pytest's folders are private to root, and the
        # server refuses to run as root, so it runs as the postgres account.
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-faults-pg-"))
        self.as_owner = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        try:
            self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8")
            self.start()
        except BaseException:
            self.remove()
            raise
        self.server_url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, program, *args):
        run([*self.as_owner, str(self.bin / program), *map(str, args)], timeout=60)

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "-t", 30, "start")

    def crash(self):
        """Stop at once, as a crash or a kill would: no goodbye to clients, WAL replay on start."""
        self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "-t", 30, "stop")

    def remove(self):
        with contextlib.suppress(RuntimeError, subprocess.SubprocessError, OSError):
            self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "-t", 30, "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


class RedisServer:
    """A redis-server of the test's own (never the machine's on 6379), to kill and restart."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = folder / "redis.log"
        self.process = None
        self.start()

    def start(self):
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        wait_until("redis-server answering", lambda: self.keys() is not None, timeout=15)

    def keys(self) -> int:
        """How many keys it holds (DBSIZE), straight over its protocol."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as connection:
            connection.sendall(b"DBSIZE\r\n")
            return int(connection.recv(64).strip().lstrip(b":"))

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=10)


@dataclass
class Reply:
    status: int
    headers: dict
    body: str

    @property
    def location(self):
        return self.headers.get("Location", "")


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the caller looks at the 302 itself


@dataclass
class Client:
    """One visitor: its own cookies, requests with a timeout, redirects not followed."""

    base: str
    timeout: float = 30
    jar: CookieJar = field(default_factory=CookieJar)

    def __post_init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _KeepRedirects
        )

    def request(self, path, data=None, headers=None) -> Reply:
        if isinstance(data, dict):
            data = urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return Reply(response.status, dict(response.headers), response.read().decode())
        except urllib.error.HTTPError as error:
            return Reply(error.code, dict(error.headers), error.read().decode(errors="replace"))

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)

    def log_in(self, email, password):
        """allauth's form; its CSRF token is the cookie's, as a script reading it would send."""
        self.request("/accounts/login/")
        reply = self.request(
            "/accounts/login/",
            {"login": email, "password": password, "csrfmiddlewaretoken": self.cookie("csrftoken")},
        )
        assert reply.status == 302, f"log-in as {email} failed: {reply.status}"


# Run by `manage.py shell -c` in the site's environment; LOAD_* come from there.
SETUP = """
import os

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from django.contrib.auth.models import Group

from articles.tests.factories import make_article
from discussion.models import ReaderProfile

# One hash for every reader: hashing is slow on purpose.
password = make_password(os.environ["LOAD_PASSWORD"])
for number in range(int(os.environ["LOAD_READERS"])):
    email = f"load{number}@example.org"
    user = get_user_model().objects.create(
        username=f"load{number}", email=email, password=password
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    ReaderProfile.objects.create(
        user=user, display_name=f"Load reader {number}", status=ReaderProfile.Status.TRUSTED
    )
make_article(headline="Load test story", slug="load-test-story")
desk = get_user_model().objects.create_user(
    "desk", "desk@example.org", os.environ["LOAD_PASSWORD"], is_staff=True
)
desk.groups.add(Group.objects.get(name="Editors"))
# The desk logs in through allauth, which wants a confirmed address.
EmailAddress.objects.create(user=desk, email=desk.email, verified=True, primary=True)
"""


class Site:
    """The site under test: a migrated database with readers and a story, served by gunicorn."""

    def __init__(
        self,
        folder: Path,
        database,
        static_root: Path,
        *,
        readers=20,
        redis_url="",
        environment=None,
    ):
        self.database = database
        self.media = folder / "media"
        self.originals = folder / "originals"
        self.upload_temp = folder / "upload-temp"
        for path in (self.media, self.originals, self.upload_temp):
            path.mkdir()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = folder / "gunicorn.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_URL")},
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "load-test-secret-key-not-for-production-0123456789",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on loopback: cookies marked Secure would never come back.
            "DJANGO_SECURE_COOKIES": "0",
            "DATABASE_URL": database.url,
            "REDIS_URL": redis_url,
            "DJANGO_STATIC_ROOT": str(static_root),
            "DJANGO_MEDIA_ROOT": str(self.media),
            "PHOTO_ORIGINALS_ROOT": str(self.originals),
            "DJANGO_FILE_UPLOAD_TEMP_DIR": str(self.upload_temp),
            # Every request comes from 127.0.0.1; the limits would turn a
            # storage test into a rate-limit test.
            "NEWSROOM_RATE_LIMIT_FACTOR": "100",
            "EMAIL_URL": "consolemail://",
            "PYTHONUNBUFFERED": "1",
            **(environment or {}),
        }
        self.manage("migrate", "--no-input")
        self.manage("shell", "-c", SETUP, LOAD_READERS=str(readers), LOAD_PASSWORD=PASSWORD)
        self.server = None

    def manage(self, *args, **env):
        run([sys.executable, "manage.py", *args], cwd=ROOT, env={**self.env, **env}, timeout=180)

    def start(self, timeout=60):
        """Serves the site; `timeout` is gunicorn's worker timeout (its default is 30 s)."""
        command = [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "--workers", str(WORKERS)]
        command += ["--bind", f"127.0.0.1:{self.port}", "--timeout", str(timeout)]
        command += ["--access-logfile", "-"]
        # Not the control socket every gunicorn shares in ~/.gunicorn by default.
        command += ["--no-control-socket"]
        with open(self.log, "ab") as log:
            self.server = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        wait_until("gunicorn serving", lambda: self.client().request("/").status == 200, 60)
        return self

    def stop(self):
        if self.server is None or self.server.poll() is not None:
            return
        self.server.terminate()
        try:
            self.server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            # The master and its workers: gunicorn runs in a session of its own.
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait(timeout=10)

    def client(self) -> Client:
        return Client(self.base)

    def logged_in_readers(self, count) -> list[Client]:
        clients = [self.client() for _ in range(count)]
        for number, client in enumerate(clients):
            client.log_in(f"load{number}@example.org", PASSWORD)
        return clients

    def stored_comments(self) -> list[str]:
        return [text for (text,) in self.database.query("SELECT comment FROM django_comments")]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def outcome(reply: Reply) -> str:
    """What a reader got for a comment: acknowledged, a clear refusal or outage page, or not."""
    if reply.status == 302 and "#c" in reply.location:
        return "acknowledged"
    if reply.status == 429 and "Too many" in reply.body:
        return "refused"
    if reply.status == 503 and OUTAGE_TEXT in reply.body and reply.headers.get("Retry-After"):
        return "unavailable"
    return "failed"


@dataclass
class Post:
    reader: int
    text: str
    outcome: str = "not sent"
    attempts: int = 0
    detail: str = ""
    acknowledged_at: float | None = None


class CommentLoad:
    """`posts` comments from all `clients` (logged-in readers) at once, each posting in turn.

    A post that gets the 503 page is sent again after `backoff` seconds, with
    the same form (and so the same submission key), as a reader pressing back
    and resending would, at most `attempts` times in all. Every response is
    counted.
    """

    def __init__(self, clients: list[Client], posts: int, label: str, attempts=1, backoff=0.5):
        self.clients, self.label = clients, label
        self.attempts, self.backoff = attempts, backoff
        self.posts = [
            Post(reader=number % len(clients), text=f"{label} comment {number} from a load reader")
            for number in range(posts)
        ]
        self.sent = 0
        self.turned_away = Counter()  # 503 pages, by what the reader asked for

    def acknowledged(self, since=0.0) -> list[Post]:
        return [p for p in self.posts if p.acknowledged_at and p.acknowledged_at >= since]

    def run(self, during=None):
        """Send every post; `during(load)` runs in its own thread meanwhile (the fault)."""
        with ThreadPoolExecutor(max_workers=len(self.clients) + 1) as pool:
            fault = pool.submit(during, self) if during else None
            jobs = [
                pool.submit(self._send_all, client, [p for p in self.posts if p.reader == number])
                for number, client in enumerate(self.clients)
            ]
            for job in jobs:
                job.result()
            return fault.result() if fault else None

    def _send_all(self, client, posts):
        for post in posts:
            try:
                self._send(client, post)
            except (OSError, urllib.error.URLError, http.client.HTTPException) as error:
                # A dropped connection or a timeout: neither a page nor a clear error.
                post.outcome, post.detail = "failed", f"{type(error).__name__}: {error}"

    def _send(self, client, post):
        action = fields = None
        while post.attempts < self.attempts:
            post.attempts += 1
            if fields is None:
                asked, reply = "story page", client.request(STORY)
                if reply.status == 200:
                    action, fields = form_fields(reply.body, "comment-form")
                    fields["comment"] = post.text
            if fields is not None:
                asked, reply = "comment post", client.request(action, fields)
                with _lock:
                    self.sent += 1
            post.outcome = outcome(reply)
            post.detail = f"{reply.status} {reply.body[:200]!r}"
            if post.outcome == "unavailable":
                with _lock:
                    self.turned_away[asked] += 1
                time.sleep(self.backoff)
                continue
            if post.outcome == "acknowledged":
                post.acknowledged_at = time.monotonic()
            return

    def tally(self, stored: list[str]) -> dict:
        """Responses against rows: what readers were told, and what the database holds."""
        ours = Counter(text for text in stored if text.startswith(f"{self.label} comment "))
        acknowledged = {p.text for p in self.posts if p.outcome == "acknowledged"}
        by_outcome = Counter(p.outcome for p in self.posts)
        return {
            "posts": len(self.posts),
            "comment forms sent (POSTs, resent ones included)": self.sent,
            "acknowledged": len(acknowledged),
            "refused (429)": by_outcome["refused"],
            "unavailable at the end (503)": by_outcome["unavailable"],
            "503 pages for the story page": self.turned_away["story page"],
            "503 pages for a comment post": self.turned_away["comment post"],
            "failed": [f"{p.text}: {p.detail}" for p in self.posts if p.outcome == "failed"],
            "stored": len(ours),
            "stored twice or more": sorted(t for t, n in ours.items() if n > 1),
            "acknowledged but not stored": sorted(acknowledged - ours.keys()),
            "stored but not acknowledged": sorted(ours.keys() - acknowledged),
        }


_lock = threading.Lock()


def report(artifacts: Path, name: str, figures: dict, site: Site) -> str:
    """Print the figures (shown with -rA or -s), keep them in test-artifacts/<name>.txt.

    The site's server log goes beside them, as <name>-server.log.
    """
    shutil.copyfile(site.log, artifacts / f"{name}-server.log")
    lines = [f"{name}:"] + [
        f"  {key}: {len(value) if isinstance(value, list) else value}"
        + (f" {value[:5]}" if isinstance(value, list) and value else "")
        for key, value in figures.items()
    ]
    text = "\n".join(lines)
    print(text)
    (artifacts / f"{name}.txt").write_text(text + "\n")
    return text
