from django.urls import path

from pagecache.pages import cached_for_readers

from . import views

app_name = "distribution"

urlpatterns = [
    path(
        "articles/<slug:slug>/ninjs.json",
        cached_for_readers(views.ArticleNinjsView.as_view(), params={}),
        name="ninjs",
    ),
]
