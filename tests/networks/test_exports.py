"""Exports: CSV/XLSX without personal data and formula-safe; HSDS 3.0 valid and without contact persons."""

import csv
import io
import json
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from networks import exports
from tests.factories.networks import ActorFactory, ContactPersonFactory, MunicipalityFactory

HSDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "hsds-3.0"


def schema(name):
    if not HSDS.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"HSDS schemas missing at {HSDS}")
        pytest.skip("HSDS schemas not found beside the repository")
    return json.loads((HSDS / f"{name}.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def registry(demo):
    heinsberg = demo["heinsberg"]
    actor = ActorFactory(
        municipality=heinsberg, name="=HYPERLINK(\"http://evil\")", offer="+49 Angebot", phone="-1", traeger_name="@SUM(A1)",
        street="Musterweg 1", postal_code="52525", city="Heinsberg", email="stelle@example.org",
    )
    ContactPersonFactory(actor=actor, name="Geheime Kontaktperson", email="geheim@example.org", phone="0170 999")
    return heinsberg


def test_csv_export_is_formula_safe_and_has_no_contact_persons(client, registry):
    response = client.get(f"/register/kommunen/{registry.slug}/export.csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Name"
    names = [r[0] for r in rows[1:]]
    assert "Kreisjugendamt Heinsberg" in names
    evil = next(r for r in rows[1:] if "HYPERLINK" in r[0])
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in evil)
    assert evil[0].startswith("'=")
    assert "Geheime Kontaktperson" not in text and "geheim@example.org" not in text
    assert "Erika Musterfrau" not in text


def test_xlsx_export(client, registry):
    response = client.get(f"/register/kommunen/{registry.slug}/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    flat = " ".join(str(v) for row in values for v in row if v)
    assert values[0][0] == "Name"
    assert "Geheime Kontaktperson" not in flat and "Erika Musterfrau" not in flat
    assert all(not str(v).startswith(("=", "+", "-", "@")) for row in values[1:] for v in row if v)


def test_hsds_export_validates_and_contains_no_contact_persons(client, registry):
    from jsonschema import Draft202012Validator, FormatChecker

    response = client.get(f"/register/kommunen/{registry.slug}/hsds.json")
    assert response.status_code == 200
    data = response.json()
    text = response.content.decode()
    assert "Geheime Kontaktperson" not in text and "geheim@example.org" not in text and "0170 999" not in text
    assert "Erika Musterfrau" not in text
    org_validator = Draft202012Validator(schema("organization"), format_checker=FormatChecker())
    service_validator = Draft202012Validator(schema("service"), format_checker=FormatChecker())
    location_schema = schema("service_at_location")["properties"]["location"]
    location_validator = Draft202012Validator(location_schema, format_checker=FormatChecker())
    assert len(data["organizations"]) == len(data["services"]) >= 10
    for org in data["organizations"]:
        org_validator.validate(org)
        # Only the organisation's general contact, never a person.
        assert [c["name"] for c in org["contacts"]] in ([], [exports.GENERAL_CONTACT])
    terms = {t["id"]: t for t in data["taxonomy_terms"]}
    locations = {location["id"] for location in data["locations"]}
    for service in data["services"]:
        service_validator.validate(service)
        # Each service names its actor type by a term listed once in the export.
        assert terms[service["attributes"][0]["taxonomy_term_id"]]["code"]
        assert {sal["location_id"] for sal in service.get("service_at_locations", [])} <= locations
    for location in data["locations"]:
        location_validator.validate(location)
    assert {t["code"] for t in terms.values()} >= {"jugendamt", "suchtberatung", "koordinierungsstelle-fruehe-hilfen"}
    # The organisations' phones are there (the Kreis's general number), not people's.
    kreisjugendamt = next(o for o in data["organizations"] if o["name"] == "Kreisjugendamt Heinsberg")
    assert kreisjugendamt["phones"][0]["number"] == "02452 130"


def test_hsds_assured_date_comes_from_verification(client, registry, koordination_user):
    from networks import services
    from networks.models import Actor

    actor = Actor.objects.get(name="Kreisjugendamt Heinsberg")
    registry.coordinators.add(koordination_user)
    services.actor_verify(actor=actor, by=koordination_user)
    actor.refresh_from_db()
    data = client.get(f"/register/kommunen/{registry.slug}/hsds.json").json()
    service = next(s for s in data["services"] if s["organization_id"] == str(actor.uuid))
    assert service["assured_date"] == actor.verified_at.date().isoformat()
    unverified = next(s for s in data["services"] if s["name"] == "Jugendamt der Stadt Erkelenz")
    assert "assured_date" not in unverified


def test_inactive_partners_are_not_exported(client, db):
    muni = MunicipalityFactory()
    ActorFactory(municipality=muni, name="Aktive Stelle")
    ActorFactory(municipality=muni, name="Alte Stelle", is_active=False)
    text = client.get(f"/register/kommunen/{muni.slug}/export.csv").content.decode("utf-8-sig")
    assert "Aktive Stelle" in text and "Alte Stelle" not in text
    assert [o["name"] for o in exports.export_hsds(municipality=muni)["organizations"]] == ["Aktive Stelle"]
