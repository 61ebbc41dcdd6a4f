"""Create the moderation policy and name the site for email links.

The Moderators group is a staff role: accounts/migrations/0001_staff_roles.py grants it.
"""

from django.conf import settings
from django.db import migrations


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
        migrations.RunPython(create_policy, migrations.RunPython.noop),
        migrations.RunPython(name_site, migrations.RunPython.noop),
    ]
