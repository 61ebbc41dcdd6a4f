"""Uploaded pictures are only ever stored and served as the raster images they really are.

Photos are published as re-encoded renditions and author portraits as a
re-encoded square; their upload is where anything that is not a photo is
stopped.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Author
from imaging.tests.images import photo_bytes, upload
from photos.services import create_photo_from_upload
from photos.tests.factories import upload_photo

pytestmark = pytest.mark.django_db


def encoded(fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buffer, fmt, **options)
    return buffer.getvalue()


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
    b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
REFUSED = {
    "SVG named .svg": ("face.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
    "SVG named .jpg": (
        "face.jpg",
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
    ),
    "HTML named .jpg": ("face.jpg", b"<!doctype html><html><script>alert(1)</script></html>"),
    "PDF named .png": ("face.png", PDF),
    "JPEG/HTML polyglot": ("face.jpg", encoded("JPEG", comment=b"<html><script>alert(1)</script>")),
    "GIF": ("face.gif", encoded("GIF")),
}


@pytest.fixture
def desk(client):
    admin = get_user_model().objects.create_superuser("chief", "chief@example.org", "pw-12345678")
    client.force_login(admin)
    return client


def add_author(desk, name, file):
    return desk.post(
        reverse("admin:articles_author_add"),
        {"name": name, "slug": name.lower().replace(" ", "-"), "portrait": file},
    )


def files_under(path):
    return sorted(str(p) for p in path.rglob("*") if p.is_file()) if path.exists() else []


def test_a_portrait_that_is_not_a_photo_is_refused_with_its_problem_and_nothing_kept(
    desk, settings
):
    found = {}
    for case, (name, data) in REFUSED.items():
        response = add_author(desk, "Ines Okafor", SimpleUploadedFile(name, data, "image/jpeg"))
        errors = response.context["adminform"].form.errors.get("portrait", [])
        found[case] = (response.status_code, " ".join(errors))
    print("portrait uploads refused:")
    for case, (status, message) in found.items():
        print(f"  {case}: HTTP {status}: {message}")
    assert all(status == 200 for status, _ in found.values())
    assert "SVG drawing" in found["SVG named .svg"][1]
    assert "SVG drawing" in found["SVG named .jpg"][1]
    assert "HTML or script" in found["HTML named .jpg"][1]
    assert "HTML or script" in found["JPEG/HTML polyglot"][1]
    assert "not an image" in found["PDF named .png"][1]
    assert "GIF image" in found["GIF"][1]
    assert not Author.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_real_portrait_is_stored_under_the_extension_of_its_real_format(desk, settings):
    # A PNG named .html would be served as a web page by any server that goes by the name.
    # Portraits are re-encoded as JPEG, so whatever the upload was, the file is a .jpeg.
    png = SimpleUploadedFile("face.html", photo_bytes(120, 120, fmt="PNG"), "text/html")
    response = add_author(desk, "Ines Okafor", png)
    assert response.status_code == 302, response.context["adminform"].form.errors
    author = Author.objects.get()
    print(f"uploaded face.html (PNG bytes) → stored as {author.portrait.name}")
    assert author.portrait.name.startswith("authors/ines-okafor-")
    assert author.portrait.name.endswith(".jpeg")
    with author.portrait.open("rb") as stored:
        assert Image.open(stored).format == "JPEG"
    assert files_under(settings.MEDIA_ROOT) == [str(settings.MEDIA_ROOT / author.portrait.name)]


def test_a_photo_original_gets_its_real_extension_too(settings):
    photo = create_photo_from_upload(
        file=upload(photo_bytes(), name="wire.html"), fields={"credit": "Wire"}
    )
    print(f"photo uploaded as wire.html → original stored as {photo.image.name}")
    assert photo.image.name.endswith("/wire.jpg")


def test_renditions_are_served_with_their_exact_type_and_nosniff(client):
    photo = upload_photo(file=upload(photo_bytes()), fields={"credit": "Wire"})
    served = {}
    for rendition in photo.renditions:
        response = client.get(f"/media/{rendition['name']}")
        # Reading the body to the end lets the test client close the file.
        body = b"".join(response.streaming_content)
        served[rendition["name"].rsplit(".", 1)[1]] = (
            response["Content-Type"],
            response["X-Content-Type-Options"],
            len(body),
        )
    print(f"renditions served as: {served}")
    assert served["jpeg"][:2] == ("image/jpeg", "nosniff")
    assert served["webp"][:2] == ("image/webp", "nosniff")
    assert all(size > 100 for *_, size in served.values())
    # Only the rendition formats are answered: anything else under the folder is a 404.
    assert client.get(f"/media/renditions/{photo.pk}/x.html").status_code == 404
    assert client.get(f"/media/renditions/{photo.pk}/x.svg").status_code == 404
