from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from imaging.metadata import IPTC_CAPTION, IPTC_CREDIT, IPTC_HEADLINE
from imaging.tests.images import (
    camera_exif,
    flat_png,
    iptc_datasets,
    jpeg_with_profile,
    photo_bytes,
    upload,
    wire_file,
    with_iptc,
    xmp_packet,
)
from newsroom.tests.forms import form_fields
from photos.models import Photo

from .factories import image_upload, make_photo, make_photo_whose_renditions_fail, run_jobs

pytestmark = pytest.mark.django_db


def photo_form(image, **fields):
    return {
        "image": image,
        "title": "",
        "caption": "Stalls on Lantern Row.",
        "credit": "Priya Demir for The Newsroom",
        "photographer": "",
        "copyright_notice": "",
        "alt_text": "",
        "focal_x": "0.5",
        "focal_y": "0.5",
        **fields,
    }


def files_under(path):
    return [p for p in path.rglob("*") if p.is_file()] if path.exists() else []


def test_upload_stores_the_file_and_its_size_and_leaves_the_renditions_to_a_job(
    desk, settings, django_capture_on_commit_callbacks
):
    upload = image_upload("market.jpg", width=300, height=200)
    with django_capture_on_commit_callbacks() as after_commit:
        response = desk.post(reverse("admin:photos_photo_add"), photo_form(upload))
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (300, 200)
    assert photo.image.name.endswith(".jpg")
    assert files_under(settings.PHOTO_ORIGINALS_ROOT) == [
        settings.PHOTO_ORIGINALS_ROOT / photo.image.name
    ]
    assert files_under(settings.MEDIA_ROOT) == [] and photo.renditions == []
    with run_jobs():
        for callback in after_commit:
            callback()
    photo.refresh_from_db()
    public = sorted(
        p.relative_to(settings.MEDIA_ROOT).as_posix() for p in files_under(settings.MEDIA_ROOT)
    )
    assert public == sorted(r["name"] for r in photo.renditions) and public


def test_the_desk_shows_processing_then_the_thumbnail(desk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as after_commit:
        desk.post(reverse("admin:photos_photo_add"), photo_form(image_upload()))
    photo = Photo.objects.get()
    pages = [
        reverse("admin:photos_photo_changelist"),
        reverse("admin:photos_photo_change", args=[photo.pk]),
    ]
    for page in pages:
        html = desk.get(page).content.decode()
        assert "Processing… (refresh to see it" in html and "/media/renditions/" not in html
    with run_jobs():
        for callback in after_commit:
            callback()
    photo.refresh_from_db()
    for page, width in zip(pages, (96, 480), strict=True):
        html = desk.get(page).content.decode()
        assert "Processing…" not in html
        assert f'<img src="{photo.smallest_rendition_url()}" width="{width}"' in html


def test_the_desk_shows_a_failed_set_with_its_error_and_remakes_it(
    desk, django_capture_on_commit_callbacks
):
    photo, good = make_photo_whose_renditions_fail(title="Harbour cranes")
    pages = [
        reverse("admin:photos_photo_changelist"),
        reverse("admin:photos_photo_change", args=[photo.pk]),
    ]
    for page in pages:
        html = desk.get(page).content.decode()
        assert "Renditions failed: OSError: image file is truncated" in html
        assert "Make the renditions again" in html and "Processing…" not in html
    Path(photo.image.path).write_bytes(good)  # the original mended in storage

    with django_capture_on_commit_callbacks() as after_commit:
        response = desk.post(
            pages[0], {"action": "remake", "_selected_action": [photo.pk]}, follow=True
        )
    assert "Renditions queued for 1 photo(s)" in response.content.decode()
    assert "Processing…" in desk.get(pages[0]).content.decode()
    with run_jobs():
        for callback in after_commit:
            callback()
    photo.refresh_from_db()
    assert photo.is_ready and not photo.renditions_failed
    html = desk.get(pages[0]).content.decode()
    assert "Renditions failed" not in html and photo.smallest_rendition_url() in html


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.jpg", b"This is a text file with a photo's name."),
        ("empty.jpg", b""),
        ("page.jpg", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_a_non_image_is_refused_and_nothing_is_written(desk, settings, name, content):
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = desk.post(reverse("admin:photos_photo_add"), photo_form(upload))
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Photo.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []
    assert files_under(settings.PHOTO_ORIGINALS_ROOT) == []


def test_credit_is_required(desk):
    response = desk.post(reverse("admin:photos_photo_add"), photo_form(image_upload(), credit=""))
    assert response.status_code == 200
    assert not Photo.objects.exists()


def test_library_search_finds_by_caption_credit_and_photographer(desk):
    make_photo(caption="Cranes at dawn", credit="Wire A", photographer="Mara Lindqvist")
    make_photo(caption="Night market", credit="Wire B")
    url = reverse("admin:photos_photo_changelist")
    for query in ("cranes", '"wire a"', "lindqvist"):
        html = desk.get(url, {"q": query}).content.decode()
        assert "Cranes at dawn" in html and "Night market" not in html


def test_library_list_shows_thumbnails(desk):
    photo = make_photo()
    html = desk.get(reverse("admin:photos_photo_changelist")).content.decode()
    assert f'<img src="{photo.smallest_rendition_url()}" width="96"' in html


def test_an_autofilled_value_longer_than_its_field_is_cut_to_fit(desk):
    title = "Ferry " * 60
    data = with_iptc(photo_bytes(), iptc_datasets({IPTC_HEADLINE: title.encode()}))
    response = desk.post(reverse("admin:photos_photo_add"), photo_form(upload(data)))
    assert response.status_code == 302
    assert Photo.objects.get().title == title.strip()[:255]


def test_upload_autofills_empty_fields_and_tells_the_editor(desk):
    form = photo_form(wire_file(), caption="", credit="", title="Ferry")
    response = desk.post(reverse("admin:photos_photo_add"), form, follow=True)
    photo = Photo.objects.get()
    assert photo.title == "Ferry"
    assert (photo.caption, photo.credit, photo.photographer, photo.alt_text) == (
        "Ferry at Pier 4, Monday.",
        "AP Photo/Ana Ruiz",
        "Ana Ruiz",
        "A white ferry at a pier.",
    )
    html = response.content.decode()
    assert "Filled from the file: caption, credit, photographer, alt text. Check them." in html
    change = desk.get(reverse("admin:photos_photo_change", args=[photo.pk])).content.decode()
    assert "Filled from the file" in change
    assert "caption, credit, photographer, alt text" in change


def test_admin_names_the_problem_with_a_bad_file(desk, settings):
    svg = SimpleUploadedFile("logo.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    response = desk.post(reverse("admin:photos_photo_add"), photo_form(svg))
    assert "This file is an SVG drawing; upload a JPEG, PNG or WebP photo." in (
        response.content.decode()
    )
    assert not Photo.objects.exists()
    assert files_under(settings.PHOTO_ORIGINALS_ROOT) == files_under(settings.MEDIA_ROOT) == []


def test_several_photos_upload_at_once_keeping_the_good_and_naming_the_bad(desk, settings):
    files = [
        wire_file("one.jpg", caption=b"First."),
        SimpleUploadedFile("broken.jpg", b"not a photo at all"),
        wire_file("two.jpg", caption=b"Second."),
        upload(photo_bytes(), name="no-credit.jpg"),
    ]
    response = desk.post(reverse("admin:photos_photo_upload"), {"files": files, "credit": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 files could not be added; the others were." in html
    assert "<strong>broken.jpg</strong>: This file is not an image" in html
    assert "<strong>no-credit.jpg</strong>: A credit line is required" in html
    assert sorted(Photo.objects.values_list("caption", flat=True)) == ["First.", "Second."]
    assert len(files_under(settings.PHOTO_ORIGINALS_ROOT)) == 2


def test_the_upload_form_credit_fills_only_files_without_one(desk):
    files = [upload(photo_bytes(), name="a.jpg"), wire_file("b.jpg", caption=b"Wire.")]
    response = desk.post(
        reverse("admin:photos_photo_upload"), {"files": files, "credit": "Staff photo"}
    )
    assert response.status_code == 302
    assert sorted(Photo.objects.values_list("credit", flat=True)) == [
        "AP Photo/Ana Ruiz",
        "Staff photo",
    ]
    assert Photo.objects.get(credit="Staff photo").autofilled_fields == []


def test_the_upload_form_needs_at_least_one_file(desk):
    response = desk.post(reverse("admin:photos_photo_upload"), {"credit": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_moving_the_focal_point_remakes_the_crops(desk):
    photo = make_photo(image=upload(photo_bytes(1600, 900)))
    before = {r["name"] for r in photo.renditions if r["crop"] == "1x1"}
    form = photo_form(
        "", caption=photo.caption, credit=photo.credit, alt_text="x", focal_x="0.1", focal_y="0.2"
    )
    with run_jobs():
        response = desk.post(reverse("admin:photos_photo_change", args=[photo.pk]), form)
    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y) == (0.1, 0.2)
    assert not before & {r["name"] for r in photo.renditions if r["crop"] == "1x1"}


def test_the_original_is_downloadable_by_staff_only(desk, client, django_user_model):
    photo = make_photo()
    response = desk.get(photo.image.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == photo.image.open("rb").read()
    photo.image.close()
    client.logout()
    assert client.get(photo.image.url).status_code == 302


def test_a_photo_without_alt_text_can_be_saved_as_a_draft(desk):
    response = desk.post(reverse("admin:photos_photo_add"), photo_form(image_upload()))
    assert response.status_code == 302
    assert Photo.objects.get().alt_text == ""


def test_the_library_links_to_the_several_files_upload_form(desk):
    listing = desk.get(reverse("admin:photos_photo_changelist")).content.decode()
    url = reverse("admin:photos_photo_upload")
    assert f'<a href="{url}" class="addlink">Upload photos</a>' in listing
    form = desk.get(url).content.decode()
    assert 'type="file" name="files" accept="image/jpeg,image/png,image/webp" multiple' in form


XMP_WITH_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE x:xmpmeta [<!ENTITY credit "AP Photo">]>'
    + xmp_packet(credit="&credit;")
)


def warnings_shown(response):
    return [str(m) for m in response.context["messages"] if m.level_tag == "warning"]


def test_an_upload_whose_xmp_has_a_dtd_goes_on_and_the_editor_is_told(desk):
    data = photo_bytes(xmp=XMP_WITH_ENTITY, exif=camera_exif(artist="Kai Berg"))
    form = photo_form(upload(data), photographer="")
    with run_jobs():
        response = desk.post(reverse("admin:photos_photo_add"), form, follow=True)
    assert response.status_code == 200
    photo = Photo.objects.get()
    assert (photo.credit, photo.photographer) == ("Priya Demir for The Newsroom", "Kai Berg")
    assert photo.renditions
    assert warnings_shown(response) == [
        "The file's XMP metadata could not be read and was ignored."
    ]


def test_an_exif_caption_over_5000_characters_is_cut_and_the_editor_is_told(desk):
    caption = "Ferry at Pier 4 on Monday morning. " * 180  # 6,300 characters
    data = photo_bytes(exif=camera_exif(description=caption))
    response = desk.post(
        reverse("admin:photos_photo_add"), photo_form(upload(data), caption=""), follow=True
    )
    assert response.status_code == 200
    assert Photo.objects.get().caption == caption[:5000].rstrip()
    assert warnings_shown(response) == ["The caption from the file was cut to 5,000 characters."]


def test_the_editors_own_caption_wins_without_a_word_about_the_files(desk):
    data = photo_bytes(exif=camera_exif(description="x" * 6000))
    response = desk.post(reverse("admin:photos_photo_add"), photo_form(upload(data)), follow=True)
    assert Photo.objects.get().caption == "Stalls on Lantern Row."
    assert warnings_shown(response) == []


def test_several_uploads_with_unreadable_or_over_long_metadata_are_all_kept_with_notices(desk):
    files = [
        upload(
            with_iptc(photo_bytes(), iptc_datasets({IPTC_CAPTION: b"Long. " * 1000})),
            name="long.jpg",
        ),
        upload(with_iptc(photo_bytes(), b"\x1c\x02\x78\xff\xffabc"), name="broken-iptc.jpg"),
        upload(photo_bytes(xmp=XMP_WITH_ENTITY), name="dtd.jpg"),
    ]
    response = desk.post(
        reverse("admin:photos_photo_upload"), {"files": files, "credit": "Staff"}, follow=True
    )
    assert response.status_code == 200
    assert Photo.objects.count() == 3
    long_caption = Photo.objects.get(image__endswith="long.jpg").caption
    assert long_caption == ("Long. " * 1000)[:5000].rstrip()
    assert warnings_shown(response) == [
        "long.jpg: The caption from the file was cut to 5,000 characters.",
        "broken-iptc.jpg: The file's IPTC metadata could not be read and was ignored.",
        "dtd.jpg: The file's XMP metadata could not be read and was ignored.",
    ]


def test_a_png_too_large_to_decode_is_refused_at_the_desk_naming_the_limit(desk, settings):
    # The file: 81 megapixels of RGBA in under 2 MB, once 1.44 GB of worker memory.
    png = upload(flat_png(11_000, 7_400), name="map.png", content_type="image/png")
    response = desk.post(reverse("admin:photos_photo_add"), photo_form(png))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["image"] == [
        "The image is 81 megapixels; the limit for a PNG like this one is 64 megapixels (it "
        "would take too much memory to process). Upload a smaller version."
    ]
    assert not Photo.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == files_under(settings.PHOTO_ORIGINALS_ROOT) == []


def test_a_colour_profile_that_cannot_be_used_is_left_out_and_the_editor_told(desk):
    data = jpeg_with_profile(b"Not an ICC profile at all. " * 8, width=300, height=200)
    with run_jobs():
        response = desk.post(
            reverse("admin:photos_photo_add"), photo_form(upload(data)), follow=True
        )
    assert response.status_code == 200
    assert Photo.objects.get().renditions
    assert warnings_shown(response) == [
        "The file's colour profile could not be used and was left out: its colours may look "
        "slightly different on the site."
    ]


REPEATING = "Smoke over the harbour on Monday. (Photo by Jo Example/Test Wire)"


def test_a_caption_ending_with_its_credit_is_pointed_out_and_the_repeat_dropped(desk):
    photo = make_photo(caption=REPEATING, credit="Jo Example/Test Wire")
    url = reverse("admin:photos_photo_change", args=[photo.pk])
    page = desk.get(url).content.decode()
    assert "The caption ends with “(Photo by Jo Example/Test Wire)”" in page
    _, fields = form_fields(page, "photo_form")
    assert "drop_repeated_credit" not in fields  # offered, not ticked
    with run_jobs():
        response = desk.post(url, {**fields, "drop_repeated_credit": "on"})
    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.caption, photo.credit) == (
        "Smoke over the harbour on Monday.",
        "Jo Example/Test Wire",
    )
    assert 'name="drop_repeated_credit"' not in desk.get(url).content.decode()


def test_left_unticked_the_repeating_caption_is_kept(desk):
    photo = make_photo(caption=REPEATING, credit="Jo Example/Test Wire")
    url = reverse("admin:photos_photo_change", args=[photo.pk])
    _, fields = form_fields(desk.get(url).content.decode(), "photo_form")
    with run_jobs():
        assert desk.post(url, fields).status_code == 302
    photo.refresh_from_db()
    assert photo.caption == REPEATING


def test_a_caption_without_its_credit_gets_no_offer(desk):
    photo = make_photo(caption="Smoke over the harbour.", credit="Jo Example/Test Wire")
    page = desk.get(reverse("admin:photos_photo_change", args=[photo.pk])).content.decode()
    assert 'name="drop_repeated_credit"' not in page


def test_an_upload_whose_caption_ends_with_its_credit_is_pointed_out(desk):
    data = with_iptc(
        photo_bytes(),
        iptc_datasets({IPTC_CAPTION: REPEATING.encode(), IPTC_CREDIT: b"Jo Example/Test Wire"}),
    )
    form = photo_form(upload(data), caption="", credit="")
    with run_jobs():
        response = desk.post(reverse("admin:photos_photo_add"), form, follow=True)
    assert Photo.objects.get().caption == REPEATING
    assert any("ends with “(Photo by Jo Example/Test Wire)”" in w for w in warnings_shown(response))


# The uploader script's endpoint: one file a request, answered in JSON.

ONE = reverse("admin:photos_photo_upload_one")


def staff_who_may(*actions):
    """A desk account holding these of the photo library's permissions ("add", "view")."""
    user = get_user_model().objects.create_user(f"staff-{'-'.join(actions)}", is_staff=True)
    codenames = [f"{action}_photo" for action in actions]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def send_one(client, file, credit=""):
    return client.post(ONE, {"files": file, "credit": credit})


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
def test_a_bad_file_is_answered_with_its_problem_and_adds_nothing(desk, settings, file, error):
    response = send_one(desk, file)
    assert response.status_code == 400
    answer = response.json()
    assert answer["errors"][0].startswith(error), answer
    assert not Photo.objects.exists()
    assert files_under(settings.PHOTO_ORIGINALS_ROOT) == files_under(settings.MEDIA_ROOT) == []


def test_a_file_over_the_size_limit_is_refused_naming_the_limit(desk, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 1000
    answer = send_one(desk, upload(photo_bytes(), name="big.jpg")).json()
    assert answer["name"] == "big.jpg"
    assert answer["errors"][0].endswith("the limit is 1000\xa0bytes (PHOTO_MAX_UPLOAD_BYTES).")


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
