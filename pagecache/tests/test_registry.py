"""Apps tell the page cache what each write changes; the cache needs none of them.

Registers Django's own Group (and its permissions table) for the length of a
test, so these tests know no app of ours.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from pagecache import registry, versions
from pagecache.registry import (
    next_change,
    on_tags_changed,
    pages_change_by_themselves,
    shown_on_pages,
)

pytestmark = pytest.mark.django_db


def version(tag):
    return versions.current([tag])[tag]


def of_group(group, created):
    return [f"group:{group.pk}", "groups"]


def of_group_permissions(instance, pks):
    return [f"group:{instance.pk}"] if isinstance(instance, Group) else ["groups"]


@pytest.fixture
def groups_on_pages(monkeypatch):
    monkeypatch.setattr(registry, "_changes", {})
    shown_on_pages(Group, of_group)
    shown_on_pages(Group.permissions.through, of_group_permissions)
    yield
    post_save.disconnect(sender=Group, dispatch_uid="pagecache-auth.Group")
    post_delete.disconnect(sender=Group, dispatch_uid="pagecache-auth.Group-d")
    through = Group.permissions.through
    m2m_changed.disconnect(sender=through, dispatch_uid=f"pagecache-{through._meta.label}")


@pytest.fixture
def no_hooks(monkeypatch):
    monkeypatch.setattr(registry, "_next_changes", {})
    monkeypatch.setattr(registry, "_listeners", [])


def test_a_write_moves_only_the_tags_its_function_names(groups_on_pages):
    other = Group.objects.create(name="Letters page")
    before = versions.current(["groups", f"group:{other.pk}"])
    group = Group.objects.create(name="Readers' panel")
    assert version("groups") == before["groups"] + 1
    assert version(f"group:{other.pk}") == before[f"group:{other.pk}"]
    group.name = "Readers' council"
    group.save()
    assert version(f"group:{group.pk}") == 2
    pk = group.pk
    group.delete()
    assert version(f"group:{pk}") == 3


def test_a_write_that_names_no_tags_moves_nothing(groups_on_pages, monkeypatch):
    monkeypatch.setitem(registry._changes, Group, lambda group, created: [])
    Group.objects.create(name="Readers' panel")
    assert version("groups") == 0


def test_writes_to_other_models_leave_the_pages_alone(groups_on_pages):
    Permission.objects.first().save()
    assert version("groups") == 0


def test_a_model_registered_twice_moves_its_tags_once_a_write(groups_on_pages):
    shown_on_pages(Group, of_group)
    Group.objects.create(name="Readers' panel")
    assert version("groups") == 1


def test_a_change_to_a_relation_moves_the_side_it_was_made_from(groups_on_pages):
    group = Group.objects.create(name="Readers' panel")
    before = version(f"group:{group.pk}")
    group.permissions.add(Permission.objects.first())
    assert version(f"group:{group.pk}") == before + 1


def test_listeners_hear_the_tags_once_the_write_commits(
    groups_on_pages, no_hooks, django_capture_on_commit_callbacks
):
    heard = []
    on_tags_changed(heard.append)
    with django_capture_on_commit_callbacks(execute=True):
        group = Group.objects.create(name="Readers' panel")
        assert heard == []
    assert heard == [frozenset({f"group:{group.pk}", "groups"})]


def test_a_tag_moved_by_several_writes_of_one_commit_is_told_once(
    groups_on_pages, no_hooks, django_capture_on_commit_callbacks
):
    heard = []
    on_tags_changed(heard.append)
    with django_capture_on_commit_callbacks(execute=True):
        group = Group.objects.create(name="Readers' panel")
        group.name = "Readers' council"
        group.save()
        group.permissions.add(Permission.objects.first())
    assert heard == [frozenset({f"group:{group.pk}", "groups"})]
    # The next commit is told again, the tags of its own writes.
    with django_capture_on_commit_callbacks(execute=True):
        group.save()
    assert heard[1:] == [frozenset({f"group:{group.pk}", "groups"})]


def test_a_rolled_back_write_is_told_nothing_and_the_commit_around_it_the_rest(
    groups_on_pages, no_hooks, django_capture_on_commit_callbacks
):
    heard = []
    kept = Group.objects.create(name="Letters page")
    on_tags_changed(heard.append)
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture, pytest.raises(RuntimeError), transaction.atomic():
        kept.save()
        raise RuntimeError
    assert heard == []
    with django_capture_on_commit_callbacks(execute=True):
        kept.save()
        with pytest.raises(RuntimeError), transaction.atomic():
            Group.objects.create(name="Never was")
            raise RuntimeError
    assert heard == [frozenset({f"group:{kept.pk}", "groups"})]


def test_pages_wait_for_the_earliest_moment_of_the_tags_they_show(no_hooks):
    soon, later = timezone.now() + timedelta(hours=1), timezone.now() + timedelta(days=1)
    pages_change_by_themselves(lambda: later, tag="latest")
    pages_change_by_themselves(lambda: None, tag="quiet")
    pages_change_by_themselves(lambda: soon, tag="schedule")
    assert next_change(["latest", "quiet", "story:1"]) == later
    assert next_change(["latest", "schedule"]) == soon
    assert next_change(["quiet", "story:1"]) is None


def test_a_tag_moves_on_by_itself_when_its_moment_comes(no_hooks, time_machine):
    moment = timezone.now() + timedelta(minutes=5)
    pages_change_by_themselves(lambda: moment if timezone.now() < moment else None, tag="latest")
    first = version("latest")
    assert version("latest") == first
    time_machine.move_to(moment + timedelta(seconds=1))
    assert version("latest") == first + 1
    assert version("latest") == first + 1  # once: the next moment is none
