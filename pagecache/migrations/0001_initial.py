import django.utils.timezone
from django.db import migrations, models


def create_row(apps, schema_editor):
    # Already expired: the first read works out when the next scheduled story is due.
    now = django.utils.timezone.now()
    apps.get_model("pagecache", "Generation").objects.create(pk=1, changed_at=now, expires_at=now)


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Generation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveBigIntegerField(default=1)),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "expires_at",
                    models.DateTimeField(
                        help_text="The next scheduled publication or embargo lift.", null=True
                    ),
                ),
            ],
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
