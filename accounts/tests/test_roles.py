"""The staff groups hold what accounts.roles says, however the database was migrated."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from accounts import roles

pytestmark = pytest.mark.django_db


def held():
    return {
        group.name: {
            (permission.content_type.app_label, permission.codename)
            for permission in group.permissions.select_related("content_type")
        }
        for group in Group.objects.all()
    }


def defined():
    return {
        name: {(label, codename) for label, codenames in by_app.items() for codename in codenames}
        for name, by_app in roles.ROLES.items()
    }


def test_after_migrating_each_group_holds_exactly_its_roles_permissions():
    found = held()
    print({name: len(permissions) for name, permissions in found.items()})
    assert found == defined()


def test_granting_again_changes_nothing():
    before = held()
    roles.grant(apps)
    roles.grant(apps)
    assert held() == before == defined()


def test_granting_leaves_a_permission_given_by_hand_and_restores_a_removed_one():
    editors = Group.objects.get(name="Editors")
    extra = Permission.objects.get(content_type__app_label="auth", codename="view_user")
    editors.permissions.add(extra)
    editors.permissions.remove(Permission.objects.get(codename="publish_article"))
    roles.grant(apps)
    assert held()["Editors"] == defined()["Editors"] | {("auth", "view_user")}


def test_every_create_staff_role_is_a_defined_group():
    assert set(roles.GROUP_OF_ROLE.values()) == set(roles.ROLES)
