"""A real shared cache: Debian's redis-server, used by two processes at once.

The test starts its own redis-server on a free loopback port and a second app server
(``runserver``, its own process) on the test database and that Redis. The test process
uses the same Redis, as two gunicorn workers would. What one process caches (the content
version, the sitemap, whole pages) the other reads, and a publish in one is seen in the
other at once.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import environ
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from wagtail.models import Page

from portal.cache import resilient
from portal.signals import CONTENT_VERSION_KEY, content_version
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    HomePageFactory,
    LocaleFactory,
)
from tests.services import database_url, fetch_when_listening, free_port, require

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@contextlib.contextmanager
def redis_server():
    """(URL, process) of a redis-server of this test's own, on a free loopback port."""
    require(
        os.path.exists(REDIS_SERVER),
        "redis-server not found (install Debian's redis-server package)",
    )
    import redis

    port = free_port()
    server = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--daemonize", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    client = redis.Redis(host="127.0.0.1", port=port)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0", server
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def redis_url():
    with redis_server() as (url, _server):
        yield url


def test_cache_url_redis_means_djangos_own_redis_backend_made_resilient():
    config = resilient(environ.Env.cache_url_config("redis://cache.internal:6379/1"))
    assert config["BACKEND"] == "portal.cache.ResilientRedisCache"
    assert config["LOCATION"] == "redis://cache.internal:6379/1"
    assert config["OPTIONS"]["socket_timeout"] <= 1


def test_pages_are_served_while_redis_is_away_and_never_stale_after(client, db):
    """Redis stops: pages come from the database (no 500), a publish shows at once."""
    LocaleFactory(language_code="en")
    HomePageFactory()
    index = CaseStudyIndexPageFactory()
    CaseStudyPageFactory(parent=index, title="Before the outage")
    with (
        redis_server() as (url, server),
        override_settings(CACHES={"default": resilient(environ.Env.cache_url_config(url))}),
    ):
        assert client.get(index.url)["X-Cache"] == "miss"
        assert client.get(index.url)["X-Cache"] == "hit"  # control: Redis was in use
        server.terminate()
        server.wait(timeout=10)
        response = client.get(index.url)
        assert response.status_code == 200
        assert "Before the outage" in response.content.decode()
        CaseStudyPageFactory(parent=index, title="During the outage")
        response = client.get(index.url)
        assert response.status_code == 200
        assert "During the outage" in response.content.decode()
        assert client.get("/sitemap.xml").status_code == 200


@pytest.fixture
def on_redis(redis_url, transactional_db):
    """This process and a second app server, both on the test database and one Redis."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(
        ("file:", ":memory:")
    ):
        pytest.skip("an in-memory SQLite database cannot be shared with another process")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": database_url(),
        "CACHE_URL": redis_url,
    }
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    shared = {"default": resilient(environ.Env.cache_url_config(redis_url))}
    try:
        with override_settings(CACHES=shared):
            cache.clear()
            yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def fetch(base, path):
    """(X-Cache, body) from the other process, waiting for it to start listening."""
    headers, body = fetch_when_listening(base + path)
    return headers.get("X-Cache"), body


def test_two_processes_share_one_page_cache_and_see_a_publish_at_once(on_redis):
    from django.core.cache.backends.redis import RedisCache

    assert isinstance(_backend(), RedisCache)
    other = on_redis
    LocaleFactory(language_code="en")
    HomePageFactory()
    index = CaseStudyIndexPageFactory()
    CaseStudyPageFactory(parent=index, title="Staying on")
    leaving = CaseStudyPageFactory(parent=index, title="Leaving soon")

    assert fetch(other, index.url)[0] == "miss"
    status, listing = fetch(other, index.url)
    assert status == "hit" and "Leaving soon" in listing
    # The copy the other process stored is this process's copy too, under the same
    # content version, kept in Redis (the key holds the host the page was asked of).
    here = Client(HTTP_HOST=other.removeprefix("http://")).get(index.url)
    assert here["X-Cache"] == "hit" and here.content.decode() == listing
    assert _backend().get(CONTENT_VERSION_KEY.format(scope="all"))["token"] == content_version()
    assert "leaving-soon" in fetch(other, "/sitemap.xml")[1]

    # A publish here is seen there at once: its page, its listing, its sitemap.
    CaseStudyPageFactory(parent=index, title="Newly published")
    status, listing = fetch(other, index.url)
    assert status == "miss" and "Newly published" in listing
    assert "newly-published" in fetch(other, "/sitemap.xml")[1]
    assert fetch(other, index.url)[0] == "hit"

    # And so is an unpublish.
    Page.objects.get(pk=leaving.pk).unpublish()
    status, listing = fetch(other, index.url)
    assert status == "miss" and "Leaving soon" not in listing and "Staying on" in listing
    assert "leaving-soon" not in fetch(other, "/sitemap.xml")[1]


def _backend():
    from django.core.cache import caches

    return caches["default"]


def _commands_processed(client):
    return client.info("stats")["total_commands_processed"]


def test_content_versions_are_kept_in_process_and_a_change_anywhere_is_seen_at_once(redis_url, db):
    """The content version is read on every request: each process keeps it while Redis
    says it has not changed (CLIENT TRACKING), so reading it costs no round trip, and a
    change made through another connection is seen by the very next read."""
    import redis

    from portal.cache import ResilientRedisCache
    from portal.signals import content_version_key, read_version_state, token_of

    config = resilient(environ.Env.cache_url_config(redis_url))
    other_process = ResilientRedisCache(config["LOCATION"], config)
    counter = redis.Redis.from_url(redis_url)
    with override_settings(CACHES={"default": config}):
        first = content_version()
        assert token_of(read_version_state("all")) == first
        before = _commands_processed(counter)
        for _ in range(50):
            assert token_of(read_version_state("all")) == first
        # Only the INFO call itself: the fifty reads stayed in this process.
        assert _commands_processed(counter) - before <= 1

        other_process.set(content_version_key("all"), {"token": "changed", "valid_until": None})
        assert token_of(read_version_state("all")) == "changed"
        other_process.delete(content_version_key("all"))
        assert read_version_state("all") is None
        assert content_version() not in (first, "changed")  # a new generation starts

        # Control: without the watch every read is a round trip.
        before = _commands_processed(counter)
        for _ in range(5):
            other_process.get(content_version_key("all"))
        assert _commands_processed(counter) - before >= 5
