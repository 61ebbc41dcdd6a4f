"""Small builders for photo test data: each makes a valid photo, and any field can be overridden."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from photos.services import create_photo_from_upload


def jpeg_bytes(width=64, height=40, colour=(120, 80, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def image_upload(name="photo.jpg", **kwargs):
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")


def make_photo(**fields):
    fields.setdefault("credit", "Jo Example/Test Wire")
    fields.setdefault("caption", "A test photo.")
    fields.setdefault("alt_text", "A plain brown rectangle.")
    return create_photo_from_upload(file=fields.pop("image", None) or image_upload(), fields=fields)
