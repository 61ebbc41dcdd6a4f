"""Apps tell the page cache what readers see; the cache needs none of them.

Registers Django's own Group (and its permissions table) for the length of a
test, so these tests know no app of ours.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from pagecache import registry
from pagecache.models import Generation
from pagecache.registry import pages_change_by_themselves, shown_on_pages

pytestmark = pytest.mark.django_db


def generation():
    return Generation.objects.current().number


@pytest.fixture
def groups_on_pages():
    shown_on_pages(Group, Group.permissions.through)
    yield
    post_save.disconnect(sender=Group, dispatch_uid="pagecache-auth.Group")
    post_delete.disconnect(sender=Group, dispatch_uid="pagecache-auth.Group-d")
    through = Group.permissions.through
    m2m_changed.disconnect(sender=through, dispatch_uid=f"pagecache-{through._meta.label}")


@pytest.fixture
def no_hooks(monkeypatch):
    monkeypatch.setattr(registry, "_next_changes", [])


def test_writes_to_a_model_shown_on_pages_move_the_pages_on(groups_on_pages):
    before = generation()
    group = Group.objects.create(name="Readers' panel")
    assert generation() == before + 1
    group.delete()
    assert generation() == before + 2


def test_writes_to_other_models_leave_the_pages_alone(groups_on_pages):
    before = generation()
    Permission.objects.first().save()
    assert generation() == before


def test_a_model_registered_twice_moves_the_pages_once_a_write(groups_on_pages):
    shown_on_pages(Group)
    before = generation()
    Group.objects.create(name="Readers' panel")
    assert generation() == before + 1


def test_a_change_to_a_relation_shown_on_pages_moves_them_once(groups_on_pages):
    group = Group.objects.create(name="Readers' panel")
    before = generation()
    group.permissions.add(Permission.objects.first())
    assert generation() == before + 1


def test_pages_wait_for_the_earliest_moment_any_app_names(no_hooks):
    soon, later = timezone.now() + timedelta(hours=1), timezone.now() + timedelta(days=1)
    pages_change_by_themselves(lambda: later)
    pages_change_by_themselves(lambda: None)
    pages_change_by_themselves(lambda: soon)
    Generation.objects.current()
    Generation.objects.bump()
    assert Generation.objects.current().expires_at == soon


def test_with_nothing_scheduled_pages_wait_for_no_moment(no_hooks):
    pages_change_by_themselves(lambda: None)
    Generation.objects.current()
    Generation.objects.bump()
    assert Generation.objects.current().expires_at is None


def test_the_generation_moves_on_by_itself_when_the_moment_comes(no_hooks, time_machine):
    moment = timezone.now() + timedelta(minutes=5)
    pages_change_by_themselves(lambda: moment if timezone.now() < moment else None)
    Generation.objects.current()
    Generation.objects.bump()
    before = generation()
    time_machine.move_to(moment + timedelta(seconds=1))
    assert generation() == before + 1
    assert Generation.objects.current().expires_at is None
