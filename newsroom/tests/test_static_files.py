"""Production static files: hashed names and far-future caching through whitenoise."""

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


@pytest.mark.django_db
def test_stylesheet_is_served_with_a_hashed_name_and_immutable_caching(collected):
    url = static("css/site.css")
    assert url != "/static/css/site.css" and url.endswith(".css")
    response = Client().get(url, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"
    # Reading the stream to the end lets the test client close the file the
    # way it should (closing it directly would also close the test database).
    assert b"".join(response.streaming_content)
    page = Client().get("/")
    assert url in page.content.decode()


@pytest.mark.django_db
def test_pages_name_a_favicon_that_whitenoise_serves(collected):
    # Without one, every page view also costs a rendered 404 for /favicon.ico.
    url = static("img/favicon.svg")
    assert f'<link rel="icon" href="{url}"' in Client().get("/").content.decode()
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"</svg>" in b"".join(response.streaming_content)


@pytest.mark.django_db
def test_desk_pages_name_the_favicon_too(collected, django_user_model):
    # The admin's own pages link none, so each desk page cost a 404 as well.
    desk = Client()
    desk.force_login(django_user_model.objects.create_superuser("chief", "chief@example.org"))
    url = static("img/favicon.svg")
    for page in ("/admin/", "/admin/articles/article/"):
        response = desk.get(page)
        assert response.status_code == 200
        assert f'<link rel="icon" href="{url}" type="image/svg+xml">' in response.content.decode()
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"</svg>" in b"".join(response.streaming_content)
