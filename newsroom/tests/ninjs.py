"""What the tests of the ninjs export (distribution), the import (wire) and their round trip share.

IPTC's schemas and agency examples are read from ../shared/ninjs beside the
repository; they are not copied in (see require_path).
"""

import functools
import http.server
import io
import json
import threading
from contextlib import contextmanager
from pathlib import Path

import jsonschema
from django.conf import settings
from django.core.management import CommandError, call_command

from articles.models import Tag
from articles.tests.factories import (
    make_article,
    make_author,
    make_citation,
    make_photo,
    place_photo,
)
from photos.tests.factories import run_jobs

from .services import require_path

SHARED_NINJS = Path(settings.BASE_DIR).parent / "shared" / "ninjs"


def shared_path(name):
    path = SHARED_NINJS / name
    require_path(
        path, "IPTC's ninjs schemas and examples; CI keeps a copy of shared/ beside the clone"
    )
    return path


def validate(document, schema_name):
    schema = json.loads(shared_path(schema_name).read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(document)


def ferry_story():
    """A published story with everything a ninjs document carries: two bylines, a topic,
    a lead and an inline photo, a cited source quoting a person and one that does not."""
    article = make_article(
        headline="Ferry line reopens after storm",
        standfirst="The crossing resumes on Monday.",
        body="<p>The first paragraph.</p><h2>Timetable</h2><p>Boats run <em>hourly</em>.</p>",
        authors=[make_author(name="Lin Mei"), make_author(name="Tom Hale")],
    )
    article.tags.add(Tag.objects.create(name="Transport", slug="transport"))
    lead = make_photo(
        caption="The ferry leaves the quay.",
        credit="Jo Example/Test Wire",
        photographer="Jo Example",
        copyright_notice="© 2026 Test Wire",
    )
    place_photo(article, lead, role="lead")
    place_photo(article, make_photo(caption="Passengers queue."), after_block=1)
    make_citation(
        article,
        outlet="Harbour Gazette",
        title="Storm report",
        url="https://g.example/s",
        person="Ada Quay",
        person_role="the harbour master",
    )
    make_citation(article, outlet="Coast Radio", title="Crossings", url="https://radio.example/c")
    return article


def run_import(*paths, publish=False, section=None, pictures_from=()):
    """Runs import_ninjs; returns (stdout lines, stderr, CommandError or None)."""
    out, err = io.StringIO(), io.StringIO()
    args = [str(path) for path in paths]
    if publish:
        args.append("--publish")
    if section:
        args += ["--section", section]
    for folder in pictures_from:
        args += ["--pictures-from", str(folder)]
    try:
        # The pictures' renditions jobs run when the command's transactions commit.
        with run_jobs():
            call_command("import_ninjs", *args, stdout=out, stderr=err)
        failure = None
    except CommandError as error:
        failure = error
    return out.getvalue().splitlines(), err.getvalue(), failure


def write(folder, name, document):
    path = Path(folder) / name
    path.write_text(json.dumps(document) if not isinstance(document, str) else document)
    return path


class WireHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the folder; under /stream/ it sends the file with no Content-Length."""

    def do_GET(self):
        if self.path.startswith("/stream/"):
            data = (Path(self.directory) / self.path.removeprefix("/stream/")).read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@contextmanager
def serving_wire(tmp_path, test_settings):
    """(folder, base URL) of an HTTP server on 127.0.0.1 serving a folder of `tmp_path`.

    Loopback is opened the way tests (and intranets) open a network: by default
    the importer reaches public addresses only.
    """
    test_settings.NEWSROOM_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    folder = tmp_path / "served"
    folder.mkdir()
    handler = functools.partial(WireHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
