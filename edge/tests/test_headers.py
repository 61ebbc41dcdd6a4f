import pytest

from articles.tests.factories import make_article
from discussion.tests.factories import make_reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def edge(settings):
    settings.NEWSROOM_EDGE = "varnish"
    settings.NEWSROOM_EDGE_SECONDS = 3600


def test_a_cached_page_names_its_tags_for_every_edge_on_misses_and_hits(client, edge):
    story = make_article()

    for expected in ("miss", "hit"):
        response = client.get(story.get_absolute_url())
        assert response["X-Page-Cache"] == expected
        keys = response["Surrogate-Key"].split(" ")
        assert {f"story:{story.pk}", f"story:{story.pk}:comments"} <= set(keys)
        assert keys == sorted(keys)
        assert response["Cache-Tag"] == ",".join(keys)
        assert response["xkey"] == " ".join(keys)
        assert "s-maxage=3600" in response["Cache-Control"]
        assert "public" in response["Cache-Control"]


def test_a_page_rendered_for_a_signed_in_reader_names_no_tags(client, edge):
    story = make_article()
    client.force_login(make_reader())

    response = client.get(story.get_absolute_url())

    assert "private" in response["Cache-Control"]
    assert not response.has_header("Surrogate-Key")
    assert not response.has_header("xkey")


def test_without_an_edge_pages_name_no_tags_and_no_shared_lifetime(client, settings):
    settings.NEWSROOM_EDGE = ""
    story = make_article()

    response = client.get(story.get_absolute_url())

    assert response["X-Page-Cache"] == "miss"
    assert not response.has_header("Surrogate-Key")
    assert "s-maxage" not in response["Cache-Control"]
