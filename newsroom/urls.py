from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django_comments_xtd.views import mute

from accounts.views import desk_login
from articles import urls as articles_urls
from commenting.urls import STORY_PAGE_PARAMS
from commenting.views import CommentedStoryRedirectView
from desk.views import can_edit_view
from newsroom.views import robots_txt
from photos.models import RENDITIONS_FOLDER
from photos.views import rendition

admin.site.site_header = f"{settings.NEWSROOM_SITE_NAME} desk"
admin.site.site_title = "Newsroom desk"
admin.site.index_title = "Stories, photos and people"

# An unreachable database gets the 503 page, wherever in the request it is found.
handler500 = "newsroom.views.server_error"

urlpatterns = [
    # Ahead of the admin's own login, so desk logins pass the second factor.
    path("admin/login/", desk_login, name="desk-login"),
    path("admin/moderation/", include("moderation.urls")),
    path("admin/", admin.site.urls),
    path("desk/can-edit/<int:pk>/", can_edit_view, name="desk-can-edit"),
    path("robots.txt", robots_txt, name="robots-txt"),
    path("accounts/", include("readers.urls")),
    path("accounts/", include("allauth.urls")),
    path("unsubscribe/", include("outbox.urls")),
    # Two django-comments-xtd views emails link to (the mute link only in
    # those sent before story follows; muting ends the follow); posting,
    # flagging and moderating go through the commenting and moderation apps
    # instead.
    path("comments/mute/<str:key>/", mute, name="comments-xtd-mute"),
    path(
        "comments/cr/<int:content_type_id>/<int:object_id>/",
        CommentedStoryRedirectView.as_view(),
        name="comments-url-redirect",
    ),
    path("", include("commenting.urls")),
    path(
        f"{settings.MEDIA_URL.lstrip('/')}{RENDITIONS_FOLDER}/<path:name>",
        rendition,
        name="photo-rendition",
    ),
    path("", include("distribution.urls")),
    path(
        "",
        include((articles_urls.patterns(story_params=STORY_PAGE_PARAMS), articles_urls.app_name)),
    ),
]

if settings.DEBUG:
    # In production the web server or object storage serves uploads.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
