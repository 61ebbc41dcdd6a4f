"""The desk's list of jobs: failures with their error, and the retry action for editors."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.urls import reverse
from django_tasks import TaskResultStatus

from jobs.models import JobResult

from . import jobs_for_tests

pytestmark = pytest.mark.django_db
JOBS = reverse("admin:jobs_jobresult_changelist")


@pytest.fixture(autouse=True)
def _mail_server_down():
    jobs_for_tests.FAILING["on"] = True


@pytest.fixture
def staff(client, django_user_model, settings):
    settings.NEWSROOM_REQUIRE_2FA_GROUPS = []

    def log_in(group):
        user = django_user_model.objects.create_user(
            username=group, email=f"{group}@example.org", password="pw", is_staff=True
        )
        user.groups.add(Group.objects.get(name=group))
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        client.force_login(user)
        return client

    return log_in


@pytest.fixture
def failed(work_queue):
    result = jobs_for_tests.fails_while_told.enqueue("reply to comment 7")
    work_queue()
    row = JobResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED
    return row


def test_an_editor_sees_the_failure_with_its_arguments_and_error(staff, failed):
    desk = staff("Editors")
    page = desk.get(JOBS, {"status__exact": "FAILED"}).content.decode()
    assert "fails_while_told" in page
    assert "&#x27;reply to comment 7&#x27;" in page
    assert "ConnectionRefusedError: reply to comment 7: the mail server is down" in page
    assert "Run the selected failed jobs again" in page
    detail = desk.get(reverse("admin:jobs_jobresult_change", args=[failed.pk])).content.decode()
    assert "<pre>Traceback (most recent call last):" in detail


def test_retrying_queues_the_same_job_afresh_and_it_runs(staff, failed, work_queue):
    desk = staff("Editors")
    reply = desk.post(JOBS, {"action": "retry", "_selected_action": [str(failed.pk)]}, follow=True)
    assert "1 job(s) queued to run again." in reply.content.decode()
    failed.refresh_from_db()
    assert (failed.status, failed.traceback) == (TaskResultStatus.READY, "")

    jobs_for_tests.FAILING["on"] = False
    work_queue()
    failed.refresh_from_db()
    assert failed.status == TaskResultStatus.SUCCESSFUL
    assert failed.return_value == "reply to comment 7"
    assert JobResult.objects.count() == 1


def test_retrying_drops_the_attempt_count_so_every_attempt_is_available_again(failed):
    from jobs.services import retry_job

    failed.args_kwargs = {"args": ["x"], "kwargs": {"attempt_number": 6}}
    failed.save()
    assert retry_job(result=failed) is True
    failed.refresh_from_db()
    assert failed.args_kwargs == {"args": ["x"], "kwargs": {}}
    assert retry_job(result=failed) is False, "a second click finds nothing failed"


def test_a_job_that_did_not_fail_is_left_alone(staff, work_queue):
    jobs_for_tests.FAILING["on"] = False
    result = jobs_for_tests.fails_while_told.enqueue("fine")
    work_queue()
    reply = staff("Editors").post(
        JOBS, {"action": "retry", "_selected_action": [result.id]}, follow=True
    )
    assert "only failed jobs run again" in reply.content.decode()
    assert JobResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL


def test_moderators_neither_see_nor_retry_jobs(staff, failed):
    desk = staff("Moderators")
    assert desk.get(JOBS).status_code == 403
    desk.post(JOBS, {"action": "retry", "_selected_action": [str(failed.pk)]})
    failed.refresh_from_db()
    assert failed.status == TaskResultStatus.FAILED


def test_readers_are_sent_to_the_login(client, failed):
    reply = client.get(JOBS)
    assert reply.status_code == 302 and "login" in reply["Location"]


def test_the_package_admin_is_replaced(admin_client):
    assert admin_client.get("/admin/django_tasks_database/dbtaskresult/").status_code == 404
