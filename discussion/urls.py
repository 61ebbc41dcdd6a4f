from django.urls import path

from . import views

app_name = "discussion"

urlpatterns = [
    path("articles/<slug:slug>/comments/", views.PostCommentView.as_view(), name="post"),
    path("comments/<int:pk>/report/", views.ReportCommentView.as_view(), name="report"),
    path("accounts/comments/", views.MyCommentsView.as_view(), name="my-comments"),
    path("accounts/display-name/", views.DisplayNameView.as_view(), name="display-name"),
]
