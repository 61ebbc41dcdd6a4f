from concurrent.futures import ThreadPoolExecutor, as_completed

from django.core.management.base import BaseCommand

from articles.models import Citation
from newsroom.progress import show_progress
from wire.jobs import enqueue_checks, store_check
from wire.linkcheck import DEFAULT_TIMEOUT, check_url


class Command(BaseCommand):
    help = (
        "Check every cited URL (HEAD, then GET; redirects followed) and store the result on "
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
        citations = list(Citation.objects.select_related("article").order_by("pk"))
        total, broken = len(citations), []
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            futures = {pool.submit(check_url, c.url, timeout=timeout): c for c in citations}
            for done, future in enumerate(as_completed(futures), start=1):
                citation, check = futures[future], future.result()
                # An edit during the check changed the URL: its own job checks the new one.
                stored = store_check(citation_id=citation.pk, url=citation.url, check=check)
                if stored and not check.ok:
                    broken.append((citation, check))
                show_progress(self.stdout, done, total, empty=".")
        self.stdout.write("")
        for citation, check in broken:
            self.stdout.write(
                f"BROKEN  {citation.url}  ({check.result}) cited in “{citation.article}”"
            )
        self.stdout.write(f"{total} links checked, {len(broken)} broken.")
