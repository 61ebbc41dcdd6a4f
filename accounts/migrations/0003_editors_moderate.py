"""Editors work the moderation workbench as moderators do."""

from django.db import migrations

from accounts import roles


def grant_roles(apps, schema_editor):
    roles.grant(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_editors_retry_jobs"),
        ("discussion", "0006_moderators_workbench"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
