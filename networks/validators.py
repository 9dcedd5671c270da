"""Validation of the Amtlicher Gemeindeschlüssel (AGS)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The state keys (first two digits of the AGS).
STATE_KEYS = {f"{n:02d}" for n in range(1, 17)}
_AGS = re.compile(r"^\d{8}$")


def validate_ags(value: str) -> None:
    """An AGS has 8 digits: state (2), Regierungsbezirk (1), Kreis (2), Gemeinde (3)."""
    if not _AGS.match(value or ""):
        raise ValidationError(
            _("The Amtlicher Gemeindeschlüssel must consist of exactly 8 digits, e.g. 05370000."),
            code="ags_format",
        )
    if value[:2] not in STATE_KEYS:
        raise ValidationError(
            _("The first two digits of the Amtlicher Gemeindeschlüssel must name a federal state (01 to 16)."),
            code="ags_state",
        )
