"""Bulk-inserted comments (benchmarks) must look exactly like posted ones to every reader."""

import random

import pytest
from django.test import Client
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from articles.models import Article
from articles.tests.factories import make_article
from commenting.threads import discussion_page
from demo.bulk import add_published_comments, skewed_counts, thread_rows
from discussion.tests.factories import add_comment, make_reader


@pytest.mark.parametrize("seed", range(20))
def test_threads_are_numbered_as_django_comments_xtd_numbers_them(seed):
    rows = thread_rows(
        first_id=100, size=random.Random(seed).randint(1, 40), rng=random.Random(seed)
    )
    by_id = {row.id: row for row in rows}
    reading = sorted(rows, key=lambda row: row.order)
    assert [row.order for row in reading] == list(range(1, len(rows) + 1))
    for row in rows:
        assert row.thread_id == 100
        if row.id == 100:
            assert (row.parent_id, row.level) == (100, 0)
            continue
        parent = by_id[row.parent_id]
        assert row.level == parent.level + 1 <= 2
        assert row.order > parent.order
    for position, row in enumerate(reading):
        # A comment's replies follow it directly, before anything at its level or above.
        below = 0
        for later in reading[position + 1 :]:
            if later.level <= row.level:
                break
            below += 1
        assert row.nested_count == below


def test_counts_are_skewed_and_add_up():
    counts = skewed_counts(articles=1000, total=10_000, rng=random.Random(1))
    assert abs(sum(counts) - 10_000) < 100
    assert counts.count(0) > 250
    assert max(counts) > 20 * sorted(counts)[500]


@pytest.mark.django_db
def test_bulk_comments_are_shown_like_posted_ones():
    busy, quiet = make_article(), make_article()
    readers = [make_reader().reader for _ in range(3)]
    added = add_published_comments(
        counts={busy.pk: 60, quiet.pk: 0}, readers=readers, now=timezone.now(),
        rng=random.Random(3),
    )  # fmt: skip
    assert added == 60
    busy.refresh_from_db()
    assert busy.comment_count == 60
    assert XtdComment.objects.filter(object_pk=str(busy.pk), is_public=True).count() == 60
    _, entries = discussion_page(article=busy, user=readers[0].user)
    assert sum(1 for entry in entries if entry.shown) == len(entries) > 0
    html = Client().get(busy.get_absolute_url()).content.decode()
    assert html.count('class="comment comment--depth-') == len(entries)
    # The id sequence was moved past the explicit ids: posting still works.
    posted = add_comment(quiet, make_reader(status="trusted"), "After the bulk insert")
    assert posted.pk > max(
        XtdComment.objects.filter(object_pk=str(busy.pk)).values_list("pk", flat=True)
    )
    assert Article.objects.get(pk=quiet.pk).comment_count == 1
