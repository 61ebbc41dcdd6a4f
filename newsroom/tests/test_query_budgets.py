"""Query budgets (issue 7) of the whole story page, discussion included.

Rendered uncached by an anonymous reader, as articles/tests/test_query_budgets.py
renders the other pages, and by a signed-in reader who recommends some of the
comments (issue 17).
"""

import random

import pytest
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.test import Client
from django.utils import timezone

from articles.models import Correction, Tag
from articles.tests.factories import (
    make_article,
    make_author,
    make_citation,
    make_section,
    place_photo,
)
from articles.tests.test_query_budgets import queries_for
from demo.bulk import add_published_comments
from discussion.models import CommentModeration, Recommendation
from discussion.services import comments_on
from discussion.tests.factories import make_reader

pytestmark = pytest.mark.django_db

ARTICLE_BUDGET = 12
# Signed in, the page cache is skipped; the session, the account, the reader's
# standing and whether they follow the story are read. Which comments they
# recommend comes with the comments (commenting/threads.py).
SIGNED_IN_BUDGET = 16


def recommend_most(story, readers):
    """Each reader recommends about two comments in three under the story (not their own)."""
    rng = random.Random(story.pk)
    Recommendation.objects.bulk_create(
        Recommendation(comment_id=pk, reader=reader)
        for pk, author in comments_on(story.pk).values_list("pk", "user_id")
        for reader in readers
        if reader.pk != author and rng.random() < 0.66
    )
    counted = Recommendation.objects.filter(comment=OuterRef("comment")).values("comment")
    CommentModeration.objects.filter(comment__object_pk=str(story.pk)).update(
        recommendations=Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0)
    )


def story_with(*, comments, photos, citations, recommenders=()):
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
        recommend_most(story, [*recommenders, *(reader.user for reader in readers)])
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


def test_a_signed_in_readers_story_page_is_constant_in_comments_and_recommendations():
    reader = make_reader(status="trusted")
    client = Client()
    client.force_login(reader)
    client.get(story_with(comments=0, photos=1, citations=0).get_absolute_url())
    counts = {
        comments: queries_for(
            client,
            story_with(
                comments=comments, photos=10, citations=20, recommenders=[reader]
            ).get_absolute_url(),
        )
        for comments in (50, 500)
    }
    assert counts[50] == counts[500], counts
    assert counts[500] <= SIGNED_IN_BUDGET, counts
