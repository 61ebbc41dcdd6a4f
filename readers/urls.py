from django.urls import path

from . import views

app_name = "readers"

urlpatterns = [
    path("data/", views.DataView.as_view(), name="data"),
    path("delete/", views.DeleteAccountView.as_view(), name="delete"),
    path("delete/done/", views.AccountDeletedView.as_view(), name="deleted"),
]
