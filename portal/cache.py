"""Django's Redis cache, made to survive a Redis outage (reads miss, writes are dropped)
and to reuse its Redis client.

Everything the portal keeps in the shared cache can be rebuilt from the database: pages,
fragments, routes and content versions (a missing version is a new one, so nothing stale
is ever served). Without this, a Redis restart answered every request with a 500. Lost
while Redis is away: search hits not yet flushed and the progress-code rate limit (which
lets requests through). Short socket timeouts keep a dead Redis from holding a worker.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

from portal.cache_watch import VersionWatch

logger = logging.getLogger(__name__)
DJANGO_REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
SOCKET_TIMEOUT_SECONDS = 0.5
# The content versions (portal/signals.py): read on every request, changed by a publish.
WATCHED_PREFIX = "portal:content-version:"
# One warning per interval, not one per request, while Redis stays away.
WARNING_INTERVAL_SECONDS = 60


def resilient(cache_config):
    """``cache_config`` (from CACHE_URL) with Django's Redis backend swapped for this one."""
    if cache_config.get("BACKEND") != DJANGO_REDIS_BACKEND:
        return cache_config
    options = {
        "socket_connect_timeout": SOCKET_TIMEOUT_SECONDS,
        "socket_timeout": SOCKET_TIMEOUT_SECONDS,
        **cache_config.get("OPTIONS", {}),
    }
    return {**cache_config, "BACKEND": "portal.cache.ResilientRedisCache", "OPTIONS": options}


def _outage(default):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                self._warn(method.__name__, error)
                return default(*args, **kwargs) if callable(default) else default

        return wrapper

    return decorate


class ReusingRedisCacheClient(RedisCacheClient):
    """One ``redis.Redis`` per connection pool, made once. Django's client makes a new one
    for every operation, and making one fills its table of ~170 response callbacks: 0.1 ms
    each time, a fifth of a page-cache hit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    _last_warning = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._watch = None

    def get_watched(self, key):
        """``get(key)`` for a key under WATCHED_PREFIX, from this process's memory while
        Redis says it has not changed (portal/cache_watch.py)."""
        if self._watch is None:
            self._watch = VersionWatch(
                self._cache._get_connection_pool(write=True), self.make_key(WATCHED_PREFIX)
            )
        return self._watch.get(self.make_and_validate_key(key), lambda: self.get(key))

    def _written(self, keys=None):
        if self._watch is not None:
            self._watch.forget(None if keys is None else [self.make_key(k) for k in keys])

    def _warn(self, operation, error):
        now = time.monotonic()
        if now - ResilientRedisCache._last_warning >= WARNING_INTERVAL_SECONDS:
            ResilientRedisCache._last_warning = now
            logger.warning("Redis cache unavailable (%s: %s); serving uncached", operation, error)

    @_outage(None)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_outage(lambda keys, version=None: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_outage(None)
    def set(self, key, *args, **kwargs):
        try:
            return super().set(key, *args, **kwargs)
        finally:
            self._written([key])

    @_outage(lambda data, *args, **kwargs: list(data))  # Django's API: the keys not set
    def set_many(self, data, *args, **kwargs):
        try:
            return super().set_many(data, *args, **kwargs)
        finally:
            self._written(list(data))

    @_outage(False)
    def add(self, *args, **kwargs):
        return super().add(*args, **kwargs)

    @_outage(False)
    def touch(self, *args, **kwargs):
        return super().touch(*args, **kwargs)

    @_outage(False)
    def delete(self, key, *args, **kwargs):
        try:
            return super().delete(key, *args, **kwargs)
        finally:
            self._written([key])

    @_outage(None)
    def delete_many(self, keys, *args, **kwargs):
        try:
            return super().delete_many(keys, *args, **kwargs)
        finally:
            self._written(list(keys))

    @_outage(False)
    def has_key(self, *args, **kwargs):
        return super().has_key(*args, **kwargs)

    @_outage(False)
    def clear(self):
        try:
            return super().clear()
        finally:
            self._written()
