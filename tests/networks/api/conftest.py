"""The HSDS API's tests: the Open Referral schemas beside the repository, and a small registry."""

import json
import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.factories.networks import (
    ActorFactory,
    ActorTypeFactory,
    ContactPersonFactory,
    MunicipalityFactory,
    TargetGroupFactory,
)

HSDS = Path(__file__).resolve().parents[3] / ".." / "shared" / "hsds-3.0"


def schema(name):
    """An HSDS 3.0 schema; absent beside the repository: skipped locally, a failure in CI."""
    if not HSDS.exists():
        if os.environ.get("CI"):
            pytest.fail(f"HSDS schemas missing at {HSDS}")
        pytest.skip("HSDS schemas not found beside the repository")
    return json.loads((HSDS / f"{name}.schema.json").read_text(encoding="utf-8"))


def validator(name):
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(schema(name), format_checker=FormatChecker())


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and scope versions of one test do not reach the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def registry(db):
    """Kreis Beispiel with two member towns (one served from outside), a town outside, partners of
    every kind: with address, without, deactivated, with contact persons, languages and target groups."""
    kreis = MunicipalityFactory(
        name="Kreis Beispiel", slug="kreis-beispiel", kind="kreis", ags="09100000", regional_key="091000000000",
        latitude=Decimal("49.500000"), longitude=Decimal("11.000000"),
    )
    town = MunicipalityFactory(
        name="Beispielstadt", slug="beispielstadt", kind="stadt", ags="09100111", regional_key="091000111111",
        parent=kreis, latitude=Decimal("49.510000"), longitude=Decimal("11.010000"),
    )
    village = MunicipalityFactory(name="Beispieldorf", slug="beispieldorf", ags="09100222", parent=kreis)
    outside = MunicipalityFactory(name="Anderswo", slug="anderswo", ags="08200333")
    suchtberatung = ActorTypeFactory(name="Suchtberatung", slug="suchtberatung")
    jugendamt = ActorTypeFactory(name="Jugendamt", slug="jugendamt")
    kinder = TargetGroupFactory(name="Kinder psychisch kranker Eltern", slug="kinder-psychisch-kranker-eltern")
    familien = TargetGroupFactory(name="Familien mit Säuglingen", slug="familien-mit-saeuglingen")
    actors = {
        "beratung": ActorFactory(
            name="Suchtberatung Beispielstadt", actor_type=suchtberatung, municipality=town,
            street="Hauptstraße 1", postal_code="91000", city="Beispielstadt", phone="0911 123",
            email="beratung@example.org", website="https://beratung.example.org",
            languages="Deutsch, Türkisch und Arabisch, Persisch/Farsi, Klingonisch, DGS",
            accessibility="Rollstuhlgerecht, Aufzug", target_groups=[kinder, familien],
        ),
        "jugendamt": ActorFactory(name="Kreisjugendamt Beispiel", actor_type=jugendamt, municipality=kreis),
        "dorf": ActorFactory(name="Familienzentrum Beispieldorf", actor_type=jugendamt, municipality=village),
        "aussen": ActorFactory(
            name="Fachstelle Anderswo", actor_type=suchtberatung, municipality=outside, serves=[village],
        ),
        "fern": ActorFactory(name="Ferne Stelle", actor_type=suchtberatung, municipality=outside),
        "alt": ActorFactory(name="Alte Beratung", actor_type=suchtberatung, municipality=town, is_active=False),
    }
    ContactPersonFactory(actor=actors["beratung"], name="Geheime Kontaktperson", email="geheim@example.org",
                         phone="0170 999")
    # Everyone was last changed a while ago.
    from networks.models import Actor

    Actor.objects.update(updated_at=timezone.now() - timedelta(days=30))
    return {"kreis": kreis, "town": town, "village": village, "outside": outside, "actors": actors,
            "types": {"suchtberatung": suchtberatung, "jugendamt": jugendamt},
            "groups": {"kinder": kinder, "familien": familien}}


def all_pages(client, url, per_page, **params):
    """Every record of a list, page by page, as a harvester reads it."""
    records, page = [], 1
    while True:
        body = client.get(url, {**params, "page": page, "per_page": per_page}).json()
        records += body["contents"]
        if body["last_page"]:
            return records, body
        page += 1
