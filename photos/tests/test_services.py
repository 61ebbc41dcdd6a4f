import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from photos.metadata import IPTC_BYLINE, IPTC_CAPTION, IPTC_CREDIT
from photos.models import Photo
from photos.services import (
    create_photo_from_upload,
    generate_renditions,
    portrait_from_upload,
)

from .images import camera_exif, iptc_datasets, photo_bytes, upload, with_iptc, xmp_packet

pytestmark = pytest.mark.django_db


def files_under(path):
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.exists() else []


def png_of(size, mode="1"):
    # One-bit pixels compress to almost nothing, so a 100-megapixel file stays small.
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_with_script_comment():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30)).save(
        buffer, "JPEG", comment=b"<script>document.location='https://evil.example'</script>"
    )
    return buffer.getvalue()


BAD_FILES = {
    "text renamed .jpg": (b"Minutes of the editorial meeting, 3 March.\n" * 5, "not an image"),
    "zero bytes": (b"", "empty (0 bytes)"),
    "truncated JPEG": (photo_bytes(800, 600)[:3000], "damaged or cut short"),
    "SVG": (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>',
        "SVG drawing",
    ),
    "HTML page": (b"<!DOCTYPE html><html><body>Hello</body></html>", "HTML or script"),
    "JPEG/HTML polyglot": (jpeg_with_script_comment(), "HTML or script"),
    "GIF": (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00"
        b"\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
        "GIF image",
    ),
    "decompression bomb above the warning limit": (png_of((10_000, 9_500)), "95 megapixels"),
    "decompression bomb above twice the limit": (png_of((14_000, 13_000)), "182 megapixels"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_each_bad_file_is_refused_with_its_problem_named_and_nothing_is_left(settings, case):
    data, problem = BAD_FILES[case]
    with pytest.raises(ValidationError) as refused:
        create_photo_from_upload(file=upload(data), fields={"credit": "Wire"})
    assert problem in " ".join(refused.value.messages)
    assert not Photo.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == files_under(settings.PHOTO_ORIGINALS_ROOT) == []


def test_the_pixel_limit_is_named_in_the_bomb_message():
    with pytest.raises(ValidationError) as refused:
        create_photo_from_upload(file=upload(png_of((10_000, 9_500))), fields={"credit": "W"})
    assert refused.value.messages == [
        "The image is 95 megapixels; the limit is 89 megapixels (it would take too much memory "
        "to process). Upload a smaller version."
    ]


def test_a_file_above_the_size_limit_is_refused_naming_the_setting(settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 2 * 1024
    data = photo_bytes(200, 200, colour=(1, 2, 3)) + b"\0" * 3000
    with pytest.raises(ValidationError) as refused:
        create_photo_from_upload(file=upload(data), fields={"credit": "Wire"})
    assert refused.value.messages == [
        f"The file is {len(data) / 1024:.1f}\xa0KB; the limit is 2.0\xa0KB "
        "(PHOTO_MAX_UPLOAD_BYTES)."
    ]
    assert files_under(settings.PHOTO_ORIGINALS_ROOT) == []


def test_the_default_size_limit_is_40_mb(settings):
    assert settings.PHOTO_MAX_UPLOAD_BYTES == 40 * 1024 * 1024


def test_a_file_without_a_credit_anywhere_is_refused_saying_so(settings):
    with pytest.raises(ValidationError) as refused:
        create_photo_from_upload(file=upload(photo_bytes()))
    assert "the file carries none" in refused.value.message_dict["credit"][0]
    assert files_under(settings.PHOTO_ORIGINALS_ROOT) == []


def test_upload_fills_the_empty_fields_from_the_file_and_records_which():
    data = with_iptc(
        photo_bytes(xmp=xmp_packet(alt_text="A ferry at a pier.")),
        iptc_datasets(
            {IPTC_CAPTION: b"Ferry, Monday.", IPTC_CREDIT: b"AP Photo", IPTC_BYLINE: b"Ana Ruiz"}
        ),
    )
    photo = create_photo_from_upload(file=upload(data), fields={"caption": "Edited caption."})
    assert photo.caption == "Edited caption."
    assert (photo.credit, photo.photographer, photo.alt_text) == (
        "AP Photo",
        "Ana Ruiz",
        "A ferry at a pier.",
    )
    assert photo.autofilled_fields == ["credit", "photographer", "alt_text"]


def test_upload_keeps_the_untouched_original_privately(settings):
    data = photo_bytes(exif=camera_exif(artist="Kai"))
    photo = create_photo_from_upload(file=upload(data), fields={"credit": "Wire"})
    original = settings.PHOTO_ORIGINALS_ROOT / photo.image.name
    assert original.read_bytes() == data
    assert not str(settings.PHOTO_ORIGINALS_ROOT).startswith(str(settings.MEDIA_ROOT))
    assert photo.image.url.startswith("/admin/photos/photo/original/")


def test_a_failure_after_the_original_is_written_removes_it_and_the_row(settings, tmp_path):
    # Public media storage that cannot be written: a file where the folder should be.
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    settings.MEDIA_ROOT = blocked
    with pytest.raises(OSError):
        create_photo_from_upload(file=upload(photo_bytes()), fields={"credit": "Wire"})
    assert not Photo.objects.exists()
    assert files_under(settings.PHOTO_ORIGINALS_ROOT) == []


def test_regenerating_writes_only_changed_renditions_and_drops_the_old(
    settings, django_capture_on_commit_callbacks
):
    photo = create_photo_from_upload(file=upload(photo_bytes(900, 600)), fields={"credit": "A"})
    before = {r["name"] for r in photo.renditions}
    with django_capture_on_commit_callbacks(execute=True):
        generate_renditions(photo=photo)
    assert {r["name"] for r in photo.renditions} == before

    photo.credit = "B"
    with django_capture_on_commit_callbacks(execute=True):
        generate_renditions(photo=photo)
    after = {r["name"] for r in photo.renditions}
    assert not before & after
    on_disk = {
        p.relative_to(settings.MEDIA_ROOT).as_posix() for p in files_under(settings.MEDIA_ROOT)
    }
    assert on_disk == after


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_a_photo_with_unreadable_exif_is_added_and_its_renditions_can_be_remade(fmt):
    data = photo_bytes(fmt=fmt, exif=b"not a TIFF header at all")
    photo = create_photo_from_upload(file=upload(data), fields={"credit": "Wire"})
    assert photo.upload_notices == ["The file's EXIF metadata could not be read and was ignored."]
    assert (photo.width, photo.height) == (640, 480)
    before = {r["name"] for r in photo.renditions}
    # From the archived original, as rebuild_renditions does.
    assert {r["name"] for r in generate_renditions(photo=photo).renditions} == before


def test_a_portrait_is_a_centred_jpeg_square_never_larger_than_the_upload():
    portrait = portrait_from_upload(file=upload(photo_bytes(300, 200, fmt="PNG"), name="me.png"))
    image = Image.open(portrait)
    assert (image.format, image.size) == ("JPEG", (200, 200))
    assert portrait.name.endswith(".jpeg") and portrait.content_type == "image/jpeg"
