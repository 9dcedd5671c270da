"""More than one server: two gunicorn instances on two loopback ports, one PostgreSQL database, one Redis.

With the production settings (page cache on, Django's RedisCache, sessions and login attempts in the
database) it proves what a deployment with two application servers behind a reverse proxy needs:

- a session started on server 1 is signed in on server 2;
- a partner edited on server 1 is shown by server 2 at once, on the pages that show it (the partner,
  its Kreis, the partner list), although server 2 had them cached; a municipality the edit does not
  touch keeps its cached pages (its scope version in Redis is unchanged);
- failed logins count across both servers: five wrong passwords spread over them lock the account
  (django-axes), and the right password is then refused on either.

Needs PostgreSQL (``DATABASE_URL``; on the SQLite in-memory test database no second process can see the
data: skipped) and Redis on 127.0.0.1:6379 (``TWO_SERVERS_REDIS_URL``; skipped when unreachable, except
in CI (``CI=true``), where it fails). Uses its own Redis database (9), emptied before and after. Bounded
in time: servers that do not answer within 30 s fail the test, and the servers are always stopped.
"""

from __future__ import annotations

import http.client
import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.db import connection

from tests.soak.forms import form_with_field

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
REDIS_URL = os.environ.get("TWO_SERVERS_REDIS_URL", "redis://127.0.0.1:6379/9")
PASSWORD = "Zwei-Server-Test-2026"
STARTUP_SECONDS = 30
TOTAL_SECONDS = 60


class Visitor:
    """One browser: its own cookies (sent to either server, as behind one reverse proxy)."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, data: list[tuple[str, str]] | None = None):
        headers = {"Host": "127.0.0.1", "User-Agent": "starkes-netz-two-servers"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, rest = value.split("=", 1)
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, text, response.getheader("Location", "")
        finally:
            conn.close()

    def get(self, port: int, path: str):
        return self.request(port, "GET", path)

    def submit(self, port: int, path: str, field: str, changes: dict[str, str]):
        """Load the form at ``path`` that has ``field`` and send it back with ``changes``."""
        status, html, _ = self.get(port, path)
        assert status == 200, f"GET {path} on :{port} -> {status}"
        form = form_with_field(html, field)
        assert form is not None, f"no form with {field} at {path}"
        data = [(name, value) for name, value in form["fields"] if name not in changes]
        return self.request(port, "POST", path, data + list(changes.items()))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_db():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.exceptions.RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL} ({error}); CI must run the two-server test")
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({error}); start redis-server to run this test")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def database_url() -> str:
    if connection.vendor != "postgresql":
        pytest.skip("two servers need one database both can reach; the SQLite test database is in memory: "
                    "run with DATABASE_URL=postgres://... (CI does)")
    s = connection.settings_dict
    user = urllib.parse.quote(s.get("USER") or "")
    password = urllib.parse.quote(s.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{credentials}{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


@pytest.fixture
def content(database_url, settings):
    """The demo registry and a coordinator of Kreis Heinsberg, committed, so the servers see them."""
    from django.contrib.auth import get_user_model

    from networks.models import Actor, Municipality
    from portal.core import roles
    from portal.demo.registry import seed
    from tests.factories.accounts import UserFactory

    seed(stdout=io.StringIO())
    kreis = Municipality.objects.get(slug="kreis-heinsberg")
    user = UserFactory(username="t-zwei-server", roles=[roles.KOORDINATION])
    user.set_password(PASSWORD)  # the servers use the same fast hasher (two_servers_settings.py)
    user.save()
    kreis.coordinators.add(user)
    assert get_user_model().objects.filter(username="t-zwei-server").exists()
    return {
        "kreis": kreis,
        "other": Municipality.objects.get(slug="stadt-eschweiler"),
        "actor": Actor.objects.get(name="Kreisjugendamt Heinsberg"),
        "user": user,
    }


@pytest.fixture
def servers(redis_db, database_url, content, tmp_path):
    """Two gunicorn instances (two workers each) on free loopback ports; stopped whatever happens."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.reliability.two_servers_settings",
        "DATABASE_URL": database_url,
        "CACHE_URL": REDIS_URL,
        "SECRET_KEY": "two-servers-only-" + os.urandom(24).hex(),  # one key for both, as in a deployment
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "PAGE_CACHE_ENABLED": "1",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    ports = [free_port(), free_port()]
    processes = []
    try:
        for number, port in enumerate(ports, start=1):
            log = (tmp_path / f"server-{number}.log").open("w")
            processes.append(subprocess.Popen(
                [str(GUNICORN), "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                 "--timeout", "30", "--graceful-timeout", "2"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            ))
        deadline = time.monotonic() + STARTUP_SECONDS
        for number, port in enumerate(ports, start=1):
            while True:
                try:
                    if Visitor().get(port, "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline or processes[number - 1].poll() is not None:
                    logs = (tmp_path / f"server-{number}.log").read_text()[-3000:]
                    pytest.fail(f"server {number} did not start within {STARTUP_SECONDS} s:\n{logs}")
                time.sleep(0.2)
        yield ports
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


def version(redis_client, scope: str) -> bytes | None:
    """A page cache scope version as the servers keep it in Redis (key prefix "sn", key version 1)."""
    return redis_client.get(f"sn:1:pagecache:v:{scope}")


def test_two_servers_share_sessions_edits_and_failed_logins(servers, content, redis_db):
    started = time.monotonic()
    one, two = servers
    kreis, other, actor = content["kreis"], content["other"], content["actor"]
    kreis_page, other_page = kreis.get_absolute_url(), other.get_absolute_url()
    actor_page, listing = actor.get_absolute_url(), "/register/partner/?q=Jugend"

    # Server 2 caches the pages (in Redis) for an anonymous reader.
    reader = Visitor()
    for path in (kreis_page, other_page, actor_page, listing):
        status, html, _ = reader.get(two, path)
        assert status == 200 and (path == other_page or actor.name in html), path
    other_before = version(redis_db, f"municipality:{other.slug}")
    kreis_before = version(redis_db, f"municipality:{kreis.slug}")
    assert other_before is not None and kreis_before is not None

    # Signed in on server 1, signed in on server 2.
    editor = Visitor()
    status, _, location = editor.submit(one, "/accounts/login/", "username",
                                        {"username": content["user"].username, "password": PASSWORD})
    assert status == 302, f"login on server 1 -> {status}"
    status, html, _ = editor.get(two, "/accounts/meine-daten/")
    assert status == 200 and content["user"].username in html, f"server 2 does not know the session ({status})"

    # An edit on server 1 is shown by server 2 at once.
    renamed = "Amt für Jugend Heinsberg (auf Server 1 bearbeitet)"
    status, html, _ = editor.submit(one, f"/register/partner/{actor.pk}/bearbeiten/", "version", {"name": renamed})
    assert status == 302, f"edit on server 1 -> {status}: {html[:500]}"
    for path in (actor_page, kreis_page, listing):
        status, html, _ = reader.get(two, path)
        assert status == 200 and renamed in html, f"server 2 shows a stale {path}"
    # ... and left the other municipality's pages cached.
    assert version(redis_db, f"municipality:{other.slug}") == other_before
    assert version(redis_db, f"municipality:{kreis.slug}") != kreis_before

    # Failed logins count across both servers: five wrong passwords, spread, lock the account.
    attacker = Visitor()
    for attempt, port in enumerate([one, two, one, two, one], start=1):
        status, _, _ = attacker.submit(port, "/accounts/login/", "username",
                                       {"username": content["user"].username, "password": f"falsch-{attempt}"})
        assert status in (200, 403, 429), f"failed login {attempt} -> {status}"
    for port in (two, one):
        status, _, _ = Visitor().submit(port, "/accounts/login/", "username",
                                        {"username": content["user"].username, "password": PASSWORD})
        assert status != 302, f"the right password was accepted on :{port} after five failures on both servers"
    from axes.models import AccessAttempt

    assert sum(AccessAttempt.objects.filter(username=content["user"].username).values_list(
        "failures_since_start", flat=True)) >= 5

    assert time.monotonic() - started < TOTAL_SECONDS
