from django.urls import path

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("section/<slug:slug>/", views.SectionView.as_view(), name="section"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("tags/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("preview/<str:token>/", views.PreviewView.as_view(), name="preview"),
    path("corrections/", views.CorrectionsView.as_view(), name="corrections"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/", feeds.StoriesFeed(), name="feed-rss"),
    path("feed/atom/", feeds.AtomStoriesFeed(), name="feed-atom"),
    path("section/<slug:slug>/feed/", feeds.SectionFeed(), name="section-feed-rss"),
    path("section/<slug:slug>/feed/atom/", feeds.AtomSectionFeed(), name="section-feed-atom"),
    path("authors/<slug:slug>/feed/", feeds.AuthorFeed(), name="author-feed-rss"),
    path("authors/<slug:slug>/feed/atom/", feeds.AtomAuthorFeed(), name="author-feed-atom"),
    path("tags/<slug:slug>/feed/", feeds.TagFeed(), name="tag-feed-rss"),
    path("tags/<slug:slug>/feed/atom/", feeds.AtomTagFeed(), name="tag-feed-atom"),
    path("articles/<slug:slug>/ninjs.json", views.ArticleNinjsView.as_view(), name="ninjs"),
]
