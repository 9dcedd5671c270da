"""Exports of a municipality's registry: CSV and XLSX (the Open Referral HSDS records are ``networks.hsds``).

Public exports never contain contact persons (personal data). The spreadsheets have the columns of
the import (``networks.resources``), so an exported file can be edited and imported again. Formulas are
neutralised only where they could run: a CSV cell that starts with ``= + - @`` (or a tab / carriage
return) gets an apostrophe, which the import removes; XLSX cells are string cells, written as they are.
"""

from __future__ import annotations

import csv
import io
import re

import tablib

from networks.models import Municipality
from networks.resources import DANGEROUS_PREFIXES, ActorResource, CooperationResource
from networks.selectors import active_actors_for, cooperations_for
from portal.core.text import strip_control_characters


def neutralise(value) -> str:
    """A CSV cell that cannot run as a formula: a leading ' keeps =, +, -, @ from being read as one (the
    import removes it again); control characters (refused on input, but older records may hold them)
    are dropped."""
    text = strip_control_characters("" if value is None else str(value))
    if text.startswith(DANGEROUS_PREFIXES):
        return "'" + text
    return text


def export_actors(*, municipality: Municipality):
    return active_actors_for(municipality=municipality).prefetch_related("target_groups")


def export_cooperations(*, municipality: Municipality):
    # Every partner of a cooperation (also deactivated ones): re-importing the file keeps them.
    return cooperations_for(municipality=municipality).prefetch_related(None).prefetch_related("actors")


def dataset(*, municipality: Municipality) -> tablib.Dataset:
    """The partners of ``municipality`` in the columns of the partner import (``ActorResource``)."""
    data = ActorResource().export(queryset=export_actors(municipality=municipality))
    data.title = municipality.name
    return data


def cooperation_dataset(*, municipality: Municipality) -> tablib.Dataset:
    data = CooperationResource().export(queryset=export_cooperations(municipality=municipality))
    data.title = municipality.name
    return data


def template_dataset(*, kind: str) -> tablib.Dataset:
    """A blank file with the import's columns (the same as the export's)."""
    resource = CooperationResource if kind == "kooperationen" else ActorResource
    return tablib.Dataset(headers=resource.columns(), title="Vorlage")


def csv_bytes(data: tablib.Dataset) -> bytes:
    """Semicolon-separated UTF-8 with BOM (opens correctly in German Excel); cells that start with
    = + - @ get an apostrophe, as a spreadsheet program would otherwise run them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(data.headers or [])
    for row in data:
        writer.writerow([neutralise(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(data: tablib.Dataset) -> bytes:
    """Every cell a string cell: it shows its text as it is ("+49 2452 13-0", "=1+1") and never runs as
    a formula, so it needs no apostrophe."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=re.sub(r"[\\/*?:\[\]]", "-", data.title or "")[:31] or "Tabelle")
    sheet.freeze_panes = "A2"
    header_cells = []
    for header in data.headers or []:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in data:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=strip_control_characters("" if value is None else str(value)))
            cell.data_type = "s"  # openpyxl would make a text starting with "=" a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_csv(*, municipality: Municipality) -> bytes:
    return csv_bytes(dataset(municipality=municipality))


def export_xlsx(*, municipality: Municipality) -> bytes:
    return xlsx_bytes(dataset(municipality=municipality))


def export_cooperations_csv(*, municipality: Municipality) -> bytes:
    return csv_bytes(cooperation_dataset(municipality=municipality))


def export_cooperations_xlsx(*, municipality: Municipality) -> bytes:
    return xlsx_bytes(cooperation_dataset(municipality=municipality))
