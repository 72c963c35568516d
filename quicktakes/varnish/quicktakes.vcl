vcl 4.1;

# Varnish in front of QuickTakes' gunicorn (quicktakes/varnish/__init__.py fills in the
# @...@ placeholders: make serve, make bench and the tests run it so).
#
# Kept: what the site marks `public` (reader pages with `s-maxage`, static files), for the
# time its Cache-Control gives a shared cache. Passed: the admin, every method but GET and
# HEAD, and anyone with a session cookie (editors get fresh pages from Django; readers
# have no session). Dropped: every other cookie, and query parameters no page reads.
# Purged: `BAN /` with `X-Ban-Keys: key key ...` from the `purgers` addresses bans every
# object whose Surrogate-Key header names one of the keys (learn/frontend_cache.py sends
# them after each change); the ban tests only obj.*, so the ban lurker clears them.

import std;

backend default {
    .host = "@BACKEND_HOST@";
    .port = "@BACKEND_PORT@";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
}

acl purgers {
    "127.0.0.1";
    "::1";
@PURGERS@
}

sub vcl_recv {
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.X-Ban-Keys !~ "^[a-z0-9-]+( [a-z0-9-]+)*$") {
            return (synth(400, "X-Ban-Keys: keys of a-z, 0-9 and -, one space apart"));
        }
        ban("obj.http.Surrogate-Key ~ (^|[[:space:]])(" +
            regsuball(req.http.X-Ban-Keys, " ", "|") + ")([[:space:]]|$)");
        return (synth(200, "Banned"));
    }
    if (req.method == "PURGE") {
        return (synth(405, "Use BAN with X-Ban-Keys"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    set req.http.Host = std.tolower(req.http.Host);
    if (req.url ~ "^/admin(/|$)") {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;)[[:space:]]*sessionid=") {
        return (pass);
    }
    # No reader page depends on another cookie (analytics, a stale csrftoken).
    unset req.http.Cookie;
    # Only ?page= (lists, search), ?p= (sitemap sections) and ?q= (search) change a page:
    # others (utm_source, a random one) share the page without them.
    set req.url = regsuball(req.url, "([?&])(?!(page|p|q)=)[^&]*", "\1");
    set req.url = regsuball(req.url, "&&+", "&");
    set req.url = regsub(req.url, "\?&", "?");
    set req.url = regsub(req.url, "[?&]$", "");
    set req.url = std.querysort(req.url);
    return (hash);
}

sub vcl_backend_response {
    # Only what the site says a shared cache may keep: reader pages carry
    # `public, ..., s-maxage=300`; feeds, search, redirects, errors and previews do not.
    if (beresp.http.Cache-Control !~ "public" ||
        beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    if (beresp.ttl <= 0s) {
        # s-maxage=0: rendered while a change committed; ask again at the next request.
        set beresp.uncacheable = true;
        set beresp.ttl = 1s;
        return (deliver);
    }
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
