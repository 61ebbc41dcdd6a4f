"""The workbench's panel on the desk's front page (newsroom/dashboard.py): how many comments
wait for a moderator and how many carry open reports, each linked to its tab."""

from newsroom.dashboard import Count, Summary, page_url, register_panel

from .permissions import may_moderate
from .queue import tab_counts


def comments_waiting(request) -> Summary:
    counts = tab_counts()
    return Summary(
        title="Comments",
        counts=[
            Count("Waiting", counts["pending"], page_url("moderation:queue", tab="pending")),
            Count("Reported", counts["reported"], page_url("moderation:queue", tab="reported")),
        ],
        empty="No comment waits for a moderator.",
    )


def register_panels() -> None:
    register_panel("comments", context=comments_waiting, visible_to=may_moderate, position=60)
