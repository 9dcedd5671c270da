"""Local development: the embedded SQLite default, debug on, e-mail to the console."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", not DEBUG)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production-0123456789"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The portal's own 404 page also with DEBUG on (Django would show its technical page).
MIDDLEWARE = [*MIDDLEWARE, "portal.middleware.DebugNotFoundMiddleware"]  # noqa: F405
