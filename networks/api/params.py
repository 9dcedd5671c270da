"""The API's query parameters, read and checked: a bad value is refused with a German message (400)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework.exceptions import ParseError
from rest_framework.request import Request

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
MAX_SEARCH = 200
FORMATS = ("json", "ndjson")
_TRUE = {"true", "1", "yes", "ja"}
_FALSE = {"false", "0", "no", "nein"}
_AGS = re.compile(r"\d{8}|\d{12}")


def _value(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    if "\x00" in value:
        raise ParseError(f"Der Parameter „{name}“ enthält ein unzulässiges Zeichen.")
    return value.strip()


def positive_int(request: Request, name: str, default: int, maximum: int | None = None) -> int:
    value = _value(request, name)
    if value is None or value == "":
        return default
    if not value.isdigit() or len(value) > 9 or int(value) < 1:
        raise ParseError(f"„{name}“ muss eine ganze Zahl ab 1 sein, nicht „{value[:40]}“.")
    number = int(value)
    if maximum is not None and number > maximum:
        raise ParseError(f"„{name}“ darf höchstens {maximum} sein.")
    return number


def boolean(request: Request, name: str, default: bool = False) -> bool:
    value = _value(request, name)
    if value is None or value == "":
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ParseError(f"„{name}“ muss true oder false sein, nicht „{value[:40]}“.")


def text(request: Request, name: str) -> str:
    value = _value(request, name) or ""
    if len(value) > MAX_SEARCH:
        raise ParseError(f"„{name}“ darf höchstens {MAX_SEARCH} Zeichen lang sein.")
    return value


def an_id(request: Request, name: str) -> uuid.UUID | None:
    value = _value(request, name)
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ParseError(f"„{name}“ muss eine UUID sein (z. B. 3f2b1c9e-…), nicht „{value[:40]}“.") from None


def moment(request: Request, name: str) -> datetime | None:
    """An ISO 8601 date or date and time; without a time zone, German time (Europe/Berlin)."""
    value = _value(request, name)
    if not value:
        return None
    try:
        parsed = parse_datetime(value.replace(" ", "+", 1) if re.search(r"T.* \d\d:?\d\d$", value) else value)
        if parsed is None:
            day = parse_date(value)
            parsed = datetime.combine(day, time.min) if day else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ParseError(
            f"„{name}“ muss ein Datum oder Zeitpunkt nach ISO 8601 sein (z. B. 2025-01-31 oder "
            f"2025-01-31T12:00:00+01:00), nicht „{value[:40]}“."
        )
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def output_format(request: Request) -> str:
    value = (_value(request, "format") or "json").lower()
    if value not in FORMATS:
        raise ParseError(f"„format“ muss json oder ndjson sein, nicht „{value[:40]}“.")
    return value


def ags(request: Request, name: str = "municipality") -> str | None:
    value = _value(request, name)
    if not value:
        return None
    if not _AGS.fullmatch(value):
        raise ParseError(
            f"„{name}“ muss ein Amtlicher Gemeindeschlüssel (8 Ziffern, z. B. 05370000) oder ein "
            f"Regionalschlüssel (12 Ziffern) sein, nicht „{value[:40]}“."
        )
    return value


def postcode(request: Request) -> str:
    value = _value(request, "postcode") or ""
    if value and not re.fullmatch(r"\d{5}", value):
        raise ParseError(f"„postcode“ muss eine fünfstellige Postleitzahl sein, nicht „{value[:40]}“.")
    return value


def refuse(request: Request, name: str) -> None:
    """A parameter of the reference this API does not offer: said so, rather than silently ignored."""
    if _value(request, name):
        raise ParseError(f"Der Parameter „{name}“ wird von dieser API nicht unterstützt.")


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int

    @classmethod
    def read(cls, request: Request) -> Paging:
        return cls(
            page=positive_int(request, "page", 1),
            per_page=positive_int(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE),
        )

    def envelope(self, total: int, contents: list[Any]) -> dict[str, Any]:
        """The HSDS ``Page`` object."""
        pages = max(1, -(-total // self.per_page))
        return {
            "total_items": total,
            "total_pages": pages,
            "page_number": self.page,
            "size": len(contents),
            "first_page": self.page == 1,
            "last_page": self.page >= pages,
            "empty": not contents,
            "contents": contents,
        }

    @property
    def start(self) -> int:
        return (self.page - 1) * self.per_page
