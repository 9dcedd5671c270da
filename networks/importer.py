"""Import of partners and cooperations from CSV or XLSX files as German offices produce them, and as
the portal's own exports write them.

Flow: :func:`parse_file` decodes and reads the file within bounds (semicolon or comma, UTF-8 with or
without BOM, Windows-1252; or an .xlsx workbook, whose formula cells are reported, never read as their
cached values) and maps its headers to the columns of the Resource (``networks.resources``); the
export's read-only columns are recognised and ignored. :func:`check_file` runs the Resource's dry run:
per row new / changed (field by field) / unchanged / errors, in German. :func:`write_rows` writes, in
one transaction, only a file that is valid as a whole; otherwise nothing.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from typing import Any

import tablib
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from networks.models import Municipality
from networks.resources import (
    ActorResource,
    CooperationResource,
    RegistryResource,
    RowReport,
    unprefixed,
)
from networks.rules import can_edit_municipality
from portal.core.search import normalize
from portal.core.spreadsheets import FORMULA, Limits, SpreadsheetError, csv_rows, excerpt, xlsx_rows

MAX_ROWS = 20_000
LIMITS = Limits(rows=MAX_ROWS, columns=60, cell_chars=10_000)
PARTNERS, COOPERATIONS = "partner", "kooperationen"
RESOURCES: dict[str, type[RegistryResource]] = {PARTNERS: ActorResource, COOPERATIONS: CooperationResource}


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


class ImportRefused(Exception):
    """The file changed its answer between the check and the writing; nothing was written."""

    def __init__(self, rows: list[RowReport], file_errors: list[str]) -> None:
        super().__init__("import refused")
        self.rows, self.file_errors = rows, file_errors


@dataclass
class ImportResult:
    kind: str = PARTNERS
    rows: list[RowReport] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    columns: list[str] = field(default_factory=list)  # the file's columns the import reads
    ignored: list[str] = field(default_factory=list)  # the export's read-only columns, found and ignored
    dataset: tablib.Dataset | None = None
    lines: list[int] = field(default_factory=list)
    cell_errors: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)  # id -> version of the records to change

    @property
    def row_errors(self) -> list[RowReport]:
        return [row for row in self.rows if row.errors]

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(row.errors) for row in self.rows)

    @property
    def is_valid(self) -> bool:
        return not self.file_errors and not self.row_errors and bool(self.rows)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def new(self) -> int:
        return self.count("new")

    @property
    def changed(self) -> int:
        return self.count("changed")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.changed)

    @property
    def changed_rows(self) -> list[RowReport]:
        return [row for row in self.rows if row.status in ("new", "changed")]


# --- Reading -----------------------------------------------------------------------------


def decode(raw: bytes) -> tuple[str, str]:
    """Text and encoding name: UTF-8 (with or without BOM), else Windows-1252."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in raw[:4096]:
        raise ImportFileError(
            _("The file is saved as UTF-16 or is not a text file. Please save it as “CSV UTF-8” or as .xlsx.")
        )
    try:
        text = raw.decode("utf-8-sig")
        return text, "UTF-8 (BOM)" if raw.startswith(codecs.BOM_UTF8) else "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The file is neither UTF-8 nor Windows-1252 encoded (unknown byte at position %(pos)s). "
              "Please save it as “CSV UTF-8”.") % {"pos": exc.start + 1}
        ) from exc
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
        raise ImportFileError(_("The file contains control characters; it does not seem to be a CSV file."))
    return text, "Windows-1252"


def sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") >= header.count(",") else ","


def _lookup(resource: type[RegistryResource]) -> tuple[dict[str, str], set[str]]:
    """Normalised header spelling -> the Resource's column; and the read-only columns."""
    instance = resource()
    lookup: dict[str, str] = {}
    readonly = set()
    for f in instance.get_export_fields():
        lookup[normalize(f.column_name)] = f.column_name
        if f.readonly and f.column_name not in (resource.ID_COLUMN, resource.VERSION_COLUMN, *resource.READ_COLUMNS):
            readonly.add(f.column_name)
    for column, aliases in getattr(resource, "ALIASES", {}).items():
        for alias in aliases:
            lookup.setdefault(normalize(alias), column)
    return lookup, readonly


def _rows_from_table(table: list[list[Any]], result: ImportResult) -> None:
    resource = RESOURCES[result.kind]
    if not table:
        result.file_errors.append(_("The file is empty."))
        return
    headers = ["" if h is FORMULA else str(h or "").strip() for h in table[0]]
    lookup, readonly = _lookup(resource)
    mapping: dict[int, str] = {}
    unknown = []
    for index, header in enumerate(headers):
        column = lookup.get(normalize(header))
        if column and column in readonly:
            result.ignored.append(column)
        elif column and column not in mapping.values():
            mapping[index] = column
        elif header:
            unknown.append(header)
    result.columns = [mapping[i] for i in sorted(mapping)]
    missing = [c for c in resource.required_columns() if c not in mapping.values()]
    if missing:
        result.file_errors.append(
            _("Required column missing: %(columns)s. Found columns: %(found)s.")
            % {"columns": ", ".join(missing), "found": excerpt(", ".join(h for h in headers if h) or "–", 200)}
        )
        return
    if unknown:
        result.file_errors.append(
            _("Unknown columns: %(columns)s. Allowed are: %(allowed)s.")
            % {"columns": excerpt(", ".join(unknown), 200), "allowed": ", ".join(resource.columns())}
        )
        return
    body = table[1:]
    if len(body) > MAX_ROWS:
        result.file_errors.append(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
        return
    dataset = tablib.Dataset(headers=result.columns)
    for line, raw_row in enumerate(body, start=2):
        formulas = [i for i, c in enumerate(raw_row) if c is FORMULA]
        cells = ["" if c is None or c is FORMULA else unprefixed(str(c).strip()) for c in raw_row]
        if not any(cells) and not formulas:
            continue
        problems = [(mapping.get(i, headers[i] if i < len(headers) else str(i + 1)), _("a formula instead of a value"))
                    for i in formulas]
        if len(cells) > len(headers) and any(cells[len(headers):]):
            problems.append(("", _("the row has more cells than the header has columns (check the separator).")))
        if problems:
            result.cell_errors[line] = problems
        dataset.append([cells[i] if i < len(cells) else "" for i in sorted(mapping)])
        result.lines.append(line)
    if not result.lines:
        result.file_errors.append(_("The file contains no data rows."))
        return
    result.dataset = dataset


def parse_file(raw: bytes, filename: str = "", *, kind: str = PARTNERS) -> ImportResult:
    result = ImportResult(kind=kind)
    if not raw:
        result.file_errors.append(_("The file is empty."))
        return result
    try:
        if raw[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
            table = xlsx_rows(raw, LIMITS)
            result.encoding, result.delimiter = "XLSX", ""
        else:
            text, result.encoding = decode(raw)
            result.delimiter = sniff_delimiter(text)
            table = csv_rows(text, result.delimiter, LIMITS)
    except (ImportFileError, SpreadsheetError) as exc:
        result.file_errors.append(str(exc))
        return result
    _rows_from_table(table, result)
    return result


# --- Checking and writing -------------------------------------------------------------------


def _resource(result: ImportResult, *, user: Any, municipality: Municipality | None,
              versions: dict[str, int] | None = None) -> RegistryResource:
    return RESOURCES[result.kind](user=user, municipality=municipality, lines=result.lines,
                                  cell_errors=result.cell_errors, versions=versions)


def _base_errors(outcome: Any) -> list[str]:
    return [_("The file could not be checked: %(error)s") % {"error": excerpt(error.error, 120)}
            for error in outcome.base_errors]


def check_file(raw: bytes, filename: str = "", *, user: Any = None, municipality: Municipality | None = None,
               kind: str = PARTNERS) -> ImportResult:
    """Read and check a file, writing nothing: per row new, changed (which fields), unchanged or its
    errors. Duplicates are named only as far as ``user`` may see them."""
    result = parse_file(raw, filename, kind=kind)
    if result.file_errors or result.dataset is None:
        return result
    resource = _resource(result, user=user, municipality=municipality)
    outcome = resource.run(result.dataset, dry_run=True)
    result.file_errors.extend(_base_errors(outcome))
    result.rows = resource.reports
    changed = [row.record_id for row in result.rows if row.status == "changed" and row.record_id]
    model = resource._meta.model
    result.versions = {str(pk): version for pk, version in
                       model.objects.filter(pk__in=changed).values_list("pk", "version")}
    return result


def write_rows(*, result: ImportResult, municipality: Municipality, by: Any) -> int:
    """Write a checked file in one transaction: new rows into ``municipality``, changed rows through the
    services (as checked: a record changed since the check refuses the whole file). Refuses (writes
    nothing) unless the file is valid and ``by`` keeps the municipality's network (``by=None``: a system
    import). Returns the number of new and changed records."""
    if by is not None and not can_edit_municipality(by, municipality):
        raise PermissionDenied
    if not result.is_valid or result.dataset is None:
        raise ValueError("refusing to import an invalid file")
    with transaction.atomic():
        resource = _resource(result, user=by, municipality=municipality, versions=result.versions)
        outcome = resource.run(result.dataset, dry_run=False)
        failed = [row for row in resource.reports if row.errors]
        if failed or outcome.base_errors:
            raise ImportRefused(failed, _base_errors(outcome))
    return sum(1 for row in resource.reports if row.status in ("new", "changed"))
