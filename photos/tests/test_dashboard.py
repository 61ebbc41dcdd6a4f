"""The photo library's panel on the desk's front page: photos not ready, and who sees it."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsroom.tests.dashboard import DESK, panels_on, rows_listed
from photos.models import Photo
from photos.services import create_photo_from_upload

from .factories import image_upload, make_photo, make_photo_whose_renditions_fail

pytestmark = pytest.mark.django_db

PANEL = "Photos not ready"


def desk_for(django_user_model, *permissions):
    user = django_user_model.objects.create_user(
        f"desk{django_user_model.objects.count()}", is_staff=True
    )
    user.user_permissions.add(*Permission.objects.filter(codename__in=permissions))
    client = Client()
    client.force_login(user)
    return client


def processing_photo(title):
    """A photo whose renditions job is enqueued and has not run yet."""
    with TestCase.captureOnCommitCallbacks():
        return create_photo_from_upload(
            file=image_upload(), fields={"title": title, "credit": "Jo Example/Test Wire"}
        )


def test_the_panel_lists_processing_and_failed_photos_and_links_to_each_list(django_user_model):
    make_photo(title="Ready to use")
    new = processing_photo("Just uploaded")
    remade = make_photo(title="Focal point moved")
    Photo.objects.filter(pk=remade.pk).update(rendition_version=remade.rendition_version + 1)
    failed, _ = make_photo_whose_renditions_fail(title="Truncated original")
    client = desk_for(django_user_model, "view_photo")

    panel = panels_on(client)[PANEL]

    items = dict(panel["items"])
    assert set(items) == {"Just uploaded", "Focal point moved", "Truncated original"}
    assert items["Just uploaded"] == reverse("admin:photos_photo_change", args=[new.pk])
    assert items["Truncated original"] == reverse("admin:photos_photo_change", args=[failed.pk])
    assert "Renditions failed" in panel["text"] and "Processing since" in panel["text"]
    counts = dict(panel["counts"])
    assert set(counts) == {"Processing: all 2", "Failed: all 1"}
    assert rows_listed(client, counts["Processing: all 2"]) == 2
    assert rows_listed(client, counts["Failed: all 1"]) == 1


def test_when_every_photo_is_ready_the_panel_says_so(django_user_model):
    make_photo()

    panel = panels_on(desk_for(django_user_model, "view_photo"))[PANEL]

    assert panel["text"] == "Photos not ready Every photo is ready."


def test_staff_who_may_not_see_the_library_get_no_photo_panel(django_user_model):
    processing_photo("Just uploaded")

    assert PANEL not in panels_on(desk_for(django_user_model))


def test_the_panel_makes_as_many_queries_for_30_photos_as_for_3(
    django_user_model, django_assert_max_num_queries
):
    client = desk_for(django_user_model, "view_photo")
    for number in range(3):
        processing_photo(f"Photo {number}")
    with CaptureQueriesContext(connection) as few:
        client.get(DESK)

    for number in range(3, 30):
        processing_photo(f"Photo {number}")
    with django_assert_max_num_queries(len(few)):
        panel = panels_on(client)[PANEL]

    assert [label for label, _ in panel["counts"]] == ["Processing: all 30"]
    assert "Failed: none" in panel["text"]
    assert len(panel["items"]) == 5
