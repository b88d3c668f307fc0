"""Skipping tests whose service is missing: a clear skip locally, a failure in CI."""

import os
import socket

import pytest


def in_ci():
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(available: bool, reason: str):
    if available:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing service is a failure, not a skip)")
    pytest.skip(reason)


def free_port():
    """A loopback port nobody listens on, for a server a test starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    """The test database as a DATABASE_URL, for a second process that must share it."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return (
        f"postgres://{settings['USER']}:{settings.get('PASSWORD') or ''}@{settings['HOST']}:"
        f"{settings['PORT']}/{settings['NAME']}"
    )


def fetch_when_listening(url, timeout=60):
    """GET ``url`` from a server a test has just started, retrying until it listens:
    (response headers, body)."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.headers, response.read().decode()
        except urllib.error.URLError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
