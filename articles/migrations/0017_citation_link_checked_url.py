from django.db import migrations, models


def results_so_far_are_for_the_url(apps, schema_editor):
    """Results stored until now are taken as for the URL as it is (which URL they were
    for was not kept): otherwise every citation checked before would show as pending
    until the sweep came round."""
    Citation = apps.get_model("articles", "Citation")
    Citation.objects.filter(link_checked_at__isnull=False).update(
        link_checked_url=models.F("url")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_author_portraits_reencoded"),
    ]

    operations = [
        migrations.AddField(
            model_name="citation",
            name="link_checked_url",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text="The URL the last link check was for; while it is not the URL, "
                "a check is due.",
                max_length=1000,
                verbose_name="URL checked",
            ),
        ),
        migrations.AlterField(
            model_name="citation",
            name="link_ok",
            field=models.BooleanField(
                editable=False,
                help_text="Result of the last link check: run after each save that changes "
                "the URL, and again once a week.",
                null=True,
                verbose_name="link works",
            ),
        ),
        migrations.RunPython(results_so_far_are_for_the_url, migrations.RunPython.noop),
    ]
