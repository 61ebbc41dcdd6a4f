"""Editors may change photos that are in published or scheduled stories; reporters may not."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs this one now.
    photos = apps.get_app_config("photos")
    photos.models_module = True
    create_permissions(photos, apps=apps, verbosity=0)
    photos.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        Permission.objects.get(content_type__app_label="photos", codename="change_live_photo")
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="photos", codename="change_live_photo"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_author_portrait_help"),
        ("photos", "0003_live_photo_permission_and_history"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
