from django.urls import path

from . import notifications

app_name = "readers"

urlpatterns = [
    path("notifications/", notifications.NotificationsView.as_view(), name="notifications"),
    path("stories/<int:pk>/follow/", notifications.FollowStoryView.as_view(), name="follow"),
    path(
        "stories/<int:pk>/unfollow/",
        notifications.FollowStoryView.as_view(follow=False),
        name="unfollow",
    ),
]
