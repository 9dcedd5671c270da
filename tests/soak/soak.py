"""Soak and fault test: 16 clients for 3 minutes against gunicorn on loopback, PostgreSQL restarted midway.

Run with ``make soak`` (or ``python -m tests.soak.soak``). Needs a local PostgreSQL server it may restart
(``pg_ctlcluster``). Environment: ``SOAK_SECONDS`` (180), ``SOAK_CLIENTS`` (16), ``SOAK_DATABASE``
(sn_soak), ``SOAK_PG`` (postgres://postgres@127.0.0.1:5432), ``SOAK_RESTART`` (1; 0 skips the restart).

It recreates the database, migrates, seeds the demo content, starts the portal with the production
settings on a free loopback port, runs readers and signed-in editors (coordinator edits of partners with a
unique marker, roadmap progress edits), restarts PostgreSQL in the middle, measures how long after the
database is back the portal answers again, then checks that every committed edit is in the database and
no record lacks its history. The summary goes to stdout and test-artifacts/soak.json; the exit status is
non-zero if an expectation failed.
"""

import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from tests.soak.forms import form_with_field

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(Path(sys.executable))
BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("SOAK_SECONDS", "180"))
CLIENTS = int(os.environ.get("SOAK_CLIENTS", "16"))
DB_NAME = os.environ.get("SOAK_DATABASE", "sn_soak")
PG = os.environ.get("SOAK_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
RESTART = os.environ.get("SOAK_RESTART", "1") == "1"
DATABASE_URL = f"{PG}/{DB_NAME}"
PASSWORD = "Starkes-Netz-Demo"  # the published demo password (seed_demo)
EDITOR_EVERY = 4  # every fourth client signs in as the coordinator and edits
RECOVERY_LIMIT_S = 10.0


def log(message: str) -> None:
    print(f"[soak {time.strftime('%H:%M:%S', time.gmtime())}] {message}", flush=True)


# --- Setup -------------------------------------------------------------------------------------------
def manage(*args: str, settings: str = "portal.settings.dev", extra_env: dict | None = None) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings, "DATABASE_URL": DATABASE_URL, **(extra_env or {})}
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (DB_NAME,)
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def django_setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.dev"
    os.environ["DATABASE_URL"] = DATABASE_URL
    import django

    django.setup()


def targets() -> dict:
    from django.db import connections

    from guidance.catalogue.models import Example
    from guidance.models import RoadmapStep
    from networks.models import Actor, Municipality

    heinsberg = Municipality.objects.get(slug="kreis-heinsberg")
    result = {
        "actors": list(Actor.objects.filter(municipality=heinsberg, is_active=True).values_list("pk", flat=True)),
        "all_actors": list(Actor.objects.filter(is_active=True).values_list("pk", flat=True)),
        "steps": list(RoadmapStep.objects.order_by("number").values_list("slug", flat=True)),
        "examples": list(Example.objects.filter(published_at__isnull=False).values_list("slug", flat=True)),
        "municipalities": list(Municipality.objects.values_list("slug", flat=True)),
    }
    connections.close_all()
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_portal(port: int, static_root: str, log_file) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
        "DATABASE_URL": DATABASE_URL,
        "SECRET_KEY": "soak-only-" + os.urandom(24).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "CACHE_URL": os.environ.get("SOAK_CACHE_URL", "redis://127.0.0.1:6379/2"),  # shared by the workers
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [str(BIN / "gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3",
         "--threads", "4", "--timeout", "30", "--graceful-timeout", "5"],
        cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
    )


# --- Clients -----------------------------------------------------------------------------------------
class Client:
    """One visitor with its own cookies; one request at a time, no redirects followed."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: list[tuple[str, str]] | None = None):
        headers = {"Host": "127.0.0.1", "User-Agent": "starkes-netz-soak"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, text, response.getheader("Location", "")
        finally:
            conn.close()


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[tuple[float, int, str, str]] = []  # (time, status, kind, path)
        self.committed: list[tuple[str, str, str]] = []  # (kind, key, marker)
        self.refused_stale = 0
        self.rejected: list[str] = []

    def add(self, status: int, kind: str, path: str) -> None:
        with self.lock:
            self.requests.append((time.monotonic(), status, kind, path))


def do(client: Client, recorder: Recorder, kind: str, method: str, path: str, data=None):
    try:
        status, text, location = client.request(method, path, data)
    except (OSError, http.client.HTTPException):
        status, text, location = 0, "", ""
    recorder.add(status, kind, path)
    return status, text, location


def login(client: Client, recorder: Recorder) -> bool:
    status, html, _ = do(client, recorder, "login-form", "GET", "/accounts/login/")
    form = form_with_field(html, "username") if status == 200 else None
    if form is None:
        return False
    data = [(k, v) for k, v in form["fields"] if k not in {"username", "password"}]
    data += [("username", "koordination"), ("password", PASSWORD)]
    status, _, _ = do(client, recorder, "login", "POST", "/accounts/login/", data)
    return status == 302


def edit_actor(client: Client, recorder: Recorder, pk: int, marker: str) -> None:
    path = f"/register/partner/{pk}/bearbeiten/"
    status, html, _ = do(client, recorder, "edit-form", "GET", path)
    form = form_with_field(html, "version") if status == 200 else None
    if form is None:
        return
    data = [(k, v) for k, v in form["fields"] if k != "accessibility"] + [("accessibility", marker)]
    status, html, _ = do(client, recorder, "edit-actor", "POST", path, data)
    with recorder.lock:
        if status in (301, 302, 303) or 200 <= status < 300 and "is-invalid" not in html:
            recorder.committed.append(("actor", str(pk), marker))
        elif status == 409:
            recorder.refused_stale += 1
        elif status == 200:
            recorder.rejected.append(f"actor {pk}: " + ", ".join(re.findall(r'id="error_\d+_id_(\w+)"', html)))


def edit_progress(client: Client, recorder: Recorder, step: str, marker: str) -> None:
    path = f"/leitfaden/kommunen/kreis-heinsberg/{step}/"
    status, html, _ = do(client, recorder, "progress-form", "GET", path)
    form = form_with_field(html, "version") if status == 200 else None
    if form is None:
        return
    data = [(k, v) for k, v in form["fields"] if k != "notes"] + [("notes", marker)]
    status, html, _ = do(client, recorder, "edit-progress", "POST", path, data)
    with recorder.lock:
        if status in (301, 302, 303):
            recorder.committed.append(("progress", step, marker))
        elif status == 409 or "Not saved" in html or "Nicht gespeichert" in html:
            recorder.refused_stale += 1
        elif status == 200:
            recorder.rejected.append(f"progress {step}: " + ", ".join(re.findall(r'id="error_\d+_id_(\w+)"', html)))


def reader_paths(t: dict, rng: random.Random) -> str:
    choices = [
        "/",
        f"/leitfaden/fahrplan/{rng.choice(t['steps'])}/",
        "/gute-praxis/?q=" + urllib.parse.quote(rng.choice(["Jugendhilfe", "Sucht", "Kooperation", "Kinder"])),
        f"/gute-praxis/{rng.choice(t['examples'])}/",
        "/register/partner/",
        "/register/partner/?q=" + urllib.parse.quote(rng.choice(["Beratung", "Jugendamt", "Sucht"])),
        f"/register/kommunen/{rng.choice(t['municipalities'])}/",
        f"/register/partner/{rng.choice(t['all_actors'])}/",
        "/suche/?q=" + urllib.parse.quote(rng.choice(["Sucht", "Heinsberg", "Frühe Hilfen", "Beschluss"])),
    ]
    return rng.choice(choices)


def run_client(number: int, port: int, t: dict, recorder: Recorder, deadline: float) -> None:
    rng = random.Random(number)
    client = Client(port)
    editor = number % EDITOR_EVERY == 0
    logged_in = False
    edits = 0
    while time.monotonic() < deadline:
        if editor and not logged_in:
            logged_in = login(client, recorder)
            if not logged_in:
                time.sleep(0.5)
                continue
        if editor and rng.random() < 0.3:
            edits += 1
            marker = f"soak-c{number}-e{edits}-{rng.randrange(10**6)}"
            if rng.random() < 0.6:
                edit_actor(client, recorder, rng.choice(t["actors"]), marker)
            else:
                edit_progress(client, recorder, rng.choice(t["steps"]), marker)
        else:
            status, _, _ = do(client, recorder, "read", "GET", reader_paths(t, rng))
            if editor and status == 302:
                logged_in = False  # session lost: sign in again
        time.sleep(rng.uniform(0.02, 0.2))


# --- The database restart ----------------------------------------------------------------------------
def db_answers() -> bool:
    import psycopg

    try:
        with psycopg.connect(DATABASE_URL, connect_timeout=1) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def portal_answers(port: int) -> bool:
    try:
        status, _, _ = Client(port).request("GET", "/register/partner/")
    except (OSError, http.client.HTTPException):
        return False
    return status == 200


def restart_database(port: int, result: dict) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    ctl = ["pg_ctlcluster", "--skip-systemctl-redirect", "-m", "fast", version, "main"]
    result["outage_started"] = time.monotonic()
    log("stopping PostgreSQL")
    subprocess.run([*ctl, "stop"], check=True)
    time.sleep(3)
    log("starting PostgreSQL")
    subprocess.run([*ctl, "start"], check=True)
    while not db_answers():
        time.sleep(0.05)
    result["db_back"] = time.monotonic()
    log("PostgreSQL answers again")
    while not portal_answers(port):
        time.sleep(0.1)
        if time.monotonic() - result["db_back"] > 60:
            break
    result["portal_back"] = time.monotonic()
    log(f"portal answers again after {result['portal_back'] - result['db_back']:.2f} s")


# --- Verification ------------------------------------------------------------------------------------
def verify(recorder: Recorder) -> dict:
    from django.db import connections

    from guidance.models import StepProgress
    from networks.models import Actor

    lost = []
    for kind, key, marker in recorder.committed:
        if kind == "actor":
            found = Actor.history.filter(id=int(key), accessibility=marker).exists()
        else:
            found = StepProgress.history.filter(
                municipality__slug="kreis-heinsberg", step__slug=key, notes=marker
            ).exists()
        if not found:
            lost.append(f"{kind} {key} {marker}")
    half_written = []
    for model in (Actor, StepProgress):
        for obj in model.objects.all():
            latest = model.history.filter(id=obj.pk).order_by("-history_id").first()
            if latest is None or latest.version != obj.version:
                half_written.append(f"{model.__name__} {obj.pk}: version {obj.version}, history "
                                    f"{latest.version if latest else None}")
    # Two different committed edits resulting in the same version would be a silent overwrite.
    for model, field in ((Actor, "accessibility"), (StepProgress, "notes")):
        markers: dict[tuple, set] = {}
        rows = model.history.filter(**{f"{field}__startswith": "soak-"}).values_list("id", "version", field)
        for pk, version, marker in rows:
            markers.setdefault((pk, version), set()).add(marker)
        for (pk, version), found in markers.items():
            if len(found) > 1:
                half_written.append(f"{model.__name__} {pk}: {len(found)} different edits saved as version {version}")
    marked = Actor.history.filter(accessibility__startswith="soak-").values("accessibility").distinct().count()
    marked += StepProgress.history.filter(notes__startswith="soak-").values("notes").distinct().count()
    connections.close_all()
    return {"lost": lost, "half_written": half_written, "marked_history_rows": marked}


def summarise(recorder: Recorder, started: float, restart: dict, checks: dict) -> dict:
    requests = recorder.requests
    errors = [r for r in requests if r[1] >= 500 or r[1] == 0]
    outage = (restart.get("outage_started", float("inf")), restart.get("portal_back", float("inf")))
    in_outage = [r for r in errors if outage[0] <= r[0] <= outage[1] + 1.0]
    outside = [r for r in errors if r not in in_outage]
    after_recovery_500 = [r for r in requests if r[0] > outage[1] + 1.0 and r[1] == 500]
    by_status: dict[str, int] = {}
    for r in requests:
        by_status[str(r[1])] = by_status.get(str(r[1]), 0) + 1
    recovery = restart["portal_back"] - restart["db_back"] if "portal_back" in restart else None
    summary = {
        "clients": CLIENTS,
        "seconds": SECONDS,
        "requests": len(requests),
        "requests_per_second": round(len(requests) / max(1.0, time.monotonic() - started), 1),
        "by_status": dict(sorted(by_status.items())),
        "errors_5xx_or_no_answer": len(errors),
        "errors_during_outage": len(in_outage),
        "errors_during_outage_by_status": {s: sum(1 for r in in_outage if str(r[1]) == s)
                                           for s in sorted({str(r[1]) for r in in_outage})},
        "errors_outside_outage": [f"{r[1]} {r[2]} {r[3]}" for r in outside][:50],
        "status_500_after_recovery": len(after_recovery_500),
        "other_4xx": [f"{r[1]} {r[2]} {r[3]}" for r in requests if 400 <= r[1] < 500 and r[1] != 409][:20],
        "edits_committed": len(recorder.committed),
        "edits_committed_actor": sum(1 for c in recorder.committed if c[0] == "actor"),
        "edits_committed_progress": sum(1 for c in recorder.committed if c[0] == "progress"),
        "edits_refused_as_stale": recorder.refused_stale,
        "edits_rejected_by_validation": recorder.rejected[:20],
        "database_restarted": RESTART,
        "database_down_seconds": round(restart["db_back"] - restart["outage_started"], 2) if "db_back" in restart else None,
        "recovery_seconds_after_database_back": round(recovery, 2) if recovery is not None else None,
        "committed_edits_lost": checks["lost"],
        "half_written_records": checks["half_written"],
        "marked_history_rows": checks["marked_history_rows"],
    }
    failures = []
    if outside:
        failures.append(f"{len(outside)} 5xx/unanswered requests outside the database outage")
    if after_recovery_500:
        failures.append(f"{len(after_recovery_500)} responses with status 500 after recovery")
    if RESTART and (recovery is None or recovery > RECOVERY_LIMIT_S):
        failures.append(f"recovery took {recovery} s (limit {RECOVERY_LIMIT_S} s)")
    if checks["lost"]:
        failures.append(f"{len(checks['lost'])} committed edits lost")
    if checks["half_written"]:
        failures.append(f"{len(checks['half_written'])} half-written records")
    if not recorder.committed:
        failures.append("no edit was committed")
    summary["failures"] = failures
    summary["passed"] = not failures
    return summary


def main() -> int:
    log(f"preparing database {DB_NAME}")
    recreate_database()
    manage("migrate", "--noinput")
    manage("compile_translations")
    manage("seed_demo")
    static_root = tempfile.mkdtemp(prefix="sn-soak-static-")
    manage("collectstatic", "--noinput", settings="portal.settings.prod", extra_env={
        "STATIC_ROOT": static_root, "SECRET_KEY": "collectstatic-only", "ALLOWED_HOSTS": "127.0.0.1",
    })
    django_setup()
    t = targets()
    port = free_port()
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    with open(artifacts / "soak-gunicorn.log", "w") as gunicorn_log:
        server = start_portal(port, static_root, gunicorn_log)
        try:
            for _ in range(200):
                if portal_answers(port):
                    break
                time.sleep(0.1)
            else:
                raise SystemExit("the portal did not start; see test-artifacts/soak-gunicorn.log")
            log(f"portal on 127.0.0.1:{port}; {CLIENTS} clients for {SECONDS} s")
            recorder = Recorder()
            started = time.monotonic()
            deadline = started + SECONDS
            threads = [threading.Thread(target=run_client, args=(i, port, t, recorder, deadline), daemon=True)
                       for i in range(CLIENTS)]
            for thread in threads:
                thread.start()
            restart: dict = {}
            if RESTART:
                time.sleep(SECONDS / 2)
                restart_database(port, restart)
            for thread in threads:
                thread.join(timeout=SECONDS + 60)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    checks = verify(recorder)
    summary = summarise(recorder, started, restart, checks)
    (artifacts / "soak.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    log("PASSED" if summary["passed"] else "FAILED: " + "; ".join(summary["failures"]))
    return 0 if summary["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
