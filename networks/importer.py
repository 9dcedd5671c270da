"""Import of network partners from CSV or XLSX files as German offices produce them.

Flow: :func:`parse_file` decodes and reads the file (semicolon or comma, UTF-8 with or without BOM,
Windows-1252; or an .xlsx workbook), :func:`validate_rows` checks every row and finds duplicates
(within the file and against the database), :func:`write_rows` writes all rows in one transaction.
Nothing is written unless the whole file is valid. Messages are in German via gettext.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from networks.models import Actor, ActorType, Municipality, TargetGroup, TraegerKind
from networks.rules import actors_visible_to, can_edit_municipality
from portal.core import pagecache, search
from portal.core.db import bulk_insert
from portal.core.history import Reason
from portal.core.search import normalize
from portal.core.spreadsheets import FORMULA, Limits, SpreadsheetError, csv_rows, excerpt, xlsx_rows
from portal.core.text import has_control_characters

MAX_ROWS = 20_000
LIMITS = Limits(rows=MAX_ROWS, columns=60, cell_chars=10_000)

# Column key -> accepted header spellings (compared after normalisation).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("Name", "Organisation", "Einrichtung"),
    "actor_type": ("Partnerart", "Typ", "Art", "Akteurstyp"),
    "traeger_kind": ("Träger-Art", "Trägerart", "Art des Trägers"),
    "traeger_name": ("Träger",),
    "street": ("Straße", "Strasse", "Adresse", "Straße und Hausnummer"),
    "postal_code": ("PLZ", "Postleitzahl"),
    "city": ("Ort", "Stadt"),
    "phone": ("Telefon", "Tel", "Tel."),
    "email": ("E-Mail", "Email", "Mail"),
    "website": ("Website", "Webseite", "Internet", "Homepage"),
    "offer": ("Angebot", "Angebote"),
    "target_groups": ("Zielgruppen", "Zielgruppe"),
    "languages": ("Sprachen",),
    "accessibility": ("Barrierefreiheit",),
}
REQUIRED_COLUMNS = ("name", "actor_type")
TRAEGER_ALIASES = {
    "public": ("öffentlich", "oeffentlich", "öffentlicher träger", "kommune", "public"),
    "free_welfare": ("frei", "freie wohlfahrtspflege", "freier träger", "wohlfahrtsverband", "free_welfare"),
    "private": ("privat", "private", "privater träger"),
    "other": ("sonstige", "sonstiges", "verein", "selbsthilfe", "other"),
}
MAX_LENGTHS = {f.name: f.max_length for f in Actor._meta.fields if getattr(f, "max_length", None)}


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


@dataclass
class ParsedRow:
    line: int  # line number as a spreadsheet shows it (header = 1)
    values: dict[str, str]
    cleaned: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list[ParsedRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    columns: list[str] = field(default_factory=list)

    @property
    def row_errors(self) -> list[ParsedRow]:
        return [row for row in self.rows if row.errors]

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(row.errors) for row in self.rows)

    @property
    def is_valid(self) -> bool:
        return not self.file_errors and not self.row_errors and bool(self.rows)


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


def _header_map(headers: list[str]) -> tuple[dict[int, str], list[str]]:
    lookup = {normalize(alias): key for key, aliases in COLUMNS.items() for alias in aliases}
    mapping, unknown = {}, []
    for index, header in enumerate(headers):
        key = lookup.get(normalize((header or "").strip()))
        if key and key not in mapping.values():
            mapping[index] = key
        elif (header or "").strip():
            unknown.append(header.strip())
    return mapping, unknown


def _rows_from_table(table: list[list[str]], result: ImportResult) -> None:
    if not table:
        result.file_errors.append(_("The file is empty."))
        return
    headers = ["" if h is FORMULA else str(h or "").strip() for h in table[0]]
    mapping, unknown = _header_map(headers)
    result.columns = [headers[i] for i in sorted(mapping)]
    missing = [COLUMNS[key][0] for key in REQUIRED_COLUMNS if key not in mapping.values()]
    if missing:
        result.file_errors.append(
            _("Required column missing: %(columns)s. Found columns: %(found)s.")
            % {"columns": ", ".join(missing), "found": excerpt(", ".join(h for h in headers if h) or "–", 200)}
        )
        return
    if unknown:
        result.file_errors.append(
            _("Unknown columns: %(columns)s. Allowed are: %(allowed)s.")
            % {"columns": excerpt(", ".join(unknown), 200), "allowed": ", ".join(a[0] for a in COLUMNS.values())}
        )
        return
    body = table[1:]
    if len(body) > MAX_ROWS:
        result.file_errors.append(_("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
        return
    for offset, raw_row in enumerate(body, start=2):
        formulas = [i for i, c in enumerate(raw_row) if c is FORMULA]
        cells = ["" if c is None or c is FORMULA else str(c).strip() for c in raw_row]
        if not any(cells) and not formulas:
            continue
        values = {key: (cells[i] if i < len(cells) else "") for i, key in mapping.items()}
        row = ParsedRow(line=offset, values=values)
        for index in formulas:
            column = headers[index] if index < len(headers) else str(index + 1)
            row.errors.append(_("Column “%(column)s”: a formula instead of a value; please enter the value itself.")
                              % {"column": excerpt(column)})
        if len(cells) > len(headers) and any(cells[len(headers):]):
            row.errors.append(_("The row has more cells than the header has columns (check the separator)."))
        result.rows.append(row)
    if not result.rows:
        result.file_errors.append(_("The file contains no data rows."))


def parse_file(raw: bytes, filename: str = "") -> ImportResult:
    result = ImportResult()
    if not raw:
        result.file_errors.append(_("The file is empty."))
        return result
    try:
        if raw[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
            table = xlsx_rows(raw, LIMITS)
            result.encoding, result.delimiter = "XLSX", ""
            # Excel drops leading zeros of postal codes stored as numbers.
        else:
            text, result.encoding = decode(raw)
            result.delimiter = sniff_delimiter(text)
            table = csv_rows(text, result.delimiter, LIMITS)
    except (ImportFileError, SpreadsheetError) as exc:
        result.file_errors.append(str(exc))
        return result
    _rows_from_table(table, result)
    return result


# --- Validation -------------------------------------------------------------------------


def _traeger_lookup() -> dict[str, str]:
    """Every accepted spelling of a Träger-Art (aliases and the labels in the active language)."""
    lookup = {normalize(str(label)): kind for kind, label in TraegerKind.choices}
    lookup.update({normalize(alias): kind for kind, aliases in TRAEGER_ALIASES.items() for alias in aliases})
    return lookup


def _traeger_kind(value: str, lookup: dict[str, str] | None = None) -> str | None:
    if not value:
        return TraegerKind.OTHER
    return (lookup if lookup is not None else _traeger_lookup()).get(normalize(value))


def name_address_key(name: str, street: str, postal_code: str, city: str) -> tuple:
    return (normalize(name).strip(), normalize(street).replace(" ", ""), postal_code.strip(), normalize(city).strip())


def validate_rows(result: ImportResult, *, user=None) -> ImportResult:
    """Check every row; fill ``row.cleaned``; add German errors per row. Queries: a fixed few."""
    if result.file_errors:
        return result
    types = {}
    for t in ActorType.objects.all():
        types[normalize(t.slug)] = t
        types[normalize(t.name)] = t
    groups = {}
    for g in TargetGroup.objects.all():
        groups[normalize(g.slug)] = g
        groups[normalize(g.name)] = g
    existing_keys = {}
    existing_emails = {}
    # Only partners that can collide with a row are read: same postal code (part of the
    # address key) or same e-mail. At national scale this avoids reading every partner.
    postals, emails = set(), set()
    for row in result.rows:
        postal = row.values.get("postal_code", "").strip()
        postals.update({postal, postal.zfill(5) if postal.isdigit() and len(postal) == 4 else postal})
        email = row.values.get("email", "").strip().lower()
        if email:
            emails.add(email)
    # Stored values are stripped (forms and this importer strip them), so both lookups use an index.
    candidates = Actor.objects.annotate(_sn_email=Lower("email")).filter(
        Q(postal_code__in=postals) | Q(_sn_email__in=emails)
    )
    # A duplicate is named only if the importing person may see it; a hidden partner (deactivated, of
    # another municipality) is reported without its name (None).
    visible = set(actors_visible_to(user).filter(pk__in=candidates.values("pk")).values_list("pk", flat=True)) \
        if user is not None else None
    for pk, name, street, postal, city, email in candidates.values_list(
        "pk", "name", "street", "postal_code", "city", "email"
    ):
        shown = name if visible is None or pk in visible else None
        key = name_address_key(name, street, postal, city)
        if existing_keys.get(key) is None:
            existing_keys[key] = shown
        if email and existing_emails.get(email.strip().lower()) is None:
            existing_emails[email.strip().lower()] = shown
    seen_keys: dict[tuple, int] = {}
    seen_emails: dict[str, int] = {}
    url_validator = URLValidator(schemes=["http", "https"])
    traeger_lookup = _traeger_lookup()

    for row in result.rows:
        v = row.values
        cleaned = {}
        for key, value in v.items():
            if has_control_characters(value):
                row.errors.append(
                    _("Column “%(column)s”: the cell contains an invisible control character; please remove it.")
                    % {"column": COLUMNS[key][0]}
                )
        name = v.get("name", "")
        if not name:
            row.errors.append(_("Column “Name”: please enter the name of the organisation."))
        cleaned["name"] = name
        type_value = v.get("actor_type", "")
        actor_type = types.get(normalize(type_value))
        if not type_value:
            row.errors.append(_("Column “Typ”: please enter the type of partner."))
        elif actor_type is None:
            row.errors.append(_("Column “Typ”: unknown type “%(value)s”.") % {"value": excerpt(type_value)})
        cleaned["actor_type"] = actor_type
        kind = _traeger_kind(v.get("traeger_kind", ""), traeger_lookup)
        if kind is None:
            row.errors.append(
                _("Column “Träger-Art”: unknown value “%(value)s” (allowed: öffentlich, frei, privat, sonstige).")
                % {"value": excerpt(v.get("traeger_kind"))}
            )
        cleaned["traeger_kind"] = kind
        for key in ("traeger_name", "street", "postal_code", "city", "phone", "email", "website", "offer",
                    "languages", "accessibility"):
            cleaned[key] = v.get(key, "")
        postal = cleaned["postal_code"]
        if postal.isdigit() and len(postal) == 4:
            postal = cleaned["postal_code"] = postal.zfill(5)
        if postal and not (postal.isdigit() and len(postal) == 5):
            row.errors.append(_("Column “PLZ”: “%(value)s” is not a five-digit postal code.") % {"value": excerpt(postal)})
        if cleaned["email"]:
            try:
                validate_email(cleaned["email"])
            except ValidationError:
                row.errors.append(_("Column “E-Mail”: “%(value)s” is not a valid e-mail address.") % {"value": excerpt(cleaned["email"])})
        website = cleaned["website"]
        if website and not website.lower().startswith(("http://", "https://")):
            website = cleaned["website"] = "https://" + website
        if website:
            try:
                url_validator(website)
            except ValidationError:
                row.errors.append(_("Column “Website”: “%(value)s” is not a valid web address.") % {"value": excerpt(v.get("website"))})
        for key, limit in MAX_LENGTHS.items():
            if key in cleaned and isinstance(cleaned[key], str) and len(cleaned[key]) > limit:
                row.errors.append(
                    _("Column “%(column)s”: at most %(max)s characters allowed.") % {"column": COLUMNS[key][0], "max": limit}
                )
        target_groups = []
        for part in [p.strip() for p in v.get("target_groups", "").replace(";", ",").split(",") if p.strip()]:
            group = groups.get(normalize(part))
            if group is None:
                row.errors.append(_("Column “Zielgruppen”: unknown target group “%(value)s”.") % {"value": excerpt(part)})
            else:
                target_groups.append(group)
        cleaned["target_groups"] = target_groups
        # Duplicates: same name and address, or same e-mail; within the file and in the registry.
        if name:
            key = name_address_key(name, cleaned["street"], postal, cleaned["city"])
            if key in seen_keys:
                row.errors.append(
                    _("Duplicate: same name and address as row %(line)s.") % {"line": seen_keys[key]}
                )
            elif key in existing_keys:
                if existing_keys[key] is None:
                    row.errors.append(_("Duplicate: a partner with this name and address is already in the registry."))
                else:
                    row.errors.append(
                        _("Duplicate: “%(name)s” with this address is already in the registry.")
                        % {"name": existing_keys[key]}
                    )
            seen_keys.setdefault(key, row.line)
        email = cleaned["email"].strip().lower()
        if email:
            if email in seen_emails:
                row.errors.append(_("Duplicate: same e-mail address as row %(line)s.") % {"line": seen_emails[email]})
            elif email in existing_emails:
                if existing_emails[email] is None:
                    row.errors.append(_("Duplicate: the e-mail address is already registered."))
                else:
                    row.errors.append(
                        _("Duplicate: the e-mail address is already used by “%(name)s” in the registry.")
                        % {"name": existing_emails[email]}
                    )
            seen_emails.setdefault(email, row.line)
        row.cleaned = cleaned
    return result


def check_file(raw: bytes, filename: str = "", *, user=None) -> ImportResult:
    """Read and check a file; duplicates are named only as far as ``user`` may see them."""
    return validate_rows(parse_file(raw, filename), user=user)


# --- Writing ----------------------------------------------------------------------------


@transaction.atomic
def write_rows(*, result: ImportResult, municipality: Municipality, by) -> int:
    """Write all rows at once; refuses (writes nothing) unless every row is valid and ``by`` keeps the
    municipality's network (``by=None``: a system import)."""
    if by is not None and not can_edit_municipality(by, municipality):
        raise PermissionDenied
    if not result.is_valid:
        raise ValueError("refusing to import an invalid file")
    actors = []
    for row in result.rows:
        data = {k: v for k, v in row.cleaned.items() if k != "target_groups"}
        actor = Actor(municipality=municipality, **data)
        # Relations were resolved from the database during validation; check the plain fields.
        actor.clean_fields(exclude=["uuid", "actor_type", "municipality", "verified_by"])
        actors.append(actor)
    created = _insert_with_history(actors, by=by)
    through = Actor.target_groups.through
    links = [
        through(actor_id=actor.pk, targetgroup_id=group.pk)
        for actor, row in zip(created, result.rows, strict=True)
        for group in row.cleaned["target_groups"]
    ]
    bulk_insert(through, links)
    search.refresh(Actor, pks=[actor.pk for actor in created])
    pagecache.bump()  # bulk inserts send no signals
    return len(created)


def _insert_with_history(actors: list[Actor], *, by) -> list[Actor]:
    """The partners and their "created by import" history rows, written in bulk (COPY on PostgreSQL).

    The history rows are those ``simple_history``'s ``bulk_create_with_history`` writes."""
    from django.utils import timezone

    bulk_insert(Actor, actors, batch_size=2000)
    if not all(a.pk for a in actors):
        # Backends without RETURNING: fetch the new rows by their UUIDs.
        by_uuid = {a.uuid: a.pk for a in Actor.objects.filter(uuid__in=[a.uuid for a in actors])}
        for actor in actors:
            actor.pk = by_uuid[actor.uuid]
    historical = Actor.history.model
    now = timezone.now()
    user = by if getattr(by, "is_authenticated", False) else None
    rows = [
        historical(
            history_date=now, history_user=user, history_change_reason=Reason.IMPORT.value, history_type="+",
            **{field.attname: getattr(actor, field.attname) for field in historical.tracked_fields},
        )
        for actor in actors
    ]
    bulk_insert(historical, rows, batch_size=2000)
    return actors
