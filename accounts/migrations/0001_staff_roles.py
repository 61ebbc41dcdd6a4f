"""The Reporters, Editors and Moderators groups, with exactly the permissions of their roles.

Their permissions belong to the apps listed below, so this runs after each of
them. On a database that holds the roles already it adds nothing.
"""

from django.db import migrations

from accounts import roles


def grant_roles(apps, schema_editor):
    roles.grant(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0016_author_portraits_reencoded"),
        ("discussion", "0005_display_name_skeletons"),
        ("photos", "0003_live_photo_permission_and_history"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
        ("django_comments_xtd", "0008_auto_20200920_2037"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
