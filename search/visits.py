"""Visits of training modules, counted in the shared cache for the search page's
"most visited modules" (shown when a search finds nothing).

A visit is one increment of ``module-visits:<translation key>`` (the module in any
language counts for the concept), never a database write and no personal data; the page
cache replays it for copies it serves (portal/page_cache.py). Counts expire after
VISITS_TIMEOUT without visits and are lost when the cache is cleared: they only order a
hint, and modules without visits follow in the catalogue's order.

Each process adds up its visits and writes them every FLUSH_SECONDS (or FLUSH_VISITS
visits), when a visit comes or the counts are read: counting one visit costs no round
trip to the cache, where writing it at once cost four (add, exists, incr, touch), more
than serving the rest of a cached module page. A process that stops loses the visits of
its last few seconds; a hint can afford that.
"""

import logging
import threading
import time
from collections import Counter

from django.core.cache import cache

logger = logging.getLogger(__name__)

PREFIX = "module-visits"
VISITS_TIMEOUT = 30 * 24 * 3600
FLUSH_SECONDS = 5
FLUSH_VISITS = 500

_pending = Counter()
_lock = threading.Lock()
_last_flush = time.monotonic()


def _key(translation_key):
    return f"{PREFIX}:{translation_key}"


def record_visit(translation_key):
    with _lock:
        _pending[translation_key] += 1
        due = time.monotonic() - _last_flush >= FLUSH_SECONDS or _pending.total() >= FLUSH_VISITS
    if due:
        flush_visits()


def flush_visits():
    """Write this process's visits not written yet."""
    global _last_flush
    with _lock:
        visits = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    for translation_key, count in visits.items():
        key = _key(translation_key)
        try:
            if not cache.add(key, count, VISITS_TIMEOUT):
                cache.incr(key, count)
                cache.touch(key, VISITS_TIMEOUT)
        except ValueError:
            pass  # expired between the two calls: a few visits fewer
        except Exception:  # noqa: BLE001 - the cache backend's own errors vary by backend
            logger.warning("Could not count module visits in the cache", exc_info=True)


def discard_pending():
    """Forget the visits not written yet (the cache they were meant for was cleared)."""
    with _lock:
        _pending.clear()


def visit_counts(translation_keys):
    flush_visits()
    keys = {_key(key): key for key in translation_keys}
    try:
        found = cache.get_many(list(keys))
    except Exception:  # noqa: BLE001 - a hint: without the cache, catalogue order
        logger.warning("Could not read module visits from the cache", exc_info=True)
        found = {}
    return {keys[key]: count for key, count in found.items()}
