"""Shared set-up for benchmark scripts: a throwaway test database, timing helpers."""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(keep_db=False):
    """``keep_db``: on SQLite, a fixed file (var/bench-demo.sqlite3) kept between runs, so
    the demo content is loaded once (see ``demo_loaded``); on PostgreSQL, test_<name> kept."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    from django.db import connection

    if keep_db and connection.vendor == "sqlite":
        from django.conf import settings

        connection.settings_dict["TEST"]["NAME"] = str(settings.VAR_DIR / "bench-demo.sqlite3")
    from django.test.utils import setup_databases, setup_test_environment

    setup_test_environment()
    # Count every query of a request: Django forgets them when a request starts.
    from django.core.signals import request_started
    from django.db import reset_queries

    request_started.disconnect(reset_queries)
    # A fresh test database (SQLite file or test_<name> on PostgreSQL), removed at exit.
    return setup_databases(verbosity=0, interactive=False, keepdb=keep_db)


def teardown_django(old_config, keep_db=False):
    from django.test.utils import teardown_databases

    if not keep_db:
        teardown_databases(old_config, verbosity=0)


def demo_loaded():
    """Whether a kept database already holds the demo content."""
    from home.models import HomePage

    return HomePage.objects.exists()


# BENCH_CLOCK=cpu times the process's own CPU instead of the wall clock: on a machine
# busy with other work, waiting for a core is not the page's cost (SQLite and the local
# memory cache run in the process, so their work is counted either way).
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


def timed(function, repeat):
    clock = CLOCKS[os.environ.get("BENCH_CLOCK", "wall")]
    samples = []
    for _ in range(repeat):
        start = clock()
        function()
        samples.append((clock() - start) * 1000)
    return samples


def summary(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms   (n={len(ordered)})"
