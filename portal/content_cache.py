"""What the portal derives from its pages, shared between processes until they change.

The one way menus, crumbs, translations, taxonomy names, the sitemap, related content,
LRMI terms, the glossary's A–Z and the module PDFs are cached: the key carries the
content version (portal/signals.py), so one change anywhere drops every entry at once,
in every process sharing the cache, and nothing has to know which entries to delete.
"""

import pickle
import threading
import time
from collections import OrderedDict

from django.core.cache import cache

from portal.signals import content_version

CACHE_SECONDS = 60 * 60
RECENT_VALUES = 2000
RECENT_LARGEST_BYTES = 256 * 1024


def content_key(name, *parts, scope="all"):
    """The cache key of ``name`` for ``parts`` (language, page, host...) at the current
    content version of ``scope``."""
    return ":".join(["portal", name, content_version(scope), *map(str, parts)])


def site_of(request):
    """The key parts for values holding absolute or host-dependent addresses."""
    return (request.scheme, request.get_host())


def cached_for_content(name, parts, build, timeout=CACHE_SECONDS, scope="all"):
    """``build()``, kept under ``content_key(name, *parts)`` until the content changes or
    ``timeout`` seconds pass. ``build`` must not return None (that reads as a miss)."""
    key = content_key(name, *parts, scope=scope)
    value = _recent.get(key)
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    _recent.keep(key, value, timeout)
    return value


class _Recent:
    """The values last used in this process, as the shared cache holds them (pickled:
    each caller gets its own copy, as from the shared cache). A key names one content
    version, so a value kept under it is never stale; it is kept no longer than the
    shared cache keeps it. Saves a round trip to Redis per value, a dozen per page."""

    def __init__(self, size=RECENT_VALUES, largest=RECENT_LARGEST_BYTES):
        self.size, self.largest = size, largest
        self.values = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            kept = self.values.get(key)
            if kept is None or kept[0] <= time.monotonic():
                return None
            self.values.move_to_end(key)
        return pickle.loads(kept[1])  # noqa: S301 - written by this process just before

    def keep(self, key, value, timeout):
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        if len(data) > self.largest:
            return  # module PDFs: kept in the shared cache only
        with self.lock:
            self.values[key] = (time.monotonic() + timeout, data)
            self.values.move_to_end(key)
            while len(self.values) > self.size:
                self.values.popitem(last=False)


_recent = _Recent()
