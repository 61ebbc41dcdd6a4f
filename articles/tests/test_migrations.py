"""Data migrations, run on rows as the code before them left them."""

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

from articles.models import Author
from imaging.tests.images import CAMERA_SERIAL, camera_exif, photo_bytes

from .factories import make_author

pytestmark = pytest.mark.django_db


def data_migration(app_label, name_ending):
    """The RunPython step of a migration, found by the end of its name (numbers change)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    migration = next(
        migration
        for (label, name), migration in loader.disk_migrations.items()
        if label == app_label and name.endswith(name_ending)
    )
    return next(op for op in migration.operations if isinstance(op, RunPython))


def test_portraits_stored_as_uploaded_are_re_encoded_and_the_old_files_deleted(
    settings, capsys, django_capture_on_commit_callbacks
):
    author = make_author(slug="ines-okafor")
    # As the code before stored it: the upload itself, serial number and all.
    author.portrait.save("face.jpg", ContentFile(photo_bytes(800, 800, exif=camera_exif())))
    missing = make_author(name="Kai Berg", portrait="authors/gone.jpg")
    old = settings.MEDIA_ROOT / author.portrait.name
    assert CAMERA_SERIAL.encode() in old.read_bytes()

    with django_capture_on_commit_callbacks(execute=True):
        data_migration("articles", "_author_portraits_reencoded").code(apps, None)

    author.refresh_from_db()
    assert author.portrait.name.startswith("authors/ines-okafor-portrait-360w-")
    stored = (settings.MEDIA_ROOT / author.portrait.name).read_bytes()
    assert CAMERA_SERIAL.encode() not in stored
    assert not old.exists()
    assert Author.objects.get(pk=missing.pk).portrait.name == "authors/gone.jpg"
    assert (
        "The portrait of Kai Berg (authors/gone.jpg) is left as it was" in capsys.readouterr().out
    )
