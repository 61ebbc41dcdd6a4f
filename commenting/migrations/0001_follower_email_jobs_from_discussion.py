"""Queued follower-email jobs name the function they run by its import path, which moved
from discussion.services to commenting.services with the room split. Rows written
before the move (waiting, retrying or failed for the desk's retry) would no longer
import; they are pointed at the new path. Finished ones are left as history.
"""

from django.db import migrations

BEFORE = "discussion.services.email_followers"
AFTER = "commenting.services.email_followers"
STILL_TO_RUN = ["READY", "RUNNING", "FAILED"]


def follow_the_move(apps, schema_editor):
    jobs = apps.get_model("django_tasks_database", "DBTaskResult")
    jobs.objects.filter(task_path=BEFORE, status__in=STILL_TO_RUN).update(task_path=AFTER)


class Migration(migrations.Migration):
    dependencies = [("django_tasks_database", "0021_conditional_partial_index_ordering")]

    operations = [migrations.RunPython(follow_the_move, migrations.RunPython.noop)]
