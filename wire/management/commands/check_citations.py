from concurrent.futures import ThreadPoolExecutor, as_completed

from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.models import Citation
from newsroom.progress import show_progress
from wire.linkcheck import check_url


class Command(BaseCommand):
    help = (
        "Check every cited URL (HEAD, then GET; redirects followed), store the result on "
        "the citation for editors to see, and list the broken links."
    )

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10, help="Seconds per request.")
        parser.add_argument("--workers", type=int, default=8, help="Requests at once.")

    def handle(self, *args, timeout, workers, **options):
        citations = list(Citation.objects.select_related("article").order_by("pk"))
        total, broken = len(citations), []
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            futures = {pool.submit(check_url, c.url, timeout=timeout): c for c in citations}
            for done, future in enumerate(as_completed(futures), start=1):
                citation, check = futures[future], future.result()
                citation.link_ok = check.ok
                citation.link_check_result = check.result[:200]
                citation.link_checked_at = timezone.now()
                citation.save(update_fields=["link_ok", "link_check_result", "link_checked_at"])
                if not check.ok:
                    broken.append(citation)
                show_progress(self.stdout, done, total, empty=".")
        self.stdout.write("")
        for citation in broken:
            self.stdout.write(
                f"BROKEN  {citation.url}  ({citation.link_check_result}) "
                f"cited in “{citation.article}”"
            )
        self.stdout.write(f"{total} links checked, {len(broken)} broken.")
