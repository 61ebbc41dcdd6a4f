"""The Reporters and Editors groups, with exactly the permissions of their roles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CRUD = ("add", "change", "delete", "view")
STORY_PARTS = ("byline", "photoplacement", "citation")

ROLES = {
    # Reporters draft stories and submit them; the admin narrows "change" to
    # their own drafts, and only editors may choose a publishing status.
    "Reporters": {
        "articles": [
            "add_article",
            "change_article",
            "view_article",
            "view_section",
            "view_tag",
            "add_tag",
            "view_author",
            "view_correction",
            *(f"{action}_{model}" for model in STORY_PARTS for action in CRUD),
        ],
        "photos": ["add_photo", "change_photo", "view_photo"],
    },
    "Editors": {
        "articles": [
            "publish_article",
            *(
                f"{action}_{model}"
                for model in ("article", "section", "tag", "author", "correction", *STORY_PARTS)
                for action in CRUD
            ),
        ],
        "photos": [f"{action}_photo" for action in CRUD],
    },
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, by_app in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in by_app.items():
            permissions = Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            assert permissions.count() == len(set(codenames)), (name, app_label)
            group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_editorial_workflow"),
        ("photos", "0002_photo_desk"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
