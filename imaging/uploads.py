"""Checking an uploaded file before anything is written: is it a photo we can publish?"""

import math
import re
import warnings
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

from imaging.renditions import WEBP_DECODE_BYTES_PER_PIXEL, decode_bytes

ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
# The extensions a stored file may carry for each format, the first one preferred.
EXTENSIONS = {"JPEG": ("jpg", "jpeg"), "PNG": ("png",), "WEBP": ("webp",)}
ASK_FOR_A_PHOTO = "upload a JPEG, PNG or WebP photo"

# Markup that browsers would run if the file were ever served as HTML. Real
# photos never contain these byte strings (XMP is XML, but never <script or <html).
MARKUP = re.compile(rb"<(?:script|html|body|iframe|\?php)\b|<!doctype html", re.IGNORECASE)
SVG = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<svg\b", re.IGNORECASE | re.DOTALL)

# The most memory the renditions' decode may hold for pixels (measured in
# docs/benchmarks.md). Pillow's own limit, 89.5 megapixels, is this at 3 bytes
# a pixel. A JPEG keeps far below it by decoding at a fraction of its size;
# the files that cannot are held to the same memory by a lower pixel limit.
DECODE_BUDGET_BYTES = 256 * 1024 * 1024


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
        # pixel_limit() is never above Pillow's limit, and names the kind of file;
        # Pillow's own warning (between its limit and twice that) adds nothing.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        # Pillow warns of metadata it can read only in part ("Corrupt EXIF
        # data"); read_metadata() tells the editor, the upload goes on.
        warnings.simplefilter("ignore", UserWarning)
        try:
            _check_webp_canvas(data)
            probe = Image.open(file)
            if probe.format not in ACCEPTED_FORMATS:
                raise ValidationError(f"This file is a {probe.format} image; {ASK_FOR_A_PHOTO}.")
            _check_pixels(probe.width * probe.height, pixel_limit(probe), _kind(probe))
            # Decoding every byte is the only way to find a truncated file; at
            # JPEG's 1/8 draft scale it costs little. The renditions decode again.
            probe.draft("RGB", (probe.width // 8, probe.height // 8))
            probe.load()
        except Image.DecompressionBombError as error:
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
        file.name = name_for_format(file.name, probe.format)
        file.seek(0)
        return Image.open(file)


def pixel_limit(image: Image.Image) -> int:
    """The most pixels an upload like this one may have, from its header (before decoding)."""
    pixels = image.width * image.height
    budgeted = int(pixels * DECODE_BUDGET_BYTES / decode_bytes(image))
    return min(Image.MAX_IMAGE_PIXELS, budgeted)


def _check_webp_canvas(data: bytes) -> None:
    """Refuses a WebP too large for its pixel limit before Pillow opens it: opening makes
    libwebp allocate the whole canvas."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
    elif chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    elif chunk == b"VP8 ":
        width = int.from_bytes(data[26:28], "little") & 0x3FFF
        height = int.from_bytes(data[28:30], "little") & 0x3FFF
    else:
        return
    limit = min(Image.MAX_IMAGE_PIXELS, int(DECODE_BUDGET_BYTES / WEBP_DECODE_BYTES_PER_PIXEL))
    _check_pixels(width * height, limit, "a WebP")


def _kind(image: Image.Image) -> str:
    progressive = "progressive " if image.info.get("progressive") else ""
    return f"a {progressive}{ACCEPTED_FORMATS[image.format]}"


def _check_pixels(pixels: int, limit: int, kind: str) -> None:
    if pixels > limit:
        raise ValidationError(_too_many_pixels_message(pixels, limit, kind))


def name_for_format(name: str, image_format: str) -> str:
    """The file name, ending in an extension of the format the bytes really are."""
    # A nameless upload (some clients send none) still gets a usable name.
    path = PurePath(name or "photo")
    extensions = EXTENSIONS[image_format]
    if path.suffix.lower().lstrip(".") in extensions:
        return name
    return str(path.with_suffix(f".{extensions[0]}"))


def _bomb_message(pillow_message: str) -> str:
    """For Pillow's own refusal, at twice its limit (before pixel_limit() can be asked)."""
    match = re.search(r"\((\d+) pixels\)", pillow_message)
    return _too_many_pixels_message(int(match[1]) if match else None, Image.MAX_IMAGE_PIXELS)


def _too_many_pixels_message(pixels: int | None, limit: int, kind: str = "") -> str:
    # Whole megapixels, unless the image and the limit would read the same.
    digits = 1 if pixels and round(pixels / 1e6) <= limit // 1_000_000 else 0
    size = f"{pixels / 1e6:.{digits}f} megapixels" if pixels else "too large"
    shown_limit = f"{math.floor(limit / 10 ** (6 - digits)) / 10**digits:.{digits}f}"
    # Below Pillow's limit the limit depends on the kind of file (pixel_limit()).
    limit_of = f" for {kind} like this one" if kind and limit < Image.MAX_IMAGE_PIXELS else ""
    return (
        f"The image is {size}; the limit{limit_of} is {shown_limit} megapixels (it would "
        "take too much memory to process). Upload a smaller version."
    )
