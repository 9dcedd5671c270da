"""What an example's content consists of, declared once.

Every write to an example travels as a *snapshot*: a plain dict of its content, which a revision
stores and the editorial team reviews. The declaration :data:`FIELDS` lists each part of it with
its kind and label, in the order pages show them. Everything else derives from it: the canonical
form of a snapshot (:func:`normalise`), the snapshot of an example's columns (:func:`snapshot_of`),
copying a snapshot into the columns (:func:`apply`), the field-by-field difference of two snapshots
(:func:`diff`), the editor's form (``guidance.catalogue.forms``) and the labels of the history.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from guidance import selectors as roadmap
from guidance.catalogue.models import (
    Criterion,
    Example,
    ExampleCriterion,
    ExampleLink,
    ExampleParticipant,
    Keyword,
    LegalForm,
)
from networks import selectors as registry
from portal.core.locking import FieldChange


class Kind(enum.Enum):
    TEXT = "text"  # a text column
    NUMBER = "number"  # a small whole number column (a year, a month)
    REFERENCE = "reference"  # the id of one related object (a foreign key column)
    REFERENCES = "references"  # the ids of related objects (a many-to-many relation)
    PARTICIPANTS = "participants"  # [{"actor": id or None, "name": text}]
    LINKS = "links"  # [{"url": ..., "label": ...}]
    CRITERIA = "criteria"  # [{"criterion": value, "justification": text}]


class Section(enum.Enum):
    """The parts of an example as the editor groups them, in this order."""

    TITLE = "title"
    PEOPLE = "people"
    WORK = "work"
    CONTACT = "contact"
    CLASSIFICATION = "classification"
    CRITERIA = "criteria"


SECTION_LABELS = {
    Section.TITLE: _("Title and municipalities"),
    Section.PEOPLE: _("Who takes part"),
    Section.WORK: _("What was done"),
    Section.CONTACT: _("Contact and links"),
    Section.CLASSIFICATION: _("Classification"),
    Section.CRITERIA: _("Good-practice criteria (optional)"),
}


@dataclass(frozen=True)
class ContentField:
    name: str
    kind: Kind
    section: Section
    label: Any = None  # a lazy text; None: the model field's verbose name
    names: Callable[[Iterable[int]], Mapping[int, str]] | None = None  # ids -> names, for references
    choices: Mapping[Any, Any] | None = None  # value -> label, for choice columns

    @property
    def verbose_label(self) -> str:
        if self.label is not None:
            return str(self.label)
        return str(capfirst(getattr(Example._meta.get_field(self.name), "verbose_name", self.name)))


def _keyword_names(ids: Iterable[int]) -> Mapping[int, str]:
    return dict(Keyword.objects.filter(pk__in=list(ids)).values_list("pk", "name"))


FIELDS: tuple[ContentField, ...] = (
    ContentField("title", Kind.TEXT, Section.TITLE),
    ContentField("municipality", Kind.REFERENCE, Section.TITLE, names=lambda ids: registry.municipality_names(ids=ids)),
    ContentField("municipalities", Kind.REFERENCES, Section.TITLE,
                 names=lambda ids: registry.municipality_names(ids=ids)),
    ContentField("keywords", Kind.REFERENCES, Section.TITLE, names=_keyword_names),
    ContentField("free_tags", Kind.TEXT, Section.TITLE),
    ContentField("lead_actor", Kind.REFERENCE, Section.PEOPLE, names=lambda ids: registry.actor_names(ids=ids)),
    ContentField("lead_name", Kind.TEXT, Section.PEOPLE),
    ContentField("participants", Kind.PARTICIPANTS, Section.PEOPLE, label=_("Other participants")),
    ContentField("occasion", Kind.TEXT, Section.WORK),
    ContentField("goal", Kind.TEXT, Section.WORK),
    ContentField("implementation", Kind.TEXT, Section.WORK),
    ContentField("financing", Kind.TEXT, Section.WORK),
    ContentField("legal_form", Kind.TEXT, Section.WORK, choices=dict(LegalForm.choices)),
    ContentField("since_month", Kind.NUMBER, Section.WORK, choices=MONTHS),
    ContentField("since_year", Kind.NUMBER, Section.WORK),
    ContentField("contact_organisation", Kind.TEXT, Section.CONTACT),
    ContentField("contact_address", Kind.TEXT, Section.CONTACT),
    ContentField("contact_phone", Kind.TEXT, Section.CONTACT),
    ContentField("contact_email", Kind.TEXT, Section.CONTACT),
    ContentField("links", Kind.LINKS, Section.CONTACT, label=_("Links")),
    ContentField("steps", Kind.REFERENCES, Section.CLASSIFICATION, names=lambda ids: roadmap.step_names(ids=ids)),
    ContentField("target_groups", Kind.REFERENCES, Section.CLASSIFICATION,
                 names=lambda ids: registry.target_group_names(ids=ids)),
    ContentField("figures_note", Kind.TEXT, Section.CLASSIFICATION),
    ContentField("criteria", Kind.CRITERIA, Section.CRITERIA, label=_("Good-practice criteria met")),
)
BY_NAME = {field.name: field for field in FIELDS}
NAMES = tuple(field.name for field in FIELDS)
COLUMNS = tuple(f.name for f in FIELDS if f.kind in (Kind.TEXT, Kind.NUMBER))
REFERENCES = tuple(f.name for f in FIELDS if f.kind is Kind.REFERENCE)
# The editor's field for a part whose form differs from its name (for messages on the form).
FORM_FIELD = {"participants": "participant_names"}
RELATIONS = tuple(f.name for f in FIELDS if f.kind is Kind.REFERENCES)


def label(name: str) -> str:
    """The label of a part of the content (also of parts no longer declared: their name)."""
    field = BY_NAME.get(name)
    return field.verbose_label if field else name


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str:
    """Stripped text with line feeds only: a browser sends a textarea's lines ended by CR LF."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.strip().split("\n"))


_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def _comparable(field: ContentField, value: Any) -> Any:
    """What counts when two snapshots are compared: the words and paragraphs of a text, not the spaces
    between them; the members of a list, not their order (references are kept sorted already)."""
    if isinstance(value, str):
        return _same_spaces(value)
    if field.kind in (Kind.PARTICIPANTS, Kind.LINKS, Kind.CRITERIA):
        # each item as text, so that items with and without a registry id sort together
        return sorted(repr(sorted((key, _same_spaces(item[key]) if isinstance(item[key], str) else item[key])
                                  for key in item)) for item in value)
    return value


def _same_spaces(text: str) -> str:
    return _BLANK_LINES.sub("\n\n", _SPACES.sub(" ", text))


def normalise(data: Mapping[str, Any] | None) -> dict[str, Any]:
    """A snapshot with every part present and in canonical form (sorted ids, stripped text)."""
    data = data or {}
    out: dict[str, Any] = {}
    for field in FIELDS:
        value = data.get(field.name)
        if field.kind is Kind.TEXT:
            out[field.name] = _text(value)
        elif field.kind in (Kind.NUMBER, Kind.REFERENCE):
            out[field.name] = _int_or_none(value)
        elif field.kind is Kind.REFERENCES:
            out[field.name] = sorted({number for v in value or [] if (number := _int_or_none(v)) is not None})
        elif field.kind is Kind.PARTICIPANTS:
            out[field.name] = [
                {"actor": _int_or_none(p.get("actor")), "name": _text(p.get("name"))}
                for p in value or [] if _text(p.get("name"))
            ]
        elif field.kind is Kind.LINKS:
            out[field.name] = [
                {"url": _text(link.get("url")), "label": _text(link.get("label"))}
                for link in value or [] if _text(link.get("url"))
            ]
        elif field.kind is Kind.CRITERIA:
            given = {
                c.get("criterion"): _text(c.get("justification"))
                for c in value or [] if c.get("criterion") in Criterion.values and _text(c.get("justification"))
            }
            out[field.name] = [{"criterion": key, "justification": given[key]} for key in Criterion.values if key in given]
    return out


def snapshot_of(example: Example) -> dict[str, Any]:
    """The content in the example's columns (the published text once it has been published)."""
    data: dict[str, Any] = {name: getattr(example, name) for name in COLUMNS}
    data.update({name: getattr(example, f"{name}_id") for name in REFERENCES})
    data.update({name: [obj.pk for obj in getattr(example, name).all()] for name in RELATIONS})
    data["participants"] = [{"actor": p.actor_id, "name": p.name} for p in example.participants.all()]
    data["links"] = [{"url": link.url, "label": link.label} for link in example.links.all()]
    data["criteria"] = [{"criterion": c.criterion, "justification": c.justification} for c in example.criteria.all()]
    return normalise(data)


def search_texts(data: Mapping[str, Any]) -> dict[str, str]:
    """The texts the example's search vector reads besides its columns: keyword names with the free
    tags, and the participants' names."""
    keywords = _keyword_names(data["keywords"])
    return {
        "keywords_text": " ".join([keywords[pk] for pk in data["keywords"] if pk in keywords]
                                  + [tag.strip() for tag in data["free_tags"].split(",") if tag.strip()]),
        "participants_text": " ".join(p["name"] for p in data["participants"]),
    }


def apply(example: Example, data: Mapping[str, Any], *, known_actors: set[int]) -> None:
    """Copy a normalised snapshot into the example's columns and related rows and save it.

    ``known_actors``: the ids of the snapshot's participants that still exist in the registry."""
    for name in COLUMNS:
        setattr(example, name, data[name])
    for name in REFERENCES:
        setattr(example, f"{name}_id", data[name])
    for name, value in search_texts(data).items():
        setattr(example, name, value)
    example.full_clean(exclude=["slug", *RELATIONS])
    example.save()
    for name in RELATIONS:
        getattr(example, name).set(data[name])
    example.participants.all().delete()
    ExampleParticipant.objects.bulk_create(
        ExampleParticipant(example=example, actor_id=p["actor"] if p["actor"] in known_actors else None,
                           name=p["name"], order=i)
        for i, p in enumerate(data["participants"])
    )
    example.links.all().delete()
    ExampleLink.objects.bulk_create(
        ExampleLink(example=example, url=link["url"], label=link["label"], order=i)
        for i, link in enumerate(data["links"])
    )
    example.criteria.all().delete()
    ExampleCriterion.objects.bulk_create(
        ExampleCriterion(example=example, criterion=c["criterion"], justification=c["justification"])
        for c in data["criteria"]
    )


def _display(field: ContentField, value: Any, names: Mapping[int, str]) -> str:
    if value in (None, "", []):
        return "–"
    if field.choices is not None:
        return str(field.choices.get(value, value))
    if field.kind is Kind.REFERENCE:
        return names.get(value, f"#{value}")
    if field.kind is Kind.REFERENCES:
        return ", ".join(names.get(v, f"#{v}") for v in value)
    if field.kind is Kind.PARTICIPANTS:
        return "\n".join(p["name"] + (" ↗" if p["actor"] else "") for p in value)
    if field.kind is Kind.LINKS:
        return "\n".join(f"{link['label']} <{link['url']}>" if link["label"] else link["url"] for link in value)
    if field.kind is Kind.CRITERIA:
        return "\n".join(f"{Criterion(c['criterion']).label}: {c['justification']}" for c in value)
    return str(value)


def changed(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[str]:
    """The names of the parts that differ between two snapshots, in declaration order."""
    old, new = normalise(old), normalise(new)
    return [field.name for field in FIELDS
            if _comparable(field, old[field.name]) != _comparable(field, new[field.name])]


def diff(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None,
         who: Mapping[str, tuple[str, Any]] | None = None) -> list[FieldChange]:
    """The parts that differ between two snapshots, with readable earlier and later values.

    ``who`` maps a part's name to (person, time) of its last change, where known."""
    old, new = normalise(old), normalise(new)
    result = []
    for name in changed(old, new):
        field = BY_NAME[name]
        names: Mapping[int, str] = {}
        if field.names is not None:
            ids: Sequence[int] = ([v for v in (old[name], new[name]) if v is not None] if field.kind is Kind.REFERENCE
                                  else sorted(set(old[name]) | set(new[name])))
            names = field.names(ids) if ids else {}
        by, at = (who or {}).get(name, ("", None))
        result.append(FieldChange(field=name, label=field.verbose_label, before=_display(field, old[name], names),
                                  after=_display(field, new[name], names), by=by, at=at))
    return result
