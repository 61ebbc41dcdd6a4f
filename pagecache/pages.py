"""Full-page caching for anonymous readers, kept exactly as long as what each page shows.

A page is served from the cache only to a visitor without a session or a
flash message waiting (told from cookies, before sessions and auth run), and
stored only when rendering it used no CSRF token and set no cookie, so
nothing personal or per-visitor is ever stored for someone else.
While a page renders, the code that fills it declares what it shows
(pagecache/tags.py); the page is stored with those tags and their versions
(pagecache/versions.py: Redis when configured, else the database), and is
served again only while none of them has moved. A write moves only its own
tags (pagecache/registry.py), so a comment approved on one story refreshes
that story's pages and the lists showing its comment count, nothing else,
and an edit through any process is seen by every process on its next
request. A page that declares nothing is never stored.
Browsers revalidate every time (max-age=0) and get a 304 while the page holds.
"""

import gzip
import hashlib
import time
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import caches
from django.http import QueryDict
from django.middleware.gzip import re_accepts_gzip
from django.urls import Resolver404, resolve
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date
from django.utils.text import compress_string

from . import mirror, versions
from .tags import collecting
from .tags import shows as declare


def page_number(value):
    """`007` is page 7; anything else is left for the view to reject with a 404 (not cached)."""
    return str(int(value)) if value.isdigit() else value


def one_of(*choices):
    return lambda value: value if value in choices else None


LIST_PARAMS = {"page": page_number}


def _anonymous_visit(request):
    """A GET from someone with no session and no flash message waiting.

    Decided from cookies alone, before sessions and authentication run: with
    no session cookie nobody is logged in, and messages live in the messages
    cookie or the session.
    """
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _keep_only(request, params):
    """Drop query parameters the page does not read (utm_*, cache busters).

    The request itself is rewritten, so links the page builds from its own
    address match the key it is stored under.
    """
    if not request.META.get("QUERY_STRING"):
        return
    kept = QueryDict(mutable=True)
    for name in sorted(params):
        value = request.GET.get(name)
        if value is not None:
            value = params[name](value)
        if value is not None:
            kept[name] = value
    request.GET = kept
    request.META["QUERY_STRING"] = kept.urlencode()


def _storable(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.has_header("Content-Encoding")
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.has_header("Cache-Control")
    )


def cached_for_readers(view=None, *, params=None, shows=()):
    """Let PageCacheMiddleware serve `view` to anonymous readers from the page cache.

    `params` maps each query parameter the page uses to a function that
    returns its canonical value, or None to drop it. `shows` names tags the
    page always shows, besides those its code declares (pagecache/tags.py);
    a page that shows no tag at all is not stored. Whoever the middleware
    does not serve (signed-in readers, anyone with a session) gets the page
    rendered for them and marked private.
    """
    params = LIST_PARAMS if params is None else params

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            declare(*shows)
            response = view(request, *args, **kwargs)
            if not getattr(request, "page_cache_key", None):
                add_never_cache_headers(response)
            return response

        wrapper.page_cache_params = params
        return wrapper

    return decorator if view is None else decorator(view)


class PageCacheMiddleware:
    """Answer anonymous readers from the page cache before the rest of the stack runs.

    It sits right after whitenoise, so a hit costs a URL match, one cache
    read and one read of the stored page's tag versions. What it stores is
    the final response, with the headers the inner middleware added (CSP,
    frame and referrer policies), so a hit sends exactly what a render would
    have.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        params = _page_params(request) if _anonymous_visit(request) else None
        if params is None:
            return self.get_response(request)
        _keep_only(request, params)
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        key = f"page:{STORED_FORMAT}:{hashlib.sha256(address.encode()).hexdigest()}"
        stored = _stored(key)
        try:
            seen = versions.current(stored.versions) if stored else {}
        except versions.Unavailable:
            return _not_stored(self.get_response(request), "miss")
        if stored is not None and stored.valid(seen):
            response = stored.response
            if _conditional(request):
                unchanged = get_conditional_response(
                    request, etag=response["ETag"], last_modified=stored.stored_at
                )
                if unchanged is not None:
                    _mark_cacheable(unchanged, response["ETag"], stored.stored_at)
                    return unchanged
            response["X-Page-Cache"] = "hit"
        else:
            request.page_cache_key = key
            with collecting() as shown:
                response = self.get_response(request)
            response.page_tags = frozenset(shown)
            if not shown or not _storable(request, response):
                return _not_stored(response, "bypass")
            try:
                entry = Entry.of(response, shown, seen)
            except versions.Unavailable:
                return _not_stored(response, "miss")
            _mark_cacheable(response, entry.etag, entry.stored_at)
            _gzip(response)
            caches["pages"].set(key, entry, settings.PAGE_CACHE_SECONDS)
            mirror.forget([caches["pages"].make_key(key)])
            response["X-Page-Cache"] = "miss"
        # META rather than request.headers, which builds a mapping of every header.
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            _gunzip(response)
        return response


def _stored(key):
    """The stored Entry, from this thread's memory when Redis says it has not changed."""
    pages = caches["pages"]
    if mirror.watch() is None:
        return pages.get(key)
    full_key = pages.make_key(key)
    try:
        raw = versions.read_many([full_key])[full_key]
    except versions.Unavailable:
        return None
    return None if raw is None else pages.client.decode(raw)


class Entry:
    """A stored page, the version of each tag it showed, and until when it holds.

    Pages that change by themselves at a moment (a scheduled story going
    live) need nothing here: the tag they show moves on at that moment
    (pagecache/versions.py).

    Versions are those read before the render, for the tags the page's
    previous copy showed: a write committed while the page rendered then
    leaves the copy already out of date, never stored as current. A tag the
    page shows for the first time can only be read after the render, so a
    copy with such a tag is provisional: it is served for
    PAGE_CACHE_PROVISIONAL_SECONDS, then rendered once more with every
    version known beforehand.
    """

    def __init__(self, response, versions, stored_at, provisional_until):
        self.response = response
        self.versions = versions
        self.stored_at = stored_at
        self.provisional_until = provisional_until

    @classmethod
    def of(cls, response, shown, seen):
        now = int(time.time())
        unseen = shown - seen.keys()
        found = {**versions.current(unseen), **{tag: seen[tag] for tag in shown & seen.keys()}}
        provisional_until = now + settings.PAGE_CACHE_PROVISIONAL_SECONDS if unseen else None
        return cls(response, found, now, provisional_until)

    @property
    def etag(self):
        # Weak: the gzipped and the plain copy are the same page.
        shown = "|".join(f"{tag}={version}" for tag, version in sorted(self.versions.items()))
        return f'W/"{hashlib.sha256(shown.encode()).hexdigest()[:24]}.{self.stored_at}"'

    def valid(self, current):
        return current == self.versions and (
            self.provisional_until is None or time.time() < self.provisional_until
        )


# Bumped when what is stored changes shape, so a deploy never serves entries
# an older release stored.
STORED_FORMAT = 3


@lru_cache(maxsize=4096)
def _params_of(urlconf, path):
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    return getattr(match.func, "page_cache_params", None)


def _page_params(request):
    """The query parameters the page at this path keeps, or None if it is not cached.

    Remembered per path, since every hit asks and the answer never changes
    while the URL conf stays the same.
    """
    return _params_of(getattr(request, "urlconf", settings.ROOT_URLCONF), request.path_info)


def _conditional(request):
    return "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META


def _mark_cacheable(response, etag, changed):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(changed)
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    patch_vary_headers(response, ["Cookie"])


def _not_stored(response, why):
    if response.status_code == 200:
        response["X-Page-Cache"] = why
        add_never_cache_headers(response)
    patch_vary_headers(response, ["Cookie"])
    return response


# Stored pages are compressed once, when stored: every hit then moves a fifth
# of the bytes through the cache and the network. Safe from BREACH-style
# attacks because a stored page holds no secret (no CSRF token, nothing
# personal); pages rendered for signed-in readers are never compressed.
def _gzip(response):
    response.content = compress_string(response.content)
    response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(response.content))
    patch_vary_headers(response, ["Accept-Encoding"])


def _gunzip(response):
    response.content = gzip.decompress(response.content)
    del response["Content-Encoding"]
    response["Content-Length"] = str(len(response.content))
