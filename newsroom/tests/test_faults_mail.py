"""The mail server down for a minute while readers comment: nothing lost, nothing sent twice.

A real SMTP server (aiosmtpd) on loopback, stopped while 50 comments are
posted to a followed story under gunicorn, then started again, on SQLite and
on a PostgreSQL cluster of the test's own; a real
`run_worker` process sends the notifications from the queue table. `make
faults` runs it. NEWSROOM_FAULT_MAIL_DOWN_SECONDS shortens the minute; the
jobs' backoff is scaled by 0.1 (NEWSROOM_JOB_BACKOFF_SCALE), so the retries
that ride out a 60 s outage come at 1, 4, 16 and 76 s.
"""

import os
import subprocess
import sys
import time

import pytest

from newsroom.tests.forms import form_fields
from newsroom.tests.live import ROOT, STORY, CommentLoad, free_port, report, wait_until
from outbox.tests.kit import MailServer, text_of

pytestmark = pytest.mark.faults
DOWN_SECONDS = float(os.environ.get("NEWSROOM_FAULT_MAIL_DOWN_SECONDS", "60"))
POSTS = 50
FOLLOWER = "load0@example.org"


@pytest.fixture
def mail_server():
    server = MailServer(port=free_port())
    yield server
    server.stop()


def start_worker(site, log_path):
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--interval", "0.2", "--no-reload"],
            cwd=ROOT, env=site.env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def unsent(site) -> int:
    return site.database.query("SELECT count(*) FROM outbox_email WHERE sent_at IS NULL")[0][0]


def follow_the_story(client):
    page = client.request(STORY)
    action, fields = form_fields(page.body, "comment-form")
    fields.update(comment="I follow this story.", followup="on")
    assert client.request(action, fields).status == 302


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_mail_server_down_for_a_minute_every_post_acknowledged_every_email_once(
    database, serve, mail_server, artifacts, tmp_path
):
    site = serve(
        database,
        readers=21,
        environment={
            "EMAIL_URL": f"smtp://127.0.0.1:{mail_server.port}",
            "EMAIL_TIMEOUT": "5",
            "NEWSROOM_JOB_BACKOFF_SCALE": "0.1",
        },
    )
    worker = start_worker(site, tmp_path / "worker.log")
    try:
        down_since = time.monotonic()
        follower, *others = site.logged_in_readers(21)
        follow_the_story(follower)
        load = CommentLoad(others, posts=POSTS, label="mail")
        load.run()
        figures = load.tally(site.stored_comments())
        wait_until(f"{POSTS} notifications queued", lambda: unsent(site) == POSTS, 60)
        time.sleep(max(0.0, DOWN_SECONDS - (time.monotonic() - down_since)))
        figures["notifications waiting when the server came back"] = unsent(site)
        figures["delivered while the server was down"] = len(mail_server.messages)
        mail_server.start()
        back = time.monotonic()
        wait_until(
            f"{POSTS} notifications delivered",
            lambda: len(mail_server.messages) >= POSTS,
            240,
            interval=0.5,
        )
        figures["last delivery after the server came back (s)"] = round(time.monotonic() - back, 1)
        time.sleep(5)  # a job that would send a copy has had the time to
    finally:
        stop(worker)
    received = [text_of(m) for m in mail_server.messages]
    texts = [post.text for post in load.posts]
    figures["messages received"] = len(received)
    figures["posts notified exactly once"] = sum(
        1 for text in texts if sum(text in body for body in received) == 1
    )
    figures["still unsent"] = unsent(site)
    figures["recipients"] = sorted({m["To"] for m in mail_server.messages})
    report(artifacts, f"fault-mail-server-down-{database}", figures, site)

    assert figures["failed"] == []
    assert figures["acknowledged"] == figures["stored"] == POSTS
    assert figures["notifications waiting when the server came back"] == POSTS
    assert figures["delivered while the server was down"] == 0
    assert figures["messages received"] == figures["posts notified exactly once"] == POSTS
    assert figures["still unsent"] == 0
    assert figures["recipients"] == [FOLLOWER]
