"""The data migration that follows the room split: queued jobs keep running."""

import importlib

import pytest
from django.apps import apps
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from commenting.services import email_followers

pytestmark = pytest.mark.django_db

MIGRATION = "commenting.migrations.0001_follower_email_jobs_from_discussion"
moved_jobs = importlib.import_module(MIGRATION)


def test_follower_email_jobs_queued_before_the_split_run_the_moved_function(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    rows = {}
    for status in TaskResultStatus:
        result = email_followers.enqueue(7)
        DBTaskResult.objects.filter(pk=result.id).update(task_path=moved_jobs.BEFORE, status=status)
        rows[status] = result.id

    moved_jobs.follow_the_move(apps, None)

    paths = {str(pk): path for pk, path in DBTaskResult.objects.values_list("pk", "task_path")}
    assert {status: paths[rows[status]] for status in rows} == {
        TaskResultStatus.READY: email_followers.module_path,
        TaskResultStatus.RUNNING: email_followers.module_path,
        TaskResultStatus.FAILED: email_followers.module_path,
        TaskResultStatus.SUCCESSFUL: moved_jobs.BEFORE,
    }
    queued = DBTaskResult.objects.get(pk=rows[TaskResultStatus.READY])
    assert queued.task.func.__name__ == "email_followers"
