"""The library asks the apps that use photos where a photo is and whether readers see it."""

import types

import pytest
from django.urls import reverse

from photos import usage
from photos.usage import Use, register_photo_user

from .factories import make_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def only_this_user(monkeypatch):
    """A photo user of the test's own in place of the registered ones."""
    monkeypatch.setattr(usage, "_users", [])
    live = set()
    register_photo_user(
        types.SimpleNamespace(
            prefetch=[],
            uses=lambda photo: [Use("Tide tables", "Published", "/desk/tides/")],
            is_live=lambda photo: photo.pk in live,
        )
    )
    return live


def test_a_photo_is_live_when_a_user_says_readers_see_it(only_this_user):
    photo = make_photo()
    assert not photo.is_live()
    only_this_user.add(photo.pk)
    assert photo.is_live()


def test_with_no_user_no_photo_is_live_or_used(monkeypatch):
    monkeypatch.setattr(usage, "_users", [])
    photo = make_photo()
    assert not photo.is_live() and usage.uses_of(photo) == []


def test_the_library_lists_what_the_users_tell(only_this_user, client, django_user_model):
    photo = make_photo()
    client.force_login(django_user_model.objects.create_superuser("desk", "d@example.org", "pw"))
    listing = client.get(reverse("admin:photos_photo_changelist")).content.decode()
    assert "1 story" in listing
    change = client.get(reverse("admin:photos_photo_change", args=[photo.pk])).content.decode()
    assert '<a href="/desk/tides/">Tide tables</a> (Published)' in change
