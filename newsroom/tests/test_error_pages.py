import pytest

from articles.views import HomeView


@pytest.mark.django_db
def test_not_found_uses_the_site_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "We can't find that page" in html
    assert 'class="masthead"' in html


def test_server_error_shows_a_friendly_page_and_no_details(client, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("internal detail that must not leak")

    monkeypatch.setattr(HomeView, "get_queryset", fail)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "internal detail" not in html
    assert "Traceback" not in html
