from django.urls import path

from . import log

app_name = "moderation"

urlpatterns = [
    path("log/", log.ModerationLogView.as_view(), name="log"),
]
