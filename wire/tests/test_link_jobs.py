"""Link checks as jobs: enqueued when a story's citation gets a new URL, swept when old,
against listeners on this machine."""

import os
import socket
import sys
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.models import Citation
from articles.tests.factories import citation_form, make_article, make_citation, make_section
from articles.tests.test_migrations import data_migration
from newsroom.jobs import PERIODIC
from newsroom.tests.forms import form_fields
from newsroom.tests.live import ROOT, SQLiteDatabase, run
from newsroom.tests.network import Resolver, listening
from wire import jobs
from wire.linkcheck import LinkCheck

pytestmark = pytest.mark.django_db

ROUTES = {
    "/ok": (200, {}, b"fine"),
    "/archived": (200, {}, b"a copy"),
    "/moved-away": (404, {}, b""),
}
DAY = timezone.timedelta(days=1)


@pytest.fixture
def desk(client, django_user_model):
    user = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def site(settings, monkeypatch):
    """radio.example.net, played by a listener on loopback."""
    settings.NEWSROOM_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    Resolver(monkeypatch, {"radio.example.net": [["127.0.0.1"]]})
    with listening("127.0.0.1", routes=dict(ROUTES)) as listener:
        listener.at = lambda path: f"http://radio.example.net:{listener.port}{path}"
        yield listener


@pytest.fixture
def queue(settings):
    """The queue table, with no worker: jobs wait there, to be counted."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def queued(job):
        rows = DBTaskResult.objects.filter(task_path=job.module_path).order_by("enqueued_at")
        return [row.args_kwargs["args"] for row in rows]

    return queued


def link_check_shown(desk, story):
    html = desk.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    start = html.index("Link check")
    return html[start : html.index("</div>", html.index('class="readonly"', start))]


def resubmit(desk, story, **changes):
    """The story's change form sent back as a browser would, with `changes` typed in."""
    url = reverse("admin:articles_article_change", args=[story.pk])
    _, fields = form_fields(desk.get(url).content.decode(), "article_form")
    response = desk.post(url, {**fields, **changes})
    assert response.status_code == 302, response.content.decode()[:2000]


def test_saving_a_story_with_a_new_citation_url_checks_it(
    desk, site, django_capture_on_commit_callbacks
):
    data = citation_form(make_section(), site.at("/ok"))
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    citation = Citation.objects.get()
    assert (citation.link_ok, citation.link_check_result) == (True, "200 OK")
    assert citation.link_checked_url == site.at("/ok")
    assert [request[:2] for request in site.requests] == [("HEAD", "/ok")]
    assert "Works: 200 OK" in link_check_shown(desk, citation.article)


def test_a_broken_archived_copy_is_checked_and_shown_beside_the_working_url(
    desk, site, django_capture_on_commit_callbacks
):
    data = citation_form(make_section(), site.at("/ok"), archive_url=site.at("/moved-away"))
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    citation = Citation.objects.get()
    assert (citation.link_ok, citation.archive_ok) == (True, False)
    assert citation.archive_check_result == "404 Not Found"
    assert citation.archive_checked_url == site.at("/moved-away")
    assert {request[1] for request in site.requests} == {"/ok", "/moved-away"}
    shown = link_check_shown(desk, citation.article)
    assert "Works: 200 OK" in shown and "archived copy: BROKEN: 404 Not Found" in shown


def test_a_new_archived_copy_url_alone_checks_only_it(
    desk, site, django_capture_on_commit_callbacks
):
    story = make_article()
    citation = make_citation(story, url=site.at("/ok"))
    jobs.check_citation.call(citation.pk, citation.url, timezone.now().isoformat())
    site.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        resubmit(desk, story, **{"citations-0-archive_url": site.at("/archived")})

    assert [request[1] for request in site.requests if request[0] == "HEAD"] == ["/archived"]
    citation.refresh_from_db()
    assert (citation.link_ok, citation.archive_ok) == (True, True)
    shown = link_check_shown(desk, story)
    assert shown.count("Works: 200 OK") == 2 and "; archived copy: Works" in shown


def test_the_desk_shows_checking_until_the_job_has_run_and_unchanged_urls_queue_nothing(
    desk, site, queue, django_capture_on_commit_callbacks
):
    story = make_article()
    citation = make_citation(story, url=site.at("/ok"))
    jobs.check_citation.call(citation.pk, citation.url, timezone.now().isoformat())
    site.requests.clear()

    with django_capture_on_commit_callbacks(execute=True):
        resubmit(desk, story)
        resubmit(desk, story, **{"citations-0-title": "Ferry cuts confirmed, again"})
    assert queue(jobs.check_citation) == []
    assert "Works: 200 OK" in link_check_shown(desk, story)

    with django_capture_on_commit_callbacks(execute=True):
        resubmit(desk, story, **{"citations-0-url": site.at("/moved-away")})
    [[citation_id, url, _requested_at]] = queue(jobs.check_citation)
    assert (citation_id, url) == (citation.pk, site.at("/moved-away"))
    assert "Checking…" in link_check_shown(desk, story)
    assert site.requests == []


def test_a_job_for_a_url_changed_or_deleted_since_writes_nothing_and_asks_nothing(site):
    story = make_article()
    citation = make_citation(story, url=site.at("/ok"))
    requested_at = timezone.now().isoformat()
    citation.url = site.at("/moved-away")
    citation.save()

    jobs.check_citation.call(citation.pk, site.at("/ok"), requested_at)
    citation.refresh_from_db()
    assert (citation.link_ok, citation.link_check_result, citation.link_checked_at) == (
        None,
        "",
        None,
    )
    # The edit may also land while the request to the old URL is under way.
    late = LinkCheck(True, "200 OK")
    assert not jobs.store_check(citation_id=citation.pk, url=site.at("/ok"), check=late)
    assert Citation.objects.get(pk=citation.pk).link_checked_at is None

    citation.delete()
    jobs.check_citation.call(citation.pk, site.at("/moved-away"), requested_at)
    assert site.connections == 0


def test_a_check_run_twice_or_asked_for_twice_asks_the_site_once(site):
    citation = make_citation(make_article(), url=site.at("/ok"))
    first, second = timezone.now().isoformat(), timezone.now().isoformat()
    for requested_at in (first, second, first):
        jobs.check_citation.call(citation.pk, citation.url, requested_at)
    assert len(site.requests) == 1
    # Asked again after that result: checked again.
    jobs.check_citation.call(citation.pk, citation.url, timezone.now().isoformat())
    assert len(site.requests) == 2


def test_a_link_that_does_not_answer_is_a_result_not_a_failed_job(settings):
    settings.NEWSROOM_OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    # The kernel completes the connection into the backlog; nothing ever answers.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        citation = make_citation(make_article(), url=f"http://127.0.0.1:{silent.getsockname()[1]}/")
        result = jobs.check_citation.enqueue(
            citation.pk, citation.url, timezone.now().isoformat(), 0.3
        )
    assert result.status == TaskResultStatus.SUCCESSFUL
    citation.refresh_from_db()
    assert (citation.link_ok, citation.link_check_result) == (False, "No answer within 0.3 s")


def test_the_job_refuses_private_addresses_and_sends_them_nothing():
    with listening("127.0.0.1", routes=ROUTES) as internal:
        citation = make_citation(make_article(), url=internal.url("/ok"))
        jobs.check_citation.enqueue(citation.pk, citation.url, timezone.now().isoformat())
    citation.refresh_from_db()
    assert (citation.link_ok, citation.link_check_result) == (
        False,
        "Refused: address not public",
    )
    assert internal.connections == 0


def checked(citation, *, days_ago, url=None):
    Citation.objects.filter(pk=citation.pk).update(
        link_ok=True,
        link_check_result="200 OK",
        link_checked_at=timezone.now() - days_ago * DAY,
        link_checked_url=url or citation.url,
    )


def test_the_sweep_queues_exactly_the_citations_due_in_batches(settings, queue, monkeypatch):
    settings.NEWSROOM_LINK_CHECK_DAYS = 7
    monkeypatch.setattr(jobs, "SWEEP_BATCH", 2)
    story = make_article()
    never, old, fresh, lately, other_url, edge = (make_citation(story) for _ in range(6))
    checked(old, days_ago=8)
    checked(fresh, days_ago=6.9)
    checked(lately, days_ago=0)
    checked(other_url, days_ago=0, url="https://news.example.org/before-the-edit")
    checked(edge, days_ago=7)

    assert jobs.sweep_citations.call() == 4
    due = {(citation_id, url) for citation_id, url, _, _ in queue(jobs.check_citation)}
    assert due == {(c.pk, c.url) for c in (never, old, other_url, edge)}


def test_a_sweep_stores_fresh_results_and_the_next_finds_nothing_due(site):
    story = make_article()
    ok, gone = make_citation(story, url=site.at("/ok")), make_citation(story, url=site.at("/x"))
    checked(ok, days_ago=30)

    assert jobs.sweep_citations.call() == 2
    assert jobs.sweep_citations.call() == 0
    ok.refresh_from_db()
    gone.refresh_from_db()
    assert (ok.link_ok, gone.link_ok, gone.link_check_result) == (True, False, "404 Not Found")
    assert ok.link_checked_at > timezone.now() - DAY


def test_a_sweep_checks_an_archived_copy_whose_result_has_grown_old(settings, site):
    settings.NEWSROOM_LINK_CHECK_DAYS = 7
    citation = make_citation(make_article(), url=site.at("/ok"))
    checked(citation, days_ago=0)
    assert jobs.sweep_citations.call() == 0
    Citation.objects.filter(pk=citation.pk).update(
        archive_url=site.at("/moved-away"),
        archive_ok=True,
        archive_check_result="200 OK",
        archive_checked_at=timezone.now() - 8 * DAY,
        archive_checked_url=site.at("/moved-away"),
    )

    assert jobs.sweep_citations.call() == 1
    citation.refresh_from_db()
    assert (citation.archive_ok, citation.archive_check_result) == (False, "404 Not Found")
    assert jobs.sweep_citations.call() == 0


def test_results_stored_before_are_taken_as_for_the_url_as_it_is():
    story = make_article()
    before, never = make_citation(story), make_citation(story)
    Citation.objects.filter(pk=before.pk).update(
        link_ok=False, link_check_result="404 Not Found", link_checked_at=timezone.now()
    )
    data_migration("articles", "_citation_link_checked_url").code(apps, None)
    before.refresh_from_db()
    never.refresh_from_db()
    assert (before.link_check_due, never.link_check_due) == (False, True)


SAVE_STORY = """
from articles.tests.factories import make_article, make_citation
make_citation(make_article(), url="{url}")
"""


def test_a_worker_process_checks_the_link_once_the_save_has_committed(tmp_path):
    database = SQLiteDatabase(tmp_path)
    environment = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": database.url,
        "NEWSROOM_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "NEWSROOM_OUTBOUND_ALLOWED_NETWORKS": "127.0.0.0/8",
    }

    def manage(*args):
        command = [sys.executable, "manage.py", *args]
        run(command, cwd=ROOT, env=environment, timeout=180)

    with listening("127.0.0.1", routes=ROUTES) as site:
        manage("migrate", "--no-input")
        manage("shell", "-c", SAVE_STORY.format(url=site.url("/ok")))
        assert database.query("SELECT status FROM django_tasks_database_dbtaskresult") == [
            ("READY",)
        ]
        assert site.requests == []
        manage("run_worker", "--batch", "--no-startup-delay")
    assert [request[:2] for request in site.requests] == [("HEAD", "/ok")]
    assert database.query(
        "SELECT link_ok, link_check_result, link_checked_url FROM articles_citation"
    ) == [(1, "200 OK", site.url("/ok"))]
    # The worker also ran the periodic jobs due at its start (the sweep among them).
    assert database.query(
        "SELECT status FROM django_tasks_database_dbtaskresult"
        f" WHERE task_path = '{jobs.check_citation.module_path}'"
    ) == [("SUCCESSFUL",)]


def test_the_workers_sweep_every_six_hours():
    assert PERIODIC[jobs.sweep_citations.module_path].interval == timedelta(hours=6)
