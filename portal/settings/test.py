"""Test settings: fast hashing, in-memory e-mail, the same apps and middleware as production."""

from .base import *  # noqa: F403
from .base import caches_for

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
ALLOWED_HOSTS = ["*"]
# Test transactions are rolled back, so the scope versions never change inside a test: the page cache
# is off here and switched on by the tests that exercise it (tests/portal/core/test_pagecache.py).
PAGE_CACHE_ENABLED = False
# Each test process's own memory, whatever CACHE_URL says (tests/reliability/test_two_servers.py starts
# servers on Redis).
CACHES = caches_for("")
# The HSDS API's anonymous limit would throttle the suites that request it many times from one address;
# tests/networks/api/test_throttling.py sets a low one.
HSDS_API_ANON_RATE = ""
# Tests never read a council's OParl system on the internet (guidance/oparl.py): public addresses are
# refused without a name lookup; tests/guidance/oparl/ serves its own system on 127.0.0.1.
OPARL_BLOCK_PUBLIC_HOSTS = True
