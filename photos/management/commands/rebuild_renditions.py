from django.core.management.base import BaseCommand

from newsroom.progress import show_progress
from photos.models import Photo
from photos.services import generate_renditions, remake_renditions, request_renditions


class Command(BaseCommand):
    help = (
        "Remake every photo's renditions from its archived original (after changing widths, "
        "formats or encoder settings). By default a job per photo is queued for the workers; "
        "--here makes them in this process. Readers keep the old files until each photo's "
        "new set is complete; then the old ones are deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--here",
            action="store_true",
            help="Make the renditions in this process, one photo after another, instead of "
            "queueing jobs (no worker needed).",
        )

    def handle(self, *args, here=False, **options):
        ids = list(Photo.objects.order_by("pk").values_list("pk", flat=True))
        for done, photo_id in enumerate(ids, start=1):
            if here:
                version = request_renditions(photo_id=photo_id)
                generate_renditions(photo_id=photo_id, version=version)
            else:
                remake_renditions(photo_id=photo_id)
            show_progress(self.stdout, done, len(ids), suffix=f" {100 * done // len(ids)}%")
        self.stdout.write("")
        outcome = "rebuilt" if here else "queued"
        self.stdout.write(self.style.SUCCESS(f"Renditions {outcome} for {len(ids)} photos."))
