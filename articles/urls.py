from django.urls import path

from pagecache.pages import cached_for_readers

from . import views

app_name = "articles"


def patterns(*, story_params):
    """The stories' URLs, for newsroom/urls.py to compose.

    `story_params` are the query parameters a cached story page keeps: those
    of what the composer puts on the page (the discussion's pages and order).
    """
    story_page = cached_for_readers(views.ArticleDetailView.as_view(), params=story_params)
    return [
        path("", cached_for_readers(views.HomeView.as_view()), name="home"),
        path("articles/<slug:slug>/", story_page, name="detail"),
        *ROUTES,
    ]


ROUTES = [
    path("section/<slug:slug>/", cached_for_readers(views.SectionView.as_view()), name="section"),
    path("authors/<slug:slug>/", cached_for_readers(views.AuthorView.as_view()), name="author"),
    path("tags/<slug:slug>/", cached_for_readers(views.TagView.as_view()), name="tag"),
    path("preview/<str:token>/", views.PreviewView.as_view(), name="preview"),
    path("corrections/", cached_for_readers(views.CorrectionsView.as_view()), name="corrections"),
    # Search results are not cached: each query is its own page, and it is rate limited.
    path("search/", views.SearchView.as_view(), name="search"),
]
