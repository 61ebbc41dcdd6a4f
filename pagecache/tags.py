"""What a cached page shows, declared by the code that renders it.

A tag names one thing readers see: `story:42`, `story:42:comments`,
`section:3`, `latest`. While PageCacheMiddleware renders a page for the
cache, views, template tags and context processors call `shows()` for what
they put on it; the page is stored with those tags and the version each had,
and served again only while every one of them is unchanged. Outside such a
render (a signed-in reader's page, a management command) `shows()` does
nothing.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_shown: ContextVar[set | None] = ContextVar("pagecache_shown", default=None)


def shows(*tags: str) -> None:
    """The page being rendered shows these things."""
    shown = _shown.get()
    if shown is not None:
        shown.update(tags)


@contextmanager
def collecting():
    """The set `shows()` adds to while the block runs."""
    shown = set()
    token = _shown.set(shown)
    try:
        yield shown
    finally:
        _shown.reset(token)
