"""Production: secrets and hosts must come from the environment, or start-up stops."""

from django.core.exceptions import ImproperlyConfigured

from certificates.signing import load_private_key as load_certificate_signing_key
from portal.editorial.machine_translation import machine_translator

from .base import *  # noqa: F403
from .base import CACHES, DEEPL_API_KEY, env


def required(name):
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required with production settings."
        )
    return value


PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def shared_cache_or_one_worker(caches):
    """Cached page data is invalidated through the cache itself (portal/signals.py): with
    several processes and a per-process cache, each would keep serving what it cached."""
    backend = caches["default"]["BACKEND"]
    if backend in PER_PROCESS_CACHES and env("WEB_CONCURRENCY", default="") != "1":
        raise ImproperlyConfigured(
            f"CACHE_URL gives a per-process cache ({backend.rsplit('.', 1)[-1]}), which the "
            "app's processes cannot share: set CACHE_URL=redis://host:6379/1 (or "
            "dbcache://portal_cache after `manage.py createcachetable`), or declare a single "
            "worker with WEB_CONCURRENCY=1."
        )


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in required("ALLOWED_HOSTS").split(",") if host.strip()]
shared_cache_or_one_worker(CACHES)
# Certificates are signed with this key and verified against it for years: never a
# generated one. A missing or malformed key stops start-up (certificates/signing.py).
CERTIFICATE_SIGNING_KEY = required("CERTIFICATE_SIGNING_KEY")
load_certificate_signing_key(CERTIFICATE_SIGNING_KEY)
CERTIFICATE_SIGNING_KEY_FILE = None
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Editors never see the dummy translator's reversed words offered as a translation here.
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator(DEEPL_API_KEY, allow_dummy=False)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

# Wagtail's live preview shows the page in a same-origin frame, so frames stay allowed
# for this origin (X_FRAME_OPTIONS = "SAMEORIGIN") instead of "DENY".
SILENCED_SYSTEM_CHECKS = ["security.W019"]
