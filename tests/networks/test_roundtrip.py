"""Spreadsheets that round-trip: export → edit in Excel or LibreOffice → import again.

An unchanged export imports as "0 new, 0 changed"; an edited one shows exactly the edited cells, and
confirming writes them through the services (history, locking). Formulas are neutralised only where
they could run (CSV), the importer removes the export's prefix again, and a formula cell in an XLSX
file is reported, never read as its cached value.
"""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from networks import importer, services
from networks.models import Actor, Cooperation
from portal.core.history import Reason


@pytest.fixture
def coordinator(demo, koordination_user, client):
    demo["heinsberg"].coordinators.add(koordination_user)
    client.force_login(koordination_user)
    return koordination_user


def upload(client, municipality, content, name, url="/register/import/"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(url, {"step": "upload", "municipality": municipality.pk, "file": file})


def confirm(client, response, url="/register/import/"):
    assert response.context["token"], "the preview should offer the import"
    return client.post(url, {"step": "confirm", "token": response.context["token"]})


def export(client, municipality, what="export.xlsx"):
    response = client.get(f"/register/kommunen/{municipality.slug}/{what}")
    assert response.status_code == 200
    return response.content


def xlsx_edit(content, edits):
    """``edits``: {(name in column "Name", column header): new value}."""
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for (name, column), value in edits.items():
            if row[headers.index("Name") if "Name" in headers else headers.index("Titel")].value == name:
                row[headers.index(column)].value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_table(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def csv_from_table(rows):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def test_an_exported_xlsx_imports_unchanged(coordinator, client, demo):
    heinsberg = demo["heinsberg"]
    before = {a.pk: a.version for a in Actor.objects.all()}
    response = upload(client, heinsberg, export(client, heinsberg), "netzwerk.xlsx")
    result = response.context["result"]
    assert result.is_valid, [r.errors for r in result.row_errors] + result.file_errors
    assert (result.new, result.changed) == (0, 0)
    assert result.unchanged == len(result.rows) >= 5
    # The read-only columns are recognised and ignored, not refused ("Zuletzt geprüft" is read).
    assert {"Typ (Bezeichnung)", "Sektor", "Kommune", "Zuletzt geändert"} <= set(result.ignored)
    assert "Zuletzt geprüft" in result.columns
    page = response.content.decode()
    assert _("%(new)s new, %(changed)s changed, %(unchanged)s unchanged") % {
        "new": 0, "changed": 0, "unchanged": result.unchanged} in page
    assert response.context["token"] == ""  # nothing to confirm
    # Per row: every row is listed as unchanged.
    assert [r.line for r in response.context["unchanged_rows"]] == [r.line for r in result.rows]
    assert {a.pk: a.version for a in Actor.objects.all()} == before


def test_an_edited_xlsx_shows_exactly_the_edited_cells_and_writes_them(coordinator, client, demo):
    heinsberg = demo["heinsberg"]
    actor = Actor.objects.get(name="Kreisjugendamt Heinsberg")
    other_versions = {a.pk: a.version for a in Actor.objects.exclude(pk=actor.pk)}
    edited = xlsx_edit(export(client, heinsberg), {
        ("Kreisjugendamt Heinsberg", "Telefon"): "02452 13-5100",
        ("Kreisjugendamt Heinsberg", "Angebot"): "Beratung für Familien",
    })
    response = upload(client, heinsberg, edited, "netzwerk.xlsx")
    result = response.context["result"]
    assert result.is_valid, [r.errors for r in result.row_errors]
    assert (result.new, result.changed) == (0, 1)
    [row] = result.changed_rows
    assert row.record_id == actor.pk
    assert [(c.column, c.before, c.after) for c in row.changes] == [
        ("Telefon", actor.phone, "02452 13-5100"), ("Angebot", actor.offer, "Beratung für Familien"),
    ]
    page = response.content.decode()
    # The preview marks the changed words only: the new number is inserted, the old one removed.
    assert re.search(r"<ins[^>]*>.*13-5100.*</ins>", page) and "<del" in page
    assert Actor.objects.get(pk=actor.pk).phone == actor.phone  # the preview wrote nothing
    assert confirm(client, response).status_code == 302
    actor.refresh_from_db()
    assert (actor.phone, actor.offer) == ("02452 13-5100", "Beratung für Familien")
    record = actor.history.first()
    assert (record.history_change_reason, record.history_user) == (Reason.EDITED.value, coordinator)
    assert {a.pk: a.version for a in Actor.objects.exclude(pk=actor.pk)} == other_versions
    # Exported again, the file imports unchanged.
    again = upload(client, heinsberg, export(client, heinsberg), "netzwerk.xlsx").context["result"]
    assert (again.new, again.changed) == (0, 0)


def test_new_rows_without_id_are_added_beside_updates(coordinator, client, demo):
    heinsberg = demo["heinsberg"]
    table = csv_table(export(client, heinsberg, "export.csv"))
    headers = table[0]
    new = [""] * len(headers)
    new[headers.index("Name")] = "Familienpatenschaften Hückelhoven"
    new[headers.index("Typ")] = "suchtberatung"
    new[headers.index("Träger-Art")] = "frei"
    new[headers.index("PLZ")] = "41836"
    response = upload(client, heinsberg, csv_from_table([*table, new]), "netzwerk.csv")
    result = response.context["result"]
    assert result.is_valid, [r.errors for r in result.row_errors]
    assert (result.new, result.changed) == (1, 0)
    confirm(client, response)
    created = Actor.objects.get(name="Familienpatenschaften Hückelhoven")
    assert created.municipality == heinsberg and created.traeger_kind == "free_welfare"
    assert created.history.get().history_change_reason == Reason.IMPORT.value


def test_phone_with_plus_round_trips_without_apostrophe(coordinator, client, demo):
    heinsberg = demo["heinsberg"]
    actor = Actor.objects.get(name="Kreisjugendamt Heinsberg")
    services.actor_update(actor=actor, data={"phone": "+49 2452 13-0"}, version=actor.version, by=coordinator)
    # XLSX: a string cell, written as it is (no formula can run in it).
    sheet = load_workbook(io.BytesIO(export(client, heinsberg))).active
    headers = [c.value for c in sheet[1]]
    cell = next(row[headers.index("Telefon")] for row in sheet.iter_rows(min_row=2)
                if row[headers.index("Name")].value == actor.name)
    assert (cell.value, cell.data_type) == ("+49 2452 13-0", "s")
    # CSV: prefixed, as a spreadsheet program would run it; the import removes the prefix again.
    table = csv_table(export(client, heinsberg, "export.csv"))
    row = next(r for r in table if r[0] == str(actor.pk))
    assert row[table[0].index("Telefon")] == "'+49 2452 13-0"
    result = upload(client, heinsberg, csv_from_table(table), "netzwerk.csv").context["result"]
    assert (result.new, result.changed) == (0, 0)
    row[table[0].index("Ort")] = "Heinsberg (Rur)"
    response = upload(client, heinsberg, csv_from_table(table), "netzwerk.csv")
    [changed] = response.context["result"].changed_rows
    assert [c.column for c in changed.changes] == ["Ort"]
    confirm(client, response)
    actor.refresh_from_db()
    assert (actor.phone, actor.city) == ("+49 2452 13-0", "Heinsberg (Rur)")


def test_an_xlsx_formula_cell_is_reported_not_read(coordinator, client, demo):
    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Typ", "Träger-Art"])
    sheet.append(["Beratung A", "suchtberatung", "frei"])
    sheet.append(["=CONCATENATE(\"Bera\",\"tung\")", "suchtberatung", "frei"])
    buffer = io.BytesIO()
    book.save(buffer)
    before = Actor.objects.count()
    response = upload(client, demo["heinsberg"], buffer.getvalue(), "partner.xlsx")
    result = response.context["result"]
    assert not result.is_valid
    [row] = result.row_errors
    expected = _("Row %(line)s, %(column)s: %(message)s") % {
        "line": 3, "column": "Name", "message": _("a formula instead of a value")}
    assert row.errors == [expected]
    assert expected in response.content.decode()
    assert Actor.objects.count() == before and not Actor.objects.filter(name="Beratung A").exists()


@pytest.mark.parametrize("street, name", [
    ("Valkenburger Str. 45", "Suchtberatungsstelle des Kreisgesundheitsamtes Heinsberg"),
    ("valkenburger strasse 45", "SUCHTBERATUNGSSTELLE des Kreisgesundheitsamtes Heinsberg"),
    ("Valkenburger-Straße 45", "Suchtberatungsstelle des Kreisgesundheitsamtes  Heinsberg"),
    ("ValkenburgerStr 45", "Suchtberatungsstelle des Kreis-Gesundheitsamtes Heinsberg"),
])
def test_duplicates_recognise_address_variants(demo, street, name):
    content = f"Name;Typ;Träger-Art;Straße;PLZ;Ort\r\n{name};suchtberatung;öffentlich;{street};52525;Heinsberg\r\n"
    result = importer.check_file(content.encode("utf-8"), "partner.csv")
    assert not result.is_valid
    assert "Suchtberatungsstelle des Kreisgesundheitsamtes Heinsberg" in " ".join(result.rows[0].errors)


def test_duplicates_within_the_file_recognise_address_variants(demo):
    content = ("Name;Typ;Straße;PLZ;Ort\r\n"
               "Beratung Nord;suchtberatung;Hauptstr. 5;52525;Heinsberg\r\n"
               "Beratung Nord;suchtberatung;Hauptstraße 5;52525;Heinsberg\r\n")
    result = importer.check_file(content.encode("utf-8"), "partner.csv")
    assert [row.line for row in result.row_errors] == [3]
    assert _("Duplicate: same name and address as row %(line)s.") % {"line": 2} in result.rows[1].errors[0]


def test_an_id_of_another_municipality_is_a_row_error(coordinator, client, demo):
    foreign = Actor.objects.filter(municipality=demo["eschweiler"]).first()
    unknown = Actor.objects.order_by("-pk").first().pk + 1000
    content = (f"ID;Name;Typ\r\n{foreign.pk};{foreign.name} (neu);{foreign.actor_type.slug}\r\n"
               f"{unknown};Stelle X;suchtberatung\r\n")
    response = upload(client, demo["heinsberg"], content.encode("utf-8"), "partner.csv")
    result = response.context["result"]
    assert [row.line for row in result.row_errors] == [2, 3]
    assert foreign.municipality.name in result.rows[0].errors[0]
    assert "ID" in result.rows[1].errors[0]
    assert response.context["token"] == ""
    assert Actor.objects.get(pk=foreign.pk).name == foreign.name


def test_a_record_changed_after_the_export_is_not_overwritten(coordinator, client, demo):
    heinsberg = demo["heinsberg"]
    actor = Actor.objects.get(name="Kreisjugendamt Heinsberg")
    exported = export(client, heinsberg)
    services.actor_update(actor=actor, data={"city": "Heinsberg-Mitte"}, version=actor.version, by=coordinator)
    edited = xlsx_edit(exported, {("Kreisjugendamt Heinsberg", "Telefon"): "0000"})
    result = upload(client, heinsberg, edited, "netzwerk.xlsx").context["result"]
    assert [row.record_id for row in result.row_errors] == [actor.pk]
    assert "Version" in " ".join(result.row_errors[0].errors) or "version" in " ".join(result.row_errors[0].errors)
    actor.refresh_from_db()
    assert actor.phone != "0000"


def test_a_record_changed_between_preview_and_confirm_refuses_the_file(coordinator, client, demo):
    heinsberg = demo["heinsberg"]
    actor = Actor.objects.get(name="Kreisjugendamt Heinsberg")
    edited = xlsx_edit(export(client, heinsberg), {("Kreisjugendamt Heinsberg", "Telefon"): "0000"})
    response = upload(client, heinsberg, edited, "netzwerk.xlsx")
    current = Actor.objects.get(pk=actor.pk)
    services.actor_update(actor=current, data={"offer": "Neu"}, version=current.version, by=coordinator)
    confirm(client, response)
    actor.refresh_from_db()
    assert (actor.phone, actor.offer) != ("0000", "Neu") and actor.phone != "0000"


def test_cooperations_round_trip(coordinator, client, demo):
    heinsberg = demo["heinsberg"]
    url = reverse("networks:import-cooperations")
    cooperation = Cooperation.objects.filter(municipality=heinsberg, is_active=True).first()
    assert cooperation is not None
    exported = export(client, heinsberg, "kooperationen.xlsx")
    result = upload(client, heinsberg, exported, "kooperationen.xlsx", url).context["result"]
    assert result.is_valid, [r.errors for r in result.row_errors] + result.file_errors
    assert (result.new, result.changed) == (0, 0) and result.unchanged >= 1
    # Dates are written and read in German format.
    sheet = load_workbook(io.BytesIO(exported)).active
    headers = [c.value for c in sheet[1]]
    assert "Seit" in headers and "Partner-IDs" in headers
    book = load_workbook(io.BytesIO(exported))
    sheet = book.active
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == str(cooperation.pk):
            row[headers.index("Seit")].value = "01.02.2020"
            row[headers.index("Wie oft")].value = "monatlich"
    partners = list(Actor.objects.filter(municipality=heinsberg, is_active=True)[:2])
    new = [""] * len(headers)
    new[headers.index("Titel")] = "Arbeitskreis Kinderschutz"
    new[headers.index("Art")] = "working_group"
    new[headers.index("Partner-IDs")] = ", ".join(str(a.pk) for a in partners)
    new[headers.index("Seit")] = "15.03.2021"
    sheet.append(new)
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(client, heinsberg, buffer.getvalue(), "kooperationen.xlsx", url)
    result = response.context["result"]
    assert result.is_valid, [r.errors for r in result.row_errors]
    assert (result.new, result.changed) == (1, 1)
    changed = next(r for r in result.changed_rows if r.status == "changed")
    assert {c.column for c in changed.changes} == {"Seit", "Wie oft"}
    assert confirm(client, response, url).status_code == 302
    cooperation.refresh_from_db()
    assert (cooperation.since, cooperation.meeting_frequency) == (date(2020, 2, 1), "monatlich")
    created = Cooperation.objects.get(title="Arbeitskreis Kinderschutz")
    assert created.since == date(2021, 3, 15) and set(created.actors.all()) == set(partners)


@pytest.mark.parametrize("kind, fmt", [("partner", "xlsx"), ("partner", "csv"),
                                       ("kooperationen", "xlsx"), ("kooperationen", "csv")])
def test_blank_template_has_the_export_columns_and_imports_nothing(coordinator, client, demo, kind, fmt):
    response = client.get(reverse("networks:import-template", kwargs={"kind": kind, "fmt": fmt}))
    assert response.status_code == 200
    if fmt == "xlsx":
        headers = [c.value for c in load_workbook(io.BytesIO(response.content)).active[1]]
    else:
        headers = csv_table(response.content)[0]
    export_name = "export" if kind == "partner" else "kooperationen"
    exported = export(client, demo["heinsberg"], f"{export_name}.csv")
    assert headers == csv_table(exported)[0]
    before = (Actor.objects.count(), Cooperation.objects.count())
    url = reverse("networks:import" if kind == "partner" else "networks:import-cooperations")
    response = upload(client, demo["heinsberg"], response.content, f"vorlage.{fmt}", url)
    assert response.context["result"].rows == [] and response.context["token"] == ""
    assert (Actor.objects.count(), Cooperation.objects.count()) == before


def test_unknown_template_is_404(client, db):
    assert client.get("/register/import/vorlage-partner.pdf").status_code == 404
    assert client.get("/register/import/vorlage-leute.csv").status_code == 404


def test_zuletzt_geprueft_in_german_format_checks_the_entry_today(coordinator, client, demo):
    from django.utils import timezone

    heinsberg = demo["heinsberg"]
    actor = Actor.objects.get(name="Kreisjugendamt Heinsberg")
    services.actor_verify(actor=actor, by=coordinator)
    actor.refresh_from_db()
    exported = export(client, heinsberg)
    sheet = load_workbook(io.BytesIO(exported)).active
    headers = [c.value for c in sheet[1]]
    cell = next(row[headers.index("Zuletzt geprüft")] for row in sheet.iter_rows(min_row=2)
                if row[headers.index("Name")].value == actor.name)
    assert cell.value == timezone.localdate(actor.verified_at).strftime("%d.%m.%Y")  # German format

    other = Actor.objects.get(name="Jugendamt der Stadt Erkelenz")
    assert other.verified_at is None
    today = timezone.localdate().strftime("%d.%m.%Y")
    response = upload(client, heinsberg, xlsx_edit(exported, {(other.name, "Zuletzt geprüft"): today}), "n.xlsx")
    result = response.context["result"]
    assert (result.new, result.changed) == (0, 1), [r.errors for r in result.row_errors]
    [row] = result.changed_rows
    assert [(c.column, c.before, c.after) for c in row.changes] == [("Zuletzt geprüft", "", today)]
    confirm(client, response)
    other.refresh_from_db()
    assert timezone.localdate(other.verified_at) == timezone.localdate() and other.verified_by == coordinator
    assert other.history.first().history_change_reason == Reason.VERIFIED.value

    # Another day is refused with a German message; a wrong date too.
    for value in ("01.01.2020", "32.13.2020"):
        edited = xlsx_edit(export(client, heinsberg), {(actor.name, "Zuletzt geprüft"): value})
        result = upload(client, heinsberg, edited, "n.xlsx").context["result"]
        assert [r.record_id for r in result.row_errors] == [actor.pk]
        assert "Zuletzt geprüft" in result.row_errors[0].errors[0]
