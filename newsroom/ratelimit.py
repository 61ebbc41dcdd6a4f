"""A small cache-based rate limiter (fixed windows), shared by every process using the cache.

Readers are told apart by their address exactly as allauth's own limits tell
them apart (ALLAUTH_TRUSTED_PROXY_COUNT, from NEWSROOM_TRUSTED_PROXY_COUNT):
behind our proxies every request arrives from the proxy's address, and one
bucket for all of them would let ten failed logins or thirty searches lock
everyone out.
"""

from allauth.account.adapter import get_adapter
from allauth.core.internal.ratelimit import get_ip
from django.core.cache import cache
from django.shortcuts import render


def client_address(request) -> str:
    """The reader's address, as stored with what they post."""
    return get_adapter(request).get_client_ip(request)


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
            # allauth's key for the address: IPv6 readers are grouped by
            # network (ALLAUTH_RATE_LIMIT_IPV6_PREFIX), as one reader holds many.
            who = f"ip:{get_ip(request)}"
        key = f"ratelimit:{scope}:{who}:{seconds}"
        # Counting first and creating the counter only for a window's first
        # request keeps the usual case to one operation: with the database
        # cache, an add() of a counter that exists is an insert that fails.
        try:
            hits = cache.incr(key)
        except ValueError:
            # Another process may have just started the window: count in it.
            hits = 1 if cache.add(key, 1, timeout=seconds) else cache.incr(key)
        # A cache that is down (django-redis ignores its errors) returns None
        # and counts nothing: let readers through rather than refuse them all.
        over = over or (hits is not None and hits > count)
    return over


def too_many_requests(request, what):
    return render(request, "429.html", {"what": what}, status=429)
