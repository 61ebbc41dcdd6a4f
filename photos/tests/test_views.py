from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from imaging.renditions import MIME_TYPES
from imaging.tests.images import photo_bytes, upload

from .factories import upload_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo():
    return upload_photo(
        file=upload(photo_bytes(1800, 1200)),
        fields={"credit": "Wire", "caption": "Cranes.", "alt_text": "Three cranes."},
    )


def test_every_srcset_url_is_served_with_far_future_caching(client, photo):
    for rendition in photo.renditions:
        url = f"/media/{rendition['name']}"
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response["Content-Type"] == MIME_TYPES[rendition["format"]]
        body = b"".join(response.streaming_content)
        assert len(body) > 100


@pytest.mark.parametrize(
    "path",
    [
        "renditions/999/full-480w-0000000000000000.jpeg",
        "renditions/../../etc/passwd.jpeg",
        "renditions/1/notes.txt",
    ],
)
def test_unknown_or_unsafe_rendition_paths_are_404(client, photo, path):
    assert client.get(f"/media/{path}").status_code == 404


@pytest.fixture
def files_beside_renditions(settings, photo):
    """A legacy upload and an original kept in the media root, outside renditions/.

    With one shared bucket (or originals once kept under the media folder), these
    are what a path escaping renditions/ would reach.
    """
    media = Path(settings.MEDIA_ROOT)
    legacy = media / "legacy" / "x.webp"
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(photo_bytes(40, 30, "WEBP"))
    original = media / "originals" / "secret.jpeg"
    original.parent.mkdir(parents=True)
    original.write_bytes(photo_bytes(40, 30))
    return photo


@pytest.mark.parametrize(
    "path",
    [
        "/media/renditions/../legacy/x.webp",
        "/media/renditions/%2e%2e/legacy/x.webp",
        "/media/renditions/%2E%2E%2Flegacy%2Fx.webp",
        "/media/renditions/{id}/../../legacy/x.webp",
        "/media/renditions/{id}/..%2F..%2Foriginals%2Fsecret.jpeg",
        "/media/renditions/{id}/%2e%2e/%2e%2e/originals/secret.jpeg",
        "/media/renditions/../originals/secret.jpeg",
        "/media/renditions/{id}/..",
        "/media/renditions/{id}/.webp",
        "/media/renditions/{id}/a%00.webp",
        "/media/renditions/{id}/{file}%00.jpeg",
        "/media/renditions/%00/x.webp",
        "/media/renditions//{media}/legacy/x.webp",
        "/media/renditions/{id}/..%5C..%5Clegacy%5Cx.webp",
        "/media/renditions/{id}\\..\\..\\legacy\\x.webp",
        "/media/renditions/{id}/sub/{file}",
        "/media/renditions/{id}/{file}/",
        "/media/renditions/x{id}/{file}",
        "/media/renditions/{file}",
    ],
)
def test_paths_outside_a_photos_rendition_folder_are_404(client, files_beside_renditions, path):
    photo = files_beside_renditions
    file = photo.renditions[0]["name"].rsplit("/", 1)[1]
    url = path.format(id=photo.pk, file=file, media=str(settings.MEDIA_ROOT).lstrip("/"))
    response = client.get(url)
    response.close()
    assert response.status_code == 404, url


def test_the_original_is_not_reachable_from_public_urls(client, photo):
    assert client.get(f"/media/{photo.image.name}").status_code == 404
    assert client.get(photo.image.url).status_code == 302  # to the admin login


def test_rendition_url_is_the_one_templates_use(photo):
    assert reverse("photo-rendition", args=[photo.renditions[0]["name"].split("/", 1)[1]]) == (
        f"/media/{photo.renditions[0]['name']}"
    )
