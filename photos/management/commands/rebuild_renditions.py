from django.core.management.base import BaseCommand
from django.db import transaction

from newsroom.jobs import after_commit
from newsroom.progress import show_progress
from photos.models import Photo
from photos.services import generate_renditions, make_renditions_job, request_renditions


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
            with transaction.atomic():
                version = request_renditions(photo_id=photo_id)
                if not here:
                    after_commit(make_renditions_job, photo_id=photo_id, version=version)
            if here:
                generate_renditions(photo_id=photo_id, version=version)
            show_progress(self.stdout, done, len(ids), suffix=f" {100 * done // len(ids)}%")
        self.stdout.write("")
        outcome = "rebuilt" if here else "queued"
        self.stdout.write(self.style.SUCCESS(f"Renditions {outcome} for {len(ids)} photos."))
