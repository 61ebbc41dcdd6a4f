"""Faults under load: Redis stopped, PostgreSQL crashed, an upload cut off. Nothing may be lost.

Each test runs the real site under gunicorn with its own database server or
Redis (see live.py), breaks one component while readers are posting, and
prints what was sent, acknowledged and stored. `make faults` runs them.
"""

import io
import os
import socket
import time

import pytest
from PIL import Image

from newsroom.tests.live import (
    OUTAGE_TEXT,
    PASSWORD,
    STORY,
    CommentLoad,
    files_under,
    report,
    wait_until,
)

pytestmark = pytest.mark.faults
UPLOAD = "/admin/photos/photo/upload/"


def first_acknowledgements(load, count):
    wait_until(f"{count} comments acknowledged", lambda: len(load.acknowledged()) >= count, 120)


def test_redis_stopped_mid_run_pages_are_served_and_comments_accepted(serve, artifacts):
    site = serve("postgresql", redis=True)
    visitor = site.client()
    warm = [visitor.request(STORY).headers.get("X-Page-Cache") for _ in range(2)]
    assert warm == ["miss", "hit"], "the page cache should use Redis before the fault"
    pages_while_down = []

    def stop_redis(load):
        first_acknowledgements(load, 40)
        site.redis.kill()
        stopped = time.monotonic()
        for path in ("/", STORY, "/corrections/"):
            reply = visitor.request(path)
            pages_while_down.append((path, reply.status, reply.headers.get("X-Page-Cache")))
        return stopped

    load = CommentLoad(site.logged_in_readers(20), posts=120, label="redis")
    stopped = load.run(during=stop_redis)
    # Once the load is over, Redis still down: a page costs a refused connection, no wait.
    quiet = []
    for path in ("/", STORY, "/corrections/"):
        started = time.monotonic()
        reply = visitor.request(path)
        quiet.append((path, reply.status, reply.headers.get("X-Page-Cache")))
        quiet[-1] += (round(time.monotonic() - started, 3),)
    figures = load.tally(site.stored_comments())
    figures["acknowledged after Redis stopped"] = len(load.acknowledged(since=stopped))
    figures["pages to a visitor during the load, Redis down (path, status, cache)"] = (
        pages_while_down
    )
    figures["pages to a visitor after the load, Redis down (path, status, cache, s)"] = quiet
    site.redis.start()
    again = [visitor.request(STORY).headers.get("X-Page-Cache") for _ in range(2)]
    figures["page cache after Redis restarted"] = again
    figures["keys in Redis after restart"] = site.redis.keys()
    report(artifacts, "fault-redis-stopped", figures, site)

    assert figures["failed"] == []
    assert figures["acknowledged"] == figures["stored"] == 120
    assert figures["acknowledged after Redis stopped"] > 0
    assert figures["stored twice or more"] == figures["acknowledged but not stored"] == []
    # Served uncached, and without waiting on the dead server.
    assert [(status, cache) for _, status, cache in pages_while_down] == [(200, "miss")] * 3
    assert [(status, cache) for _, status, cache, _ in quiet] == [(200, "miss")] * 3
    assert max(took for *_, took in quiet) < 1
    assert again == ["miss", "hit"]


def test_postgresql_crash_mid_run_gets_503s_then_recovers_losing_nothing(serve, artifacts):
    site = serve("postgresql")
    visitor = site.client()
    outage = {}

    def crash_postgresql(load):
        first_acknowledgements(load, 40)
        outage["crashed"] = time.monotonic()
        site.cluster.crash()
        # Two seconds down; visitors arriving meanwhile get the 503 page.
        outage["visitor pages"] = [visitor.request(path) for path in ("/", STORY, "/corrections/")]
        time.sleep(max(0, 2 - (time.monotonic() - outage["crashed"])))
        site.cluster.start()
        outage["restarted"] = time.monotonic()

    # Readers turned away by a 503 send the same form again every half
    # second, for up to 30 s: resending must never post a comment twice.
    load = CommentLoad(site.logged_in_readers(20), posts=200, label="crash", attempts=60)
    load.run(during=crash_postgresql)
    figures = load.tally(site.stored_comments())
    after_restart = load.acknowledged(since=outage["restarted"])
    first_after = min((post.acknowledged_at for post in after_restart), default=float("nan"))
    visitor_pages = outage["visitor pages"]
    recovered = visitor.request("/")
    figures.update(
        {
            "server down (s)": round(outage["restarted"] - outage["crashed"], 2),
            "crash to the next acknowledged comment (s)": round(first_after - outage["crashed"], 2),
            "acknowledged after the restart": len(after_restart),
            "visitor pages during the outage (status)": [page.status for page in visitor_pages],
            "outages logged by the site": site.log_text().count("Database unavailable"),
            "home page after the restart": recovered.status,
        }
    )
    report(artifacts, "fault-postgresql-crash", figures, site)

    assert figures["failed"] == []
    turned_away = sum(load.turned_away.values())
    assert load.turned_away["comment post"] > 0, "the crash should have turned some posts away"
    for page in visitor_pages:
        assert page.status == 503 and OUTAGE_TEXT in page.body, page.body[:300]
        assert page.headers["Retry-After"] and "Traceback" not in page.body
    # Every reader got through in the end, each comment stored once, none lost.
    assert figures["acknowledged"] == figures["stored"] == 200
    assert figures["stored twice or more"] == []
    assert figures["acknowledged but not stored"] == []
    assert figures["stored but not acknowledged"] == []
    # The same gunicorn workers recovered by themselves.
    assert figures["acknowledged after the restart"] > 0
    assert recovered.status == 200
    assert figures["outages logged by the site"] >= turned_away


def noise_jpeg(width=2400, height=1800) -> bytes:
    """A photo-sized JPEG that does not compress: several megabytes."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(
        buffer, "JPEG", quality=95
    )
    return buffer.getvalue()


def multipart(fields: dict, files: dict | list) -> tuple[bytes, str]:
    """The body and type of a form post; `files` maps a field to (filename, data), or lists
    (field, (filename, data)) pairs for a field that takes several files."""
    boundary = "newsroom-fault-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for name, (filename, data) in files.items() if isinstance(files, dict) else files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_an_upload_cut_off_midway_leaves_no_file_and_no_row(serve, artifacts):
    site = serve("postgresql", readers=0)
    desk = site.client()
    desk.log_in("desk@example.org", PASSWORD)  # the desk logs in through allauth
    assert desk.request(UPLOAD).status == 200
    photo = noise_jpeg()
    body, content_type = multipart(
        {"csrfmiddlewaretoken": desk.cookie("csrftoken"), "credit": "Fault test"},
        {"files": ("cut-off.jpg", photo)},
    )
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in desk.jar)
    head = (
        f"POST {UPLOAD} HTTP/1.1\r\nHost: 127.0.0.1:{site.port}\r\nCookie: {cookies}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    cut = len(body) // 2
    stored_files = (site.media, site.originals)

    with socket.create_connection(("127.0.0.1", site.port), timeout=30) as connection:
        connection.sendall(head + body[:cut])
        # Django is spooling the upload to a temporary file when the client vanishes.
        spooling = wait_until("the upload spooled", lambda: files_under(site.upload_temp), 30)
    closed = time.monotonic()
    wait_until("the spooled part deleted", lambda: not files_under(site.upload_temp), 30)
    cleaned_in = time.monotonic() - closed
    rows = site.database.query("SELECT count(*) FROM photos_photo")[0][0]
    left = files_under(*stored_files)
    still_serving = desk.request(UPLOAD).status

    # The same upload sent whole works: the check above was on a working endpoint.
    whole = desk.request(UPLOAD, body, {"Content-Type": content_type})
    rows_after_whole = site.database.query("SELECT count(*) FROM photos_photo")[0][0]
    figures = {
        "photo bytes / request bytes / bytes sent before closing": (len(photo), len(body), cut),
        "temporary files while uploading": sorted(p.rsplit("/", 1)[-1] for p in spooling),
        "seconds until the temporary file was gone": round(cleaned_in, 2),
        "photo rows after the cut-off upload": rows,
        "files left in media and originals": sorted(left),
        "upload page afterwards": still_serving,
        "whole upload: status, photo rows": (whole.status, rows_after_whole),
        "whole upload: files in media and originals": len(files_under(*stored_files)),
        "temporary files after the whole upload": sorted(files_under(site.upload_temp)),
    }
    report(artifacts, "fault-upload-cut-off", figures, site)

    assert rows == 0
    assert left == set()
    assert still_serving == 200
    assert whole.status == 302 and rows_after_whole == 1
    assert files_under(site.originals)
    assert not files_under(site.upload_temp)
