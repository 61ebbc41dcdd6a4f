from django.urls import path

from . import log, views

app_name = "moderation"

urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("comments/<int:pk>/<slug:action>/", views.DecideView.as_view(), name="decide"),
    path("bulk/", views.BulkDecideView.as_view(), name="bulk"),
    path("readers/<int:pk>/", views.AuthorView.as_view(), name="author"),
    path("log/", log.ModerationLogView.as_view(), name="log"),
]
