"""What the portal derives from its pages, shared between processes until they change.

The one way menus, crumbs, translations, taxonomy names, the sitemap, related content,
LRMI terms, the glossary's A–Z and the module PDFs are cached: the key carries the
content version (portal/signals.py), so one change anywhere drops every entry at once,
in every process sharing the cache, and nothing has to know which entries to delete.
"""

from django.core.cache import cache

from portal.signals import content_version

CACHE_SECONDS = 60 * 60


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
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value
