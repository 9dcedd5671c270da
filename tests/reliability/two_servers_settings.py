"""The settings of the servers started by ``test_two_servers.py``: production's (page cache on, Redis,
sessions and login attempts in the database, secure cookies), with two test-only changes that do not
touch what the test proves: static files without a manifest (no ``collectstatic`` needed) and the
test suite's fast password hasher (the accounts are created by the test process).
"""

from portal.settings.prod import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
