from django.urls import path

from . import notifications, views

app_name = "readers"

urlpatterns = [
    path("data/", views.DataView.as_view(), name="data"),
    path("delete/", views.DeleteAccountView.as_view(), name="delete"),
    path("delete/done/", views.AccountDeletedView.as_view(), name="deleted"),
    path("notifications/", notifications.NotificationsView.as_view(), name="notifications"),
    path("stories/<int:pk>/follow/", notifications.FollowStoryView.as_view(), name="follow"),
    path(
        "stories/<int:pk>/unfollow/",
        notifications.FollowStoryView.as_view(follow=False),
        name="unfollow",
    ),
]
