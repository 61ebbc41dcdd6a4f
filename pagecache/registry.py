"""What the page cache is told by the apps whose rows readers see.

The cache knows no app of ours. Each app, in its AppConfig.ready(), names
the models it shows on public pages with a function from a written row to
the tags that write changes (pagecache/tags.py), and how to find the next
moment pages change with no write at all (a scheduled story going live).
Whoever keeps copies of pages elsewhere (an edge cache) asks to hear which
tags changed, once they are committed.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

_changes = {}
_next_changes = {}
_listeners = []


def shown_on_pages(model, changes):
    """Writes to `model` move on the tags `changes` names.

    For a model: `changes(instance, created)` (created is False for updates
    and deletions). For a many-to-many table Django made (`Article.tags.through`),
    written through the relation: `changes(instance, pk_set)`, with the
    instance on either side. An empty result (a comment held for review) moves
    nothing. Signals rather than calls in each service: the admin writes these
    models directly, and a missed write would be a stale page. Registering a
    model again replaces its function.
    """
    label = model._meta.label
    _changes[model] = changes
    if model._meta.auto_created:
        m2m_changed.connect(_relation_changed, sender=model, dispatch_uid=f"pagecache-{label}")
    else:
        post_save.connect(_saved, sender=model, dispatch_uid=f"pagecache-{label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"pagecache-{label}-d")


def _bump(tags):
    from . import versions

    versions.bump(tags)


def _saved(sender, instance, created, raw=False, **kwargs):
    if not raw:  # loaddata: the pages are rebuilt along with everything else
        _bump(_changes[sender](instance, created))


def _deleted(sender, instance, **kwargs):
    _bump(_changes[sender](instance, False))


def _relation_changed(sender, instance, action, pk_set, **kwargs):
    if action.startswith("post_"):  # it also fires before the change
        _bump(_changes[sender](instance, pk_set or set()))


def pages_change_by_themselves(next_change, *, tag):
    """Pages showing `tag` change at `next_change()` (a moment, or None) with no write."""
    _next_changes[tag] = next_change


def changes_by_itself(tag):
    return tag in _next_changes


def next_change(tags):
    """The earliest moment a page showing these tags changes by itself (None if none waits)."""
    moments = [_next_changes[tag]() for tag in _next_changes.keys() & set(tags)]
    return min((moment for moment in moments if moment is not None), default=None)


def on_tags_changed(callback):
    """`callback(tags)` runs after each commit that moved tags on, with the frozenset moved."""
    if callback not in _listeners:
        _listeners.append(callback)


def tags_changed(tags):
    for callback in list(_listeners):
        callback(tags)
