"""Full-page caching for anonymous readers, keyed by the site's generation.

A page is cached only for a reader who is not logged in, has no flash
messages waiting, and only when rendering it used no CSRF token and set no
cookie, so nothing personal or per-visitor is ever stored for someone else.
The key carries the current Generation (one primary-key read from the
database), so an edit made through any process is seen by every process on
its next request, whether the cache is Redis (shared) or local memory (per
process). Browsers revalidate every time (max-age=0) and get a 304 while the
generation has not moved.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import QueryDict
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date

from .models import Generation


def page_number(value):
    """`007` is page 7; anything else is left for the view to reject with a 404 (not cached)."""
    return str(int(value)) if value.isdigit() else value


def one_of(*choices):
    return lambda value: value if value in choices else None


LIST_PARAMS = {"page": page_number}


def _cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not len(get_messages(request))
    )


def _keep_only(request, params):
    """Drop query parameters the page does not read (utm_*, cache busters).

    The request itself is rewritten, so links the page builds from its own
    address match the key it is stored under.
    """
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
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.has_header("Cache-Control")
    )


def _timeout(generation):
    timeout = settings.PAGE_CACHE_SECONDS
    if generation.expires_at:
        until_release = (generation.expires_at - timezone.now()).total_seconds()
        timeout = max(1, min(timeout, int(until_release)))
    return timeout


def cached_for_readers(view=None, *, params=None):
    """Serve `view` from the page cache to anonymous readers.

    `params` maps each query parameter the page uses to a function that
    returns its canonical value, or None to drop it.
    """
    params = LIST_PARAMS if params is None else params

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable_request(request):
                response = view(request, *args, **kwargs)
                add_never_cache_headers(response)
                return response
            _keep_only(request, params)
            generation = Generation.objects.current()
            validators = {
                "ETag": f'"{generation.tag}"',
                "Last-Modified": http_date(generation.changed_at.timestamp()),
            }
            response = get_conditional_response(
                # Whole seconds, as HTTP dates have; the ETag tells finer changes apart.
                request,
                etag=validators["ETag"],
                last_modified=int(generation.changed_at.timestamp()),
            )
            if response is None:
                response = _cached_or_rendered(
                    request, generation, lambda: view(request, *args, **kwargs)
                )
            if response.status_code in (200, 304) and response.get("X-Page-Cache") != "bypass":
                for header, value in validators.items():
                    response[header] = value
                patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            elif response.status_code == 200:
                add_never_cache_headers(response)
            patch_vary_headers(response, ["Cookie"])
            return response

        return wrapper

    return decorator if view is None else decorator(view)


def _cached_or_rendered(request, generation, render):
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    key = f"page:{generation.tag}:{hashlib.sha256(address.encode()).hexdigest()}"
    response = cache.get(key)
    if response is not None:
        response["X-Page-Cache"] = "hit"
        return response
    response = render()
    if hasattr(response, "render"):
        response.render()
    if _storable(request, response):
        cache.set(key, response, _timeout(generation))
        response["X-Page-Cache"] = "miss"
    else:
        response["X-Page-Cache"] = "bypass"
    return response
