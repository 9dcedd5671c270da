"""Production settings, asserted on real responses: a subprocess runs requests through the WSGI
application with ``portal.settings.prod`` and a throwaway SQLite database."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.security.conftest import record_figure

ROOT = Path(__file__).resolve().parents[2]
HOST = "portal.example.org"


def _prod_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
        "SECRET_KEY": "prod-test-" + "k3y!" * 15,
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "PYTHONPATH": str(ROOT),
    })
    return env


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prod")
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "security" / "prod_probe.py")],
        cwd=ROOT, env=_prod_env(tmp), capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("PROBE"))
    return json.loads(line[len("PROBE"):])


def test_check_deploy_is_clean(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_prod_env(tmp_path), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    record_figure("prod_settings", "check_deploy", "clean")


def test_plain_http_is_redirected_to_https(probe):
    response = probe["plain_http"]
    assert response["status"] == 301
    assert response["headers"]["Location"].startswith(f"https://{HOST}/")


def _csp(headers) -> dict[str, list[str]]:
    policy = headers["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize("page", ["home", "login_form"])
def test_security_headers_on_real_responses(probe, page):
    response = probe[page]
    assert response["status"] == 200
    headers = response["headers"]
    csp = _csp(headers)
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp.get("default-src", [])
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert all(value.startswith("'") or value == "data:" for values in csp.values() for value in values), (
        "no third-party host is allowed"
    )
    hsts = headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in permissions


def test_csrf_cookie_is_secure_and_httponly(probe):
    cookie = probe["login_form"]["cookies"]["csrftoken"]
    assert cookie == {"secure": True, "httponly": True, "samesite": "Lax"}


def test_session_cookie_after_login_is_secure_and_httponly(probe):
    response = probe["login"]
    assert response["status"] == 302
    cookie = response["cookies"]["sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_language_cookie_is_secure(probe):
    cookie = probe["language"]["cookies"]["sn_language"]
    assert cookie["secure"] and cookie["samesite"] == "Lax"
