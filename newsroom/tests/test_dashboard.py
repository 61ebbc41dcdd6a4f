"""The front page's registry of panels: who sees which, in what order."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from newsroom import dashboard
from newsroom.dashboard import Count, Summary, panels_for, register_panel


@pytest.fixture
def no_panels(monkeypatch):
    monkeypatch.setattr(dashboard, "_panels", {})


def summary_of(title, asked):
    def context(request):
        asked.append(title)
        return Summary(title=title, counts=[Count("Waiting", 1, "/somewhere/")])

    return context


def request_by(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_panels_come_by_position_and_only_visible_ones_are_computed(no_panels):
    asked = []
    register_panel("late", context=summary_of("Late", asked), visible_to=lambda u: True)
    register_panel("hidden", context=summary_of("Hidden", asked), visible_to=lambda u: u.is_staff)
    register_panel(
        "first", context=summary_of("First", asked), visible_to=lambda u: True, position=1
    )

    shown = panels_for(request_by(AnonymousUser()))

    assert [(panel.name, summary.title) for panel, summary in shown] == [
        ("first", "First"),
        ("late", "Late"),
    ]
    assert asked == ["First", "Late"]


def test_a_name_registered_twice_is_refused(no_panels):
    register_panel("drafts", context=summary_of("Drafts", []), visible_to=lambda u: True)

    with pytest.raises(ValueError, match="'drafts' is registered already"):
        register_panel("drafts", context=summary_of("Drafts", []), visible_to=lambda u: True)


def test_a_summary_totals_its_counts():
    summary = Summary("Photos", [Count("Processing", 2, "/a/"), Count("Failed", 1, "/b/")])

    assert summary.total == 3
    assert Summary("Photos", [Count("Failed", 0, "/b/")]).empty == "Nothing waiting."
