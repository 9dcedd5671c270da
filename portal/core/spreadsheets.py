"""Reading spreadsheets that anyone may upload, with bounded memory and time.

An XLSX file is a ZIP of XML. A few hundred kilobytes can expand to gigabytes (a shared string of
256 MB, a sheet claiming a million rows), so nothing here trusts what the file says about itself:

* every ZIP member's declared size is checked before reading, and what is actually read is counted
  (:func:`_read_member`); the number of members is bounded;
* the workbook's XML is parsed incrementally (lxml ``iterparse``, no entities, no network), and each
  element is dropped once read; the sheet's claimed dimension is ignored;
* rows, columns, shared strings and characters per cell are counted while reading and the reading
  stops at the first limit passed;
* a formula cell is reported as such, never read as its cached value.

CSV text is read line by line with the same row, column and cell limits (:func:`csv_rows`).
Messages are German (gettext) and never quote more than a short excerpt of the file.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_MEMBERS = 1000
MAX_XML_BYTES = 40 * 1024 * 1024  # one part of the workbook, uncompressed
MAX_SHARED_STRINGS_BYTES = 16 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed size of a part larger than a megabyte
FORMULA = object()  # the value of a cell that holds a formula

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class SpreadsheetError(Exception):
    """The file cannot be read within the limits; the message says why, in German."""


@dataclass(frozen=True)
class Limits:
    rows: int  # data rows, the header not counted
    columns: int = 60
    cell_chars: int = 10_000
    blank_lines: int = 10_000  # empty lines CSV files may carry between rows


def excerpt(text: object, length: int = 40) -> str:
    """At most ``length`` characters of user data for a message."""
    value = str(text)
    return value if len(value) <= length else value[: length - 1] + "…"


# --- XLSX ----------------------------------------------------------------------------------------


def _broken() -> SpreadsheetError:
    return SpreadsheetError(_("The Excel file cannot be read. Please save it again as .xlsx."))


def _too_large(limit: int) -> SpreadsheetError:
    return SpreadsheetError(
        _("The Excel file unpacks to more than %(size)s MB. Please save only the table of partners in a new file.")
        % {"size": limit // (1024 * 1024)}
    )


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A member's content, refusing to unpack more than ``limit`` bytes (declared or actual)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise _broken() from None
    if info.file_size > limit:
        raise _too_large(limit)
    if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise _too_large(limit)
    chunks, size = [], 0
    with archive.open(info) as member:
        while chunk := member.read(64 * 1024):
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            chunks.append(chunk)
    return b"".join(chunks)


def _iterparse(data: bytes, tag: str) -> Iterator:
    from lxml import etree

    parser = etree.iterparse(
        io.BytesIO(data), events=("end",), tag=tag, resolve_entities=False, no_network=True, huge_tree=False,
        load_dtd=False,
    )
    try:
        for _event, element in parser:
            yield element
            element.clear(keep_tail=False)
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError:
        raise _broken() from None


def _first_sheet(archive: zipfile.ZipFile) -> str:
    from lxml import etree

    try:
        workbook = etree.fromstring(_read_member(archive, "xl/workbook.xml", MAX_XML_BYTES),
                                    etree.XMLParser(resolve_entities=False, no_network=True))
        rels = etree.fromstring(_read_member(archive, "xl/_rels/workbook.xml.rels", MAX_XML_BYTES),
                                etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        raise _broken() from None
    sheet = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet")
    if sheet is None:
        raise _broken()
    rel_id = sheet.get(f"{_REL}id")
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise _broken()


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{_MAIN}t"))


def _shared_strings(archive: zipfile.ZipFile, limits: Limits) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    data = _read_member(archive, "xl/sharedStrings.xml", MAX_SHARED_STRINGS_BYTES)
    strings: list[str] = []
    most = (limits.rows + 1) * limits.columns
    for item in _iterparse(data, f"{_MAIN}si"):
        text = _text(item)
        if len(text) > limits.cell_chars:
            raise SpreadsheetError(
                _("A cell holds more than %(max)s characters (“%(start)s”). Please shorten it.")
                % {"max": limits.cell_chars, "start": excerpt(text)}
            )
        strings.append(text)
        if len(strings) > most:
            raise _too_many_rows(limits)
    return strings


def _too_many_rows(limits: Limits) -> SpreadsheetError:
    return SpreadsheetError(_("The file has more than %(max)s rows.") % {"max": limits.rows})


def _column(reference: str) -> int:
    """0-based column of a cell reference such as "C5"."""
    number = 0
    for char in reference:
        if not char.isalpha():
            break
        number = number * 26 + (ord(char.upper()) - 64)
    return number - 1


def xlsx_rows(raw: bytes, limits: Limits) -> list[list[object]]:
    """The first sheet's rows as lists of cell values (text; :data:`FORMULA` for formulas)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError):
        raise _broken() from None
    with archive:
        if len(archive.infolist()) > MAX_MEMBERS:
            raise _broken()
        shared = _shared_strings(archive, limits)
        sheet = _read_member(archive, _first_sheet(archive), MAX_XML_BYTES)
        rows: list[list[object]] = []
        for row in _iterparse(sheet, f"{_MAIN}row"):
            cells: dict[int, object] = {}
            for cell in row.iter(f"{_MAIN}c"):
                index = _column(cell.get("r", "")) if cell.get("r") else len(cells)
                if index >= limits.columns:
                    if _has_value(cell):
                        raise SpreadsheetError(_("The file has more than %(max)s columns.") % {"max": limits.columns})
                    continue
                cells[index] = _value(cell, shared, limits)
            number = int(row.get("r") or len(rows) + 1)
            if number - 1 > limits.rows + limits.blank_lines or (cells and number - 1 > limits.rows):
                raise _too_many_rows(limits)
            while len(rows) < number - 1:
                rows.append([])  # rows the sheet leaves out are empty
            width = max(cells, default=-1) + 1
            rows.append([cells.get(i, "") for i in range(width)])
        return rows


def _has_value(cell) -> bool:
    return cell.find(f"{_MAIN}v") is not None or cell.find(f"{_MAIN}is") is not None


def _value(cell, shared: list[str], limits: Limits) -> object:
    if cell.find(f"{_MAIN}f") is not None:
        return FORMULA
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(f"{_MAIN}is")
        text = _text(inline) if inline is not None else ""
    else:
        value = cell.find(f"{_MAIN}v")
        raw = value.text or "" if value is not None else ""
        if kind == "s":
            try:
                text = shared[int(raw)]
            except (ValueError, IndexError):
                raise _broken() from None
        elif kind == "n" and raw:
            try:
                number = float(raw)
            except ValueError:
                raise _broken() from None
            text = str(int(number)) if number.is_integer() else raw
        elif kind == "b":
            text = "WAHR" if raw == "1" else "FALSCH"
        else:
            text = raw
    if len(text) > limits.cell_chars:
        raise SpreadsheetError(
            _("A cell holds more than %(max)s characters (“%(start)s”). Please shorten it.")
            % {"max": limits.cell_chars, "start": excerpt(text)}
        )
    return text


# --- CSV -----------------------------------------------------------------------------------------


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their line breaks, one at a time (a copy of the whole text, as
    ``io.StringIO`` makes, would take four bytes per character). Old Mac files end lines with CR only."""
    if "\n" not in text and "\r" in text:
        text = text.replace("\r", "\n")
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def csv_rows(text: str, delimiter: str, limits: Limits) -> list[list[str]]:
    """The rows of CSV text, counted while reading: at most ``limits.rows`` data rows (and as many
    empty lines), columns and characters per cell."""
    csv.field_size_limit(limits.cell_chars + 1)
    rows: list[list[str]] = []
    blank = 0
    try:
        for row in csv.reader(_lines(text), delimiter=delimiter):
            if not any(cell.strip() for cell in row):
                blank += 1
                if blank > limits.blank_lines:
                    raise SpreadsheetError(_("The file has too many empty lines. Please remove them."))
                rows.append([])
                continue
            if len(row) > limits.columns:
                raise SpreadsheetError(_("The file has more than %(max)s columns.") % {"max": limits.columns})
            if len(rows) - blank > limits.rows:  # the header is the first non-empty row
                raise _too_many_rows(limits)
            rows.append(row)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise SpreadsheetError(
                _("A cell holds more than %(max)s characters. Please shorten it.") % {"max": limits.cell_chars}
            ) from None
        raise SpreadsheetError(_("The CSV file cannot be read: %(error)s") % {"error": excerpt(exc, 80)}) from None
    return rows
