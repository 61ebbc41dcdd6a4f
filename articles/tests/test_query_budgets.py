"""Query budgets (issue 7): fixed numbers, whatever the size of what a page shows.

Each page is rendered uncached (the page cache is cleared first) by an
anonymous reader; the page cache's own generation read is included.
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Correction, Tag

from .factories import (
    make_article,
    make_author,
    make_section,
    make_staff,
    place_photo,
)

pytestmark = pytest.mark.django_db

LIST_BUDGET = 10
ADMIN_LIST_BUDGET = 14


def queries_for(client, url):
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def queries_for_one_and_many(client, url, many):
    """Queries for `url` with one story to show, then with `many`."""
    section, tag = make_section(slug="s"), Tag.objects.create(name="T", slug="t")
    author = make_author(slug="a")
    counts = []
    for stories in (1, many - 1):
        for _ in range(stories):
            story = make_article(section=section, authors=[author, make_author()])
            place_photo(story, role="lead")
            story.tags.add(tag)
            Correction.objects.create(article=story, text="A name was misspelt.")
        client.get(url)  # warm per-process caches (content types, site)
        counts.append(queries_for(client, url))
    return counts


@pytest.mark.parametrize("url", ["/", "/section/s/", "/authors/a/", "/tags/t/", "/corrections/"])
def test_list_pages_are_constant_in_page_size(url):
    one, full = queries_for_one_and_many(Client(), url, 20)
    assert one == full
    assert full <= LIST_BUDGET


def test_admin_article_list_is_constant_in_rows():
    client = Client()
    client.force_login(make_staff())
    one, many = queries_for_one_and_many(client, "/admin/articles/article/", 30)
    assert one == many
    assert many <= ADMIN_LIST_BUDGET
