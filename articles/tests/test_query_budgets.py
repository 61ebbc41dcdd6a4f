"""Query budgets (issue 7): fixed numbers, whatever the size of what a page shows.

Each page is rendered uncached (the page cache is cleared first) by an
anonymous reader; the page cache's own generation read is included.
"""

import random

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Correction, Tag
from demo.bulk import add_published_comments
from discussion.tests.factories import make_reader

from .factories import (
    make_article,
    make_author,
    make_citation,
    make_section,
    make_staff,
    place_photo,
)

pytestmark = pytest.mark.django_db

ARTICLE_BUDGET = 12
LIST_BUDGET = 10
ADMIN_LIST_BUDGET = 14


def queries_for(client, url):
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def story_with(*, comments, photos, citations):
    story = make_article(section=make_section(), authors=[make_author(), make_author()])
    place_photo(story, role="lead")
    for n in range(photos - 1):
        place_photo(story, after_block=n + 1)
    for _ in range(citations):
        make_citation(story)
    Correction.objects.create(article=story, text="A date was wrong.")
    story.tags.add(Tag.objects.create(name=f"Tag {story.pk}", slug=f"tag-{story.pk}"))
    if comments:
        readers = [make_reader().reader for _ in range(5)]
        add_published_comments(
            counts={story.pk: comments}, readers=readers, now=timezone.now(), rng=random.Random(1)
        )
    return story


def test_article_page_is_constant_in_comments_photos_and_citations():
    client = Client()
    small = story_with(comments=0, photos=1, citations=0)
    client.get(small.get_absolute_url())  # warm per-process caches (content types, site)
    counts = {
        (comments, photos, citations): queries_for(
            client,
            story_with(comments=comments, photos=photos, citations=citations).get_absolute_url(),
        )
        for comments, photos, citations in [(0, 1, 0), (0, 10, 20), (50, 10, 20), (500, 10, 20)]
    }
    # With no comment there is no thread to fetch, so one query fewer.
    assert counts[0, 1, 0] == counts[0, 10, 20], counts
    assert counts[50, 10, 20] == counts[500, 10, 20], counts
    assert max(counts.values()) <= ARTICLE_BUDGET, counts


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
