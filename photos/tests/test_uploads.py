import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from photos.models import Photo
from photos.uploads import open_upload

from .factories import run_jobs
from .images import flat_png, photo_bytes, upload, wire_file
from .test_admin import files_under

ONE = reverse("admin:photos_photo_upload_one")


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


# The uploader script's endpoint: one file a request, answered in JSON.


def staff_who_may(*actions):
    """A desk account holding these of the photo library's permissions ("add", "view")."""
    user = get_user_model().objects.create_user(f"staff-{'-'.join(actions)}", is_staff=True)
    codenames = [f"{action}_photo" for action in actions]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def send_one(client, file, credit=""):
    return client.post(ONE, {"files": file, "credit": credit})


@pytest.mark.django_db
def test_one_file_is_added_and_answered_with_its_desk_link_and_state(desk):
    with run_jobs():
        response = send_one(desk, wire_file("ferry.jpg"))
        assert response.status_code == 201
        photo = Photo.objects.get()
        answer = response.json()
        assert answer == {
            "name": "ferry.jpg",
            "title": str(photo),
            "filled": "caption, credit, photographer, alt text",
            "notices": [],
            "id": photo.pk,
            "url": reverse("admin:photos_photo_change", args=[photo.pk]),
            "state_url": reverse("admin:photos_photo_state", args=[photo.pk]),
            "state": "processing",
            "note": "Making its renditions; readers get the caption and credit meanwhile.",
            "thumbnail": "",
        }
        assert desk.get(answer["state_url"]).json()["state"] == "processing"
    # The renditions job has run (once the upload committed, with the tests' backend).
    photo.refresh_from_db()
    state = desk.get(answer["state_url"]).json()
    assert (state["state"], state["thumbnail"]) == ("ready", photo.smallest_rendition_url())


@pytest.mark.django_db
def test_the_credit_sent_with_a_file_fills_only_a_file_without_one(desk):
    send_one(desk, upload(photo_bytes(), name="plain.jpg"), credit="Staff photo")
    send_one(desk, wire_file("wire.jpg"), credit="Staff photo")
    assert sorted(Photo.objects.values_list("credit", flat=True)) == [
        "AP Photo/Ana Ruiz",
        "Staff photo",
    ]


@pytest.mark.parametrize(
    ("file", "error"),
    [
        (SimpleUploadedFile("notes.jpg", b"not a photo at all"), "This file is not an image"),
        (SimpleUploadedFile("empty.jpg", b""), "The submitted file is empty."),
        (
            SimpleUploadedFile("drawing.jpg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
            "This file is an SVG drawing",
        ),
        (upload(photo_bytes(), name="no-credit.jpg"), "A credit line is required"),
        (
            upload(flat_png(11_000, 7_400), name="map.png", content_type="image/png"),
            "The image is 81 megapixels",
        ),
    ],
    ids=["not an image", "empty", "SVG", "no credit", "too many pixels"],
)
@pytest.mark.django_db
def test_a_bad_file_is_answered_with_its_problem_and_adds_nothing(desk, settings, file, error):
    response = send_one(desk, file)
    assert response.status_code == 400
    answer = response.json()
    assert answer["errors"][0].startswith(error), answer
    assert not Photo.objects.exists()
    assert files_under(settings.PHOTO_ORIGINALS_ROOT) == files_under(settings.MEDIA_ROOT) == []


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_naming_the_limit(desk, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1000
    answer = send_one(desk, upload(photo_bytes(), name="big.jpg")).json()
    assert answer["name"] == "big.jpg"
    assert answer["errors"][0].endswith("the limit is 1000\xa0bytes (PHOTO_MAX_UPLOAD_BYTES).")


@pytest.mark.django_db
def test_the_endpoint_takes_one_file_at_a_time_and_no_request_without_one(desk):
    two = [upload(photo_bytes(), name="a.jpg"), upload(photo_bytes(), name="b.jpg")]
    response = desk.post(ONE, {"files": two, "credit": "Staff"})
    assert (response.status_code, response.json()) == (
        400,
        {"errors": ["Send one file at a time."]},
    )
    response = desk.post(ONE, {"credit": "Staff"})
    assert (response.status_code, response.json()) == (400, {"errors": ["This field is required."]})
    assert desk.get(ONE).status_code == 405
    assert not Photo.objects.exists()


@pytest.mark.django_db
def test_the_endpoint_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_who_may("add"))
    refused = client.post(ONE, {"files": wire_file(), "credit": ""})
    assert refused.status_code == 403
    client.get(reverse("admin:photos_photo_upload"))
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        ONE, {"files": wire_file(), "credit": ""}, headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201
    assert Photo.objects.count() == 1


@pytest.mark.django_db
def test_only_staff_who_may_add_photos_can_send_one_or_ask_its_state(client):
    photo_state = reverse("admin:photos_photo_state", args=[1])
    # Not logged in: the desk's login, as for every desk page.
    assert client.post(ONE, {"files": wire_file()}).status_code == 302
    assert client.get(photo_state).status_code == 302
    client.force_login(staff_who_may())
    refused = client.post(ONE, {"files": wire_file(), "credit": ""})
    assert (refused.status_code, refused.json()) == (
        403,
        {"errors": ["Your account may not add photos."]},
    )
    assert client.get(photo_state).status_code == 403
    assert not Photo.objects.exists()
    client.force_login(staff_who_may("add", "view"))
    assert client.get(photo_state).json() == {"errors": ["No such photo."]}
