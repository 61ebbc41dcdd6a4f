import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import ExifTags, Image, ImageCms, features
from PIL.ImageCms import ImageCmsProfile, createProfile

from photos.metadata import read_metadata
from photos.renditions import FORMATS, crop_box, flattened, flattened_in_strips
from photos.services import save_photo

from .factories import run_jobs, upload_photo
from .images import (
    CAMERA_OWNER,
    CAMERA_SERIAL,
    camera_exif,
    flat_png,
    icc_profile,
    jpeg_with_profile,
    photo_bytes,
    upload,
)

pytestmark = pytest.mark.django_db

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
        assert read_metadata(image).fields | {"caption": ""} == {
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
    assert crop_box((3000, 2000), 1.0, (0.9, 0.5)) == (1000, 0, 3000, 2000)
    assert crop_box((3000, 2000), 1.0, (0.1, 0.5)) == (0, 0, 2000, 2000)
    assert crop_box((3000, 2000), 1.0, (0.5, 0.5)) == (500, 0, 2500, 2000)
    assert crop_box((2000, 3000), 16 / 9, (0.5, 0.0)) == (0, 0, 2000, 1125)

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


@pytest.mark.parametrize("mode", ["RGBA", "LA", "P", "I;16"])
def test_converting_strip_by_strip_gives_the_whole_frame_result(mode):
    # A pattern that changes every few rows, with hard edges, shows any seam between strips.
    rows = Image.linear_gradient("L").resize((700, 2100)).point(lambda v: (v * 7) % 256)
    source = {
        "RGBA": Image.merge("RGBA", (rows, rows.rotate(90), rows, rows)),
        "LA": Image.merge("LA", (rows, rows.transpose(Image.Transpose.FLIP_TOP_BOTTOM))),
        "P": rows.convert("P"),
        "I;16": rows.convert("I").point(lambda v: v * 256).convert("I;16"),
    }[mode]
    size = (233, 700)
    lanczos = Image.Resampling.LANCZOS
    whole = flattened(source).resize((233, 2100), lanczos).resize(size, lanczos)
    in_strips = flattened_in_strips(source, size, strip_pixels=700 * 37)
    assert (in_strips.mode, in_strips.size) == (whole.mode, size)
    assert in_strips.tobytes() == whole.tobytes()


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
