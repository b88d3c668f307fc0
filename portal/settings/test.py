import os
import re

from portal.cache import resilient
from portal.search_config import search_backends

from .base import *  # noqa: F403
from .base import DATABASES, SEARCH_URL, VAR_DIR, env

VAR_DIR.mkdir(exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)


def _process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale_test_databases():
    """Files left by runs that were killed before Django could delete their database."""
    for path in VAR_DIR.glob("test-*.sqlite3*"):
        match = re.match(r"test-(\d+)", path.name)
        if match and not _process_alive(int(match.group(1))):
            path.unlink(missing_ok=True)


# A file, not SQLite's in-memory database, so that threads, live servers and subprocesses
# share one database for real (an in-memory one is private to its connection, which hides
# locking). The process id keeps parallel runs apart; pytest-django adds its own suffixes.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _remove_stale_test_databases()
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Test runs get indexes of their own on a shared OpenSearch node.
SEARCH_INDEX_PREFIX = f"test_{os.getpid()}_"
WAGTAILSEARCH_BACKENDS = search_backends(
    SEARCH_URL, SEARCH_INDEX_PREFIX, DATABASES["default"]["ENGINE"]
)
# Local memory by default; CACHE_URL points a run (or a second test server) at a shared one.
CACHES = {"default": resilient(env.cache_url("CACHE_URL", default="locmemcache://"))}
MEDIA_ROOT = VAR_DIR / "test-media"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL

# Playwright's sync API runs an event loop in the test thread; the ORM refuses to run
# beside it unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
