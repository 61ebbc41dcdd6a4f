from django.core.management.base import BaseCommand

from newsroom.progress import show_progress
from photos.models import Photo
from photos.services import generate_renditions


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
            show_progress(self.stdout, done, total, suffix=f" {100 * done // total}%")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Renditions rebuilt for {total} photos."))
