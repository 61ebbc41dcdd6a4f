"""Checking an uploaded file before anything is written: is it a photo we can publish?"""

import re
import warnings
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
# The extensions a stored file may carry for each format, the first one preferred.
EXTENSIONS = {"JPEG": ("jpg", "jpeg"), "PNG": ("png",), "WEBP": ("webp",)}
ASK_FOR_A_PHOTO = "upload a JPEG, PNG or WebP photo"

# Markup that browsers would run if the file were ever served as HTML. Real
# photos never contain these byte strings (XMP is XML, but never <script or <html).
MARKUP = re.compile(rb"<(?:script|html|body|iframe|\?php)\b|<!doctype html", re.IGNORECASE)
SVG = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<svg\b", re.IGNORECASE | re.DOTALL)


def open_upload(file) -> Image.Image:
    """The upload opened with Pillow (not yet decoded), or a ValidationError naming the problem.

    Reads the file only: nothing is written anywhere. The returned image still
    carries the file's metadata (IPTC, XMP, EXIF) for the autofill. The
    upload's name is given the extension of its real format, because web
    servers and buckets pick the Content-Type from the name.
    """
    limit = settings.PHOTO_MAX_UPLOAD_BYTES
    if file.size == 0:
        raise ValidationError("The file is empty (0 bytes); " + ASK_FOR_A_PHOTO + ".")
    if file.size > limit:
        raise ValidationError(
            f"The file is {filesizeformat(file.size)}; the limit is {filesizeformat(limit)} "
            "(PHOTO_MAX_UPLOAD_BYTES)."
        )
    file.seek(0)
    data = file.read()
    file.seek(0)
    if SVG.match(data[:4096]):
        raise ValidationError(f"This file is an SVG drawing; {ASK_FOR_A_PHOTO}.")
    if MARKUP.search(data):
        raise ValidationError(
            "This file contains HTML or script (a web page, or a polyglot that is an image "
            f"and a page at once); {ASK_FOR_A_PHOTO}."
        )
    with warnings.catch_warnings():
        # Pillow only warns between its pixel limit and twice that; for an
        # upload the warning is as bad as the error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        # Pillow warns of metadata it can read only in part ("Corrupt EXIF
        # data"); read_metadata() tells the editor, the upload goes on.
        warnings.simplefilter("ignore", UserWarning)
        try:
            probe = Image.open(file)
            # Decoding every byte is the only way to find a truncated file; at
            # JPEG's 1/8 draft scale it costs little. The renditions decode again.
            probe.draft("RGB", (probe.width // 8, probe.height // 8))
            probe.load()
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
            raise ValidationError(_bomb_message(str(error))) from error
        except UnidentifiedImageError as error:
            raise ValidationError(
                "This file is not an image (perhaps a document renamed to look like one); "
                f"{ASK_FOR_A_PHOTO}."
            ) from error
        except (OSError, SyntaxError, ValueError) as error:
            raise ValidationError(
                f"The image data is damaged or cut short ({error}); upload the complete file again."
            ) from error
        if probe.format not in ACCEPTED_FORMATS:
            raise ValidationError(f"This file is a {probe.format} image; {ASK_FOR_A_PHOTO}.")
        file.name = name_for_format(file.name, probe.format)
        file.seek(0)
        return Image.open(file)


def name_for_format(name: str, image_format: str) -> str:
    """The file name, ending in an extension of the format the bytes really are."""
    # A nameless upload (some clients send none) still gets a usable name.
    path = PurePath(name or "photo")
    extensions = EXTENSIONS[image_format]
    if path.suffix.lower().lstrip(".") in extensions:
        return name
    return str(path.with_suffix(f".{extensions[0]}"))


def _bomb_message(pillow_message: str) -> str:
    match = re.search(r"\((\d+) pixels\)", pillow_message)
    size = f"{int(match[1]) / 1e6:.0f} megapixels" if match else "too large"
    limit = Image.MAX_IMAGE_PIXELS / 1e6
    return (
        f"The image is {size}; the limit is {limit:.0f} megapixels (it would take too much "
        "memory to process). Upload a smaller version."
    )
