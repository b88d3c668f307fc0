"""Search terms are counted in the shared cache, never written to the database per request.

Wagtail's own ``Query.get(q).add_hit()`` creates a query row and updates a daily-hits row
on every search: a write on the read path, which on SQLite queues behind (and blocks)
every publish and quiz submission. Here a search only increments a cache counter;
``manage.py flush_search_hits`` (cron, every few minutes) adds the counts to Wagtail's
``Query`` / ``QueryDailyHits`` tables in one transaction, so the admin's "Search terms"
report and promoted results work as before, a few minutes late.

Cache layout (every key expires after HITS_TIMEOUT, so counts are lost, not piled up,
when the command is not run):

- ``search-hits:count:<day>:<sha256>``: hits of one normalised query on one (UTC) day;
- ``search-hits:seq``: the number of (day, query) pairs seen so far; the n-th pair is
  stored at ``search-hits:slot:<n>`` so the command can find the counters again (caches
  cannot list their keys);
- ``search-hits:first``, ``search-hits:last-seen``: the command's bookmarks.

With a per-process cache (local memory), counts stay in the process that made them and
the command, a process of its own, finds none: use a shared cache (Redis) to keep them.
"""

import contextlib
import hashlib
import logging
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import normalise_query_string

logger = logging.getLogger(__name__)

PREFIX = "search-hits"
HITS_TIMEOUT = 3 * 24 * 3600
# Distinct (day, query) pairs waiting for the command at most: a flood of random queries
# fills the cache only so far.
MAX_PENDING = 20_000
SEQ_KEY = f"{PREFIX}:seq"
FIRST_KEY = f"{PREFIX}:first"
LAST_SEEN_KEY = f"{PREFIX}:last-seen"
LOCK_KEY = f"{PREFIX}:lock"


def _count_key(day, query):
    return f"{PREFIX}:count:{day}:{hashlib.sha256(query.encode()).hexdigest()}"


def _slot_key(number):
    return f"{PREFIX}:slot:{number}"


def record_hit(query_string):
    """Count one search for ``query_string`` (best effort: a cache outage loses the hit,
    never the search)."""
    query = normalise_query_string(query_string)
    if not query:
        return
    day = timezone.now().date().isoformat()
    key = _count_key(day, query)
    try:
        if cache.add(key, 1, HITS_TIMEOUT):
            cache.add(SEQ_KEY, 0, None)
            number = cache.incr(SEQ_KEY)
            if number - (cache.get(FIRST_KEY) or 1) >= MAX_PENDING:
                cache.delete(key)
                return
            cache.set(_slot_key(number), (day, query), HITS_TIMEOUT)
        else:
            cache.incr(key)
    except ValueError:
        pass  # the counter expired between two calls: one hit fewer
    except Exception:  # noqa: BLE001 - the cache backend's own errors vary by backend
        logger.warning("Could not count a search hit in the cache", exc_info=True)


def flush_hits():
    """Add the counted hits to Wagtail's tables; returns (queries, hits) written."""
    if not cache.add(LOCK_KEY, 1, 300):
        return 0, 0  # another flush is running
    try:
        return _flush()
    finally:
        cache.delete(LOCK_KEY)


def _flush():
    seq = cache.get(SEQ_KEY) or 0
    first = cache.get(FIRST_KEY) or 1
    last_seen = cache.get(LAST_SEEN_KEY) or 0
    if seq < first - 1:  # the sequence was lost (evicted, or the cache was cleared)
        first, last_seen = 1, 0
    numbers = range(first, seq + 1)
    stored = cache.get_many([_slot_key(n) for n in numbers])
    entries = {}
    for number in numbers:
        slot = stored.get(_slot_key(number))
        if slot is not None:
            day, query = slot
            entries[number] = (day, query, _count_key(day, query))
    counts = cache.get_many([key for _day, _query, key in entries.values()])

    written = {number: counts.get(key) or 0 for number, (_d, _q, key) in entries.items()}
    written = {number: count for number, count in written.items() if count > 0}
    with transaction.atomic():
        for number, count in written.items():
            day, query, _key = entries[number]
            row = Query.get(query)
            daily, _created = QueryDailyHits.objects.get_or_create(
                query=row, date=date.fromisoformat(day)
            )
            QueryDailyHits.objects.filter(pk=daily.pk).update(hits=F("hits") + count)
    for number, count in written.items():
        with contextlib.suppress(ValueError):  # the counter expired meanwhile
            cache.decr(entries[number][2], count)  # hits counted meanwhile stay

    # Retire the slots that are done: past days (no hits come for them any more) and
    # slots still empty since the previous flush (expired, or given up at MAX_PENDING).
    today = timezone.now().date().isoformat()
    retired = set()
    for number in numbers:
        if number in entries:
            day, _query, key = entries[number]
            if day < today:
                cache.delete_many([_slot_key(number), key])
                retired.add(number)
        elif number <= last_seen:
            retired.add(number)
    while first in retired:
        first += 1
    cache.set(FIRST_KEY, first, None)
    cache.set(LAST_SEEN_KEY, seq, None)
    return len(written), sum(written.values())
