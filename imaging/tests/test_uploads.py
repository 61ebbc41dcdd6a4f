import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from imaging.uploads import open_upload

from .images import flat_png, upload


def webp_of(width, height):
    # Lossless and flat: a few bytes on disk for any number of pixels.
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (90, 120, 150)).save(buffer, "WEBP", lossless=True, method=0)
    return buffer.getvalue()


def progressive_jpeg_of(width, height, *, subsampling):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (90, 120, 150)).save(
        buffer, "JPEG", progressive=True, subsampling=subsampling
    )
    return buffer.getvalue()


# Each file is made by the test that uses it: some take seconds to encode.
TOO_LARGE = {
    # The file: an 81-megapixel RGBA PNG of under 2 MB.
    "RGBA PNG": (lambda: flat_png(11_000, 7_400), "81 megapixels", "a PNG like this one is 64"),
    "RGB PNG": (
        lambda: flat_png(10_100, 6_700, colour_type=2),
        "68 megapixels",
        "a PNG like this one is 67",
    ),
    # Just above the limit: both with a decimal, so that they do not read the same.
    "WebP": (lambda: webp_of(5_000, 4_500), "22.5 megapixels", "a WebP like this one is 22.3"),
    "progressive JPEG, full colour resolution": (
        lambda: progressive_jpeg_of(9_000, 5_600, subsampling=0),
        "50 megapixels",
        "a progressive JPEG like this one is 38",
    ),
}


@pytest.mark.parametrize("case", TOO_LARGE)
def test_a_file_that_would_take_too_much_memory_to_decode_is_refused_naming_the_limit(case):
    make, size, limit = TOO_LARGE[case]
    with pytest.raises(ValidationError) as refused:
        open_upload(upload(make()))
    assert refused.value.messages == [
        f"The image is {size}; the limit for {limit} megapixels (it would take too much memory "
        "to process). Upload a smaller version."
    ]


def test_a_webp_above_pillows_own_limit_is_refused_with_the_webp_limit():
    # Pillow would allocate libwebp's canvas (4 bytes a pixel) before its own check.
    with pytest.raises(ValidationError) as refused:
        open_upload(upload(webp_of(10_000, 9_000)))
    assert refused.value.messages[0].startswith(
        "The image is 90 megapixels; the limit for a WebP like this one is 22 megapixels"
    )


WITHIN = {
    "RGBA PNG": lambda: flat_png(9_700, 6_400),
    "grey PNG, Pillow's limit": lambda: flat_png(11_000, 8_100, colour_type=0),
    "WebP": lambda: webp_of(5_000, 4_400),
    "progressive JPEG, colour at half resolution": (
        lambda: progressive_jpeg_of(9_000, 5_500, subsampling=2)
    ),
}


@pytest.mark.parametrize("case", WITHIN)
def test_a_file_within_the_limit_of_its_kind_is_accepted(case):
    image = open_upload(upload(WITHIN[case]()))
    assert image.width * image.height >= 22_000_000


def test_a_jpeg_panorama_decoded_whole_has_the_limit_of_the_memory_it_takes():
    # The square crops need every row of a 44:1 panorama: no draft scale to decode it at.
    buffer = io.BytesIO()
    Image.new("L", (60_000, 1_300)).save(buffer, "JPEG")
    assert open_upload(upload(buffer.getvalue())).size == (60_000, 1_300)
    buffer = io.BytesIO()
    Image.new("RGB", (60_000, 1_300)).save(buffer, "JPEG")
    with pytest.raises(ValidationError) as refused:
        open_upload(upload(buffer.getvalue()))
    assert refused.value.messages[0].startswith(
        "The image is 78 megapixels; the limit for a JPEG like this one is 67 megapixels"
    )


@pytest.mark.parametrize(
    "make",
    [lambda: flat_png(11_000, 7_400)[:4_000], lambda: webp_of(5_000, 4_500)[:30]],
    ids=["PNG", "WebP"],
)
def test_a_file_too_large_to_decode_is_refused_from_its_header_before_any_decoding(make):
    # Cut short after the header: had the pixels been read, the file would be "damaged".
    with pytest.raises(ValidationError) as refused:
        open_upload(upload(make()))
    assert "it would take too much memory to process" in refused.value.messages[0]
