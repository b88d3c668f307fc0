"""Content versions known in each process without a round trip to Redis.

Every cached piece of page data is keyed on, or checked against, the content version
(portal/signals.py), so every request read it from Redis: one round trip, about 0.1 ms,
which was most of the cost of a page-cache hit. Redis can tell a client when keys change
(``CLIENT TRACKING``, Redis 6+): here each process keeps the versions it has read, and a
subscriber connection receives Redis's invalidation for any key under the versions'
prefix, whoever changed it (another process, this one, a flush of the database). Before a
kept value is used, the invalidations already received are applied, with a poll of the
socket that does not wait. A publish in one process is seen by the next request in every
other, as when each request asked Redis.

If the watch cannot be set up or its connection breaks, every read goes to Redis, as
before, and the watch is set up again a few seconds later.
"""

import logging
import os
import threading
import time

from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

INVALIDATE_CHANNEL = "__redis__:invalidate"
RETRY_SECONDS = 5
MISSING = object()


class VersionWatch:
    """The values of the keys under ``prefix`` this process has read, kept while Redis
    says they have not changed."""

    def __init__(self, pool, prefix):
        self.pool = pool  # the cache's connection pool: the same server and database
        self.prefix = prefix
        self.lock = threading.Lock()
        self.values = {}
        self.generation = 0  # one more each time the watch starts or stops
        self.pid = None
        self.subscriber = None
        self.tracker = None
        self.retry_at = 0.0

    def get(self, key, read):
        """The value of ``key``: kept, or ``read()`` from Redis and kept."""
        with self.lock:
            if not self._watching():
                return read()
            value = self.values.get(key, MISSING)
            if value is not MISSING:
                return value
            generation = self.generation
        # Read while the watch is on: a change after this read is an invalidation the
        # next poll applies, so a stale value is never kept past it.
        value = read()
        with self.lock:
            if self.generation == generation:
                self.values[key] = value
        return value

    def forget(self, keys=None):
        """Drop ``keys`` (all when None): this process has just written them, and Redis's
        word of its own write may not have reached the subscriber yet."""
        with self.lock:
            if keys is None:
                self.values.clear()
            for key in keys or ():
                self.values.pop(key, None)

    def _watching(self):
        if self.pid != os.getpid():  # forked: the parent's sockets are not this process's
            self.subscriber = self.tracker = None
            self.values.clear()
            self.generation += 1
            self.pid = os.getpid()
        if self.subscriber is None and not self._start():
            return False
        try:
            while self.subscriber.can_read(timeout=0):
                self._apply(self.subscriber.read_response())
        except (RedisError, OSError) as error:
            self._stop(error)
            return False
        return True

    def _apply(self, message):
        if not isinstance(message, list) or len(message) < 3:
            return
        kind, channel, keys = message[0], message[1], message[2]
        if kind not in (b"message", "message") or channel not in (
            INVALIDATE_CHANNEL,
            INVALIDATE_CHANNEL.encode(),
        ):
            return
        if keys is None:  # the database was flushed
            self.values.clear()
            return
        for key in keys:
            self.values.pop(key.decode() if isinstance(key, bytes) else key, None)

    def _start(self):
        if time.monotonic() < self.retry_at:
            return False
        subscriber = tracker = None
        try:
            subscriber = self._connection()
            subscriber.send_command("CLIENT", "ID")
            subscriber_id = subscriber.read_response()
            subscriber.send_command("SUBSCRIBE", INVALIDATE_CHANNEL)
            subscriber.read_response()
            # Tracking belongs to the connection that asks for it: this one stays open,
            # idle, for as long as the watch lasts.
            tracker = self._connection()
            tracker.send_command(
                "CLIENT", "TRACKING", "ON", "REDIRECT", subscriber_id, "BCAST", "PREFIX",
                self.prefix,
            )  # fmt: skip
            tracker.read_response()
        except (RedisError, OSError) as error:
            for connection in (subscriber, tracker):
                if connection is not None:
                    connection.disconnect()
            self.retry_at = time.monotonic() + RETRY_SECONDS
            logger.warning("Cannot watch content versions in Redis (%s); reading them", error)
            return False
        self.subscriber, self.tracker = subscriber, tracker
        self.values.clear()
        self.generation += 1
        return True

    def _stop(self, error):
        logger.warning("Lost the watch of content versions in Redis (%s); reading them", error)
        for connection in (self.subscriber, self.tracker):
            if connection is not None:
                connection.disconnect()
        self.subscriber = self.tracker = None
        self.values.clear()
        self.generation += 1
        self.retry_at = time.monotonic() + RETRY_SECONDS

    def _connection(self):
        # RESP2: invalidations arrive as ordinary messages of the subscription (RESP3 would
        # send them as pushes, which a plain read of the reply skips).
        options = {**self.pool.connection_kwargs, "protocol": 2}
        options.pop("maint_notifications_config", None)  # RESP3 only
        options.pop("maint_notifications_pool_handler", None)
        connection = self.pool.connection_class(**options)
        connection.connect()
        return connection
