"""A story's discussion, read in a fixed number of queries and shown as a flat list.

Threads are paginated by their first comment; within a page every comment of
every thread comes back in one query, already in reading order thanks to
django-comments-xtd's (thread_id, order) numbering, and each carries its
depth, so the template renders them in one loop with no include per comment.
The story's Editors' picks take one query more, and the badges of staff
authors one more when any staff member wrote on the page.

Each comment's recommendations are a count stored with its moderation, and
whether the signed-in reader recommends it is a column of the same query, so
recommendations add none. "Most recommended" orders threads by the count of
their first comment, ties oldest first: the sort promises that what a reader
sees first is what readers recommend most, which a thread started by a weak
comment with one popular reply deep inside would break.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.auth import get_user_model
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Exists, Max, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.text import Truncator

from accounts.roles import GROUP_OF_ROLE
from discussion.models import CommentModeration, Recommendation
from discussion.services import comments_on

from .services import edit_minutes_left

THREADS_PER_PAGE = 20


@dataclass(frozen=True)
class Order:
    label: str
    # How the threads sort, by their columns and their first comment's count.
    threads: tuple[str, ...]


ORDERS = {
    "oldest": Order("Oldest first", ("thread_id",)),
    "newest": Order("Newest first", ("-thread_id",)),
    "recommended": Order("Most recommended", ("-top_recommendations", "thread_id")),
}
# A removed first comment, shown as a placeholder, puts its thread among those with none.
TOP_RECOMMENDATIONS = Coalesce(
    Max(
        "moderation__recommendations",
        filter=Q(level=0, moderation__state=CommentModeration.State.PUBLISHED),
    ),
    0,
)
PICKS_SHOWN = 5
# Characters of a pick shown in the strip; the whole text is in the thread.
PICK_LENGTH = 280
# Someone in several desk groups wears the first of their roles in this order.
BADGE_ROLES = ("editor", "moderator", "reporter")


@dataclass
class Entry:
    comment: object
    depth: int
    # False: shown only as “removed” or “awaiting moderation” to keep its replies in place.
    shown: bool
    # The reader's own comment that a moderator has not yet approved.
    own_pending: bool
    # The author's role on the desk when they are staff (see wear_badges).
    badge: str = ""
    # For the reader's own comment: whole minutes left to edit it (see offer_own_actions).
    edit_minutes_left: int = 0
    # The outcome of what the reader just did here (messages placed at this comment).
    outcomes: list = field(default_factory=list)
    # The signed-in reader recommends it.
    recommended: bool = False

    @property
    def deleted(self) -> bool:
        return self.comment.moderation.state == CommentModeration.State.DELETED


@dataclass
class Pick:
    comment: object
    # The comment's place in the thread: its anchor, on the page of threads holding it.
    href: str
    badge: str = ""

    @property
    def shortened(self) -> bool:
        return len(self.comment.comment) > PICK_LENGTH

    @property
    def excerpt(self) -> str:
        return Truncator(self.comment.comment).chars(PICK_LENGTH)


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
        .values("thread_id")
        .annotate(top_recommendations=TOP_RECOMMENDATIONS)
        .order_by(*ORDERS.get(order, ORDERS["oldest"]).threads)
        .values_list("thread_id", flat=True)
    )
    try:
        page_obj = Paginator(thread_ids, THREADS_PER_PAGE).page(page)
    except InvalidPage as error:
        # Not the nearest page: every distinct ?cpage= would be another cached copy.
        raise Http404("No such page of comments.") from error
    shown_threads = list(page_obj.object_list)
    rows = (
        comments.filter(thread_id__in=shown_threads)
        .select_related("user__reader", "moderation")
        .annotate(recommended=_recommended_by(user))
    )
    # In the page's order of threads, and each thread in reading order.
    place = {thread_id: n for n, thread_id in enumerate(shown_threads)}
    rows = sorted(rows, key=lambda comment: (place[comment.thread_id], comment.order))
    return page_obj, _entries(rows, user)


def _recommended_by(user):
    if not user.is_authenticated:
        return Value(False)
    return Exists(Recommendation.objects.filter(comment=OuterRef("pk"), reader=user))


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
                recommended=comment.recommended,
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


def offer_own_actions(entries, *, user, policy) -> None:
    """Give each of the reader's own shown comments the minutes left to edit it."""
    now = timezone.now()
    for entry in entries:
        if entry.shown and entry.comment.user_id == user.pk:
            entry.edit_minutes_left = edit_minutes_left(entry.comment, policy, now)


def recommendation_count(count: int) -> str:
    """A comment's count as shown beside it; nothing while it has none."""
    if not count:
        return ""
    return f"{count} recommendation{'' if count == 1 else 's'}"


def editors_picks(*, article, page_obj, order: str = "oldest"):
    """The story's featured comments, the latest pick first, each linked to its place.

    `page_obj` is the page of threads shown (discussion_page): its paginator
    holds every thread number in reading order, so finding the page a pick
    is on costs no query.
    """
    rows = (
        comments_on(article.pk)
        .filter(
            moderation__state=CommentModeration.State.PUBLISHED,
            moderation__featured_at__isnull=False,
        )
        .select_related("user__reader", "moderation")
        .order_by("-moderation__featured_at", "-pk")[:PICKS_SHOWN]
    )
    threads = page_obj.paginator.object_list
    picks = []
    for comment in rows:
        anchor = f"#c{comment.pk}"
        if comment.thread_id in threads:
            number = threads.index(comment.thread_id) // page_obj.paginator.per_page + 1
            if number != page_obj.number:
                anchor = f"?cpage={number}&comments={order}{anchor}"
        picks.append(Pick(comment=comment, href=anchor))
    return picks


def badge_for(group_names) -> str:
    for role in BADGE_ROLES:
        if GROUP_OF_ROLE[role] in group_names:
            return role.capitalize()
    return "Staff"


def wear_badges(items) -> None:
    """Give each entry or pick written by staff its author's role, in one query at most.

    The badge comes from the account (its staff flag and desk groups), never
    from the name, so a reader called "Moderator Team" wears none.
    """
    staff = {
        item.comment.user_id for item in items if item.comment.user and item.comment.user.is_staff
    }
    if not staff:
        return
    groups = defaultdict(set)
    memberships = get_user_model().groups.through.objects.filter(user_id__in=staff)
    for user_id, name in memberships.values_list("user_id", "group__name"):
        groups[user_id].add(name)
    for item in items:
        if item.comment.user_id in staff:
            item.badge = badge_for(groups[item.comment.user_id])
