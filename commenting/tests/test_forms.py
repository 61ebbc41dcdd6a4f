"""The report form as a reader meets it on the report page."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.tests.factories import make_article
from discussion.models import CommentReport
from discussion.tests.factories import add_comment, make_reader
from newsroom.tests.forms import form_fields
from newsroom.tests.html import Elements

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_page():
    comment = add_comment(make_article(), make_reader(status="trusted"), "A contested claim.")
    reader = Client()
    reader.force_login(make_reader())
    url = reverse("commenting:report", args=[comment.pk])
    return reader, url


def reasons_on(html):
    return [
        element
        for element in Elements(html).by_tag("input")
        if element["attrs"].get("name") == "reason"
    ]


def test_every_reason_offered_is_a_real_one_and_none_is_ticked(report_page):
    reader, url = report_page
    radios = reasons_on(reader.get(url).content.decode())
    assert [r["attrs"]["value"] for r in radios] == CommentReport.Reason.values
    assert all(r["attrs"]["type"] == "radio" for r in radios)
    assert not any("checked" in r["attrs"] for r in radios)
    assert "---------" not in reader.get(url).content.decode()


def test_each_reason_has_its_label_under_the_question(report_page):
    reader, url = report_page
    page = Elements(reader.get(url).content.decode())
    [legend] = page.by_tag("legend")
    assert legend["text"] == "What is wrong with this comment?"
    labels = [
        label["text"].strip() for label in page.by_tag("label") if "reason" in label["attrs"]["for"]
    ]
    assert labels == CommentReport.Reason.labels


def test_sending_without_a_reason_asks_for_one_and_keeps_the_note(report_page):
    reader, url = report_page
    _, fields = form_fields(reader.get(url).content.decode(), "report-form")
    assert "reason" not in fields  # as a browser sends a form with no radio ticked
    response = reader.post(url, {**fields, "note": "The figure in the second line is wrong."})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose what is wrong with the comment." in html
    _, kept = form_fields(html, "report-form")
    assert kept["note"] == "The figure in the second line is wrong."
    assert not CommentReport.objects.exists()


def test_a_reason_that_is_not_on_the_list_is_refused(report_page):
    reader, url = report_page
    response = reader.post(url, {"reason": "boring", "note": ""})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not CommentReport.objects.exists()
