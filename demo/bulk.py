"""Published comments inserted in bulk, for benchmarks and load tests only.

post_comment() runs the moderation rules and django-comments-xtd's threading
queries for each comment, about fifteen queries apiece: hours for a million.
Here ids are allocated up front so every row, threading fields included
(thread_id, parent_id, level, order, nested_count), is known before it is
written, and each table gets one INSERT per batch. The comment model uses
multi-table inheritance, which bulk_create() cannot write, so the
django-comments-xtd half goes in with executemany().
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django_comments.models import Comment
from django_comments_xtd.models import XtdComment

from articles.models import Article
from discussion.models import CommentModeration, Rule

BATCH = 5000
SYNTHETIC_REASON = "Synthetic."
# Of each thread's comments after the first: replies to the first, replies to a reply.
REPLY_SHARE = 0.6


@dataclass
class Row:
    id: int
    parent_id: int
    thread_id: int
    level: int
    order: int
    nested_count: int = 0


def thread_rows(*, first_id: int, size: int, rng: random.Random) -> list[Row]:
    """One thread of `size` comments, numbered as django-comments-xtd numbers them.

    Ids run from first_id in posting order; `order` is the reading order (each
    comment followed by its replies, depth first); nested_count counts all
    replies below a comment. Replies go at most two levels deep.
    """
    rows = [Row(id=first_id, parent_id=first_id, thread_id=first_id, level=0, order=0)]
    for index in range(1, size):
        can_take_reply = [row for row in rows if row.level < 2]
        parent = rows[0] if rng.random() < REPLY_SHARE else rng.choice(can_take_reply)
        rows.append(
            Row(
                id=first_id + index,
                parent_id=parent.id,
                thread_id=first_id,
                level=parent.level + 1,
                order=0,
            )
        )
    replies = {}
    for row in rows[1:]:
        replies.setdefault(row.parent_id, []).append(row)
    reading, stack = [], [rows[0]]
    while stack:
        row = stack.pop()
        reading.append(row)
        stack.extend(reversed(replies.get(row.id, [])))
    for order, row in enumerate(reading, start=1):
        row.order = order
    for row in reversed(rows[1:]):
        rows[row.parent_id - first_id].nested_count += row.nested_count + 1
    return rows


def skewed_counts(*, articles: int, total: int, rng: random.Random) -> list[int]:
    """Comments per story with a news site's skew: a few stories take most of them.

    Pareto-shaped weights (alpha 1.2) give the busiest story about a hundred
    times the median; about a third of stories get none.
    """
    weights = [rng.paretovariate(1.2) if rng.random() > 0.35 else 0 for _ in range(articles)]
    scale = total / (sum(weights) or 1)
    return [round(weight * scale) for weight in weights]


def add_published_comments(
    *, counts: dict[int, int], readers: list, now: datetime, rng: random.Random
) -> int:
    """Insert counts[article_id] published comments under each story; return how many."""
    content_type = ContentType.objects.get_for_model(Article)
    site = Site.objects.get_current()
    next_id = (Comment.objects.aggregate(last=Max("id"))["last"] or 0) + 1
    pending = []
    written = 0
    for article_id, count in counts.items():
        while count > 0:
            size = min(count, rng.choice((1, 1, 1, 2, 3, 5, 8, 13)))
            for row in thread_rows(first_id=next_id, size=size, rng=rng):
                pending.append((article_id, row))
            next_id += size
            count -= size
        if len(pending) >= BATCH:
            written += _insert(pending, content_type, site, readers, now, rng)
            pending = []
    written += _insert(pending, content_type, site, readers, now, rng)
    _sync_counts(counts)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Comment]):
            cursor.execute(statement)
    return written


@transaction.atomic
def _insert(pending, content_type, site, readers, now, rng) -> int:
    if not pending:
        return 0
    comments, threading, moderation = [], [], []
    for article_id, row in pending:
        reader = rng.choice(readers)
        comments.append(
            Comment(
                id=row.id,
                content_type=content_type,
                object_pk=str(article_id),
                site=site,
                user_id=reader.user_id,
                user_name=reader.display_name,
                user_email="",
                comment=f"Synthetic comment {row.id}: generated text that reports nothing.",
                submit_date=now - timedelta(seconds=rng.randrange(30 * 24 * 3600)),
                is_public=True,
                is_removed=False,
            )
        )
        threading.append(
            (row.id, row.thread_id, row.parent_id, row.level, row.order, False, row.nested_count)
        )
        moderation.append(
            CommentModeration(
                comment_id=row.id,
                state=CommentModeration.State.PUBLISHED,
                rule=Rule.PASSED,
                reason=SYNTHETIC_REASON,
                decided_at=now,
            )
        )
    Comment.objects.bulk_create(comments)
    quote = connection.ops.quote_name
    columns = [
        "comment_ptr_id",
        "thread_id",
        "parent_id",
        "level",
        "order",
        "followup",
        "nested_count",
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(XtdComment._meta.db_table)} "
            f"({', '.join(quote(c) for c in columns)}) VALUES ({', '.join(['%s'] * len(columns))})",
            threading,
        )
    CommentModeration.objects.bulk_create(moderation)
    return len(pending)


def _sync_counts(counts):
    stories = [Article(pk=pk, comment_count=count) for pk, count in counts.items() if count]
    Article.objects.bulk_update(stories, ["comment_count"], batch_size=BATCH)
