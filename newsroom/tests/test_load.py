"""200 comments from 20 readers at once against gunicorn with 4 workers, each stored once."""

import time

import pytest

from newsroom.tests.live import CommentLoad, report

# About 45 s per database on two cores: run by `make faults`, not `make test`.
pytestmark = pytest.mark.faults


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_200_comments_from_20_readers_at_once_are_each_stored_once(serve, artifacts, database):
    site = serve(database)
    load = CommentLoad(site.logged_in_readers(20), posts=200, label="load")
    started = time.monotonic()
    load.run()
    seconds = time.monotonic() - started
    figures = load.tally(site.stored_comments())
    figures["seconds (page + post each)"] = round(seconds, 1)
    log = site.log_text()
    figures["'database is locked' in the server log"] = log.count("database is locked")
    figures["tracebacks in the server log"] = log.count("Traceback")
    report(artifacts, f"load-{site.database.kind}", figures, site)

    assert figures["failed"] == []
    # No fault here: every post is stored, none refused or turned away.
    assert figures["acknowledged"] == figures["stored"] == 200
    assert figures["comment forms sent (POSTs, resent ones included)"] == 200
    assert figures["stored twice or more"] == []
    assert figures["acknowledged but not stored"] == []
    assert figures["stored but not acknowledged"] == []
    assert figures["'database is locked' in the server log"] == 0
    assert figures["tracebacks in the server log"] == 0
