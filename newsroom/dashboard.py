"""The desk's front page: panels the rooms contribute, each shown to whom it concerns.

The desk may not import the rooms built on it (moderation's workbench, say),
and the foundation may import none, so each room registers its own panels in
its AppConfig.ready() and the admin index renders the ones a user may see
({% dashboard_panels %}, newsroom/templatetags/dashboard.py).

A panel's context is a Summary: a few counts, each with the link to all of
them, and a few items. Its queries must not grow with the rows it counts.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

PANEL_TEMPLATE = "admin/dashboard/panel.html"


@dataclass(frozen=True)
class Count:
    """How many things wait in one state, and the page listing all of them."""

    label: str
    number: int
    url: str


@dataclass(frozen=True)
class Item:
    """One waiting thing, linked to where it is dealt with; `note` says why it waits or
    until when ("Scheduled", a time)."""

    label: str
    url: str
    note: str = ""
    time: datetime | None = None


@dataclass(frozen=True)
class Summary:
    title: str
    counts: list[Count]
    items: list[Item] = field(default_factory=list)
    empty: str = "Nothing waiting."

    @property
    def total(self) -> int:
        return sum(count.number for count in self.counts)


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[[HttpRequest], Summary]
    visible_to: Callable[[object], bool]
    position: int


_panels: dict[str, Panel] = {}


def page_url(viewname: str, *args, **query) -> str:
    """The address of a named page, with `query` as its parameters (a filtered change list)."""
    url = reverse(viewname, args=args)
    return f"{url}?{urlencode(query)}" if query else url


def register_panel(
    name: str,
    *,
    context: Callable[[HttpRequest], Summary],
    visible_to: Callable[[object], bool],
    template: str = PANEL_TEMPLATE,
    position: int = 50,
) -> None:
    """Adds a panel to the front page.

    `visible_to(user)` says who sees it (permissions, as the pages it links to
    check them); `context(request)` is called only for them. Panels appear by
    `position`, then in the order the rooms registered them: apps get ready in
    INSTALLED_APPS order, which is the layout's, not the desk's priorities.
    """
    if name in _panels:
        raise ValueError(f"A dashboard panel named {name!r} is registered already.")
    _panels[name] = Panel(name, template, context, visible_to, position)


def panels_for(request: HttpRequest) -> list[tuple[Panel, Summary]]:
    """The panels the request's user may see, in their order, with their contents."""
    shown = sorted(
        (panel for panel in _panels.values() if panel.visible_to(request.user)),
        key=lambda panel: panel.position,
    )
    return [(panel, panel.context(request)) for panel in shown]
