from django.urls import path

from discussion.threads import ORDERS
from pagecache.pages import cached_for_readers, one_of, page_number

from . import views

# The query parameters a story page reads for anonymous readers (reply_to
# only matters to a logged-in reader, whose pages are never cached).
STORY_PARAMS = {"cpage": page_number, "comments": one_of(*ORDERS)}


app_name = "articles"

urlpatterns = [
    path("", cached_for_readers(views.HomeView.as_view()), name="home"),
    path(
        "articles/<slug:slug>/",
        cached_for_readers(views.ArticleDetailView.as_view(), params=STORY_PARAMS),
        name="detail",
    ),
    path("section/<slug:slug>/", cached_for_readers(views.SectionView.as_view()), name="section"),
    path("authors/<slug:slug>/", cached_for_readers(views.AuthorView.as_view()), name="author"),
    path("tags/<slug:slug>/", cached_for_readers(views.TagView.as_view()), name="tag"),
    path("preview/<str:token>/", views.PreviewView.as_view(), name="preview"),
    path("corrections/", cached_for_readers(views.CorrectionsView.as_view()), name="corrections"),
    # Search results are not cached: each query is its own page, and it is rate limited.
    path("search/", views.SearchView.as_view(), name="search"),
    path(
        "articles/<slug:slug>/ninjs.json",
        cached_for_readers(views.ArticleNinjsView.as_view(), params={}),
        name="ninjs",
    ),
]
