"""Plain text of a sensible length: what people type into the portal.

A single control character (for example a vertical tab pasted from a word processor) makes XML
formats fail: an XLSX export or a .docx document with it cannot be written. Every text field of the
portal's models refuses them (:func:`guard_models`, at start-up), the importer refuses them in its
cells, and the XLSX and .docx writers strip them as a second line of defence. Tab, line feed and
carriage return stay allowed.

Every long text field also has a maximum (:data:`TEXT_MAX_CHARS`), so that a text of a megabyte is
refused with a message instead of failing in the database (PostgreSQL's search vector, for one, holds
at most a megabyte).
"""

from __future__ import annotations

import re
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

TEXT_MAX_CHARS = 30_000  # about ten printed pages; the longest text of the demo content has 2,400
# C0 controls except tab, line feed and carriage return; DEL; the two non-characters XML refuses.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
MESSAGE = _("The text contains an invisible control character (often copied from another program). Please "
            "remove it, for example by typing the text again.")


# German transliteration for addresses: "Lotsendienst für Ärzte" -> "lotsendienst-fuer-aerzte", as the
# seeded content's slugs are written (slugify alone drops the umlaut's dots: "fur", "arzte").
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ẞ": "SS"})


def german_slugify(text: str) -> str:
    """A URL slug of ``text`` with ä ö ü ß (also capitals) written as ae oe ue ss."""
    return slugify(str(text).translate(_GERMAN))


def has_control_characters(text: str | None) -> bool:
    return bool(text) and bool(_CONTROL.search(text or ""))


def strip_control_characters(text: Any) -> Any:
    """``text`` without control characters; anything that is not text unchanged."""
    return _CONTROL.sub("", text) if isinstance(text, str) else text


def validate_plain_text(value: Any) -> None:
    if isinstance(value, str) and _CONTROL.search(value):
        raise ValidationError(MESSAGE, code="control_characters")


def _is_project_model(model: type[models.Model]) -> bool:
    module = sys.modules.get(model.__module__)
    path = getattr(module, "__file__", "") or ""
    return "site-packages" not in path and "dist-packages" not in path


def guard_models(all_models: Any) -> None:
    """Give every text field of the project's own models the plain-text validator, and every long
    text field (``TextField`` without ``max_length``) the maximum length."""
    for model in all_models:
        if not _is_project_model(model):
            continue
        for field in model._meta.concrete_fields:
            # The effective list, as CharField itself adds its length check (copies of a field, such as
            # the history's, may share it).
            if isinstance(field, models.CharField | models.TextField) and validate_plain_text not in field.validators:
                field.validators.append(validate_plain_text)
                if isinstance(field, models.TextField) and not field.max_length:
                    field.validators.append(MaxLengthValidator(TEXT_MAX_CHARS))
