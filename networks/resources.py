"""The registry's spreadsheets, declared once for export and import: django-import-export Resources.

A partner file and a cooperation file each have one list of German columns (:class:`ActorResource`,
:class:`CooperationResource`). The export writes all of them; the import reads the same ones back,
ignores the read-only ones (marked ``readonly``: what the registry derives, such as "Sektor" or
"Zuletzt geändert") and matches rows by the column "ID" (the record's key; ``import_id_fields``).
A row without an ID is new; a row with an ID updates that record, if the importing person keeps it.
"Zuletzt geprüft" is read (German dates, TT.MM.JJJJ): today's date there records a check, as the
partner page's "checked" button does; "Version" refuses changes to a record changed since the export.

The import runs twice through :meth:`Resource.import_data`: first as a dry run, which writes nothing
and yields per row "new", "changed" (with the changed fields), "unchanged" or the row's errors; then,
once confirmed and only if the whole file is valid, for real in one transaction. The real run writes
through the registry's services (history with the importing person, permission, optimistic locking,
the page cache): changed partners and cooperations one by one, new partners in bulk with their
"imported" history rows.

Messages are German (gettext) and name the column, e.g. "Zeile 7, Name: Formel statt Wert".
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult

from networks import selectors, services
from networks.models import (
    Actor,
    ActorType,
    Cooperation,
    CooperationKind,
    Municipality,
    TargetGroup,
    TraegerKind,
)
from networks.rules import actors_visible_to, can_edit_actor, can_edit_cooperation, can_edit_municipality
from portal.core import pagecache, search
from portal.core.db import bulk_insert
from portal.core.history import Reason
from portal.core.locking import EditConflict
from portal.core.search import normalize
from portal.core.spreadsheets import excerpt
from portal.core.text import has_control_characters, strip_control_characters

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
GERMAN_DATE = "%d.%m.%Y"
TRAEGER_ALIASES = {
    "public": ("öffentlich", "oeffentlich", "öffentlicher träger", "kommune", "public"),
    "free_welfare": ("frei", "freie wohlfahrtspflege", "freier träger", "wohlfahrtsverband", "free_welfare"),
    "private": ("privat", "private", "privater träger"),
    "other": ("sonstige", "sonstiges", "verein", "selbsthilfe", "other"),
}


def unprefixed(value: str) -> str:
    """A cell without the apostrophe an export put before ``= + - @`` (older exports did so in XLSX
    files too): the value as it was stored."""
    if value.startswith("'") and value[1:].startswith(DANGEROUS_PREFIXES):
        return value[1:]
    return value


def _labels(choices: Any) -> dict[str, str]:
    """Every label of ``choices`` in German and English (a file may come from either interface)."""
    lookup: dict[str, str] = {}
    for language in ("de", "en"):
        with translation.override(language):
            lookup.update({normalize(str(label)): value for value, label in choices})
    lookup.update({normalize(value): value for value, _label in choices})
    return lookup


def _compact(text: str) -> str:
    """Case, umlauts, spaces, hyphens and dots folded away: "Haupt-Straße" = "hauptstrasse"."""
    return re.sub(r"[\s\-.,/]+", "", normalize(text or ""))


def street_key(street: str) -> str:
    """The usual spellings of an address compare equal: "Hauptstr. 5", "Hauptstraße 5", "Haupt-Strasse 5",
    "hauptstrasse5"."""
    text = normalize(street or "")
    text = re.sub(r"stra(ss|ß)e\b|str\.|str\b", "str", text)
    return _compact(text)


def name_address_key(name: str, street: str, postal_code: str, city: str) -> tuple[str, str, str, str]:
    return (_compact(name), street_key(street), (postal_code or "").strip(), _compact(city))


# --- Widgets: one cell <-> one value ------------------------------------------------------


class TextWidget(widgets.Widget):
    """Text as it is (the reader has stripped it); never a formula: the CSV export neutralises, the XLSX
    export writes string cells."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return strip_control_characters("" if value is None else str(value))


class IdWidget(widgets.Widget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        text = str(value or "").strip()
        if not text:
            return None
        if not text.isdigit() or len(text) > 12:
            raise ValueError(_("“%(value)s” is not an ID of the registry.") % {"value": excerpt(text)})
        return int(text)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class PostalCodeWidget(TextWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = super().clean(value)
        if text.isdigit() and len(text) == 4:  # Excel drops the leading zero of a number
            text = text.zfill(5)
        if text and not (text.isdigit() and len(text) == 5):
            raise ValueError(_("“%(value)s” is not a five-digit postal code.") % {"value": excerpt(text)})
        return text


class EmailWidget(TextWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = super().clean(value)
        if text:
            try:
                validate_email(text)
            except ValidationError:
                raise ValueError(_("“%(value)s” is not a valid e-mail address.") % {"value": excerpt(text)}) from None
        return text


class WebsiteWidget(TextWidget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = super().clean(value)
        if not text:
            return ""
        website = text if text.lower().startswith(("http://", "https://")) else "https://" + text
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            raise ValueError(_("“%(value)s” is not a valid web address.") % {"value": excerpt(text)}) from None
        return website


class ChoiceWidget(widgets.Widget):
    """A choice by its label (German or English) or value; written as its label in the active language."""

    def __init__(self, choices: Any, *, default: str = "", aliases: dict[str, tuple[str, ...]] | None = None,
                 allowed: str = "") -> None:
        super().__init__()
        self.choices, self.default, self.aliases, self.allowed = choices, default, aliases or {}, allowed
        self._lookup: dict[str, str] | None = None

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = str(value or "").strip()
        if not text:
            if self.default:
                return self.default
            raise ValueError(_("please enter a value (allowed: %(allowed)s).") % {"allowed": self.allowed})
        if self._lookup is None:
            self._lookup = _labels(self.choices.choices)
            self._lookup.update({normalize(a): key for key, names in self.aliases.items() for a in names})
        found = self._lookup.get(normalize(text))
        if found is None:
            raise ValueError(_("unknown value “%(value)s” (allowed: %(allowed)s).")
                             % {"value": excerpt(text), "allowed": self.allowed})
        return found

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return str(dict(self.choices.choices).get(value, value or ""))


class ActorTypeWidget(widgets.Widget):
    """A partner type by its short name (slug) or name; written as the short name."""

    def __init__(self) -> None:
        super().__init__()
        self._types: dict[str, ActorType] | None = None

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> ActorType:
        text = str(value or "").strip()
        if not text:
            raise ValueError(_("please enter the type of partner."))
        if self._types is None:
            self._types = {}
            for actor_type in ActorType.objects.all():
                self._types[normalize(actor_type.slug)] = actor_type
                self._types[normalize(actor_type.name)] = actor_type
        found = self._types.get(normalize(text))
        if found is None:
            raise ValueError(_("unknown type “%(value)s”.") % {"value": excerpt(text)})
        return found

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return value.slug if value is not None else ""


class TargetGroupsWidget(widgets.ManyToManyWidget):
    """Target groups by name or short name, separated by commas (or semicolons)."""

    def __init__(self) -> None:
        super().__init__(TargetGroup, separator=", ", field="name")
        self._groups: dict[str, TargetGroup] | None = None

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[TargetGroup]:
        if self._groups is None:
            self._groups = {}
            groups = list(TargetGroup.objects.all())
            for group in groups:
                self._groups[normalize(group.slug)] = group
                self._groups[normalize(group.name)] = group
            for group in groups:  # also without surrounding blanks, where that names no other group
                self._groups.setdefault(normalize(group.name).strip(), group)
        found: list[TargetGroup] = []
        unknown: list[str] = []
        text = str(value or "")
        # Names may hold a comma or semicolon themselves: the longest run of parts naming a group wins.
        tokens = re.split(r"([,;])", text)
        parts, separators = tokens[0::2], tokens[1::2]

        def run(start: int, end: int) -> str:
            return "".join(parts[i] + (separators[i] if i < end - 1 else "") for i in range(start, end))

        start = 0
        while start < len(parts):
            for end in range(len(parts), start, -1):
                key = normalize(run(start, end))
                group = self._groups.get(key) or self._groups.get(key.strip())
                if group is not None:
                    if group not in found:
                        found.append(group)
                    start = end
                    break
            else:
                if parts[start].strip():
                    unknown.append(parts[start].strip())
                start += 1
        if unknown:
            raise ValueError(_("unknown target group “%(value)s”.") % {"value": excerpt(", ".join(unknown))})
        return found

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        return ", ".join(group.name for group in value.all())


def german_date(text: str) -> date | None:
    """A date as German offices write it (31.12.2026, 31.12.26), as ISO (2026-12-31) or as the serial
    number a spreadsheet stores for a date cell; None for an empty cell. Raises ``ValueError``."""
    text = (text or "").strip()
    if not text:
        return None
    if text.isdigit() and 1 <= int(text) <= 2958465:  # a spreadsheet's date serial (days since 30.12.1899)
        return date(1899, 12, 30) + timedelta(days=int(text))
    for pattern in (GERMAN_DATE, "%d.%m.%y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date, no time of day)
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date; please write it as TT.MM.JJJJ, e.g. 31.12.2026.")
                     % {"value": excerpt(text)})


class GermanDateWidget(widgets.Widget):
    """Dates written and read as TT.MM.JJJJ; a date and time is written as its local date."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> date | None:
        return german_date(str(value or ""))

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime(GERMAN_DATE)


class PartnersWidget(widgets.ManyToManyWidget):
    """The partners of a cooperation by their IDs (as the partner file names them), or by name;
    separated by commas or semicolons. The resource checks that they may be linked."""

    def __init__(self) -> None:
        super().__init__(Actor, separator=", ", field="pk")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[str]:
        text = str(value or "")
        separator = ";" if ";" in text else ","
        return [part.strip() for part in text.split(separator) if part.strip()]

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        return ", ".join(str(pk) for pk in sorted(actor.pk for actor in value.all()))


# --- What a check found, row by row --------------------------------------------------------


@dataclass
class Change:
    column: str
    before: str
    after: str


@dataclass
class RowReport:
    line: int  # the row as a spreadsheet numbers it (header = 1)
    status: str  # "new", "changed", "unchanged", "error"
    name: str = ""
    record_id: int | None = None
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)


class _Loader(BaseInstanceLoader):
    """The records the file names by ID, read at once (with what the comparison needs)."""

    def __init__(self, resource: Any, dataset: Any = None) -> None:
        super().__init__(resource, dataset)
        self.instances: dict[int, Any] = {}
        ids = []
        if dataset is not None and resource.ID_COLUMN in (dataset.headers or []):
            for value in dataset[resource.ID_COLUMN]:
                try:
                    pk = IdWidget().clean(value)
                except ValueError:
                    continue
                if pk is not None:
                    ids.append(pk)
        if ids:
            self.instances = {obj.pk: obj for obj in resource.get_queryset().filter(pk__in=ids)}

    def get_instance(self, row: Any) -> Any:
        try:
            pk = IdWidget().clean(row.get(self.resource.ID_COLUMN))
        except ValueError:
            return None
        return self.instances.get(pk) if pk is not None else None


class _NoDiff:
    """The library's HTML diff is not shown (the preview lists the changed fields itself, see
    :meth:`RegistryResource.changes`); ``skip_diff`` would also drop the original the changes need."""

    def __init__(self, resource: Any, instance: Any, new: bool) -> None:
        pass

    def compare_with(self, resource: Any, instance: Any) -> None:
        pass

    def as_html(self) -> list[str]:
        return []


class RegistryResource(resources.ModelResource):
    """What the partner and cooperation files share: ID matching, German row messages, the formula and
    duplicate checks, the dry run that writes nothing, writing through the services."""

    ID_COLUMN = "ID"
    VERSION_COLUMN = "Version"
    NAME_ATTRIBUTE = "name"

    def __init__(self, *, user: Any = None, municipality: Municipality | None = None,
                 lines: list[int] | None = None, cell_errors: dict[int, list[tuple[str, str]]] | None = None,
                 versions: dict[str, int] | None = None) -> None:
        super().__init__()
        self.user = user
        self.municipality = municipality
        self.lines = lines or []
        self.cell_errors = cell_errors or {}  # line -> (column, message) found while reading
        self.seen_versions = versions or {}  # versions read by the preview, checked again when writing
        self.reports: list[RowReport] = []
        self.current_line = 0

    # --- columns ------------------------------------------------------------------------

    @classmethod
    def get_diff_class(cls) -> Any:
        return _NoDiff

    _import_fields: list[Any] | None = None

    def get_import_fields(self) -> list[Any]:
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    @classmethod
    def columns(cls) -> list[str]:
        return [f.column_name for f in cls().get_export_fields()]

    # Read-only columns the import still reads (not written to the record directly).
    READ_COLUMNS: tuple[str, ...] = ()

    @classmethod
    def import_columns(cls) -> list[str]:
        return [f.column_name for f in cls().get_export_fields()
                if not f.readonly or f.column_name in cls.READ_COLUMNS]

    @classmethod
    def required_columns(cls) -> tuple[str, ...]:
        return ()

    def label(self, attribute: str) -> str:
        for f in self.fields.values():
            if f.attribute == attribute or f.column_name == attribute:
                return f.column_name
        return attribute

    # --- the run -----------------------------------------------------------------------

    def import_row(self, row: Any, instance_loader: Any, **kwargs: Any) -> RowResult:
        number = kwargs.get("row_number", 0)
        self.current_line = self.lines[number - 1] if 0 < number <= len(self.lines) else number + 1
        self._row, self._instance = row, None
        row_result = super().import_row(row, instance_loader, **kwargs)
        self.reports.append(self.report(row, row_result))
        return row_result

    _row: Any = None
    _instance: Any = None

    def after_init_instance(self, instance: Any, new: bool, row: Any, **kwargs: Any) -> None:
        self._instance = instance
        if new and str(row.get(self.ID_COLUMN) or "").strip():
            try:
                IdWidget().clean(row.get(self.ID_COLUMN))
            except ValueError as exc:
                raise ValidationError({self.ID_COLUMN: str(exc)}) from None
            raise ValidationError({self.ID_COLUMN: _(
                "there is no record with this ID in the registry. Leave the cell empty for a new entry."
            )})

    def row_checks(self, instance: Any, row: Any, errors: dict[str, list[str]]) -> None:
        """Checks of the whole row beyond the single cells (formulas, control characters, required)."""
        for column, message in self.cell_errors.get(self.current_line, []):
            errors.setdefault(column or NON_FIELD_ERRORS, []).append(message)
        for column, value in row.items():
            if isinstance(value, str) and has_control_characters(value):
                errors.setdefault(column, []).append(
                    _("the cell contains an invisible control character; please remove it."))

    def import_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        errors: dict[str, list[str]] = defaultdict(list)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            for attribute, messages in exc.message_dict.items():
                errors[self.label(attribute)].extend(messages)
        for f in self.get_import_fields():  # relations are set when writing; their cells are checked now
            if isinstance(f.widget, widgets.ManyToManyWidget) and not f.readonly and f.column_name in row:
                try:
                    f.clean(row)
                except ValueError as exc:
                    errors[f.column_name].append(str(exc))
        self.row_checks(instance, row, errors)
        errors = defaultdict(list, {k: v for k, v in errors.items() if v})
        if errors:
            raise ValidationError(dict(errors))

    def skip_row(self, instance: Any, original: Any, row: Any, import_validation_errors: Any = None) -> bool:
        if original is None or original.pk is None:
            return False  # a new row is never "unchanged"
        return bool(super().skip_row(instance, original, row, import_validation_errors))

    def may_edit(self, instance: Any) -> bool:
        raise NotImplementedError

    def validate_instance(self, instance: Any, import_validation_errors: Any = None, validate_unique: bool = True) -> None:
        """Reached only for new and changed rows (unchanged ones are skipped before): permission, version."""
        errors: dict[str, list[str]] = {}
        if import_validation_errors:
            errors.update({k: list(v) for k, v in import_validation_errors.items()})
        if instance.pk is not None:
            if not self.may_edit(instance):
                errors[NON_FIELD_ERRORS] = [_(
                    "this entry belongs to %(municipality)s; you may not change it here."
                ) % {"municipality": instance.municipality}]
            else:
                errors.update(self._version_errors(instance))
        elif self.municipality is not None and self.user is not None and not can_edit_municipality(
                self.user, self.municipality):
            errors[NON_FIELD_ERRORS] = [_("you may not add entries to this municipality.")]
        for key, messages in self.extra_errors(instance).items():
            errors.setdefault(key, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def extra_errors(self, instance: Any) -> dict[str, list[str]]:
        return {}

    def _version_errors(self, instance: Any) -> dict[str, list[str]]:
        text = str(self._row.get(self.VERSION_COLUMN) or "").strip() if self._row is not None else ""
        if text.isdigit() and int(text) != instance.version:
            return {NON_FIELD_ERRORS: [_(
                "the entry was changed in the registry after the file was exported (version %(current)s, "
                "the file has version %(file)s). Please export again and make your changes there."
            ) % {"current": instance.version, "file": text}]}
        return {}

    def report(self, row: Any, row_result: Any) -> RowReport:
        line = self.current_line
        report = RowReport(line=line, status="error", values={k: str(v or "") for k, v in row.items()})
        report.name = report.values.get(self.label(self.NAME_ATTRIBUTE), "")
        kind = row_result.import_type
        if kind == RowResult.IMPORT_TYPE_NEW:
            report.status = "new"
        elif kind == RowResult.IMPORT_TYPE_SKIP:
            report.status = "unchanged"
        elif kind == RowResult.IMPORT_TYPE_UPDATE:
            report.status = "changed"
            report.changes = self.changes(row_result.original, row_result.instance, row)
        elif kind == RowResult.IMPORT_TYPE_INVALID:
            error = row_result.validation_error
            error_dict = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
            for attribute, messages in error_dict.items():
                column = self.label(attribute) if attribute != NON_FIELD_ERRORS else ""
                report.errors.extend(self.message(line, column, message) for message in messages)
        else:
            report.errors.extend(self.message(line, "", self.error_text(e.error)) for e in row_result.errors)
        report.record_id = getattr(self._instance, "pk", None)
        return report

    def changes(self, original: Any, instance: Any, row: Any) -> list[Change]:
        found = []
        for f in self.get_import_fields():
            if f.readonly or f.column_name not in row:
                continue
            before = f.export(original)
            if isinstance(f.widget, widgets.ManyToManyWidget):
                after = self.m2m_text(f, row)
            else:
                after = f.export(instance)
            if before != after:
                found.append(Change(column=f.column_name, before=before, after=after))
        return found

    def m2m_text(self, f: Any, row: Any) -> str:
        return ", ".join(str(v) for v in f.clean(row))

    def run(self, dataset: Any, *, dry_run: bool) -> Any:
        """Import ``dataset`` (a dry run writes nothing); the per-row reports are in ``self.reports``."""
        self.reports = []
        return self.import_data(dataset, dry_run=dry_run, raise_errors=False, use_transactions=True)

    @staticmethod
    def message(line: int, column: str, text: Any) -> str:
        if column:
            return _("Row %(line)s, %(column)s: %(message)s") % {"line": line, "column": column, "message": text}
        return _("Row %(line)s: %(message)s") % {"line": line, "message": text}

    @staticmethod
    def error_text(error: Exception) -> str:
        if isinstance(error, EditConflict):
            return _("someone changed this entry meanwhile; nothing was imported. Please check the file again.")
        if isinstance(error, PermissionDenied):
            return _("you may not change this entry.")
        if isinstance(error, ValidationError):
            return "; ".join(error.messages)
        return _("the row could not be saved.")

    # --- writing -----------------------------------------------------------------------

    def save_instance(self, instance: Any, is_create: bool, row: Any, **kwargs: Any) -> None:
        if self._is_dry_run(kwargs):
            return  # the check writes nothing (no savepoint, history or search text)
        self.write(instance, is_create, row)

    def save_m2m(self, instance: Any, row: Any, **kwargs: Any) -> None:
        """Relations are written with the record (:meth:`write`)."""

    def write(self, instance: Any, is_create: bool, row: Any) -> None:
        raise NotImplementedError

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        """No sequence reset: records are written by the services (the database numbers them)."""


# --- Partners ----------------------------------------------------------------------------


def _text_field(attribute: str, column: str, widget: Any = None) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=widget or TextWidget())


class ActorResource(RegistryResource):
    """A municipality's partners: the same columns in the export, the template and the import."""

    id = fields.Field(attribute="id", column_name="ID", widget=IdWidget(), readonly=True)
    name = _text_field("name", "Name")
    actor_type = fields.Field(attribute="actor_type", column_name="Typ", widget=ActorTypeWidget())
    actor_type_name = fields.Field(attribute="actor_type__name", column_name="Typ (Bezeichnung)",
                                   widget=TextWidget(), readonly=True)
    sector = fields.Field(column_name="Sektor", widget=TextWidget(), readonly=True)
    traeger_kind = fields.Field(
        attribute="traeger_kind", column_name="Träger-Art",
        widget=ChoiceWidget(TraegerKind, default=TraegerKind.OTHER, aliases=TRAEGER_ALIASES,
                            allowed="öffentlich, frei, privat, sonstige"),
    )
    traeger_name = _text_field("traeger_name", "Träger")
    street = _text_field("street", "Straße")
    postal_code = _text_field("postal_code", "PLZ", PostalCodeWidget())
    city = _text_field("city", "Ort")
    phone = _text_field("phone", "Telefon")
    email = _text_field("email", "E-Mail", EmailWidget())
    website = _text_field("website", "Website", WebsiteWidget())
    offer = _text_field("offer", "Angebot")
    target_groups = fields.Field(attribute="target_groups", column_name="Zielgruppen", widget=TargetGroupsWidget())
    languages = _text_field("languages", "Sprachen")
    accessibility = _text_field("accessibility", "Barrierefreiheit")
    municipality_name = fields.Field(attribute="municipality__name", column_name="Kommune", widget=TextWidget(),
                                     readonly=True)
    verified_at = fields.Field(attribute="verified_at", column_name="Zuletzt geprüft", widget=GermanDateWidget(),
                               readonly=True)
    updated_at = fields.Field(attribute="updated_at", column_name="Zuletzt geändert", widget=GermanDateWidget(),
                              readonly=True)
    version = fields.Field(attribute="version", column_name="Version", widget=IdWidget(), readonly=True)

    # Other spellings offices use for the same columns (compared after normalisation).
    ALIASES: dict[str, tuple[str, ...]] = {
        "Name": ("Organisation", "Einrichtung"),
        "Typ": ("Partnerart", "Art", "Akteurstyp"),
        "Träger-Art": ("Trägerart", "Art des Trägers"),
        "Straße": ("Strasse", "Adresse", "Straße und Hausnummer"),
        "PLZ": ("Postleitzahl",),
        "Ort": ("Stadt",),
        "Telefon": ("Tel", "Tel."),
        "E-Mail": ("Email", "Mail"),
        "Website": ("Webseite", "Internet", "Homepage"),
        "Angebot": ("Angebote",),
        "Zielgruppen": ("Zielgruppe",),
    }

    class Meta:
        model = Actor
        import_id_fields = ["id"]
        fields = ("id", "name", "actor_type", "actor_type_name", "sector", "traeger_kind", "traeger_name", "street",
                  "postal_code", "city", "phone", "email", "website", "offer", "target_groups", "languages",
                  "accessibility", "municipality_name", "verified_at", "updated_at", "version")
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        store_instance = True
        clean_model_instances = False  # the services validate when writing; the cells are checked here
        instance_loader_class = _Loader

    MAX_LENGTHS = {f.name: f.max_length for f in Actor._meta.fields if getattr(f, "max_length", None)}
    # "Zuletzt geprüft" records that someone checked the entry: today's date there checks it (through
    # the service that records checks); it is never set to another day.
    VERIFIED = "Zuletzt geprüft"
    READ_COLUMNS = (VERIFIED,)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.created: list[tuple[Actor, list[TargetGroup]]] = []
        self.existing_keys: dict[tuple, tuple[int, str | None]] = {}
        self.existing_emails: dict[str, tuple[int, str | None]] = {}
        self.seen_keys: dict[tuple, int] = {}
        self.seen_emails: dict[str, int] = {}
        self._original_keys: dict[int, tuple[tuple, str]] = {}
        self._verify: set[int] = set()  # lines whose entry is checked today
        self._fields_changed: dict[int, bool] = {}

    @classmethod
    def required_columns(cls) -> tuple[str, ...]:
        return ("Name", "Typ")

    def get_queryset(self) -> Any:
        return Actor.objects.select_related("actor_type", "municipality__parent").prefetch_related("target_groups")

    def dehydrate_sector(self, actor: Actor) -> str:
        return str(actor.actor_type.get_sector_display())

    def may_edit(self, instance: Any) -> bool:
        return self.user is None or bool(can_edit_actor(self.user, instance))

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        """The partners a row could duplicate: same postal code or e-mail address (both indexed)."""
        postals, emails = set(), set()
        headers = dataset.headers or []
        for values in dataset:
            row = dict(zip(headers, values, strict=False))
            postal = str(row.get("PLZ") or "").strip()
            postals.update({postal, postal.zfill(5) if postal.isdigit() and len(postal) == 4 else postal})
            email = str(row.get("E-Mail") or "").strip().lower()
            if email:
                emails.add(email)
        candidates = Actor.objects.annotate(_sn_email=Lower("email")).filter(
            Q(postal_code__in=postals) | Q(_sn_email__in=emails))
        # A duplicate is named only if the importing person may see it.
        visible = None
        if self.user is not None:
            visible = set(actors_visible_to(self.user).filter(pk__in=candidates.values("pk"))
                          .values_list("pk", flat=True))
        for pk, name, street, postal, city, email in candidates.values_list(
                "pk", "name", "street", "postal_code", "city", "email"):
            shown = name if visible is None or pk in visible else None
            self.existing_keys.setdefault(name_address_key(name, street, postal, city), (pk, shown))
            if email:
                self.existing_emails.setdefault(email.strip().lower(), (pk, shown))

    def row_checks(self, instance: Any, row: Any, errors: dict[str, list[str]]) -> None:
        super().row_checks(instance, row, errors)
        if "Name" in row and not instance.name and not errors.get("Name"):
            errors["Name"].append(_("please enter the name of the organisation."))
        for attribute, limit in self.MAX_LENGTHS.items():
            value = getattr(instance, attribute, None)
            if isinstance(value, str) and len(value) > limit:
                errors[self.label(attribute)].append(_("at most %(max)s characters allowed.") % {"max": limit})
        self._verify.discard(self.current_line)
        if str(row.get(self.VERIFIED) or "").strip() and not errors.get(self.VERIFIED):
            try:
                day = german_date(str(row[self.VERIFIED]))
            except ValueError as exc:
                errors[self.VERIFIED].append(str(exc))
                return
            stored = timezone.localdate(instance.verified_at) if instance.verified_at else None
            today = timezone.localdate()
            if day != stored:
                if day == today:
                    self._verify.add(self.current_line)
                else:
                    errors[self.VERIFIED].append(_(
                        "the date records that the entry was checked: enter today's date (%(today)s) when you have "
                        "checked it; another day cannot be entered."
                    ) % {"today": today.strftime(GERMAN_DATE)})

    def skip_row(self, instance: Any, original: Any, row: Any, import_validation_errors: Any = None) -> bool:
        unchanged = super().skip_row(instance, original, row, import_validation_errors)
        self._fields_changed[self.current_line] = not unchanged
        return unchanged and self.current_line not in self._verify

    def changes(self, original: Any, instance: Any, row: Any) -> list[Change]:
        found = super().changes(original, instance, row)
        if self.current_line in self._verify:
            widget = GermanDateWidget()
            found.append(Change(column=self.VERIFIED, before=widget.render(original.verified_at),
                                after=widget.render(timezone.localdate())))
        return found

    def extra_errors(self, instance: Any) -> dict[str, list[str]]:
        """Duplicates of new and changed rows: same name and address (in its usual spellings) or same
        e-mail address, within the file and in the registry."""
        errors: list[str] = []
        original = self._original_keys.get(instance.pk) if instance.pk else None
        key = name_address_key(instance.name, instance.street, instance.postal_code, instance.city)
        email = (instance.email or "").strip().lower()
        if instance.name and (original is None or original[0] != key):
            if key in self.seen_keys:
                errors.append(_("Duplicate: same name and address as row %(line)s.") % {"line": self.seen_keys[key]})
            elif key in self.existing_keys and self.existing_keys[key][0] != instance.pk:
                shown = self.existing_keys[key][1]
                errors.append(
                    _("Duplicate: “%(name)s” with this address is already in the registry.") % {"name": shown}
                    if shown is not None else
                    _("Duplicate: a partner with this name and address is already in the registry."))
        if email and (original is None or original[1] != email):
            if email in self.seen_emails:
                errors.append(_("Duplicate: same e-mail address as row %(line)s.") % {"line": self.seen_emails[email]})
            elif email in self.existing_emails and self.existing_emails[email][0] != instance.pk:
                shown = self.existing_emails[email][1]
                errors.append(
                    _("Duplicate: the e-mail address is already used by “%(name)s” in the registry.") % {"name": shown}
                    if shown is not None else _("Duplicate: the e-mail address is already registered."))
        if instance.name:
            self.seen_keys.setdefault(key, self.current_line)
        if email:
            self.seen_emails.setdefault(email, self.current_line)
        return {NON_FIELD_ERRORS: errors} if errors else {}

    def after_init_instance(self, instance: Any, new: bool, row: Any, **kwargs: Any) -> None:
        super().after_init_instance(instance, new, row, **kwargs)
        if new:
            instance.traeger_kind = TraegerKind.OTHER  # unless the file says otherwise
        else:
            self._original_keys[instance.pk] = (
                name_address_key(instance.name, instance.street, instance.postal_code, instance.city),
                (instance.email or "").strip().lower(),
            )

    def m2m_text(self, f: Any, row: Any) -> str:
        return ", ".join(group.name for group in f.clean(row))

    def write(self, instance: Any, is_create: bool, row: Any) -> None:
        groups = self.fields["target_groups"].clean(row) if "Zielgruppen" in row else None
        verify = self.current_line in self._verify
        if is_create:
            instance.municipality = self.municipality
            if verify:
                instance.verified_at = timezone.now()
                instance.verified_by = self.user if getattr(self.user, "is_authenticated", False) else None
            self.created.append((instance, groups or []))
            return
        version = self.seen_versions.get(str(instance.pk), instance.version)
        if self._fields_changed.get(self.current_line, True):
            data: dict[str, Any] = {name: getattr(instance, name) for name in services.ACTOR_FIELDS}
            if groups is not None:
                data["target_groups"] = groups
            instance = services.actor_update(actor=instance, data=data, version=version, by=self.user)
            version = instance.version
        if verify:
            services.actor_verify(actor=instance, by=self.user, version=version)

    def after_import(self, dataset: Any, result: Any, **kwargs: Any) -> None:
        if self._is_dry_run(kwargs) or not self.created or result.has_errors() or result.has_validation_errors():
            return
        if self.user is not None and not can_edit_municipality(self.user, self.municipality):
            raise PermissionDenied
        insert_actors(self.created, by=self.user)


def insert_actors(rows: list[tuple[Actor, list[TargetGroup]]], *, by: Any) -> list[Actor]:
    """New partners, their target groups and their "imported" history rows, written in bulk (COPY on
    PostgreSQL); the rows ``simple_history``'s ``bulk_create_with_history`` writes."""
    actors = [actor for actor, _groups in rows]
    for actor in actors:
        # Relations were resolved from the database while checking; check the plain fields.
        actor.clean_fields(exclude=["uuid", "actor_type", "municipality", "verified_by"])
    bulk_insert(Actor, actors, batch_size=2000)
    if not all(a.pk for a in actors):
        # Backends without RETURNING: fetch the new rows by their UUIDs.
        by_uuid = {a.uuid: a.pk for a in Actor.objects.filter(uuid__in=[a.uuid for a in actors])}
        for actor in actors:
            actor.pk = by_uuid[actor.uuid]
    historical = Actor.history.model
    now = timezone.now()
    user = by if getattr(by, "is_authenticated", False) else None
    bulk_insert(historical, [
        historical(
            history_date=now, history_user=user, history_change_reason=Reason.IMPORT.value, history_type="+",
            **{f.attname: getattr(actor, f.attname) for f in historical.tracked_fields},
        )
        for actor in actors
    ], batch_size=2000)
    through = Actor.target_groups.through
    bulk_insert(through, [through(actor_id=actor.pk, targetgroup_id=group.pk)
                          for actor, groups in rows for group in groups])
    search.refresh(Actor, pks=[actor.pk for actor in actors])
    pagecache.bump()  # bulk inserts send no signals
    return actors


# --- Cooperations -------------------------------------------------------------------------


class CooperationResource(RegistryResource):
    """A municipality's cooperations: partners named by the IDs of the partner file."""

    NAME_ATTRIBUTE = "title"

    id = fields.Field(attribute="id", column_name="ID", widget=IdWidget(), readonly=True)
    title = _text_field("title", "Titel")
    kind = fields.Field(
        attribute="kind", column_name="Art",
        widget=ChoiceWidget(CooperationKind, allowed=", ".join(str(label) for _v, label in CooperationKind.choices)),
    )
    actors = fields.Field(attribute="actors", column_name="Partner-IDs", widget=PartnersWidget())
    partner_names = fields.Field(column_name="Partner", widget=TextWidget(), readonly=True)
    since = fields.Field(attribute="since", column_name="Seit", widget=GermanDateWidget())
    meeting_frequency = _text_field("meeting_frequency", "Wie oft")
    description = _text_field("description", "Beschreibung")
    link = _text_field("link", "Link", WebsiteWidget())
    municipality_name = fields.Field(attribute="municipality__name", column_name="Kommune", widget=TextWidget(),
                                     readonly=True)
    updated_at = fields.Field(attribute="updated_at", column_name="Zuletzt geändert", widget=GermanDateWidget(),
                              readonly=True)
    version = fields.Field(attribute="version", column_name="Version", widget=IdWidget(), readonly=True)

    ALIASES: dict[str, tuple[str, ...]] = {
        "Titel": ("Name", "Bezeichnung"), "Art": ("Form",), "Seit": ("Beginn", "Seit dem"),
        "Wie oft": ("Turnus", "Häufigkeit"),
    }

    class Meta:
        model = Cooperation
        import_id_fields = ["id"]
        fields = ("id", "title", "kind", "actors", "partner_names", "since", "meeting_frequency", "description",
                  "link", "municipality_name", "updated_at", "version")
        skip_unchanged = True
        report_skipped = True
        skip_html_diff = True
        store_instance = True
        clean_model_instances = False
        instance_loader_class = _Loader

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._partners: dict[int, dict[int, Actor]] = {}
        self._partner_errors: list[str] = []

    @classmethod
    def required_columns(cls) -> tuple[str, ...]:
        return ("Titel", "Art", "Partner-IDs")

    def get_queryset(self) -> Any:
        return Cooperation.objects.select_related("municipality__parent").prefetch_related("actors")

    def dehydrate_partner_names(self, cooperation: Cooperation) -> str:
        return "; ".join(actor.name for actor in cooperation.actors.all())

    def may_edit(self, instance: Any) -> bool:
        return self.user is None or bool(can_edit_cooperation(self.user, instance))

    def _choices(self, municipality: Municipality | None) -> dict[int, Actor]:
        if municipality is None:
            return {}
        if municipality.pk not in self._partners:
            self._partners[municipality.pk] = {
                actor.pk: actor for actor in selectors.cooperation_actor_choices(municipality=municipality)}
        return self._partners[municipality.pk]

    def partners(self, instance: Any, row: Any) -> list[Actor]:
        """The row's partners, resolved among those a cooperation of its municipality may link."""
        municipality = instance.municipality if instance.pk else self.municipality
        choices = dict(self._choices(municipality))
        if instance.pk:
            choices.update({actor.pk: actor for actor in instance.actors.all()})
        by_name: dict[str, list[Actor]] = defaultdict(list)
        for actor in choices.values():
            by_name[normalize(actor.name)].append(actor)
        found: list[Actor] = []
        self._partner_errors = []
        for token in self.fields["actors"].clean(row):
            actor = choices.get(int(token)) if token.isdigit() else None
            if actor is None and not token.isdigit():
                named = by_name.get(normalize(token), [])
                actor = named[0] if len(named) == 1 else None
            if actor is None:
                self._partner_errors.append(_("no partner “%(value)s” in this municipality's network.")
                                            % {"value": excerpt(token)})
            elif actor not in found:
                found.append(actor)
        return found

    def import_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        errors: dict[str, list[str]] = defaultdict(list)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors.update({k: list(v) for k, v in exc.message_dict.items()})
        if "Partner-IDs" in row:
            partners = self.partners(instance, row)
            errors["Partner-IDs"].extend(self._partner_errors)
            if not self._partner_errors and len(partners) < 2:
                errors["Partner-IDs"].append(_("a cooperation needs at least two partners."))
        if "Titel" in row and not instance.title:
            errors["Titel"].append(_("please enter the title of the cooperation."))
        errors = {k: v for k, v in errors.items() if v}
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance: Any, original: Any, row: Any, import_validation_errors: Any = None) -> bool:
        if import_validation_errors:
            return False
        for f in self.get_import_fields():
            if f.readonly or f.column_name not in row:
                continue
            if f.attribute == "actors":
                wanted = sorted(a.pk for a in self.partners(instance, row))
                current = sorted(a.pk for a in original.actors.all()) if original.pk else []
                if wanted != current:
                    return False
            elif f.get_value(instance) != f.get_value(original):
                return False
        return original.pk is not None

    def m2m_text(self, f: Any, row: Any) -> str:
        return ", ".join(str(pk) for pk in sorted(a.pk for a in self._last_partners))

    _last_partners: list[Actor] = []

    def changes(self, original: Any, instance: Any, row: Any) -> list[Change]:
        self._last_partners = self.partners(instance, row) if "Partner-IDs" in row else []
        return super().changes(original, instance, row)

    def write(self, instance: Any, is_create: bool, row: Any) -> None:
        data: dict[str, Any] = {name: getattr(instance, name) for name in services.COOPERATION_FIELDS
                                if name != "document"}
        if "Partner-IDs" in row:
            data["actors"] = self.partners(instance, row)
        if is_create:
            created = services.cooperation_create(municipality=self.municipality, data=data, by=self.user)
            instance.pk = created.pk
            return
        version = self.seen_versions.get(str(instance.pk), instance.version)
        services.cooperation_update(cooperation=instance, data=data, version=version, by=self.user)
