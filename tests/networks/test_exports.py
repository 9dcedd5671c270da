"""Exports: CSV/XLSX without personal data and formula-safe (the HSDS download: tests/networks/api/)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from networks import hsds
from tests.factories.networks import ActorFactory, ContactPersonFactory, MunicipalityFactory


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
    assert rows[0][:2] == ["ID", "Name"]
    names = [r[1] for r in rows[1:]]
    assert "Kreisjugendamt Heinsberg" in names
    evil = next(r for r in rows[1:] if "HYPERLINK" in r[1])
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in evil)
    assert evil[1].startswith("'=")
    assert "Geheime Kontaktperson" not in text and "geheim@example.org" not in text
    assert "Erika Musterfrau" not in text


def test_xlsx_export(client, registry):
    """String cells hold the text as it is (no apostrophe): no formula can run in a string cell."""
    response = client.get(f"/register/kommunen/{registry.slug}/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    flat = " ".join(str(v) for row in values for v in row if v)
    assert values[0][:2] == ["ID", "Name"]
    assert "Geheime Kontaktperson" not in flat and "Erika Musterfrau" not in flat
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    evil = next(row for row in values if row[1] and "HYPERLINK" in row[1])
    assert evil[1] == '=HYPERLINK("http://evil")' and "-1" in evil and "@SUM(A1)" in evil
    assert all(c.data_type == "s" for c in cells if c.value)


def test_inactive_partners_are_not_exported(client, db):
    muni = MunicipalityFactory()
    ActorFactory(municipality=muni, name="Aktive Stelle")
    ActorFactory(municipality=muni, name="Alte Stelle", is_active=False)
    text = client.get(f"/register/kommunen/{muni.slug}/export.csv").content.decode("utf-8-sig")
    assert "Aktive Stelle" in text and "Alte Stelle" not in text
    services = hsds.municipality_services(municipality=muni, links=hsds.Links(base="http://testserver"))
    assert [s["name"] for s in services] == ["Aktive Stelle"]
