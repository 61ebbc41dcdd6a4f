"""The site's URLs plus django-comments-xtd's, which its stock comment tree links to."""

from django.urls import include, path

from newsroom.urls import urlpatterns as site

urlpatterns = [path("comments/", include("django_comments_xtd.urls")), *site]
