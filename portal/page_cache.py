"""The application page cache and the HTTP caching headers of public pages.

Anonymous GET and HEAD requests for public pages (every language-prefixed URL, the
sitemap and robots.txt) are answered from the cache when a copy is there. A copy is
keyed by the full URL (scheme, host, path and query string) and the visitor's language,
and holds the ``content_version("all")`` it was rendered under: every publish, unpublish,
move, delete, restriction and snippet change (portal/signals.py) starts a new generation,
in every process sharing the cache, and a copy of an older generation is never served
(the next render replaces it). The copy and the current generation are read together, in
one round trip to the shared cache.

A request is anonymous when it carries neither a session cookie nor a messages cookie.
Nothing here reads ``request.user`` or the session: that alone would add
``Vary: Cookie``. Logged-in editors and learners who have started a session (by
completing a lesson or answering a quiz) hold a session cookie, so they always get a
fresh page, marked ``Cache-Control: private`` and ``Vary: Cookie``.

A response is stored only when it is the same for every anonymous visitor: a 200, not
streamed, setting no cookie, not varying by cookie (password- and login-protected pages
read the session, so they do), not marked private/no-cache/no-store, not a preview, with
no message added for the next page. Such a response, from the cache or not, gets
``Cache-Control: public, max-age=PAGE_CACHE_MAX_AGE, s-maxage=PAGE_CACHE_S_MAXAGE`` and an
ETag for front caches and browsers, and If-None-Match is answered with 304 (Django's
ConditionalGetMiddleware, run by this one). Every other response without its own Cache-Control gets ``private, no-cache``.

``X-Cache`` says what happened: ``hit``, ``miss`` (rendered and stored) or ``skip``.

A view that must notice a visit even when the copy is served instead (the search counts
its queries) sets ``response.page_cache_replay = (function, argument)``: the copy keeps
the function's dotted path and the argument, and each hit calls it again.
"""

import functools
import hashlib
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.utils import translation
from django.utils.cache import (
    cc_delim_re,
    has_vary_header,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.module_loading import import_string

from portal.signals import content_version, read_version_state, remember_token, token_of

KEY = "portal:page:{language}:{digest}"
STATUS_HEADER = "X-Cache"
HIT, MISS, SKIP = "hit", "miss", "skip"
# Paths outside the language prefixes that are public and the same for everyone.
PUBLIC_UNPREFIXED_PATHS = ("/sitemap.xml", "/robots.txt")
# Django's cookie-based message storage (the default FallbackStorage writes it).
MESSAGES_COOKIE = "messages"
NOT_SHARED = {"private", "no-cache", "no-store"}


# What shapes the headers a copy holds besides the page itself: a copy made under other
# values (an older release's policy) is never served, in any process sharing the cache.
HEADER_SETTINGS = (
    "CONTENT_SECURITY_POLICY",
    "CONTENT_SECURITY_POLICY_REPORT_ONLY",
    "PERMISSIONS_POLICY",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "PAGE_CACHE_MAX_AGE",
    "PAGE_CACHE_S_MAXAGE",
)


@functools.cache
def headers_fingerprint():
    values = repr([getattr(settings, name, None) for name in HEADER_SETTINGS])
    return hashlib.sha256(values.encode()).hexdigest()[:16]


@receiver(setting_changed)
def _settings_changed(setting, **kwargs):
    if setting in HEADER_SETTINGS:
        headers_fingerprint.cache_clear()


def _prefixed_path_pattern():
    languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    return re.compile(rf"^/(?:{languages})/")


def _cache_control_directives(response):
    return {
        directive.split("=", 1)[0].strip().lower()
        for directive in cc_delim_re.split(response.get("Cache-Control", ""))
        if directive.strip()
    }


def _messages_added(request):
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and getattr(storage, "added_new", False))


class Copies:
    """Page copies in the shared cache, and the last ``size`` of them used here in this
    process's memory too: a copy is served only under the current content version, so the
    one in memory is as good as the shared one and costs no round trip."""

    def __init__(self, size):
        self.size = size
        self.recent = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, version, seconds):
        with self.lock:
            kept = self.recent.get(key)
            if kept is not None and kept[1][0] == version and kept[0] > time.monotonic():
                self.recent.move_to_end(key)
                return kept[1]
        entry = cache.get(key)
        if entry is None or entry[0] != version:
            return None
        # Kept no longer than the shared copy could be: it may have been made just now.
        self._keep(key, entry, seconds)
        return entry

    def set(self, key, entry, seconds):
        cache.set(key, entry, seconds)
        self._keep(key, entry, seconds)

    def _keep(self, key, entry, seconds):
        if self.size <= 0:
            return
        with self.lock:
            self.recent[key] = (time.monotonic() + seconds, entry)
            self.recent.move_to_end(key)
            while len(self.recent) > self.size:
                self.recent.popitem(last=False)


class PageCacheMiddleware:
    """Put first: a hit then costs one round trip to the cache and nothing else, and a
    copy holds the headers of every middleware below (security, CSP, permissions policy),
    which are the same for every anonymous visitor. It also does ConditionalGetMiddleware's
    work, for every response (a copy from the cache included), so it replaces that one."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.conditional = ConditionalGetMiddleware(get_response)
        self.seconds = settings.PAGE_CACHE_SECONDS
        self.max_age = settings.PAGE_CACHE_MAX_AGE
        self.s_maxage = settings.PAGE_CACHE_S_MAXAGE
        self.prefixed = _prefixed_path_pattern()
        self.copies = Copies(settings.PAGE_CACHE_LOCAL_COPIES)

    def __call__(self, request):
        return self.conditional.process_response(request, self._respond(request))

    def _respond(self, request):
        if not self._anonymous_public(request):
            response = self.get_response(request)
            if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
                # What a session holder sees may depend on the session, read or not.
                patch_vary_headers(response, ("Cookie",))
            return self._not_shared(response)

        key = self._key(request)
        if self.seconds:
            version = token_of(read_version_state("all"))
            if version is not None:
                remember_token("all", version)
                entry = self.copies.get(key, version, self.seconds)
                if entry is not None:
                    return self._from_entry(entry[1:])
        # Taken before rendering: a change during the render makes this copy stale at once.
        version = content_version("all") if self.seconds else None
        response = self.get_response(request)
        if not self._storable(request, response):
            return self._not_shared(response)
        patch_cache_control(response, public=True, max_age=self.max_age, s_maxage=self.s_maxage)
        set_response_etag(response)
        if self.seconds:
            self.copies.set(key, (version, *self._entry(response)), self.seconds)
            response[STATUS_HEADER] = MISS
        else:
            response[STATUS_HEADER] = SKIP
        return response

    def _anonymous_public(self, request):
        if request.method not in ("GET", "HEAD"):
            return False
        path = request.path_info
        if not (self.prefixed.match(path) or path in PUBLIC_UNPREFIXED_PATHS):
            return False
        cookies = request.COOKIES
        if cookies.get(settings.SESSION_COOKIE_NAME) or cookies.get(MESSAGES_COOKIE):
            return False
        if "HTTP_AUTHORIZATION" in request.META:
            return False
        try:
            request.get_host()
        except DisallowedHost:
            return False  # answered 400 below, with the headers of every middleware
        return True

    def _key(self, request):
        url = request.build_absolute_uri()
        language = translation.get_language_from_request(request, check_path=True)
        seed = f"{url}\n{headers_fingerprint()}"
        return KEY.format(
            language=language,
            digest=hashlib.sha256(seed.encode("utf-8", "surrogateescape")).hexdigest(),
        )

    def _storable(self, request, response):
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not has_vary_header(response, "Cookie")
            and not (_cache_control_directives(response) & NOT_SHARED)
            and not getattr(request, "is_preview", False)
            and not _messages_added(request)
        )

    def _not_shared(self, response):
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
        response[STATUS_HEADER] = SKIP
        return response

    @staticmethod
    def _entry(response):
        headers = [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in ("set-cookie", STATUS_HEADER.lower())
        ]
        replay = getattr(response, "page_cache_replay", None)
        if replay is not None:
            function, argument = replay
            replay = (f"{function.__module__}.{function.__qualname__}", argument)
        return (response.status_code, headers, response.content, replay)

    @staticmethod
    def _from_entry(entry):
        status, headers, content, replay = entry
        if replay is not None:
            function, argument = replay
            import_string(function)(argument)
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response[STATUS_HEADER] = HIT
        return response
