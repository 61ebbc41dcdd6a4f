import hashlib
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DatabaseError
from django.test import TestCase
from PIL import ExifTags, Image, ImageCms, features
from PIL.ImageCms import ImageCmsProfile, createProfile

from imaging.metadata import IPTC_BYLINE, IPTC_CAPTION, IPTC_CREDIT
from imaging.renditions import FORMATS
from imaging.tests.images import (
    CAMERA_OWNER,
    CAMERA_SERIAL,
    camera_exif,
    flat_png,
    icc_profile,
    iptc_datasets,
    jpeg_with_profile,
    photo_bytes,
    upload,
    with_iptc,
    xmp_packet,
)
from imaging.uploads import open_upload
from photos.models import Photo
from photos.services import (
    create_photo_from_upload,
    generate_renditions,
    make_renditions_job,
    portrait_from_upload,
    record_renditions_failure,
    remake_renditions,
    request_renditions,
    save_photo,
)

from .factories import (
    database_refuses,
    make_photo_whose_renditions_fail,
    run_jobs,
    upload_photo,
)

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
    photo = upload_photo(file=upload(data), fields={"caption": "Edited caption."})
    assert photo.caption == "Edited caption."
    assert (photo.credit, photo.photographer, photo.alt_text) == (
        "AP Photo",
        "Ana Ruiz",
        "A ferry at a pier.",
    )
    assert photo.autofilled_fields == ["credit", "photographer", "alt_text"]


def test_upload_keeps_the_untouched_original_privately(settings):
    data = photo_bytes(exif=camera_exif(artist="Kai"))
    photo = upload_photo(file=upload(data), fields={"credit": "Wire"})
    original = settings.PHOTO_ORIGINALS_ROOT / photo.image.name
    assert original.read_bytes() == data
    assert not str(settings.PHOTO_ORIGINALS_ROOT).startswith(str(settings.MEDIA_ROOT))
    assert photo.image.url.startswith("/admin/photos/photo/original/")


def test_a_failure_after_the_original_is_written_removes_it_and_the_row(settings):
    with database_refuses("INSERT", "photos_photo"), pytest.raises(DatabaseError):
        create_photo_from_upload(file=upload(photo_bytes()), fields={"credit": "Wire"})
    assert not Photo.objects.exists()
    assert files_under(settings.PHOTO_ORIGINALS_ROOT) == []


def replace_original(photo, file):
    """What the change page does with a new file."""
    photo.image = file
    save_photo(photo=photo, image=open_upload(file))


def run_all(callbacks):
    """Runs what a commit would have, and what those callbacks leave for their own commit."""
    with run_jobs():
        for callback in callbacks:
            callback()


def rendition_files(settings):
    """Every public file, with when it was last written."""
    return {
        p.relative_to(settings.MEDIA_ROOT).as_posix(): p.stat().st_mtime_ns
        for p in files_under(settings.MEDIA_ROOT)
    }


def test_the_upload_saves_the_original_and_the_row_and_a_job_makes_the_renditions(
    settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as after_commit:
        photo = create_photo_from_upload(file=upload(photo_bytes(900, 600)), fields={"credit": "A"})
    assert (settings.PHOTO_ORIGINALS_ROOT / photo.image.name).is_file()
    stored = Photo.objects.get()
    assert (stored.renditions, stored.rendition_version, stored.rendered_version) == ([], 1, None)
    assert stored.is_processing and not stored.is_ready
    assert rendition_files(settings) == {}

    [job] = [c for c in after_commit if getattr(c, "func", None) == make_renditions_job.enqueue]
    assert job.keywords == {"photo_id": photo.pk, "version": 1}
    run_all(after_commit)
    stored.refresh_from_db()
    assert stored.is_ready and not stored.is_processing and stored.rendered_version == 1
    assert set(rendition_files(settings)) == {r["name"] for r in stored.renditions}
    assert {r["width"] for r in stored.renditions if r["crop"] == "full"} == {480, 800}


def test_a_rerun_of_a_done_job_writes_nothing(settings):
    photo = upload_photo(file=upload(photo_bytes(900, 600)), fields={"credit": "A"})
    files = rendition_files(settings)
    assert len(files) == len(photo.renditions) > 0
    with run_jobs():
        make_renditions_job.call(photo_id=photo.pk, version=photo.rendition_version)
        assert not generate_renditions(photo_id=photo.pk, version=photo.rendition_version)
    assert rendition_files(settings) == files
    assert Photo.objects.get().renditions == photo.renditions


def test_a_rerun_after_a_run_cut_short_completes_the_set_and_leaves_no_stray(settings):
    photo = upload_photo(file=upload(photo_bytes(900, 600)), fields={"credit": "A"})
    complete = rendition_files(settings)
    # As a worker killed before listing leaves it: one file cut short, the row not updated.
    Photo.objects.filter(pk=photo.pk).update(renditions=[], rendered_version=None)
    cut = settings.MEDIA_ROOT / photo.renditions[0]["name"]
    cut.write_bytes(cut.read_bytes()[:100])
    # And one its render would not make again (a setting changed since).
    stray = settings.MEDIA_ROOT / f"renditions/{photo.pk}/v1-full-1600w-0123456789abcdef.jpeg"
    stray.write_bytes(b"from the killed run")
    with run_jobs():
        assert generate_renditions(photo_id=photo.pk, version=photo.rendition_version)
    photo.refresh_from_db()
    assert set(rendition_files(settings)) == set(complete)
    assert {r["name"] for r in photo.renditions} == set(complete)
    for rendition in photo.renditions:
        path = settings.MEDIA_ROOT / rendition["name"]
        assert hashlib.sha256(path.read_bytes()).hexdigest()[:16] in rendition["name"]


def test_a_new_original_is_not_overwritten_by_the_job_for_the_old_one(
    settings, django_capture_on_commit_callbacks
):
    photo = upload_photo(file=upload(photo_bytes(900, 600)), fields={"credit": "A"})
    first = {r["name"] for r in photo.renditions}
    with django_capture_on_commit_callbacks() as after_commit:
        replace_original(photo, upload(photo_bytes(640, 480, colour=(9, 9, 9))))
    assert Photo.objects.get().renditions == photo.renditions  # the old set, until the new
    # The old version's job running late (a retry) lists nothing and leaves no file.
    assert not generate_renditions(photo_id=photo.pk, version=1)
    assert set(rendition_files(settings)) == first
    run_all(after_commit)
    photo.refresh_from_db()
    assert photo.rendered_version == photo.rendition_version == 2
    assert {r["width"] for r in photo.renditions if r["crop"] == "full"} == {480}
    assert set(rendition_files(settings)) == {r["name"] for r in photo.renditions}
    # And after the new set is listed, the old version's job still changes nothing.
    assert not generate_renditions(photo_id=photo.pk, version=1)
    assert set(rendition_files(settings)) == {r["name"] for r in photo.renditions}


def test_files_a_killed_job_left_for_a_replaced_version_go_when_the_next_set_is_listed(
    settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as after_commit:
        photo = create_photo_from_upload(file=upload(photo_bytes(900, 600)), fields={"credit": "A"})
    # Version 1's worker wrote a file and was killed; then a new original came in.
    stray = settings.MEDIA_ROOT / f"renditions/{photo.pk}/v1-full-800w-0123456789abcdef.jpeg"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"cut short")
    with django_capture_on_commit_callbacks(execute=True):
        replace_original(photo, upload(photo_bytes(640, 480)))
    photo.refresh_from_db()
    assert photo.rendered_version == 2
    assert set(rendition_files(settings)) == {r["name"] for r in photo.renditions}
    # The version 1 job, retried by a new worker, finds it replaced and writes nothing.
    run_all(after_commit)
    assert set(rendition_files(settings)) == {r["name"] for r in photo.renditions}


def test_a_desk_save_of_a_page_opened_before_the_job_ran_keeps_the_listed_set(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as after_commit:
        create_photo_from_upload(file=upload(photo_bytes(900, 600)), fields={"credit": "A"})
    opened = Photo.objects.get()
    run_all(after_commit)
    listed = Photo.objects.get().renditions
    opened.caption = "Caption typed meanwhile."
    with run_jobs():
        save_photo(photo=opened)
    stored = Photo.objects.get()
    assert stored.caption == "Caption typed meanwhile."
    assert stored.renditions == listed and stored.rendered_version == stored.rendition_version == 1


def test_a_storage_failure_in_the_job_lists_nothing_and_the_retry_completes(settings, tmp_path):
    media = settings.MEDIA_ROOT
    # Public media storage that cannot be written: a file where the folder should be.
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    settings.MEDIA_ROOT = blocked
    photo = upload_photo(file=upload(photo_bytes()), fields={"credit": "Wire"})
    assert (settings.PHOTO_ORIGINALS_ROOT / photo.image.name).is_file()
    # Every attempt failed (the tests' backend retries at once): the desk is told.
    assert photo.renditions == [] and "Not a directory" in photo.rendition_error
    settings.MEDIA_ROOT = media
    # The same version again, as the jobs page's retry sends it.
    make_renditions_job.call(photo_id=photo.pk, version=photo.rendition_version)
    photo.refresh_from_db()
    assert photo.is_ready and not photo.is_processing and not photo.renditions_failed
    assert set(rendition_files(settings)) == {r["name"] for r in photo.renditions}


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_a_photo_with_unreadable_exif_is_added_and_its_renditions_can_be_remade(fmt):
    data = photo_bytes(fmt=fmt, exif=b"not a TIFF header at all")
    photo = upload_photo(file=upload(data), fields={"credit": "Wire"})
    assert photo.upload_notices == ["The file's EXIF metadata could not be read and was ignored."]
    assert (photo.width, photo.height) == (640, 480)
    before = {(r["crop"], r["format"], r["width"]) for r in photo.renditions}
    # From the archived original, as rebuild_renditions does.
    version = request_renditions(photo_id=photo.pk)
    assert generate_renditions(photo_id=photo.pk, version=version)
    photo.refresh_from_db()
    assert {(r["crop"], r["format"], r["width"]) for r in photo.renditions} == before


def test_a_portrait_is_a_centred_jpeg_square_never_larger_than_the_upload():
    portrait = portrait_from_upload(file=upload(photo_bytes(300, 200, fmt="PNG"), name="me.png"))
    image = Image.open(portrait)
    assert (image.format, image.size) == ("JPEG", (200, 200))
    assert portrait.name.endswith(".jpeg") and portrait.content_type == "image/jpeg"


def test_a_renditions_job_that_fails_for_good_says_why_on_the_photo(settings):
    photo, _ = make_photo_whose_renditions_fail()

    assert photo.renditions_failed and not photo.is_processing and not photo.is_ready
    assert photo.rendition_error.startswith("OSError: ") and "truncated" in photo.rendition_error
    assert (photo.rendition_version, photo.rendered_version, photo.renditions) == (1, None, [])
    assert rendition_files(settings) == {}


def test_remaking_the_renditions_after_a_failure_clears_it(settings):
    photo, good = make_photo_whose_renditions_fail()
    Path(photo.image.path).write_bytes(good)  # the original mended in storage

    with run_jobs():
        assert remake_renditions(photo_id=photo.pk) == 2

    photo.refresh_from_db()
    assert photo.is_ready and not photo.renditions_failed and photo.rendition_error == ""
    assert set(rendition_files(settings)) == {r["name"] for r in photo.renditions}


def test_a_new_version_clears_the_failure_and_an_older_versions_failure_is_not_recorded():
    photo, _ = make_photo_whose_renditions_fail()
    photo.focal_x = 0.2  # a change baked into the files: a new version
    with TestCase.captureOnCommitCallbacks():
        save_photo(photo=photo)
    photo.refresh_from_db()
    assert photo.rendition_version == 2 and photo.is_processing and not photo.renditions_failed

    record_renditions_failure(OSError("too late"), photo_id=photo.pk, version=1)

    photo.refresh_from_db()
    assert photo.rendition_error == "" and photo.is_processing


# The renditions job, seen in the files it stores.

CREDIT = "Mara Lindqvist/Northmere Wire"
COPYRIGHT = "© 2026 Northmere Wire"


def wire_photo(width=3000, height=2000, **exif):
    data = photo_bytes(width, height, exif=camera_exif(**exif))
    return upload_photo(
        file=upload(data),
        fields={"credit": CREDIT, "photographer": "Mara Lindqvist", "copyright_notice": COPYRIGHT},
    )


def raw(rendition):
    with default_storage.open(rendition["name"]) as file:
        return file.read()


def opened(rendition):
    image = Image.open(io.BytesIO(raw(rendition)))
    image.load()
    return image


@pytest.fixture
def photo():
    return wire_photo()


def test_full_frame_widths_and_formats_never_upscaled(photo):
    full = [r for r in photo.renditions if r["crop"] == "full"]
    assert {(r["width"], r["format"]) for r in full} == {
        (width, fmt) for width in (480, 800, 1200, 1600, 2400) for fmt in FORMATS
    }
    assert "webp" in FORMATS and "jpeg" in FORMATS
    for rendition in full:
        image = opened(rendition)
        assert image.size == (rendition["width"], rendition["height"])
        assert image.format == rendition["format"].upper()
        assert rendition["height"] == round(rendition["width"] * 2 / 3)


def test_a_small_photo_gets_only_the_widths_it_can_fill():
    photo = wire_photo(1000, 700)
    widths = {r["width"] for r in photo.renditions if r["crop"] == "full"}
    assert widths == {480, 800}
    tiny = wire_photo(300, 200)
    assert {r["width"] for r in tiny.renditions if r["crop"] == "full"} == {300}


def test_fixed_ratio_crops(photo):
    for crop, ratio, widths in (("16x9", 16 / 9, {480, 800, 1200}), ("1x1", 1.0, {1200})):
        chosen = [r for r in photo.renditions if r["crop"] == crop]
        assert {r["width"] for r in chosen} == widths
        assert {r["format"] for r in chosen} == set(FORMATS)
        for rendition in chosen:
            assert abs(rendition["width"] / rendition["height"] - ratio) < 0.01
            assert opened(rendition).size == (rendition["width"], rendition["height"])


def test_no_rendition_carries_gps_serial_owner_or_device(photo):
    with photo.image.open("rb") as original:
        assert CAMERA_SERIAL.encode() in original.read()  # the archive keeps everything
    assert len(photo.renditions) == len(FORMATS) * (5 + 3 + 1)
    for rendition in photo.renditions:
        image = opened(rendition)
        exif = image.getexif()
        assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert ExifTags.Base.GPSInfo not in exif
        details = exif.get_ifd(ExifTags.IFD.Exif)
        assert ExifTags.Base.BodySerialNumber not in details
        assert ExifTags.Base.CameraOwnerName not in details
        assert ExifTags.Base.Make not in exif and ExifTags.Base.Model not in exif
        for secret in (CAMERA_SERIAL, CAMERA_OWNER, "Phonemaker", "Pocket 12"):
            assert secret.encode() not in raw(rendition), (rendition["name"], secret)


def test_every_rendition_keeps_credit_photographer_and_copyright(photo):
    for rendition in photo.renditions:
        image = opened(rendition)
        exif = image.getexif()
        assert exif[ExifTags.Base.Artist] == "Mara Lindqvist"
        assert exif[ExifTags.Base.Copyright] == "(c) 2026 Northmere Wire"
        assert Photo.metadata_of(image).fields | {"caption": ""} == {
            "caption": "",
            "credit": CREDIT,
            "photographer": "Mara Lindqvist",
            "copyright_notice": COPYRIGHT,
        }


def test_exif_orientation_is_applied():
    # Stored 600×400 with "rotate 90° clockwise to view" (6): seen as 400×600.
    photo = wire_photo(600, 400, orientation=6)
    assert (photo.width, photo.height) == (400, 600)
    jpeg = next(r for r in photo.renditions if r["crop"] == "full" and r["format"] == "jpeg")
    image = opened(jpeg).convert("RGB")
    assert image.size == (400, 600)
    # The red block drawn top-left of the stored pixels ends up top-right when upright.
    red = image.getpixel((image.width - 20, 20))
    assert red[0] > 200 and red[1] < 60
    assert image.getpixel((20, 20))[0] < 150
    assert ExifTags.Base.Orientation not in image.getexif()


def test_the_focal_point_keeps_the_subject_in_the_crop():
    photo = wire_photo(3000, 2000)
    photo.focal_x, photo.focal_y = 0.0, 0.0
    with run_jobs():
        save_photo(photo=photo)
    photo.refresh_from_db()
    square = next(r for r in photo.renditions if r["crop"] == "1x1" and r["format"] == "jpeg")
    # The red block (top-left quarter of the frame) fills the top-left of a square cut at the left.
    image = opened(square).convert("RGB")
    assert image.getpixel((100, 100))[0] > 200
    assert image.getpixel((image.width - 50, image.height - 50))[0] < 150


def test_names_come_from_the_version_and_the_content():
    photo = wire_photo(900, 600)
    folder = f"renditions/{photo.pk}/v{photo.rendition_version}"
    for rendition in photo.renditions:
        assert rendition["name"].startswith(f"{folder}-{rendition['crop']}-")
        assert rendition["name"].endswith(f".{rendition['format']}")
    assert len({r["name"] for r in photo.renditions}) == len(photo.renditions)


@pytest.mark.parametrize("options", [[], ["--here"]])
def test_rebuild_renditions_remakes_every_photo_with_a_progress_bar(settings, options):
    first, second = wire_photo(900, 600), wire_photo(700, 500)
    old = {r["name"] for r in first.renditions + second.renditions}
    out = io.StringIO()
    with run_jobs():
        call_command("rebuild_renditions", *options, stdout=out)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.rendered_version, second.rendered_version) == (2, 2)
    assert {r["width"] for r in first.renditions if r["crop"] == "full"} == {480, 800}
    new = {r["name"] for r in first.renditions + second.renditions}
    assert all(default_storage.exists(name) for name in new)
    assert not any(default_storage.exists(name) for name in old)
    assert "2/2" in out.getvalue() and "100%" in out.getvalue()


def test_the_colour_profile_is_kept():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image = Image.new("RGB", (500, 400), (10, 200, 30))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", icc_profile=profile)
    photo = upload_photo(file=upload(buffer.getvalue()), fields={"credit": "W"})
    for rendition in photo.renditions:
        assert opened(rendition).info.get("icc_profile") == profile, rendition["name"]


def png_upload(image, name="graphic.png"):
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return upload(buffer.getvalue(), name=name)


def test_transparent_pixels_become_white_as_on_the_page():
    image = Image.new("RGBA", (5000, 3000), (200, 30, 30, 255))
    image.paste((0, 0, 0, 0), (0, 0, 2500, 3000))
    photo = upload_photo(file=png_upload(image), fields={"credit": "W"})
    largest = max(
        (r for r in photo.renditions if r["crop"] == "full" and r["format"] == "jpeg"),
        key=lambda r: r["width"],
    )
    assert (largest["width"], largest["height"]) == (2400, 1440)
    flat = opened(largest).convert("RGB")
    assert all(channel > 245 for channel in flat.getpixel((300, 700)))
    red = flat.getpixel((2100, 700))
    assert red[0] > 180 and red[1] < 60 and red[2] < 60


def test_a_16_bit_grey_png_keeps_its_tones():
    photo = upload_photo(
        file=upload(flat_png(900, 600, colour_type=0, bit_depth=16), name="scan.png"),
        fields={"credit": "W"},
    )
    for rendition in photo.renditions:
        grey = opened(rendition).convert("L").getpixel((10, 10))
        # 0xC8C8 of 0xFFFF is 200 of 255 (all white before).
        assert 195 <= grey <= 205, rendition["name"]


def colour_photo(profile):
    return upload_photo(file=upload(jpeg_with_profile(profile)), fields={"credit": "W"})


def test_a_large_colour_profile_is_applied_to_the_pixels_and_not_copied():
    assert features.check("littlecms2")  # Pillow's wheels bring littleCMS
    # The 4 MB profile made 24 renditions of 100 MB in all, a 480 px JPEG of 4.2 MB.
    photo = colour_photo(icc_profile(swap_red_and_blue=True, padding=4_000_000))
    assert sum(len(raw(r)) for r in photo.renditions) < 500_000
    small = next(
        r for r in photo.renditions if (r["crop"], r["width"], r["format"]) == ("full", 480, "jpeg")
    )
    assert len(raw(small)) < 10_000
    assert photo.upload_notices == []
    for rendition in photo.renditions:
        image = opened(rendition)
        assert not image.info.get("icc_profile"), rendition["name"]
        # Stored red, under that profile, is blue: the renditions show it in sRGB.
        red, green, blue = image.convert("RGB").getpixel((40, 40))
        assert blue > 200 and red < 60 and green < 60, rendition["name"]


def test_a_small_colour_profile_is_kept_and_the_pixels_left_as_they_are():
    # 588 bytes, like Adobe RGB (1998) or Display P3: browsers apply it.
    profile = icc_profile(swap_red_and_blue=True)
    for rendition in colour_photo(profile).renditions:
        image = opened(rendition)
        assert image.info.get("icc_profile") == profile, rendition["name"]
        red, _, blue = image.convert("RGB").getpixel((40, 40))
        assert red > 200 and blue < 60


@pytest.mark.parametrize(("size", "kept"), [(4096, True), (4097, False)])
def test_profiles_up_to_4_kb_are_kept_larger_ones_converted(size, kept):
    profile = icc_profile(padding=size - len(icc_profile(padding=1)) + 1)
    assert len(profile) == size
    rendition = colour_photo(profile).renditions[0]
    assert (opened(rendition).info.get("icc_profile") == profile) is kept


@pytest.mark.parametrize(
    "profile",
    [
        b"Not an ICC profile, whatever its name. " * 4,
        ImageCmsProfile(createProfile("LAB")).tobytes(),
    ],
    ids=["unreadable", "for Lab, not RGB, pixels"],
)
def test_a_colour_profile_that_cannot_be_used_is_left_out_and_the_editor_told(profile):
    photo = colour_photo(profile)
    assert photo.upload_notices == [
        "The file's colour profile could not be used and was left out: its colours may look "
        "slightly different on the site."
    ]
    for rendition in photo.renditions:
        image = opened(rendition)
        assert not image.info.get("icc_profile")
        assert image.convert("RGB").getpixel((40, 40))[0] > 200


def test_no_rendition_carries_the_files_comment():
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (90, 120, 150)).save(
        buffer, "JPEG", comment=b"Source: the minister's driver. Do not name."
    )
    photo = upload_photo(file=upload(buffer.getvalue()), fields={"credit": "W"})
    for rendition in photo.renditions:
        assert b"minister" not in raw(rendition), rendition["name"]
