from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView

from newsroom.ratelimit import exceeded, too_many_requests
from pagecache.tags import shows

from . import page_tags, search
from .models import Article, Author, Correction, Section, Tag, prefetch_for_listing
from .previews import read_preview_link

HOME_STORIES_PER_SECTION = 4
# Section blocks come from this many newest stories: a section with nothing
# among them has gone quiet and leaves the home page until its next story.
HOME_RECENT_STORIES = 500


class RecentPaginator(Paginator):
    """Pages through the newest NEWSROOM_MAX_LIST_PAGES pages of stories only.

    Counting every published story scans the whole archive on each list
    request; counting at most this many rows costs the same however large the
    archive grows. Older stories are reached through search and the sitemap;
    asking for a later page is a 404.
    """

    @cached_property
    def count(self):
        return self.rows_to_count()[: self.cap].count()

    @property
    def cap(self):
        return settings.NEWSROOM_MAX_LIST_PAGES * self.per_page

    @property
    def capped(self):
        """There may be more rows than were counted."""
        return self.count == self.cap

    def rows_to_count(self):
        # In list order: the newest-first indexes then stop the count at the cap.
        return self.object_list


class MatchPaginator(RecentPaginator):
    """Every match of a search, newest first: counted without their order.

    Sorting or ranking every match only to count them would read them all;
    unordered, the count stops at the cap.
    """

    def rows_to_count(self):
        return self.object_list.order_by()


class ArticleListView(ListView):
    """A paginated list of published stories, newest first."""

    paginate_by = settings.NEWSROOM_PAGE_SIZE
    paginator_class = RecentPaginator
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().newest_first().for_listing()


class HomeView(ArticleListView):
    template_name = "articles/home.html"

    def get_queryset(self):
        # Prefetched below together with the lead and the section blocks.
        return Article.objects.published().newest_first().select_related("section")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = context["articles"] = list(context["articles"])
        shown = list(latest)
        if context["page_obj"].number == 1:
            published = Article.objects.published().select_related("section")
            lead = published.lead_story()
            blocks = published.latest_per_section(
                HOME_STORIES_PER_SECTION, among=HOME_RECENT_STORIES
            )
            if lead:
                blocks = blocks.exclude(pk=lead.pk)
                shown.append(lead)
            blocks = list(blocks)
            shown.extend(blocks)
            context["lead"] = lead
            context["section_blocks"] = _group_by_section(blocks)
        prefetch_for_listing(shown)
        page_tags.show_list(shown)
        return context


def _group_by_section(articles):
    blocks = {}
    for article in articles:
        blocks.setdefault(article.section, []).append(article)
    return list(blocks.items())


class StoriesOfView(ArticleListView):
    """The stories of one section, author or tag, named by the slug in the URL."""

    parent_model: type = None

    def get_queryset(self):
        self.parent = get_object_or_404(self.parent_model, slug=self.kwargs["slug"])
        return self.parent.listed_stories().newest_first().for_listing()

    def get_context_data(self, **kwargs):
        name = self.parent_model._meta.model_name
        kwargs[name] = self.parent
        context = super().get_context_data(**kwargs)
        page_tags.show_list(context["articles"], f"{name}:{self.parent.pk}")
        return context


class SectionView(StoriesOfView):
    template_name = "articles/section.html"
    parent_model = Section

    def get_context_data(self, **kwargs):
        return super().get_context_data(current_section=self.parent, **kwargs)


class AuthorView(StoriesOfView):
    template_name = "articles/author.html"
    parent_model = Author


class TagView(StoriesOfView):
    template_name = "articles/tag.html"
    parent_model = Tag


class FollowsFormerSlugsMixin:
    """For a story view found by its slug: at a slug the story had before (FormerSlug),
    a permanent redirect to the same view at the current slug, query string kept, when
    this view's queryset holds the story (so no draft is found through an old slug).

    Never cached, by browsers or the page cache: the story may move again or go.
    """

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            return self.redirect_from_former_slug()
        return self.render_to_response(self.get_context_data(object=self.object))

    def redirect_from_former_slug(self):
        current = (
            self.get_queryset()
            .prefetch_related(None)
            .formerly_at(self.kwargs["slug"])
            .values_list("slug", flat=True)
            .first()
        )
        if current is None:
            raise Http404("No story at this address.")
        match = self.request.resolver_match
        url = reverse(match.view_name, kwargs={**match.kwargs, "slug": current})
        if query := self.request.META.get("QUERY_STRING"):
            url = f"{url}?{query}"
        response = HttpResponsePermanentRedirect(url)
        add_never_cache_headers(response)
        return response


class StoryPageView(DetailView):
    """The story page, for whichever story a subclass finds."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_context_data(self, **kwargs):
        article = self.object
        return super().get_context_data(
            current_section=article.section,
            canonical_url=self.request.build_absolute_uri(article.get_absolute_url()),
            **kwargs,
        )


class ArticleDetailView(FollowsFormerSlugsMixin, StoryPageView):
    def get_context_data(self, **kwargs):
        page_tags.show_story(self.object)
        return super().get_context_data(**kwargs)

    def get_queryset(self):
        # Editors, and a story's own reporters, can open it at its future address
        # to check it; everyone else gets a 404 until the story is live.
        return Article.objects.visible_to(self.request.user).for_detail()


@method_decorator(never_cache, name="dispatch")
class PreviewView(StoryPageView):
    """A story that is not live yet, for whoever holds a valid preview link."""

    def get_object(self, queryset=None):
        link = read_preview_link(self.kwargs["token"])
        if link is None:
            raise Http404("This preview link is not valid or has expired.")
        # Revoked links name an old key; live stories have no preview.
        stories = Article.objects.previewable_through_link(
            preview_key=link.preview_key, signed_at=link.signed_at
        )
        return get_object_or_404(stories.for_detail(), pk=link.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class CorrectionsView(ListView):
    """Every correction and update on live stories, newest first."""

    template_name = "articles/corrections.html"
    context_object_name = "corrections"
    paginate_by = settings.NEWSROOM_PAGE_SIZE

    def get_queryset(self):
        return Correction.objects.on_published_stories().select_related("article__section")

    def get_context_data(self, **kwargs):
        # Headlines and sections of the corrected stories move `latest` and `sections`.
        shows(page_tags.CORRECTIONS, page_tags.LATEST)
        return super().get_context_data(**kwargs)


class SearchView(ArticleListView):
    """Published stories matching ?q=, best match first or (?sort=newest) newest first.

    Each result has its excerpt with the query's words highlighted.
    """

    template_name = "articles/search.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("q") and exceeded(
            request, "search", settings.NEWSROOM_RATE_LIMITS["search"]
        ):
            return too_many_requests(request, "searches")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.query = search.clean_query(self.request.GET.get("q", ""))
        self.newest = self.request.GET.get("sort") == "newest"
        if not self.query:
            return Article.objects.none()
        stories = Article.objects.published().for_listing()
        if self.newest:
            return search.with_excerpts(stories.matching(self.query).newest_first(), self.query)
        return stories.search(self.query)

    def paginate_queryset(self, queryset, page_size):
        # A search link outlives its results (stories go, counts change): a
        # page past the end shows the last one, and no match is an empty page.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_paginator(self, queryset, *args, **kwargs):
        # Best-match results are few and already counted; every match, newest
        # first, is counted up to the list cap.
        if isinstance(queryset, search.BestMatches):
            return Paginator(queryset, *args, **kwargs)
        return MatchPaginator(queryset, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            query=self.query,
            newest=self.newest,
            more_matches=getattr(self.object_list, "more", False),
            ranked_matches=search.RANKED_MATCHES,
            **kwargs,
        )
        if not self.newest:
            context.update(previous_label="← Previous", next_label="Next →")
        for article in context["articles"]:
            article.snippet = search.snippet(article, self.query)
        return context
