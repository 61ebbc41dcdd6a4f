"""Editors see the background jobs in the desk and may run a failed one again."""

from django.db import migrations

from accounts import roles


def grant_roles(apps, schema_editor):
    roles.grant(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_staff_roles"),
        ("jobs", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
