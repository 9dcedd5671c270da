"""Settings shared by every environment.

Values that differ between machines come from environment variables; the defaults
here give the embedded SQLite quick start. ``prod`` refuses to start without its secrets.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
USES_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# Every SQL statement of a request ends after this many milliseconds on PostgreSQL (0: no limit), so a
# slow query cannot hold a worker. Set as a connection option: it costs no query. Management commands
# (``manage.py`` other than runserver: migrate, load_register, generate_national_data ...) run without it.
STATEMENT_TIMEOUT_MS = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "5000"))
_MANAGEMENT_COMMAND = (
    Path(sys.argv[0]).name == "manage.py" and len(sys.argv) > 1 and sys.argv[1] not in ("runserver", "runserver_plus")
)
if USES_POSTGRES and STATEMENT_TIMEOUT_MS > 0 and not _MANAGEMENT_COMMAND:
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c statement_timeout={STATEMENT_TIMEOUT_MS}".strip()
if not USES_POSTGRES:
    # SQLite is the embedded default: no persistent connections are needed.
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "django_filters",
    "import_export",
    "csp",
    # The registry's HSDS 3.0 API (networks/api), its OpenAPI document and its self-hosted documentation.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The foundation (label "portal"), the frame's accounts, the apps, and the demo data generator.
    "portal.core",
    "portal.accounts",
    "networks",
    "guidance",
    "guidance.catalogue",
    "portal.demo",
]
if USES_POSTGRES:
    INSTALLED_APPS.insert(INSTALLED_APPS.index("django.contrib.humanize") + 1, "django.contrib.postgres")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.GermanFirstLocaleMiddleware",
    "portal.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.SignedInPagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "portal.context_processors.portal",
                "portal.core.pagecache.csrf_placeholder",
            ],
        },
    }
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "portal.accounts.backends.PortalModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling: five failed attempts lock the account, and five from one address lock that
# address, for a while. The old password of the password-change form is checked the same way.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind reverse proxies, the visitor's address is in X-Forwarded-For: AXES_PROXY_COUNT names how many
# proxies (that the visitor cannot bypass) stand in front of the portal.
if os.environ.get("AXES_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["AXES_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
SILENCED_SYSTEM_CHECKS: list[str] = []

# Internationalisation: German first, English selectable.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "sn_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploads (imports, attachments) are limited; larger files are refused with a message.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# No form takes more (the largest upload is 10 MB): larger requests are refused before their body is read.
MAX_REQUEST_BYTES = 11 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Starkes Netz <noreply@localhost>")
# The portal's public address, for links in e-mails sent without a request (the review workflow of the
# catalogue, the reminder of manage.py remind_unverified): e.g. https://starkes-netz.example.org
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

# Requests for access ("Zugang beantragen", networks/views/access.py). New requests are announced to
# ACCESS_REQUEST_NOTIFY (comma-separated addresses, e.g. the editorial team's mailbox), or, when it is
# empty, to every active member of the Redaktion and every admin with an e-mail address. One client
# address may send so many requests per hour, one e-mail address so many per day. Declined requests
# are deleted this many days after the decision (``manage.py erase_personal_data --expired-access-requests``).
ACCESS_REQUEST_NOTIFY = env_list("ACCESS_REQUEST_NOTIFY")
ACCESS_REQUEST_LIMIT_PER_ADDRESS = int(os.environ.get("ACCESS_REQUEST_LIMIT_PER_ADDRESS", "5"))
ACCESS_REQUEST_LIMIT_PER_EMAIL = int(os.environ.get("ACCESS_REQUEST_LIMIT_PER_EMAIL", "3"))
ACCESS_REQUEST_RETENTION_DAYS = int(os.environ.get("ACCESS_REQUEST_RETENTION_DAYS", "30"))

# Content-Security-Policy: nothing from third-party hosts, no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Page cache for reading pages (portal/core/pagecache.py): whole pages, stored under the versions of
# the scopes they depend on, so an edit is visible to the next reader at once and leaves unrelated
# pages cached. Off while DEBUG is on (templates change under a developer's hands).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", not DEBUG)
PAGE_CACHE_MAX_MB = float(os.environ.get("PAGE_CACHE_MAX_MB", "64"))
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", str(60 * 60)))
PAGE_CACHE_MAX_BYTES = 2 * 1024 * 1024

# Reading councils' OParl systems (guidance/oparl.py): public addresses only (True or a list of networks
# such as ["127.0.0.0/8"] lets tests reach a local server), one time limit per request, a size limit.
OPARL_ALLOW_PRIVATE_HOSTS = False
OPARL_BLOCK_PUBLIC_HOSTS = False  # the test settings: nothing on the internet is read
OPARL_TIMEOUT = float(os.environ.get("OPARL_TIMEOUT", "5"))
OPARL_MAX_BYTES = 2 * 1024 * 1024


def caches_for(url: str, *, max_mb: float = PAGE_CACHE_MAX_MB) -> dict:
    """Django's caches: "default" (scope versions, throttles) and "pages" (the page cache).

    ``redis://``, ``rediss://`` or ``unix://``: one Redis shared by every process and server (Django's
    RedisCache); empty or ``locmem://``: each process's own memory, bounded in bytes (one process only).
    """
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            alias: {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix}
            for alias, prefix in (("default", "sn"), ("pages", "sn"))
        }
    if url not in ("", "locmem://"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"CACHE_URL: only redis://, rediss://, unix:// or locmem:// are understood, not {url!r}")
    bounded = "portal.core.cache.BoundedMemoryCache"
    return {
        "default": {"BACKEND": bounded, "LOCATION": "default", "OPTIONS": {"MAX_ENTRIES": 10_000}},
        "pages": {
            "BACKEND": bounded, "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 1_000_000, "MAX_BYTES": int(max_mb * 1024 * 1024)},
        },
    }


CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
CACHES = caches_for(CACHE_URL)

# Four-eyes principle in the catalogue: nobody publishes a revision they wrote or submitted (on in
# production; off here so that one person can try the whole workflow locally).
CATALOGUE_FOUR_EYES = env_bool("CATALOGUE_FOUR_EYES", False)

# Staff sessions end after a working day without activity (the expiry moves on while someone works).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_HOURS", "9")) * 60 * 60
SESSION_REFRESH_SECONDS = 10 * 60

# The demo content (with its published password) may be loaded; never in production.
DEMO_CONTENT_ALLOWED = True

# The operator's details for the legal pages (Impressum etc.).
PORTAL_OPERATOR = {
    "name": os.environ.get("PORTAL_OPERATOR_NAME", ""),
    "address": os.environ.get("PORTAL_OPERATOR_ADDRESS", ""),
    "email": os.environ.get("PORTAL_OPERATOR_EMAIL", ""),
    "phone": os.environ.get("PORTAL_OPERATOR_PHONE", ""),
}

# The accessibility statement (BITV 2.0 § 7): where barrier reports go (else the operator's address,
# else the Redaktion and admins), how many one client address may send per hour, and the enforcement
# body. The default body is the federal conciliation body under § 16 BGG (responsible where a federal
# body runs the portal); a portal run by a Land or a municipality names its Land's body here.
ACCESSIBILITY_FEEDBACK_EMAIL = os.environ.get("ACCESSIBILITY_FEEDBACK_EMAIL", "")
ACCESSIBILITY_FEEDBACK_LIMIT_PER_ADDRESS = int(os.environ.get("ACCESSIBILITY_FEEDBACK_LIMIT_PER_ADDRESS", "5"))
ACCESSIBILITY_ENFORCEMENT = {
    "name": os.environ.get(
        "ACCESSIBILITY_ENFORCEMENT_NAME",
        "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz (§ 16 BGG) bei dem Beauftragten der "
        "Bundesregierung für die Belange von Menschen mit Behinderungen",
    ),
    "address": os.environ.get("ACCESSIBILITY_ENFORCEMENT_ADDRESS", "Mauerstraße 53\n10117 Berlin"),
    "url": os.environ.get("ACCESSIBILITY_ENFORCEMENT_URL", "https://www.schlichtungsstelle-bgg.de"),
    "email": os.environ.get("ACCESSIBILITY_ENFORCEMENT_EMAIL", ""),
    "phone": os.environ.get("ACCESSIBILITY_ENFORCEMENT_PHONE", ""),
    "configured": bool(os.environ.get("ACCESSIBILITY_ENFORCEMENT_NAME")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # axes logs usernames and IP addresses; keep personal data out of the logs.
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# The registry's Open Referral HSDS 3.0 API under /api/hsds/ (networks/api): read-only and public,
# anonymous clients limited per address (HSDS_API_ANON_RATE, e.g. "120/min"; empty: no limit) in the
# default cache. The query parameter "format" is the API's own (json or ndjson), not DRF's renderer switch.
HSDS_API_ANON_RATE = os.environ.get("HSDS_API_ANON_RATE", "120/min")
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["networks.api.throttling.HsdsAnonThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "URL_FORMAT_OVERRIDE": None,
    # The client's address as the login throttle reads it: X-Forwarded-For only behind AXES_PROXY_COUNT
    # proxies (else anyone could send a new made-up address with every request and never be limited).
    "NUM_PROXIES": int(os.environ.get("AXES_PROXY_COUNT") or 0),
    "UNICODE_JSON": True,
    "COMPACT_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Starkes Netz – HSDS 3.0 API",
    "DESCRIPTION": (
        "Das Register der Netzwerkpartner von Starkes Netz als Open Referral Human Services Data "
        "Specification (HSDS) 3.0, nur lesend und ohne Anmeldung. Kontaktpersonen erscheinen nie. "
        "Listen sind Seiten (`page`, `per_page` bis 500); `modified_after` liefert nur Geändertes; "
        "ETag und Last-Modified erlauben bedingte Abrufe (304). Erweiterung: `municipality` (AGS)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": [],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/hsds",
    "SWAGGER_UI_DIST": "SIDECAR",
    # No links inside the operations' summary buttons (axe: nested interactive controls).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "defaultModelsExpandDepth": -1},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
