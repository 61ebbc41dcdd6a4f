"""Create the Moderators group, the moderation policy, and name the site for email links."""

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = {
    "django_comments_xtd": ["view_xtdcomment", "change_xtdcomment"],
    "django_comments": ["can_moderate"],
    "discussion": [
        "view_commentmoderation",
        "view_commentreport",
        "view_readerprofile",
        "change_readerprofile",
        "view_readerstatuschange",
        "view_moderationpolicy",
        "change_moderationpolicy",
    ],
}


def create_moderators(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    for app_label, codenames in MODERATOR_PERMISSIONS.items():
        moderators.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        )


def create_policy(apps, schema_editor):
    apps.get_model("discussion", "ModerationPolicy").objects.get_or_create(pk=1)


def name_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": settings.NEWSROOM_SITE_DOMAIN, "name": settings.NEWSROOM_SITE_NAME},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("sites", "0002_alter_domain_unique"),
        ("django_comments", "0004_add_object_pk_is_removed_index"),
        ("django_comments_xtd", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_moderators, migrations.RunPython.noop),
        migrations.RunPython(create_policy, migrations.RunPython.noop),
        migrations.RunPython(name_site, migrations.RunPython.noop),
    ]
