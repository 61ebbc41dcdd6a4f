"""The story panels of the desk's front page (newsroom/dashboard.py): my drafts, stories in
review, stories waiting to go live, and sources whose links broke.

Each panel makes a fixed number of queries: its counts, and one query for the few
stories it lists, whatever the number of stories.
"""

from django.db.models import Count as Counted
from django.db.models import Q
from django.utils import timezone

from articles.models import Article, Citation
from articles.services import can_publish
from newsroom.dashboard import Count, Item, Summary, page_url, register_panel

# How many stories a panel lists; its counts link to all of them.
SHOWN = 5
STORY_LIST = "admin:articles_article_changelist"
Status = Article.Status


def story_form(article, anchor=""):
    return page_url("admin:articles_article_change", article.pk) + anchor


def stories_by_status(title, stories, *, status, note, order, empty, **filters) -> Summary:
    """A count of the stories in `status`, linked to the story list so filtered, and a few
    of them with the time they were last saved."""
    stories = stories.filter(status=status)
    return Summary(
        title=title,
        counts=[
            Count(
                Status(status).label,
                stories.count(),
                page_url(STORY_LIST, status__exact=status, **filters),
            )
        ],
        items=[
            Item(a.headline, story_form(a), note, a.modified_at)
            for a in stories.order_by(order)[:SHOWN]
        ],
        empty=empty,
    )


def my_drafts(request) -> Summary:
    return stories_by_status(
        "My drafts",
        Article.objects.started_or_bylined_by(request.user),
        status=Status.DRAFT,
        note="Last saved",
        order="-modified_at",
        empty="No drafts of yours.",
        mine="yes",
    )


def in_review(request) -> Summary:
    return stories_by_status(
        "Stories in review",
        Article.objects.all(),
        status=Status.IN_REVIEW,
        note="Submitted",
        # The longest waiting first.
        order="modified_at",
        empty="Nothing waiting.",
    )


def coming_up(request) -> Summary:
    # The list's own lookups, so "all N" opens exactly the stories counted.
    now = timezone.now()
    scheduled = {"status__exact": Status.PUBLISHED, "publish_at__gt": now.isoformat()}
    embargoed = {
        "status__exact": Status.PUBLISHED,
        "publish_at__lte": now.isoformat(),
        "embargo_until__gt": now.isoformat(),
    }
    waiting = Article.objects.awaiting_release()
    counts = waiting.aggregate(
        scheduled=Counted("pk", filter=Q(publish_at__gt=now)),
        embargoed=Counted("pk", filter=Q(publish_at__lte=now)),
    )
    shown = waiting.order_by("live_from", "pk")[:SHOWN]
    return Summary(
        title="Scheduled and embargoed",
        counts=[
            Count("Scheduled", counts["scheduled"], page_url(STORY_LIST, **scheduled)),
            Count("Embargoed", counts["embargoed"], page_url(STORY_LIST, **embargoed)),
        ],
        items=[
            Item(a.headline, story_form(a), f"{a.state_label}: live from", a.goes_live_at)
            for a in shown
        ],
        empty="No story waits to go live.",
    )


def what_broke(citation) -> str:
    broke = []
    if citation.link_ok is False and not citation.link_check_due:
        broke.append(f"link: {citation.link_check_result}")
    if citation.archive_ok is False and not citation.archive_check_due:
        broke.append(f"archived copy: {citation.archive_check_result}")
    return f"In “{citation.article.headline}”. Broken {'; '.join(broke)}"


def broken_sources(request) -> Summary:
    shown = Citation.objects.broken().select_related("article").order_by("-link_checked_at")
    return Summary(
        title="Sources with broken links",
        counts=[
            Count(
                "Stories",
                Article.objects.with_broken_sources().count(),
                page_url(STORY_LIST, sources="broken"),
            )
        ],
        items=[
            Item(str(c), story_form(c.article, "#citations-group"), what_broke(c))
            for c in shown[:SHOWN]
        ],
        empty="Every source's link works.",
    )


def register_panels() -> None:
    register_panel(
        "my-drafts",
        context=my_drafts,
        position=10,
        visible_to=lambda u: u.has_perm("articles.add_article"),
    )
    register_panel("in-review", context=in_review, visible_to=can_publish, position=20)
    register_panel(
        "coming-up",
        context=coming_up,
        visible_to=lambda u: u.has_perm("articles.view_article"),
        position=30,
    )
    register_panel(
        "broken-sources",
        context=broken_sources,
        visible_to=lambda u: u.has_perm("articles.change_citation"),
        position=40,
    )
