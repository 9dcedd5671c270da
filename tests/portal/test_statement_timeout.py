"""On PostgreSQL every request's SQL is bounded by ``statement_timeout`` (a connection option, no query);
management commands such as load_register and generate_national_data run without it."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT_OPTIONS = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
)


def options(argv0: str, *args: str, **env: str) -> dict:
    """The database options the settings give a process started as ``argv0 args``."""
    script = f"import sys; sys.argv = [{argv0!r}, *{list(args)!r}]; " + PRINT_OPTIONS
    environment = {"DJANGO_SETTINGS_MODULE": "portal.settings.dev", "PATH": "/usr/bin:/bin",
                   "DATABASE_URL": "postgres://user:secret@127.0.0.1:5432/sn_unused", **env}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True,
                            text=True, check=True, timeout=60)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_requests_are_bounded_and_commands_are_not():
    assert options("gunicorn")["options"] == "-c statement_timeout=5000"
    assert options("manage.py", "runserver")["options"] == "-c statement_timeout=5000"
    assert options("gunicorn", DATABASE_STATEMENT_TIMEOUT_MS="1500")["options"] == "-c statement_timeout=1500"
    assert "options" not in options("gunicorn", DATABASE_STATEMENT_TIMEOUT_MS="0")
    for command in ("migrate", "load_register", "generate_national_data", "seed_demo"):
        assert "options" not in options("manage.py", command), command
