"""Run inside a subprocess with ``portal.settings.prod``: migrate a throwaway database, send real
requests through the WSGI application and print what came back as JSON."""

import json
import os

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

# Only the static files' manifest is swapped (collectstatic has not run here); every security
# setting stays exactly as production defines it.
override_settings(
    STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
).enable()
call_command("migrate", verbosity=0)
get_user_model().objects.create_user("probe", password="Ein-sicheres-Passwort-2026")
host = os.environ["ALLOWED_HOSTS"].split(",")[0]
client = Client(HTTP_HOST=host)


def describe(response):
    return {
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": {
            name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]), "samesite": m["samesite"]}
            for name, m in response.cookies.items()
        },
    }


out = {
    "plain_http": describe(client.get("/")),
    "home": describe(client.get("/", secure=True)),
    "login_form": describe(client.get("/accounts/login/", secure=True)),
    "language": describe(client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)),
}
client = Client(HTTP_HOST=host, enforce_csrf_checks=False)
out["login"] = describe(
    client.post("/accounts/login/", {"username": "probe", "password": "Ein-sicheres-Passwort-2026"}, secure=True)
)
print("PROBE" + json.dumps(out))
