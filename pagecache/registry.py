"""What the page cache is told by the apps whose rows readers see.

The cache knows no app of ours: each one names, in its AppConfig.ready(), the
models it shows on public pages and how to find the next moment its pages
change with no write at all (a scheduled story going live, say).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

_next_changes = []


def _pages_changed(sender, action="post_", **kwargs):
    from .models import Generation

    if action.startswith("pre_"):  # m2m_changed also fires before the change
        return

    Generation.objects.bump()


def shown_on_pages(*models):
    """Every write to these models starts a new generation of cached pages.

    Signals rather than calls in each service: the admin (forms and inlines)
    writes these models directly, and a missed write would be a stale page.
    The bump runs in the writer's transaction. A many-to-many table Django
    made (`Article.tags.through`) is written through the relation, which
    sends m2m_changed instead.
    """
    for model in models:
        label = model._meta.label
        if model._meta.auto_created:
            m2m_changed.connect(_pages_changed, sender=model, dispatch_uid=f"pagecache-{label}")
        else:
            post_save.connect(_pages_changed, sender=model, dispatch_uid=f"pagecache-{label}")
            post_delete.connect(_pages_changed, sender=model, dispatch_uid=f"pagecache-{label}-d")


def pages_change_by_themselves(next_change):
    """`next_change()` gives the next moment pages change with no write, or None."""
    if next_change not in _next_changes:
        _next_changes.append(next_change)


def next_change():
    """The earliest moment any app's pages change by themselves (None if nothing waits)."""
    moments = [moment for moment in (ask() for ask in _next_changes) if moment is not None]
    return min(moments, default=None)
