vcl 4.1;
# Varnish in front of the portal (Varnish 7.1, Debian's `varnish`).
#
#   varnishd -a :80 -f deploy/varnish/portal.vcl -s malloc,256m
#
# What is cached: anonymous GET/HEAD requests (no Cookie left once tracking cookies are
# removed, no Authorization) outside the admin, documents and API, whose response sets no
# cookie and is not private/no-store/no-cache. Vary is honoured (no stored request has a
# Cookie; Accept-Language is reduced to one of the four languages). The TTL is the
# backend's s-maxage or max-age; without either, 120 s (the default TTL, below). Every
# response says X-Cache: HIT, MISS or PASS (not stored: private, cookies, admin...).
#
# Invalidation, from loopback only (acl purgers):
#   PURGE <path>   removes <path> and every query-string variant of it (?page=2, ?theme=x)
#                  on every host. Wagtail's frontend_cache HTTPBackend sends these.
#   BAN /          removes everything (optionally X-Ban-Host: one host only).
# Both are lurker-friendly bans on the URL stored with each object (x-url, x-host).

import std;

# The portal's address; tests/test_varnish.py and bench/http_bench.py rewrite these two lines.
backend portal {
    .host = "127.0.0.1";
    .port = "8000";
    .first_byte_timeout = 60s;
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE" || req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (req.method == "PURGE") {
            # The path without its query: every variant of the page goes. (No quotes in
            # a ban expression given to std.ban: they would be part of the regex.)
            set req.http.x-purge-path = regsub(req.url, "\?.*$", "");
            if (!std.ban("obj.http.x-url ~ ^" + req.http.x-purge-path + "([?]|$)")) {
                return (synth(400, std.ban_error()));
            }
            return (synth(200, "Purged"));
        }
        if (req.http.x-ban-host) {
            if (!std.ban("obj.http.x-host == " + std.tolower(req.http.x-ban-host))) {
                return (synth(400, std.ban_error()));
            }
        } elsif (!std.ban("obj.status != 0")) {
            return (synth(400, std.ban_error()));
        }
        return (synth(200, "Banned"));
    }

    set req.http.host = std.tolower(regsub(req.http.host, ":80$", ""));

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Editors, previews (under /admin/), private documents, the JSON API, and the bare
    # "/" (a redirect to the visitor's language, which depends on Accept-Language).
    if (req.url ~ "^/(admin|django-admin|documents|api)(/|\?|$)" || req.url ~ "^/(\?|$)") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }

    # Analytics cookies (the portal sets none, but a site may add a tag manager) are never
    # read by the application: removing them lets such visitors share the cached copy.
    # Any other cookie (session, CSRF token, language) means a visitor-specific response.
    if (req.http.Cookie) {
        set req.http.Cookie = regsuball(req.http.Cookie, "(^|;\s*)(_ga[^=]*|_gid|_gat[^=]*|__utm[a-z]+|_pk_[^=]+|_fbp|_hj[^=]+)=[^;]*", "");
        set req.http.Cookie = regsub(req.http.Cookie, "^;\s*", "");
        if (req.http.Cookie ~ "^\s*$") {
            unset req.http.Cookie;
        }
    }
    if (req.http.Cookie) {
        return (pass);
    }

    # Outside the language prefixes (the sitemap, robots.txt, redirects of unprefixed
    # addresses) Django answers with Vary: Accept-Language. Only the language it would
    # pick matters: reduce the header to it (the first of the portal's languages named,
    # else English, Django's fallback), so that there are four copies at most.
    if (req.url !~ "^/(en|fr|es|hu)/") {
        if (req.http.Accept-Language ~ "(?i)\b(en|fr|es|hu)\b") {
            set req.http.Accept-Language = std.tolower(regsub(req.http.Accept-Language, "(?i)^.*?\b(en|fr|es|hu)\b.*$", "\1"));
        } else {
            set req.http.Accept-Language = "en";
        }
    }
    return (hash);
}

sub vcl_hash {
    # Behind a TLS proxy, http:// requests get Django's redirect to https://: keep the two
    # apart. (Varnish's built-in vcl_hash then adds the URL and the host.)
    if (req.http.X-Forwarded-Proto) {
        hash_data(req.http.X-Forwarded-Proto);
    }
}

sub vcl_pass {
    set req.http.x-cache-pass = "1";
}

sub vcl_backend_response {
    # Stored with the object for PURGE/BAN (lurker-friendly bans test obj.*, not req.*).
    set beresp.http.x-url = bereq.url;
    set beresp.http.x-host = bereq.http.host;

    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Vary ~ "\*"
        || beresp.http.Vary ~ "(?i)authorization"
        || beresp.status >= 500) {
        # Hit-for-miss: the next requests go to the backend, none waits on this one.
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    if (beresp.http.Cache-Control !~ "(?i)(s-maxage|max-age)" && !beresp.http.Expires) {
        # The default TTL: the backend said nothing, so keep it briefly.
        set beresp.ttl = 120s;
    }
    # Serve a just-expired copy for a few seconds while one request refreshes it.
    set beresp.grace = 10s;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.x-url;
    unset resp.http.x-host;
    if (req.http.x-cache-pass || obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
