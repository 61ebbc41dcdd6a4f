"""Citation link checks as background jobs: one job per citation, after each save that
changes its URL or its archived copy URL, and a sweep for the results that have grown old.

A link that does not answer, or answers 404, is a result to show the editor, not a
failure of the job; only our own side failing (the database) is worth another try.
"""

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Link:
    """One checked address of a citation: the field holding it, and those its result goes in."""

    url: str
    ok: str
    result: str
    checked_at: str
    checked_url: str

    def answered(self, citation: Citation, url: str, requested_at: datetime) -> bool:
        """A result for `url` stored after `requested_at` answers the request already."""
        checked_at = getattr(citation, self.checked_at)
        return getattr(citation, self.checked_url) == url and bool(
            checked_at and checked_at >= requested_at
        )

    def due(self, *, cutoff: datetime) -> Q:
        """Citations with this address never checked, checked at `cutoff` or before, or
        whose last result is for another address (a check lost with its worker)."""
        has_address = ~Q(**{self.url: ""})
        return has_address & (
            Q(**{f"{self.checked_at}__isnull": True})
            | Q(**{f"{self.checked_at}__lte": cutoff})
            | ~Q(**{self.checked_url: F(self.url)})
        )


MAIN = Link("url", "link_ok", "link_check_result", "link_checked_at", "link_checked_url")
ARCHIVE = Link(
    "archive_url", "archive_ok", "archive_check_result", "archive_checked_at", "archive_checked_url"
)


def store_check(*, citation_id: int, url: str, check: LinkCheck, link: Link = MAIN) -> bool:
    """Store the result on the citation if `url` is still its address; whether it was stored.

    The address is compared in the UPDATE itself: an editor may change it
    while the request to the old one is under way.
    """
    stored = Citation.objects.filter(pk=citation_id, **{link.url: url}).update(
        **{
            link.ok: check.ok,
            link.result: check.result[:200],
            link.checked_at: timezone.now(),
            link.checked_url: url,
        }
    )
    return stored == 1


@background(retry_on=OUR_FAILURES)
def check_citation(
    citation_id: int,
    url: str,
    requested_at: str,
    timeout: float = DEFAULT_TIMEOUT,
    archive_url: str = "",
) -> None:
    """Check `url` and `archive_url` for the citation and store each result.

    Either may be "" (not asked: the save changed only the other). Nothing is
    done for a citation deleted since, nor for an address changed since (that
    change enqueued its own check), nor when a result for the address stored
    after `requested_at` answers the request already: a job run twice, or
    enqueued again by a sweep while the first still waited, makes one request
    per address.
    """
    citation = Citation.objects.filter(pk=citation_id).first()
    if citation is None:
        return
    requested = datetime.fromisoformat(requested_at)
    for link, asked in ((MAIN, url), (ARCHIVE, archive_url)):
        if not asked or getattr(citation, link.url) != asked:
            continue
        if not link.answered(citation, asked, requested):
            check = check_url(asked, timeout=timeout)
            store_check(citation_id=citation_id, url=asked, check=check, link=link)


def enqueue_checks(citations: QuerySet[Citation], *, timeout: float = DEFAULT_TIMEOUT) -> int:
    """One check job for each of the citations (its URL and archived copy URL), a batch at a
    time; how many were enqueued."""
    requested_at = timezone.now().isoformat()
    rows = citations.order_by("pk").values_list("pk", "url", "archive_url")
    enqueued, last = 0, 0
    while batch := list(rows.filter(pk__gt=last)[:SWEEP_BATCH]):
        with transaction.atomic():
            for citation_id, url, archive_url in batch:
                check_citation.enqueue(
                    citation_id, url, requested_at, timeout, archive_url=archive_url
                )
        enqueued += len(batch)
        last = batch[-1][0]
    return enqueued


def due_for_check(*, now: datetime) -> QuerySet[Citation]:
    """Citations whose URL or archived copy URL is due (Link.due) NEWSROOM_LINK_CHECK_DAYS
    after its last check. Both are checked again: they were checked together."""
    cutoff = now - timedelta(days=settings.NEWSROOM_LINK_CHECK_DAYS)
    return Citation.objects.filter(MAIN.due(cutoff=cutoff) | ARCHIVE.due(cutoff=cutoff))


@background(retry_on=OUR_FAILURES)
def sweep_citations() -> int:
    """Enqueue a check for every citation due for one; how many were enqueued."""
    return enqueue_checks(due_for_check(now=timezone.now()))


def check_saved_citation(sender, instance: Citation, raw: bool = False, **kwargs) -> None:
    """A new or changed URL or archived copy URL is checked once the save commits (only
    what changed); other saves enqueue nothing."""
    if raw or not (instance.link_check_due or instance.archive_check_due):
        return
    after_commit(
        check_citation,
        instance.pk,
        instance.url if instance.link_check_due else "",
        timezone.now().isoformat(),
        archive_url=instance.archive_url if instance.archive_check_due else "",
    )
