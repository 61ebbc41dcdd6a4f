from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("pagecache", "0001_initial")]

    operations = [
        migrations.DeleteModel(name="Generation"),
        migrations.CreateModel(
            name="TagVersion",
            fields=[
                (
                    "name",
                    models.CharField(
                        help_text="What the tag names, e.g. story:42.",
                        max_length=200,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "version",
                    models.BigIntegerField(default=0, help_text="Moved on by every write to it."),
                ),
                (
                    "changes_at",
                    models.DateTimeField(
                        help_text="When what the tag names changes with no write (the next "
                        "scheduled story going live, say); the first read after it moves the "
                        "version on.",
                        null=True,
                    ),
                ),
            ],
        ),
    ]
