"""Checks of uploaded documents by their content, not only by their name.

A file is accepted only if its extension is allowed and its first bytes (and, for office files,
the package inside) are what that extension promises: an HTML page named ``.pdf``, a text file
named ``.xlsx`` or a renamed program is refused with a clear message.
"""

from __future__ import annotations

import zipfile

from django import forms
from django.utils.translation import gettext as _

DOCUMENT_SUFFIXES = (".pdf", ".docx", ".odt", ".xlsx", ".ods", ".png", ".jpg", ".jpeg")

_OOXML_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
_MIMETYPE_MAX = 100
_ODF_MIMETYPE = {
    ".odt": b"application/vnd.oasis.opendocument.text",
    ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
}


def _suffix(name: str) -> str:
    name = (name or "").lower()
    return name[name.rfind("."):] if "." in name else ""


def _head(upload, size: int = 8) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _zip_names(upload) -> tuple[set[str], zipfile.ZipFile] | None:
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
        return set(archive.namelist()), archive
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)


def _mimetype(archive: zipfile.ZipFile) -> bytes:
    """The ``mimetype`` member of an OpenDocument file, read no further than a type name can be long
    (a crafted member could unpack to hundreds of megabytes)."""
    info = archive.getinfo("mimetype")
    if info.file_size > _MIMETYPE_MAX:
        return b""
    with archive.open(info) as member:
        return member.read(_MIMETYPE_MAX + 1).strip()


def content_matches(upload, suffix: str) -> bool:
    """True if the content of ``upload`` is what a file ending in ``suffix`` should hold."""
    head = _head(upload)
    if suffix == ".pdf":
        return head.startswith(b"%PDF-")
    if suffix == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if suffix in _OOXML_PART or suffix in _ODF_MIMETYPE:
        if not head.startswith(b"PK\x03\x04"):
            return False
        opened = _zip_names(upload)
        if opened is None:
            return False
        names, archive = opened
        try:
            if suffix in _OOXML_PART:
                return "[Content_Types].xml" in names and _OOXML_PART[suffix] in names
            return "mimetype" in names and _mimetype(archive) == _ODF_MIMETYPE[suffix]
        except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
            return False
        finally:
            upload.seek(0)
    return False


def validate_document(upload, *, max_bytes: int, suffixes: tuple[str, ...] = DOCUMENT_SUFFIXES) -> None:
    """Raise a form ValidationError (German message) unless ``upload`` is an allowed document."""
    if upload.size > max_bytes:
        raise forms.ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": max_bytes // (1024 * 1024)}
        )
    suffix = _suffix(upload.name)
    if suffix not in suffixes:
        raise forms.ValidationError(_("Please upload a PDF, office document or image."))
    if not content_matches(upload, suffix):
        raise forms.ValidationError(
            _("The content of the file does not match its ending (%(suffix)s). Please upload the original "
              "PDF, office document or image.") % {"suffix": suffix}
        )
