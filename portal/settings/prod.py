"""Production: refuses to start without its secrets; HTTPS-only cookies and HSTS."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import caches_for, env_bool

_missing = [name for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL") if not os.environ.get(name)]
if _missing:
    raise ImproperlyConfigured(
        "Production settings need these environment variables: " + ", ".join(_missing)
    )

DEBUG = False
DEMO_CONTENT_ALLOWED = False
CATALOGUE_FOUR_EYES = env_bool("CATALOGUE_FOUR_EYES", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = True
# One Redis shared by every process and server: the page cache and its scope versions, the throttle of
# requests for access (sessions and login attempts are in the database).
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/1"
CACHES = caches_for(CACHE_URL)
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
if not SECURE_HSTS_PRELOAD:
    # Preloading commits the whole domain (often a municipality's) to HTTPS in every browser; the
    # operator opts in with SECURE_HSTS_PRELOAD=1. Without it, `check --deploy` stays clean.
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]  # noqa: F405
