"""Settings shared by every environment; values that differ come from the environment."""

from datetime import timedelta
from pathlib import Path

import environ

from portal.cache import resilient
from portal.editorial.machine_translation import machine_translator
from portal.search_config import search_backends

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

INSTALLED_APPS = [
    "portal",
    "portal.editorial",
    "home",
    "modules",
    "casestudies",
    "glossary",
    "search",
    "certificates",
    "exports",
    "oer",
    "learning",
    "assessment",
    "legal",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail_modeladmin",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "rest_framework",
    "modelcluster",
    "taggit",
    "django_countries",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
]

MIDDLEWARE = [
    # First: anonymous public pages from the page cache, stored with the headers every
    # middleware below has added, before any other work; ETags and 304s for every GET,
    # cached or not, as Django's ConditionalGetMiddleware gives them (portal/page_cache.py).
    "portal.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.security.PortalCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.PortalLocaleMiddleware",
    "portal.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The learner's forms carry no token (the page is shared): an origin check instead.
    "modules.csrf.LearnerFormsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Page URLs routed from the shared cache (portal/route_cache.py).
    "portal.route_cache.RouteCacheMiddleware",
    # It wraps the views to turn a login lockout into a 429 (no process_view of its own,
    # so it may come before the next one).
    "axes.middleware.AxesMiddleware",
    # Last: it runs admin POST views itself, in one transaction.
    "portal.transactions.AtomicAdminWritesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
# Public requests are not wrapped in transactions (on SQLite every one would take the write
# lock); admin POSTs are, by portal.middleware.AtomicAdminWritesMiddleware.
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# The embedded default under concurrency: WAL lets readers and one writer work at once,
# IMMEDIATE takes the write lock when a transaction begins (a deferred one that read first
# cannot wait for it and fails at once with "database is locked"), and a writer waits up
# to 20 s for the lock instead of failing.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# redis:// is Django's Redis backend, made to miss rather than fail while Redis is away.
CACHES = {"default": resilient(env.cache_url("CACHE_URL", default="locmemcache://portal"))}
# The page cache (portal/page_cache.py): how long the application keeps a page (0 turns
# it off; a publish makes every copy stale at once anyway), and what public pages tell
# browsers (max-age) and front caches such as Varnish (s-maxage). Browsers revalidate by
# default (max-age 0, answered with 304): a learner who has just completed a lesson must
# not be shown the copy from before, which a browser would otherwise keep.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=3600)
PAGE_CACHE_MAX_AGE = env.int("PAGE_CACHE_MAX_AGE", default=0)
PAGE_CACHE_S_MAXAGE = env.int("PAGE_CACHE_S_MAXAGE", default=300)
# Copies each process also keeps in memory, the most recently used (0: none).
PAGE_CACHE_LOCAL_COPIES = env.int("PAGE_CACHE_LOCAL_COPIES", default=500)

# Axes first: it refuses a locked-out client before any backend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: English is the source; every public URL carries its language prefix.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("hu", "Magyar"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o644
# Uploads: Wagtail checks each file against these; a request body larger than the largest
# upload plus room for the form's fields is refused with 413 before it is read.
MEGABYTE = 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.int("IMAGE_MAX_UPLOAD_MB", default=10) * MEGABYTE
# 40 million pixels (e.g. 8000 x 5000) keeps a fully decoded upload under about 160 MB.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_MAX_UPLOAD_SIZE = env.int("DOCUMENT_MAX_UPLOAD_MB", default=50) * MEGABYTE
PORTAL_MAX_REQUEST_BYTES = (
    max(WAGTAILIMAGES_MAX_UPLOAD_SIZE, WAGTAILDOCS_MAX_UPLOAD_SIZE) + DATA_UPLOAD_MAX_MEMORY_SIZE
)

WAGTAIL_SITE_NAME = "Cluster4Smart"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "odt",
    "docx",
    "xlsx",
    "ods",
    "csv",
    "txt",
    "vtt",
    "mp4",
    "webm",
    "zip",
    "tbx",
]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Every admin upload goes through these, which check that the content fits the name.
WAGTAILIMAGES_IMAGE_FORM_BASE = "portal.uploads.ImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.uploads.DocumentForm"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# Translations stay drafts until a reviewer publishes them.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# Approval publishes the revision that was reviewed, and an edit during review restarts it
# (portal/editorial/approval.py, publishing.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "portal.editorial.approval.publish_reviewed_revision"
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# Machine translation: DeepL when a key is configured, otherwise wagtail-localize's dummy
# translator (it reverses word order, so nobody mistakes its output for a translation).
DEEPL_API_KEY = env("DEEPL_API_KEY", default="")
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator(DEEPL_API_KEY)

# Mail: moderators are told of submissions awaiting their review, editors of decisions.
vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="cluster4smart@localhost")

# OAI-PMH (/oai/, the oer app). The repository identifier is the namespace of every record
# identifier (oai:<it>:<translation key>:<language>): choose it once and keep it.
OAI_REPOSITORY_IDENTIFIER = env("OAI_REPOSITORY_IDENTIFIER", default="cluster4smart.portal")
OAI_ADMIN_EMAIL = env("OAI_ADMIN_EMAIL", default=DEFAULT_FROM_EMAIL)
OAI_PAGE_SIZE = env.int("OAI_PAGE_SIZE", default=100)
OAI_TOKEN_SECONDS = env.int("OAI_TOKEN_SECONDS", default=24 * 60 * 60)
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

SEARCH_URL = env("SEARCH_URL", default="")
SEARCH_INDEX_PREFIX = env("SEARCH_INDEX_PREFIX", default="cluster4smart_")
WAGTAILSEARCH_BACKENDS = search_backends(
    SEARCH_URL, SEARCH_INDEX_PREFIX, DATABASES["default"]["ENGINE"]
)

# The front cache (Varnish, deploy/varnish/portal.vcl), purged on publish (portal/frontcache.py):
# FRONTEND_CACHE_URL=http://127.0.0.1:6081. Unset: no front cache, nothing is sent.
FRONTEND_CACHE_URL = env("FRONTEND_CACHE_URL", default="")
if FRONTEND_CACHE_URL:
    WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "portal.frontcache.VarnishBackend", "LOCATION": FRONTEND_CACHE_URL}
    }
# Each translation is a page of its own with its own URL: no per-language URL rewriting.
WAGTAILFRONTENDCACHE_LANGUAGES = []

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

# Progress codes (learning/): how long a code restores progress, and how many lookups
# (restore or delete by code) and new codes one address may make per window.
PROGRESS_CODE_DAYS = env.int("PROGRESS_CODE_DAYS", default=30)
PROGRESS_CODE_LOOKUP_LIMIT = env.int("PROGRESS_CODE_LOOKUP_LIMIT", default=10)
PROGRESS_CODE_CREATE_LIMIT = env.int("PROGRESS_CODE_CREATE_LIMIT", default=20)
PROGRESS_CODE_WINDOW_MINUTES = env.int("PROGRESS_CODE_WINDOW_MINUTES", default=15)

# Throttled logins (portal/security.py): the admin login and the password form of
# password-protected pages lock out an account from one address after AXES_FAILURE_LIMIT
# failures, and an address on its own (whichever accounts it tries) after
# AXES_IP_FAILURE_LIMIT, for AXES_COOLOFF_MINUTES. Other accounts and addresses go on
# logging in. Unlock early with `manage.py axes_reset_username NAME` (or axes_reset_ip,
# axes_reset) or under Settings > Login lockouts in the admin.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=25)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "portal.security.PortalAxesHandler"
AXES_LOCKOUT_CALLABLE = "portal.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip"
# Behind N reverse proxies that each append to X-Forwarded-For, the client is the N-th
# address from the right; 0 (the default) trusts nothing but REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Axes always masks "password"; the form's other fields carry nothing secret.
AXES_SENSITIVE_PARAMETERS = ["password", "new_password1", "new_password2"]
# A success clears that account's failures from that address only (portal/security.py).
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ADMIN = False  # Django's admin is not mounted; the Wagtail admin lists lockouts
AXES_VERBOSE = False  # no start-up banner; log lines name the account and address
WAGTAILADMIN_USER_LOGIN_FORM = "portal.security.LoginForm"
WAGTAIL_PASSWORD_REQUIRED_TEMPLATE = "password_required.html"

# Content Security Policy: public pages load nothing but this origin's own files, and no
# inline script or style; the Wagtail admin gets the policy it needs (portal/security.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        # Nobody frames public pages; the admin's live preview (under /admin/, with the
        # admin's policy) is framed by the admin itself.
        "frame-ancestors": ["'none'"],
        "frame-src": ["'none'"],
    }
}
# What the Wagtail admin (everything under /admin/, previews included) needs beyond that,
# found by driving its editors in Chromium (tests/test_browser_security.py): inline scripts
# (date pickers and StreamField blocks insert <script> elements), inline styles (Draftail
# inserts <style> elements), its own frames (the live preview) and blob: images (upload
# previews). No 'unsafe-eval', and still nothing from another origin.
PORTAL_ADMIN_CSP_DIRECTIVES = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}
# No third-party requests from the admin either: no Gravatar, no release check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "interest-cohort": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
    "fullscreen": ["self"],  # the lesson videos' fullscreen button
}

# Certificates (certificates/signing.py): the issuer's ES256 key, a PEM P-256 private key
# (`manage.py certificate_signing_key` makes one). Required in production; without it
# development keeps a generated key in CERTIFICATE_SIGNING_KEY_FILE and tests make one.
CERTIFICATE_SIGNING_KEY = env("CERTIFICATE_SIGNING_KEY", default="")
CERTIFICATE_SIGNING_KEY_FILE = None

CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"
SESSION_ENGINE = "portal.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.security.DisallowedHost": {"level": "ERROR"},
        # Background-task and publish chatter would drown the server log.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "modelsearch": {"level": "WARNING"},
        # Failed logins and lockouts are warnings; the bookkeeping around them is not news.
        "axes": {"level": "WARNING"},
    },
}
