"""Small builders for photo test data: each makes a valid photo, and any field can be overridden."""

import io
from contextlib import contextmanager
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from PIL import Image

from photos.services import create_photo_from_upload


def jpeg_bytes(width=64, height=40, colour=(120, 80, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def image_upload(name="photo.jpg", **kwargs):
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def make_photo(**fields):
    """A photo with its renditions made, as a worker leaves it."""
    fields.setdefault("credit", "Jo Example/Test Wire")
    fields.setdefault("caption", "A test photo.")
    fields.setdefault("alt_text", "A plain brown rectangle.")
    return upload_photo(file=fields.pop("image", None) or image_upload(), fields=fields)


def upload_photo(**arguments):
    """create_photo_from_upload() and the renditions job after it, as a worker leaves the photo."""
    with run_jobs():
        photo = create_photo_from_upload(**arguments)
    photo.refresh_from_db()
    return photo


def damage_original(photo) -> bytes:
    """Cuts the stored original short, as storage damaging it after the upload's checks would:
    every renditions job for it fails. Returns the good bytes, to put back."""
    path = Path(photo.image.path)
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])
    return good


def make_photo_whose_renditions_fail(**fields):
    """A photo whose renditions job ran every attempt and gave up; and its original's bytes."""
    fields.setdefault("credit", "Jo Example/Test Wire")
    fields.setdefault("caption", "A test photo.")
    with TestCase.captureOnCommitCallbacks() as after_commit:
        photo = create_photo_from_upload(file=image_upload(width=900, height=600), fields=fields)
    good = damage_original(photo)
    with run_jobs():
        for callback in after_commit:
            callback()
    photo.refresh_from_db()
    return photo, good


def run_jobs():
    """Runs what is enqueued after commit (the tests' immediate backend does the jobs) at the
    end of the block: inside a test's transaction nothing commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


@contextmanager
def database_refuses(operation, table):
    """The database refuses every INSERT or UPDATE of the table until the block ends, as a
    full disk or a dropped connection would: a real failure at that point of a save."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER test_refuse BEFORE {operation} ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION test_refuse()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER test_refuse BEFORE {operation} ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER test_refuse ON {table}")
                cursor.execute("DROP FUNCTION test_refuse()")
            else:
                cursor.execute("DROP TRIGGER test_refuse")
