"""python manage.py import_ninjs PATH [PATH…] [--publish] [--section SLUG] [--pictures-from DIR]"""

import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.models import Section
from newsroom.progress import show_progress
from wire.ninjs import NinjsError, import_item, read_items

logger = logging.getLogger(__name__)

# With more files than this, a progress bar goes to stderr (stdout keeps one line per item).
PROGRESS_FROM = 5


class Command(BaseCommand):
    help = (
        "Imports ninjs 1.x/2.x/3.x text items (JSON files) as stories, with their pictures. "
        "Prints one line per item: the story's address, or why it was not imported. An item "
        "whose uri was imported before updates that story."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the stories (at the item's time, or its embargo); else they are drafts.",
        )
        parser.add_argument(
            "--section", metavar="SLUG", help="Put the stories in this section (needed to publish "
            "items whose genres name no section of this site)."
        )  # fmt: skip
        parser.add_argument(
            "--pictures-from", metavar="DIR", type=Path, action="append", default=[],
            help="Also read pictures on disk from this folder (repeat for several). Without "
            "it, only the JSON file's own folder and its subfolders are read.",
        )  # fmt: skip

    def handle(self, *args, paths, publish, section, pictures_from, **options):
        chosen = None
        if section:
            chosen = Section.objects.filter(slug=section).first()
            if chosen is None:
                raise CommandError(f"No section with the slug “{section}”.")
        for folder in pictures_from:
            if not folder.is_dir():
                raise CommandError(f"--pictures-from {folder}: not a folder.")
        failures = items = 0
        many_files = len(paths) > PROGRESS_FROM
        for number, path in enumerate(paths, start=1):
            outcomes = self._import_file(
                path, publish=publish, section=chosen, pictures_from=pictures_from
            )
            for label, outcome in outcomes:
                items += 1
                if isinstance(outcome, NinjsError):
                    failures += 1
                    self.stdout.write(self.style.ERROR(f"{label}: error: {outcome}"))
                else:
                    verb = "created" if outcome.created else "updated"
                    status = outcome.article.get_status_display().lower()
                    url = outcome.article.get_absolute_url()
                    self.stdout.write(f"{label}: {verb} ({status}) {url}")
            if many_files:
                show_progress(self.stderr, number, len(paths), suffix=" files", end_line=True)
        if failures:
            raise CommandError(f"{failures} of {items} items were not imported.")

    def _import_file(self, path, *, publish, section, pictures_from):
        try:
            documents = read_items(path)
        except NinjsError as error:
            yield str(path), error
            return
        for index, document in enumerate(documents):
            label = str(path) if len(documents) == 1 else f"{path}[{index}]"
            try:
                yield (
                    label,
                    import_item(
                        document,
                        base=path.parent,
                        pictures_from=pictures_from,
                        publish=publish,
                        section=section,
                    ),
                )
            except NinjsError as error:
                yield label, error
            except Exception as error:
                # A case the importer does not know yet: report it on the item's line (the
                # traceback goes to the log) and go on with the other items.
                logger.exception("import_ninjs: %s", label)
                yield label, NinjsError(f"unexpected {type(error).__name__}: {error}")
