from concurrent.futures import ThreadPoolExecutor, as_completed

from django.core.management.base import BaseCommand

from articles.models import Citation
from newsroom.progress import show_progress
from wire.jobs import ARCHIVE, MAIN, enqueue_checks, store_check
from wire.linkcheck import DEFAULT_TIMEOUT, check_url


class Command(BaseCommand):
    help = (
        "Check every cited URL and archived copy URL (HEAD, then GET; redirects followed) and "
        "store the result on "
        "the citation for editors to see: one job per citation for the workers, or with "
        "--now here and at once, listing the broken links."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="Check in this process (with a progress bar) instead of queueing jobs.",
        )
        parser.add_argument(
            "--timeout", type=float, default=DEFAULT_TIMEOUT, help="Seconds per request."
        )
        parser.add_argument("--workers", type=int, default=8, help="Requests at once (--now).")

    def handle(self, *args, now, timeout, workers, **options):
        if not now:
            queued = enqueue_checks(Citation.objects.all(), timeout=timeout)
            self.stdout.write(
                f"{queued} link checks queued; each result shows on its citation once a "
                "worker (make worker) has run the job."
            )
            return
        citations = Citation.objects.select_related("article").order_by("pk")
        links = [
            (citation, link, getattr(citation, link.url))
            for citation in citations
            for link in (MAIN, ARCHIVE)
            if getattr(citation, link.url)
        ]
        total, broken = len(links), []
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            futures = {pool.submit(check_url, entry[2], timeout=timeout): entry for entry in links}
            for done, future in enumerate(as_completed(futures), start=1):
                (citation, link, url), check = futures[future], future.result()
                # An edit during the check changed the address: its own job checks the new one.
                stored = store_check(citation_id=citation.pk, url=url, check=check, link=link)
                if stored and not check.ok:
                    broken.append((citation, url, check))
                show_progress(self.stdout, done, total, empty=".")
        self.stdout.write("")
        for citation, url, check in broken:
            self.stdout.write(f"BROKEN  {url}  ({check.result}) cited in “{citation.article}”")
        self.stdout.write(f"{total} links checked, {len(broken)} broken.")
