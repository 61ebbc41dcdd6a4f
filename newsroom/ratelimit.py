"""A small cache-based rate limiter (fixed windows), shared by every process using the cache."""

from django.core.cache import cache
from django.shortcuts import render


def _client_ip(request):
    # Behind a proxy, SECURE_PROXY_SSL_HEADER deployments should pass the
    # real address in REMOTE_ADDR (gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "unknown")


def exceeded(request, scope, limits):
    """Count this request; True when any (key kind, count, seconds) limit is passed.

    Key kinds are "user" (signed-in account) and "ip". Each limit counts in its
    own window, so a burst is refused until that window ends.
    """
    over = False
    for kind, count, seconds in limits:
        if kind == "user":
            if not request.user.is_authenticated:
                continue
            who = f"user:{request.user.pk}"
        else:
            who = f"ip:{_client_ip(request)}"
        key = f"ratelimit:{scope}:{who}:{seconds}"
        cache.add(key, 0, timeout=seconds)
        try:
            hits = cache.incr(key)
        except ValueError:  # the window expired between add and incr
            cache.set(key, 1, timeout=seconds)
            hits = 1
        # A cache that is down (django-redis ignores its errors) returns None
        # and counts nothing: let readers through rather than refuse them all.
        over = over or (hits is not None and hits > count)
    return over


def too_many_requests(request, what):
    return render(request, "429.html", {"what": what}, status=429)
