"""What the workbench shows: its tabs, their counts, and the cards of one tab.

Each tab is a condition on a comment's moderation; the counts of all tabs come
from one aggregate query, and a page of cards from a fixed number of queries
whatever the number of cards or reports on them.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django_comments_xtd.models import XtdComment

from articles.models import Article
from discussion.models import CommentModeration, CommentReport, Rule

State = CommentModeration.State


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str
    # The condition on a CommentModeration row; comments are filtered through it.
    condition: Q
    help: str

    def of_comments(self):
        """The same condition, read from a comment."""
        return Q(moderation__in=CommentModeration.objects.filter(self.condition))


TABS = [
    Tab(
        "pending",
        "Pending",
        Q(state=State.PENDING),
        "Held by a rule or pulled back by reports; readers do not see them.",
    ),
    Tab(
        "reported",
        "Reported",
        Q(state=State.PUBLISHED)
        & Q(
            Exists(
                CommentReport.objects.filter(comment=OuterRef("comment"), overruled_at__isnull=True)
            )
        ),
        "Published, with reports a moderator has not overruled yet.",
    ),
    Tab(
        "unmoderated",
        "Unmoderated",
        Q(state=State.PUBLISHED) & ~Q(rule=Rule.MODERATOR),
        "Published by the rules, without a moderator's review.",
    ),
    Tab(
        "approved",
        "Approved",
        Q(state=State.PUBLISHED, rule=Rule.MODERATOR),
        "Published by a moderator.",
    ),
    Tab("rejected", "Rejected", Q(state=State.REMOVED), "Removed by a rule or a moderator."),
    Tab(
        "deleted",
        "Deleted",
        Q(state=State.DELETED),
        "Deleted by their authors; kept for the record, no longer to be decided.",
    ),
]
TAB_BY_SLUG = {tab.slug: tab for tab in TABS}
ORDERS = {"newest": "-submit_date", "oldest": "submit_date"}


def tab_counts(story: Article | None = None) -> dict[str, int]:
    """How many comments each tab holds (on one story, if given), in one query."""
    rows = CommentModeration.objects.all()
    if story is not None:
        rows = rows.filter(comment__object_pk=str(story.pk), comment__content_type=_stories())
    return rows.aggregate(**{tab.slug: Count("pk", filter=tab.condition) for tab in TABS})


def _stories():
    return ContentType.objects.get_for_model(Article)


def decisions_by_author(state):
    """How many of the comment author's comments are in `state`, as a subquery."""
    return Coalesce(
        Subquery(
            CommentModeration.objects.filter(comment__user=OuterRef("user"), state=state)
            .values("comment__user")
            .annotate(total=Count("pk"))
            .values("total"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def with_author_record(comments):
    """Annotate each comment with its author's approved and removed totals."""
    return comments.annotate(
        author_published=decisions_by_author(State.PUBLISHED),
        author_removed=decisions_by_author(State.REMOVED),
    )


def _for_cards(comments):
    """Fetch with the comments all a card shows: moderation, author and record, story,
    reports and their reporters, earlier texts (see attach_parents for the comment
    replied to)."""
    return with_author_record(
        comments.select_related("moderation__decided_by", "user__reader").prefetch_related(
            GenericPrefetch("content_object", [Article.objects.select_related("section")]),
            Prefetch(
                "reports",
                CommentReport.objects.select_related("reporter__reader").order_by("reported_at"),
            ),
            "edits",
        )
    )


def cards(*, tab: Tab, order: str = "newest", story: Article | None = None):
    """The comments of a tab, newest or oldest first, on one story if given."""
    comments = XtdComment.objects.filter(tab.of_comments(), content_type=_stories())
    if story is not None:
        comments = comments.filter(object_pk=str(story.pk))
    return _for_cards(comments).order_by(ORDERS.get(order, ORDERS["newest"]), "-pk")


def attach_parents(comments) -> None:
    """Set `replying_to` on each comment: the comment it answers, or None (one query)."""
    parent_ids = {c.parent_id for c in comments if c.parent_id != c.pk}
    parents = XtdComment.objects.in_bulk(parent_ids) if parent_ids else {}
    for comment in comments:
        is_reply = comment.parent_id != comment.pk
        comment.replying_to = parents.get(comment.parent_id) if is_reply else None


def cards_by_pk(pks) -> dict:
    """The comments with these keys as their cards show them (to draw cards again after a
    decision), in a fixed number of queries."""
    comments = list(_for_cards(XtdComment.objects.filter(pk__in=pks)))
    attach_parents(comments)
    return {comment.pk: comment for comment in comments}


def stories_with_comments_in(tab: Tab):
    """The stories that have comments in the tab, for the story filter."""
    # object_pk is text (comments may hang on any model); stories' keys are numbers.
    ids = XtdComment.objects.filter(tab.of_comments(), content_type=_stories()).values(
        story=Cast("object_pk", IntegerField())
    )
    return Article.objects.filter(pk__in=ids).only("pk", "headline").order_by("headline")
