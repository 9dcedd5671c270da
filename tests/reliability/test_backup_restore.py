"""Backup and restore (README, "Backup and restore"): a restored copy holds every record, revision and
history entry exactly as before.

The portable path is ``dumpdata --natural-foreign --format xml`` (the JSON serialiser cuts timestamps to
milliseconds, so history times would not come back identical) into an emptied database and ``loaddata``; on
PostgreSQL the production path ``pg_dump``/``pg_restore`` into a scratch database is checked as well.
"""

import shutil
import subprocess

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, models

from guidance import services as guidance_services
from guidance.catalogue import services as catalogue_services
from guidance.catalogue.models import Example
from guidance.catalogue.selectors import working_snapshot
from guidance.models import RoadmapStep
from networks import services as network_services
from networks.models import Actor, ContactPerson

pytestmark = pytest.mark.django_db(transaction=True)

# Rebuilt by migrate/flush, or throw-away state; every other table must come back identical.
NOT_BACKED_UP = {ContentType, Permission, apps.get_model("sessions", "Session")}
DUMP_EXCLUDE = ["contenttypes", "auth.permission", "sessions"]


def _value(obj, field):
    value = getattr(obj, field.attname)
    if field.is_relation and field.related_model in (ContentType, Permission) and value is not None:
        target = field.related_model.objects.get(pk=value)
        return target.natural_key() if isinstance(target, ContentType) else (target.codename, target.content_type.natural_key())
    if isinstance(field, models.FileField):
        return str(value)
    return value


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every backed-up table (auto-created many-to-many tables included), sorted."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model in NOT_BACKED_UP or model._meta.proxy:
            continue
        fields = model._meta.concrete_fields
        if model._meta.auto_created:
            # The surrogate id of a plain many-to-many row is not part of the data (dumpdata omits it).
            fields = [field for field in fields if not field.primary_key]
        rows[model._meta.label] = sorted(
            (tuple(_value(obj, field) for field in fields) for obj in model._base_manager.all()), key=repr
        )
    return rows


def make_edits() -> None:
    """Changes by real people, so that history rows, revisions and events exist beyond the seed."""
    users = get_user_model().objects
    coordinator, redaktion = users.get(username="koordination"), users.get(username="redaktion")
    actor = Actor.objects.filter(municipality__coordinators=coordinator).order_by("pk").first()
    network_services.actor_update(actor=actor, data={"offer": "Neu: offene Sprechstunde (Demodaten)"},
                                  version=actor.version, by=coordinator)
    step = RoadmapStep.objects.order_by("number").first()
    guidance_services.step_update(step=step, data={"summary": step.summary + " Ergänzt."},
                                  version=step.version, by=redaktion)
    example = Example.objects.filter(published_at__isnull=False).order_by("pk").first()
    data = working_snapshot(example=example)
    catalogue_services.example_save(example=example, user=redaktion, version=example.version,
                                    data={**data, "title": data["title"] + " (überarbeitet)"})


@pytest.fixture
def seeded_with_edits(settings):
    settings.DEMO_CONTENT_ALLOWED = True
    call_command("seed_demo", verbosity=0)
    make_edits()


def test_dumpdata_loaddata_restores_everything_identically(seeded_with_edits, tmp_path):
    before = snapshot()
    assert ContactPerson.history.exists() and Actor.history.count() > Actor.objects.count()
    assert sum(len(rows) for rows in before.values()) > 500
    backup = tmp_path / "backup.xml"
    call_command("dumpdata", "--natural-foreign", format="xml", exclude=DUMP_EXCLUDE, output=str(backup),
                 verbosity=0)

    call_command("flush", interactive=False, verbosity=0)
    assert not Actor.objects.exists() and not Actor.history.exists()
    call_command("loaddata", str(backup), verbosity=0)

    after = snapshot()
    differing = [label for label in before if before[label] != after.get(label)]
    assert differing == []


def test_restore_into_a_freshly_migrated_sqlite_file(seeded_with_edits, tmp_path):
    """The README's SQLite procedure end to end: dump, migrate a new file, load, same rows."""
    import os
    import sqlite3
    import sys

    if connection.vendor != "sqlite":
        pytest.skip("the file-based procedure is the SQLite one")
    backup = tmp_path / "backup.xml"
    call_command("dumpdata", "--natural-foreign", format="xml", exclude=DUMP_EXCLUDE, output=str(backup),
                 verbosity=0)
    target = tmp_path / "restored.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test", "DATABASE_URL": f"sqlite:///{target}"}
    for args in (["migrate", "--noinput"], ["loaddata", str(backup)]):
        subprocess.run([sys.executable, "manage.py", *args], env=env, check=True, capture_output=True,
                       cwd=settings_base_dir())
    restored = sqlite3.connect(target)
    for label in ("networks.Actor", "networks.HistoricalActor", "networks.HistoricalContactPerson",
                  "guidance.HistoricalRoadmapStep", "guidance.ExampleRevision", "guidance.ExampleEvent", "auth.User"):
        model = apps.get_model(label)
        count = restored.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"').fetchone()[0]
        assert count == model._base_manager.count(), label


def settings_base_dir():
    from django.conf import settings

    return settings.BASE_DIR


def _table_rows(dsn: str) -> dict[str, list]:
    import psycopg

    with psycopg.connect(dsn) as conn:
        tables = [name for (name,) in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )]
        return {table: sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr) for table in tables}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump/pg_restore need PostgreSQL")
@pytest.mark.skipif(not shutil.which("pg_dump") or not shutil.which("pg_restore"), reason="pg_dump not installed")
def test_pg_dump_and_pg_restore_restore_everything_identically(seeded_with_edits, tmp_path):
    import psycopg

    params = connection.settings_dict
    source = connection.settings_dict["NAME"]
    scratch = f"{source}_restore"
    host = ["-h", params["HOST"] or "127.0.0.1", "-p", str(params["PORT"] or 5432), "-U", params["USER"]]
    dsn = f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
    dump = tmp_path / "backup.dump"
    subprocess.run(["pg_dump", *host, "--format=custom", "--file", str(dump), source], check=True)
    with psycopg.connect(f"{dsn}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        subprocess.run(["pg_restore", *host, "--no-owner", "--exit-on-error", "-d", scratch, str(dump)], check=True)
        original, restored = _table_rows(f"{dsn}/{source}"), _table_rows(f"{dsn}/{scratch}")
        assert len(original) > 40 and sum(len(rows) for rows in original.values()) > 500
        assert [t for t in original if original[t] != restored.get(t)] == []
    finally:
        with psycopg.connect(f"{dsn}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
