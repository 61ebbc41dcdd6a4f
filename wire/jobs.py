"""Citation link checks as background jobs: one job per citation, after each save that
changes its URL, and a sweep for the results that have grown old.

A link that does not answer, or answers 404, is a result to show the editor, not a
failure of the job; only our own side failing (the database) is worth another try.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from articles.models import Citation
from newsroom.jobs import after_commit, background
from wire.linkcheck import DEFAULT_TIMEOUT, LinkCheck, check_url

# Jobs enqueued in one transaction: one commit per batch on the queue table, and
# a sweep over a large archive never holds all its rows in memory.
SWEEP_BATCH = 500
OUR_FAILURES = (OperationalError, InterfaceError)


def store_check(*, citation_id: int, url: str, check: LinkCheck) -> bool:
    """Store the result on the citation if `url` is still its URL; whether it was stored.

    The URL is compared in the UPDATE itself: an editor may change it while
    the request to the old one is under way.
    """
    stored = Citation.objects.filter(pk=citation_id, url=url).update(
        link_ok=check.ok,
        link_check_result=check.result[:200],
        link_checked_at=timezone.now(),
        link_checked_url=url,
    )
    return stored == 1


@background(retry_on=OUR_FAILURES)
def check_citation(
    citation_id: int, url: str, requested_at: str, timeout: float = DEFAULT_TIMEOUT
) -> None:
    """Check `url` for the citation and store the result.

    Nothing is done for a citation deleted since, or whose URL changed since
    (that change enqueued its own check), nor when a result for this URL
    stored after `requested_at` answers the request already: a job run twice,
    or enqueued again by a sweep while the first still waited, makes one
    request.
    """
    citation = Citation.objects.filter(pk=citation_id, url=url).first()
    if citation is None:
        return
    answered = citation.link_checked_url == url
    if answered and citation.link_checked_at >= datetime.fromisoformat(requested_at):
        return
    store_check(citation_id=citation_id, url=url, check=check_url(url, timeout=timeout))


def enqueue_checks(citations: QuerySet[Citation], *, timeout: float = DEFAULT_TIMEOUT) -> int:
    """One check job for each of the citations, a batch at a time; how many were enqueued."""
    requested_at = timezone.now().isoformat()
    rows = citations.order_by("pk").values_list("pk", "url")
    enqueued, last = 0, 0
    while batch := list(rows.filter(pk__gt=last)[:SWEEP_BATCH]):
        with transaction.atomic():
            for citation_id, url in batch:
                check_citation.enqueue(citation_id, url, requested_at, timeout)
        enqueued += len(batch)
        last = batch[-1][0]
    return enqueued


def due_for_check(*, now: datetime) -> QuerySet[Citation]:
    """Citations never checked, checked NEWSROOM_LINK_CHECK_DAYS ago or longer, or whose
    last result is for another URL (a check lost with its worker)."""
    cutoff = now - timedelta(days=settings.NEWSROOM_LINK_CHECK_DAYS)
    return Citation.objects.filter(
        Q(link_checked_at__isnull=True)
        | Q(link_checked_at__lte=cutoff)
        | ~Q(link_checked_url=F("url"))
    )


@background(retry_on=OUR_FAILURES)
def sweep_citations() -> int:
    """Enqueue a check for every citation due for one; how many were enqueued."""
    return enqueue_checks(due_for_check(now=timezone.now()))


def check_saved_citation(sender, instance: Citation, raw: bool = False, **kwargs) -> None:
    """A new or changed URL is checked once the save commits; other saves enqueue nothing."""
    if not raw and instance.link_check_due:
        after_commit(check_citation, instance.pk, instance.url, timezone.now().isoformat())
