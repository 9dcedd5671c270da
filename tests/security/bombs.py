"""Decompression bombs and other oversized files, as the attack on a running copy used them (issue 17).

``python -m tests.security.bombs NAME`` reads one of them with the importer (or the document check)
in a fresh process and prints, as JSON, how long it took, how much the process's memory grew at its
peak and what the portal answered: the measurement behind ``test_bombs.py``.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
import zipfile

MB = 1024 * 1024

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/></Types>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    b'<sheet name="Partner" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    b'Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _xlsx(parts: dict[str, object]) -> bytes:
    """A workbook; a part given as (head, chunk, times, tail) is written in chunks, never held whole."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in {"[Content_Types].xml": _CONTENT_TYPES, "xl/workbook.xml": _WORKBOOK,
                              "xl/_rels/workbook.xml.rels": _RELS, **parts}.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            head, chunk, times, tail = content
            with archive.open(name, "w", force_zip64=True) as member:
                member.write(head)
                for _ in range(times):
                    member.write(chunk)
                member.write(tail)
    return buffer.getvalue()


def shared_strings_bomb(megabytes: int = 256) -> bytes:
    """(a) One shared string of ``megabytes`` MB in a file of a few hundred KB; the header names it."""
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           b"<si><t>", b"A" * MB, megabytes, b"</t></si></sst>")
    sheet = _SHEET_HEAD + b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    return _xlsx({"xl/sharedStrings.xml": sst, "xl/worksheets/sheet1.xml": sheet})


def dimension_bomb() -> bytes:
    """(b) A 2 KB workbook whose sheet claims every row and column Excel has."""
    sheet = (_SHEET_HEAD + b'<dimension ref="A1:XFD1048576"/><sheetData><row r="1">'
             b'<c r="A1" t="inlineStr"><is><t>Name</t></is></c><c r="B1" t="inlineStr"><is><t>Typ</t></is></c>'
             b"</row></sheetData></worksheet>")
    return _xlsx({"xl/worksheets/sheet1.xml": sheet})


def far_row_bomb() -> bytes:
    """(b') A sheet whose second row is row 1,048,576."""
    sheet = (_SHEET_HEAD + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>'
             b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>')
    return _xlsx({"xl/worksheets/sheet1.xml": sheet})


def newline_csv(megabytes: int = 10) -> bytes:
    """(c) A CSV of nothing but line breaks."""
    return b"Name;Typ\n" + b"\n" * (megabytes * MB - 9)


def odt_mimetype_bomb(megabytes: int = 512) -> bytes:
    """(d) An OpenDocument text whose ``mimetype`` member unpacks to ``megabytes`` MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("mimetype", "w", force_zip64=True) as member:
            member.write(b"application/vnd.oasis.opendocument.text")
            for _ in range(megabytes):
                member.write(b" " * MB)
        archive.writestr("content.xml", b"<x/>")
    return buffer.getvalue()


BOMBS = {
    "shared-strings": (shared_strings_bomb, "partner.xlsx"),
    "dimension": (dimension_bomb, "partner.xlsx"),
    "far-row": (far_row_bomb, "partner.xlsx"),
    "newlines": (newline_csv, "partner.csv"),
    "odt-mimetype": (odt_mimetype_bomb, "vereinbarung.odt"),
}


def _memory_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def measure(name: str) -> dict:
    """Read bomb ``name`` as the portal would and report time, peak memory growth and the answer."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.forms import ValidationError

    from networks import importer
    from portal.core.uploads import validate_document

    build, filename = BOMBS[name]
    raw = build()
    # Warm up: the code paths once on a small, valid file, so imports do not count as growth.
    importer.parse_file(b"Name;Typ\nStelle;jugendamt\n", "p.csv")
    baseline = _memory_kb("VmRSS")
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
        clear.write("5")  # the peak (VmHWM) starts again from here
    started = time.monotonic()
    if filename.endswith(".odt"):
        try:
            validate_document(SimpleUploadedFile(filename, raw), max_bytes=10 * MB)
            answer = ""
        except ValidationError as error:
            answer = " ".join(error.messages)
    else:
        answer = " ".join(importer.parse_file(raw, filename).file_errors)
    seconds = time.monotonic() - started
    return {
        "bomb": name, "file_kb": len(raw) // 1024, "seconds": round(seconds, 3),
        "peak_growth_mb": round((_memory_kb("VmHWM") - baseline) / 1024, 1), "answer": answer,
    }


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1]), ensure_ascii=False))
