"""Visits of training modules, counted in the shared cache for the search page's
"most visited modules" (shown when a search finds nothing).

A visit is one increment of ``module-visits:<translation key>`` (the module in any
language counts for the concept), never a database write and no personal data; the page
cache replays it for copies it serves (portal/page_cache.py). Counts expire after
VISITS_TIMEOUT without visits and are lost when the cache is cleared: they only order a
hint, and modules without visits follow in the catalogue's order.
"""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

PREFIX = "module-visits"
VISITS_TIMEOUT = 30 * 24 * 3600


def _key(translation_key):
    return f"{PREFIX}:{translation_key}"


def record_visit(translation_key):
    key = _key(translation_key)
    try:
        if not cache.add(key, 1, VISITS_TIMEOUT):
            cache.incr(key)
            cache.touch(key, VISITS_TIMEOUT)
    except ValueError:
        pass  # expired between the two calls: one visit fewer
    except Exception:  # noqa: BLE001 - the cache backend's own errors vary by backend
        logger.warning("Could not count a module visit in the cache", exc_info=True)


def visit_counts(translation_keys):
    keys = {_key(key): key for key in translation_keys}
    try:
        found = cache.get_many(list(keys))
    except Exception:  # noqa: BLE001 - a hint: without the cache, catalogue order
        logger.warning("Could not read module visits from the cache", exc_info=True)
        found = {}
    return {keys[key]: count for key, count in found.items()}
