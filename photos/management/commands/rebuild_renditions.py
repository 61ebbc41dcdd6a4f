from django.core.management.base import BaseCommand

from photos.models import Photo
from photos.services import generate_renditions

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Remake every photo's renditions from its archived original (after changing widths, "
        "formats or encoder settings). Unchanged files are kept; old ones are deleted."
    )

    def handle(self, *args, **options):
        photos = Photo.objects.order_by("pk")
        total = photos.count()
        for done, photo in enumerate(photos.iterator(), start=1):
            generate_renditions(photo=photo)
            self._progress(done, total)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Renditions rebuilt for {total} photos."))

    def _progress(self, done, total):
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stdout.write(f"\r[{bar}] {done}/{total} {100 * done // total}%", ending="")
        self.stdout.flush()
