import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.tests.factories import image_upload, make_article, make_photo, place_photo
from photos.models import Photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("desk", "d@example.org", "pw"))
    return client


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


def test_upload_stores_the_file_and_its_size(desk, settings):
    upload = image_upload("market.jpg", width=300, height=200)
    response = desk.post(reverse("admin:photos_photo_add"), photo_form(upload))
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (300, 200)
    assert photo.image.name.endswith(".jpg")
    assert files_under(settings.PHOTO_ORIGINALS_ROOT) == [
        settings.PHOTO_ORIGINALS_ROOT / photo.image.name
    ]
    public = sorted(
        p.relative_to(settings.MEDIA_ROOT).as_posix() for p in files_under(settings.MEDIA_ROOT)
    )
    assert public == sorted(r["name"] for r in photo.renditions)


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


def test_alt_text_cannot_be_removed_from_a_photo_in_a_published_story(desk):
    photo = make_photo()
    place_photo(make_article(), photo)
    response = desk.post(
        reverse("admin:photos_photo_change", args=[photo.pk]),
        photo_form("", caption=photo.caption, credit=photo.credit, alt_text=""),
    )
    assert response.status_code == 200
    assert "appears in a published story" in response.content.decode()
    photo.refresh_from_db()
    assert photo.alt_text


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
