vcl 4.1;

import std;

# Varnish in front of Newsroom: keeps the pages Django marks public and tagged
# (edge/middleware.py) until a purge job bans their tags (edge/purges.py).
#
# VCL backends are static: point this line at the site's gunicorn before
# loading the file (the tests replace it with the port they started).
backend default { .host = "127.0.0.1"; .port = "8000"; }  # newsroom-backend

# Only the site's own workers may ban pages; add the application hosts here.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (!req.http.X-Purge-Tags) {
            return (synth(400, "X-Purge-Tags is missing"));
        }
        # Written against the object only, so the ban lurker clears them in
        # the background. \s, not a space: a ban's words are split at spaces.
        if (!std.ban("obj.http.xkey ~ (^|\s)(" + req.http.X-Purge-Tags + ")(\s|$)")) {
            return (synth(400, std.ban_error()));
        }
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Django caches pages only for visitors with no session and no message
    # waiting (pagecache/pages.py); everyone else gets a page of their own.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Any other cookie (csrftoken, analytics) does not change a cached page:
    # kept aside for Django, left out of the lookup.
    if (req.http.Cookie) {
        set req.http.X-Edge-Cookie = req.http.Cookie;
        unset req.http.Cookie;
    }
    return (hash);
}

sub vcl_backend_fetch {
    if (bereq.http.X-Edge-Cookie) {
        set bereq.http.Cookie = bereq.http.X-Edge-Cookie;
        unset bereq.http.X-Edge-Cookie;
    }
}

sub vcl_backend_response {
    # Only a tagged page can be purged when it changes; anything else is
    # fetched every time rather than kept until it expires.
    if (!beresp.http.xkey || beresp.http.Set-Cookie ||
        beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # A tagged page is the same for every visitor without a session, whatever
    # other cookies they send, and those with a session never look it up.
    if (beresp.http.Vary) {
        set beresp.http.Vary = regsuball(beresp.http.Vary, "(?i)(^|,)\s*Cookie\s*(?=,|$)", "");
        set beresp.http.Vary = regsub(beresp.http.Vary, "^,\s*", "");
    }
    # Browsers revalidate (max-age=0), so an edge copy answers most of their
    # If-None-Match requests with a 304 of its own.
    set beresp.grace = 10s;
    return (deliver);
}

sub vcl_deliver {
    # Tags are for this cache and the purge jobs, not for readers.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
    if (!resp.http.Vary) {
        set resp.http.Vary = "Cookie";
    } elsif (resp.http.Vary !~ "(?i)Cookie") {
        set resp.http.Vary = resp.http.Vary + ", Cookie";
    }
    if (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "hit";
    } else {
        set resp.http.X-Edge-Cache = "miss";
    }
}
