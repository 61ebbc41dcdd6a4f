from django.urls import path

from pagecache.pages import one_of, page_number

from . import views
from .threads import ORDERS

# The query parameters the discussion under a story reads for anonymous
# readers, which the cached story page must keep (reply_to only matters to a
# logged-in reader, whose pages are never cached).
STORY_PAGE_PARAMS = {"cpage": page_number, "comments": one_of(*ORDERS)}

app_name = "commenting"

urlpatterns = [
    path("articles/<slug:slug>/comments/", views.PostCommentView.as_view(), name="post"),
    path("comments/<int:pk>/report/", views.ReportCommentView.as_view(), name="report"),
    path("comments/<int:pk>/recommend/", views.RecommendCommentView.as_view(), name="recommend"),
    path("comments/<int:pk>/edit/", views.EditCommentView.as_view(), name="edit"),
    path("comments/<int:pk>/delete/", views.DeleteCommentView.as_view(), name="delete"),
    path("accounts/comments/", views.MyCommentsView.as_view(), name="my-comments"),
    path("accounts/display-name/", views.DisplayNameView.as_view(), name="display-name"),
]
