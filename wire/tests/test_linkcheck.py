"""check_citations and the link checker, against servers on this machine: checked in
the command's own process (--now) and by the jobs it queues."""

import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from articles.tests.factories import make_article, make_citation
from newsroom.tests.network import closed_port, listening

pytestmark = pytest.mark.django_db

OK = {"/ok": (200, {}, b"fine")}


class Handler(BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.answer(head=True)

    def do_GET(self):
        self.answer(head=False)

    def answer(self, head):
        if self.path == "/ok":
            self.send_response(200)
        elif self.path == "/gone":
            self.send_response(404)
        elif self.path == "/no-head" and head:
            self.send_response(405)
        elif self.path == "/no-head":
            self.send_response(200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/slow":
            time.sleep(2)
            self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server(settings):
    """A site to check, on loopback: opened the way tests (and intranets) open a network."""
    settings.NEWSROOM_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_check_citations_records_each_result_and_lists_broken_links(server, capsys):
    story = make_article(headline="Checked story")
    expected = {
        "/ok": (True, "200 OK"),
        "/gone": (False, "404 Not Found"),
        "/no-head": (True, "200 OK"),
        "/moved": (True, "200 OK after a redirect"),
        "/slow": (False, "No answer within 0.5 s"),
    }
    citations = {path: make_citation(story, url=server + path) for path in expected}
    archived = make_citation(story, url=server + "/ok", archive_url=server + "/gone")
    call_command("check_citations", now=True, timeout=0.5, workers=3)
    for path, (ok, result) in expected.items():
        citation = citations[path]
        citation.refresh_from_db()
        assert (citation.link_ok, citation.link_check_result) == (ok, result), path
        assert citation.link_checked_at is not None
    archived.refresh_from_db()
    assert (archived.link_ok, archived.archive_ok) == (True, False)
    assert archived.archive_check_result == "404 Not Found"
    out = capsys.readouterr().out
    assert "7 links checked, 3 broken." in out
    assert f"BROKEN  {server}/gone  (404 Not Found) cited in “Checked story”" in out
    assert "[##############################] 7/7" in out


def test_check_citations_queues_one_job_per_citation_that_stores_its_result(server):
    # The tests' immediate backend runs each job as it is queued; test_link_jobs.py
    # shows the jobs waiting in the queue table for a worker.
    story = make_article()
    ok, gone = make_citation(story, url=server + "/ok"), make_citation(story, url=server + "/gone")
    out = io.StringIO()
    call_command("check_citations", stdout=out)
    assert out.getvalue().startswith("2 link checks queued;")
    for citation, result in ((ok, (True, "200 OK")), (gone, (False, "404 Not Found"))):
        citation.refresh_from_db()
        assert (citation.link_ok, citation.link_check_result) == result
        assert citation.link_checked_url == citation.url


@pytest.fixture(params=[True, False], ids=["now", "queued"])
def checked(request):
    def check(citations):
        call_command(
            "check_citations", now=request.param, timeout=2, workers=4, stdout=io.StringIO()
        )
        for citation in citations:
            citation.refresh_from_db()
        return {c.url: (c.link_ok, c.link_check_result) for c in citations}

    return check


def test_check_citations_refuses_internal_addresses_and_sends_them_nothing(checked):
    refused = (False, "Refused: address not public")
    story = make_article()
    with listening("127.0.0.1", routes=OK) as v4, listening("::1", routes=OK) as v6:
        urls = [
            v4.url("/ok"),
            v4.url("/ok").replace("127.0.0.1", "localhost"),
            v4.url("/ok").replace("127.0.0.1", "0.0.0.0"),
            v6.url("/ok"),
            f"http://127.0.0.1:{closed_port()}/ok",
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "http://10.0.0.5/intranet",
        ]
        results = checked([make_citation(story, url=url) for url in urls])
    assert results == dict.fromkeys(urls, refused)
    assert (v4.connections, v6.connections) == (0, 0)


def test_check_citations_checks_every_redirect_hop(settings, checked):
    settings.NEWSROOM_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    story = make_article()
    with listening("127.0.0.1", routes=OK) as internal:
        routes = {"/moved": (302, {"Location": internal.url("/ok")}, b"")}
        with listening("127.0.0.2", routes=routes) as public:
            url = public.url("/moved")
            assert checked([make_citation(story, url=url)]) == {
                url: (False, "Refused: address not public")
            }
    assert internal.connections == 0
    assert public.requests[0][:2] == ("HEAD", "/moved")


def test_link_check_results_never_quote_the_server(settings, checked):
    settings.NEWSROOM_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    story = make_article()
    with listening("127.0.0.1", raw=b"-ERR SECRET-TOKEN-7 unknown command\r\n") as raw:
        [(ok, result)] = checked([make_citation(story, url=raw.url("/"))]).values()
    assert ok is False
    assert "SECRET" not in result
