"""Import of partners: encodings, separators, XLSX, preview/confirm, per-row errors, all-or-nothing.

(The round trip of the portal's own exports is in test_roundtrip.py.)"""

import csv
import io

import pytest
from openpyxl import Workbook

from networks import importer
from networks.models import Actor
from networks.selectors import site_search_actors

HEADER = ["Name", "Typ", "Träger-Art", "Träger", "Straße", "PLZ", "Ort", "E-Mail", "Zielgruppen"]
ROWS = [
    ["Suchthilfe Übach-Palenberg", "suchtberatung", "frei", "Caritas", "Marktstraße 1", "52531", "Übach-Palenberg",
     "sucht-up@example.org", "Eltern mit Suchterkrankung"],
    ["Sozialpsychiatrischer Dienst Wegberg", "Sozialpsychiatrischer Dienst", "öffentlich", "", "Rathausplatz 2", "41844",
     "Wegberg", "", "eltern-psychische-erkrankung, fachkraefte"],
]


def csv_bytes(rows, *, delimiter=";", encoding="utf-8", bom=False, header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def xlsx_bytes(rows, header=HEADER):
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def coordinator(demo, koordination_user, client):
    demo["heinsberg"].coordinators.add(koordination_user)
    client.force_login(koordination_user)
    return koordination_user


def upload(client, municipality, content, name="partner.csv"):
    file = io.BytesIO(content)
    file.name = name
    return client.post("/register/import/", {"step": "upload", "municipality": municipality.pk, "file": file})


@pytest.mark.parametrize(
    "content, encoding_label, delimiter",
    [
        (csv_bytes(ROWS), "UTF-8", ";"),
        (csv_bytes(ROWS, bom=True), "UTF-8 (BOM)", ";"),
        (csv_bytes(ROWS, delimiter=","), "UTF-8", ","),
        (csv_bytes(ROWS, encoding="cp1252"), "Windows-1252", ";"),
        (csv_bytes(ROWS, encoding="cp1252", delimiter=","), "Windows-1252", ","),
    ],
)
def test_valid_csv_files_are_read_in_each_encoding(demo, content, encoding_label, delimiter):
    result = importer.check_file(content, "partner.csv")
    assert result.is_valid, [r.errors for r in result.rows] + result.file_errors
    assert result.encoding == encoding_label and result.delimiter == delimiter
    assert [r.name for r in result.rows] == ["Suchthilfe Übach-Palenberg", "Sozialpsychiatrischer Dienst Wegberg"]
    assert [r.status for r in result.rows] == ["new", "new"]
    assert (result.new, result.changed) == (2, 0)


def test_preview_then_confirm_writes_all_rows(coordinator, client, demo):
    before = Actor.objects.count()
    response = upload(client, demo["heinsberg"], csv_bytes(ROWS, encoding="cp1252"))
    assert response.status_code == 200
    assert response.context["result"].is_valid
    assert "Sozialpsychiatrischer Dienst Wegberg" in response.content.decode()
    assert Actor.objects.count() == before  # the preview writes nothing
    response = client.post("/register/import/", {"step": "confirm", "token": response.context["token"]})
    assert response.status_code == 302
    assert Actor.objects.count() == before + 2
    imported = Actor.objects.get(name="Suchthilfe Übach-Palenberg")
    assert imported.municipality == demo["heinsberg"]
    assert imported.history.get().history_user == coordinator
    assert list(imported.target_groups.values_list("slug", flat=True)) == ["eltern-sucht"]


def test_imported_rows_match_a_partner_saved_through_the_form(coordinator, demo):
    """PostgreSQL writes imports with COPY, SQLite with bulk inserts: both must write the same rows."""
    result = importer.check_file(csv_bytes(ROWS), "partner.csv", user=coordinator, municipality=demo["heinsberg"])
    assert importer.write_rows(result=result, municipality=demo["heinsberg"], by=coordinator) == 2
    assert Actor.objects.get(name="Suchthilfe Übach-Palenberg").traeger_kind == "free_welfare"
    actor = Actor.objects.get(name="Sozialpsychiatrischer Dienst Wegberg")
    assert (actor.postal_code, actor.city, actor.traeger_kind, actor.is_active) == ("41844", "Wegberg", "public", True)
    assert actor.uuid and actor.created_at and actor.version == 1
    assert actor.actor_type.name == "Sozialpsychiatrischer Dienst"
    assert set(actor.target_groups.values_list("slug", flat=True)) == {"eltern-psychische-erkrankung", "fachkraefte"}
    record = actor.history.get()
    assert (record.history_type, record.history_change_reason, record.history_user) == ("+", "import", coordinator)
    assert record.name == actor.name and record.municipality_id == demo["heinsberg"].pk
    # The new partners are found by the site search at once (their search vector is written too).
    group = site_search_actors(query="Sozialpsychiatrischer Wegberg", user=coordinator, limit=5)
    assert [hit.title for hit in group.hits] == ["Sozialpsychiatrischer Dienst Wegberg"]
    # Later edits go on from the imported row as from any other.
    actor.offer = "Sprechstunde"
    actor.save()
    assert actor.history.count() == 2


def test_xlsx_file_is_imported(coordinator, client, demo):
    rows = [r[:] for r in ROWS]
    rows[0][5] = 52531  # numbers as Excel stores them
    response = upload(client, demo["heinsberg"], xlsx_bytes(rows), "partner.xlsx")
    result = response.context["result"]
    assert result.is_valid, [r.errors for r in result.rows] + result.file_errors
    client.post("/register/import/", {"step": "confirm", "token": response.context["token"]})
    assert Actor.objects.filter(name="Sozialpsychiatrischer Dienst Wegberg").exists()
    assert Actor.objects.get(name="Suchthilfe Übach-Palenberg").postal_code == "52531"


def test_missing_column_writes_nothing(coordinator, client, demo):
    before = Actor.objects.count()
    response = upload(client, demo["heinsberg"], csv_bytes([["Beratung X", "52525"]], header=["Name", "PLZ"]))
    result = response.context["result"]
    assert not result.is_valid and "Typ" in result.file_errors[0]
    assert response.context["token"] == ""
    assert Actor.objects.count() == before


@pytest.mark.parametrize(
    "content",
    [
        "Name;Typ\r\nBeratung;suchtberatung\r\n".encode("utf-16"),
        b"Name;Typ\r\nBeratung \x81\x8d;suchtberatung\r\n",  # bytes that exist neither in UTF-8 nor in Windows-1252
        b"%PDF-1.4\x00\x01\x02 binary",
    ],
)
def test_wrong_encoding_is_refused(demo, content):
    result = importer.check_file(content, "partner.csv")
    assert not result.is_valid
    assert result.file_errors and not result.rows


def test_duplicates_within_the_file_and_against_the_registry(demo):
    rows = ROWS + [
        # same name and address as row 2 (case, umlauts spelled out)
        ["SUCHTHILFE UEBACH-PALENBERG", "suchtberatung", "frei", "", "Marktstraße 1", "52531", "Übach-Palenberg", "", ""],
        # same e-mail as row 2
        ["Andere Stelle", "suchtberatung", "frei", "", "", "", "", "Sucht-UP@example.org", ""],
        # same e-mail as a partner in the registry
        ["Kreis Heinsberg Beratung", "suchtberatung", "öffentlich", "", "", "", "", "info@kreis-heinsberg.de", ""],
        # same name and address as a partner in the registry
        ["Suchtberatungsstelle des Kreisgesundheitsamtes Heinsberg", "suchtberatung", "öffentlich", "", "Valkenburger Straße 45",
         "52525", "Heinsberg", "", ""],
    ]
    result = importer.check_file(csv_bytes(rows), "partner.csv")
    errors = {row.line: row.errors for row in result.rows if row.errors}
    assert set(errors) == {4, 5, 6, 7}
    assert "2" in errors[4][0] and "2" in errors[5][0]
    assert not result.is_valid


def test_per_row_errors(demo):
    rows = [
        ["", "suchtberatung", "", "", "", "", "", "", ""],
        ["Stelle B", "gibt-es-nicht", "", "", "", "1234X", "", "keine-mail", ""],
        ["Stelle C", "kita", "staatlich", "", "", "", "", "", "Unbekannte Gruppe"],
    ]
    result = importer.check_file(csv_bytes(rows), "partner.csv")
    by_line = {row.line: row.errors for row in result.rows}
    assert len(by_line[2]) == 1
    assert len(by_line[3]) == 3  # type, postal code, e-mail
    assert len(by_line[4]) == 2  # Träger-Art, target group


def test_ten_thousand_rows_with_one_bad_one_write_nothing(coordinator, client, demo):
    rows = [[f"Beratungsstelle {i}", "suchtberatung", "frei", "", f"Weg {i}", "52525", "Heinsberg", f"s{i}@example.org", ""]
            for i in range(10_000)]
    rows[7_345][7] = "kaputt@"
    before = Actor.objects.count()
    response = upload(client, demo["heinsberg"], csv_bytes(rows))
    result = response.context["result"]
    assert len(result.rows) == 10_000
    assert [row.line for row in result.row_errors] == [7_347]
    assert "7347" in response.content.decode()
    assert response.context["token"] == ""
    # A forged confirm without a valid preview writes nothing either.
    client.post("/register/import/", {"step": "confirm", "token": "forged"})
    assert Actor.objects.count() == before


def test_write_rows_refuses_an_invalid_result(demo, koordination_user):
    result = importer.check_file(csv_bytes([["", "x", "", "", "", "", "", "", ""]]), "p.csv")
    demo["heinsberg"].coordinators.add(koordination_user)
    with pytest.raises(ValueError):
        importer.write_rows(result=result, municipality=demo["heinsberg"], by=koordination_user)


def test_import_only_for_own_municipality(demo, client, other_koordination_user):
    demo["eschweiler"].coordinators.add(other_koordination_user)
    client.force_login(other_koordination_user)
    response = upload(client, demo["heinsberg"], csv_bytes(ROWS))
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors  # Heinsberg is not among the choices
    assert not Actor.objects.filter(name="Suchthilfe Übach-Palenberg").exists()


def test_import_page_refused_without_municipality(client, verwaltung_user, db):
    client.force_login(verwaltung_user)
    assert client.get("/register/import/").status_code == 403
