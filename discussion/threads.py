"""A story's discussion, read in a fixed number of queries and shown as a flat list.

Threads are paginated by their first comment; within a page every comment of
every thread comes back in one query, already in reading order thanks to
django-comments-xtd's (thread_id, order) numbering, and each carries its
depth, so the template renders them in one loop with no include per comment.
"""

from dataclasses import dataclass
from itertools import islice

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Q
from django.http import Http404

from .models import CommentModeration
from .services import comments_on

THREADS_PER_PAGE = 20
ORDERS = {"oldest": "thread_id", "newest": "-thread_id"}


@dataclass
class Entry:
    comment: object
    depth: int
    # False: shown only as “removed” or “awaiting moderation” to keep its replies in place.
    shown: bool
    # The reader's own comment that a moderator has not yet approved.
    own_pending: bool


def readable_by(user):
    published = Q(moderation__state=CommentModeration.State.PUBLISHED)
    if user.is_authenticated:
        return published | Q(user=user, moderation__state=CommentModeration.State.PENDING)
    return published


def discussion_page(*, article, user, order: str = "oldest", page=1):
    """The page of threads to show, and its entries in reading order."""
    comments = comments_on(article.pk)
    # Thread numbers are small and few, so one query fetches them all and
    # Python pages through them (a queryset would add a COUNT query).
    thread_ids = list(
        comments.filter(readable_by(user))
        .order_by(ORDERS.get(order, "thread_id"))
        .values_list("thread_id", flat=True)
        .distinct()
    )
    try:
        page_obj = Paginator(thread_ids, THREADS_PER_PAGE).page(page)
    except InvalidPage as error:
        # Not the nearest page: every distinct ?cpage= would be another cached copy.
        raise Http404("No such page of comments.") from error
    rows = list(
        comments.filter(thread_id__in=list(page_obj.object_list))
        .select_related("user__reader", "moderation")
        .order_by(ORDERS.get(order, "thread_id"), "order")
    )
    return page_obj, _entries(rows, user)


def _entries(rows, user):
    entries = []
    for comment in rows:
        state = comment.moderation.state
        own_pending = state == CommentModeration.State.PENDING and comment.user_id == user.pk
        entries.append(
            Entry(
                comment=comment,
                depth=comment.level,
                shown=state == CommentModeration.State.PUBLISHED or own_pending,
                own_pending=own_pending,
            )
        )
    return [e for i, e in enumerate(entries) if e.shown or _has_shown_reply(entries, i)]


def _has_shown_reply(entries, index):
    """Whether a reply under entries[index] is shown (its replies: the deeper entries after it)."""
    depth = entries[index].depth
    for later in islice(entries, index + 1, None):
        if later.depth <= depth:
            return False
        if later.shown:
            return True
    return False
