from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import Article, Author, Section, Tag

HOME_STORIES_PER_SECTION = 4


class ArticleListView(ListView):
    """A paginated list of published stories, newest first."""

    paginate_by = settings.NEWSROOM_PAGE_SIZE
    context_object_name = "articles"

    def get_queryset(self):
        return Article.objects.published().newest_first().for_listing()


class HomeView(ArticleListView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["page_obj"].number == 1:
            published = Article.objects.published().for_listing()
            lead = published.lead_story()
            latest = published.latest_per_section(HOME_STORIES_PER_SECTION)
            if lead:
                latest = latest.exclude(pk=lead.pk)
            context["lead"] = lead
            context["section_blocks"] = _group_by_section(latest)
        return context


def _group_by_section(articles):
    blocks = {}
    for article in articles:
        blocks.setdefault(article.section, []).append(article)
    return list(blocks.items())


class SectionView(ArticleListView):
    template_name = "articles/section.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().in_section(self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section=self.section, current_section=self.section, **kwargs
        )


class AuthorView(ArticleListView):
    template_name = "articles/author.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().by_author(self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class TagView(ArticleListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().tagged(self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        # Editors can open drafts and scheduled stories at their future address
        # to check them; everyone else gets a 404 until the story is live.
        return Article.objects.visible_to(self.request.user).for_detail()

    def get_context_data(self, **kwargs):
        article = self.object
        return super().get_context_data(
            current_section=article.section,
            canonical_url=self.request.build_absolute_uri(article.get_absolute_url()),
            **kwargs,
        )
