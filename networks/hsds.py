"""The registry as Open Referral HSDS 3.0 records: services, organizations, service at locations,
taxonomies and taxonomy terms, as the HSDS API (``networks/api``) and the downloads serve them.

Every partner (``Actor``) is one organization offering one service at (at most) one location.

- **Ids are stable.** An organization's id is the partner's stored uuid. A service's and a service at
  location's id are that uuid with a fixed bit pattern flipped (``_SERVICE_MASK``, ``_SAL_MASK``): distinct
  per record type, the same in every export, and reversible, so ``/services/{id}`` finds the partner by
  its indexed uuid. Nested records (locations, phones, attributes, service areas ...) and taxonomy terms
  have uuid5 ids from a fixed namespace and their natural key, so they stay the same between exports too.
- **No personal data.** Contact persons (``ContactPerson``) never appear: an organization's only contact
  is its general one (its public e-mail address and phone number).
- **Deactivated partners** stay in the API's feed with ``status: inactive`` (a harvester learns that
  they ended); the per-municipality download lists the current network, the active partners only.
- **Taxonomies** the portal publishes and serves itself: the partner types, the target groups and the
  features (accessibility), each term with a ``term_uri`` under ``/api/hsds/taxonomy_terms/{id}``.
- **Extensions** (documented in the README): a service area carries the municipality's
  ``ags`` (Amtlicher Gemeindeschlüssel) and ``regional_key`` (Regionalschlüssel).
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.urls import reverse

from networks.models import Actor, ActorType, Municipality, TargetGroup, TraegerKind
from networks.selectors import active_actors_for, hsds_actors

HSDS_VERSION = "3.0"
PUBLISHER = "Starkes Netz"
# The namespace of every derived id; unchanged since the first HSDS export (the ids of taxonomy terms,
# locations, phones and addresses of earlier exports stay valid).
NAMESPACE = uuid.UUID("7c1f6a52-3f0e-4b8e-9a43-5b0d8c7e2a10")
# XOR masks that turn a partner's uuid into its service's / service at location's id and back. Their
# version and variant bits are zero, so a version 4 uuid stays a valid version 4 uuid.
_SERVICE_MASK = uuid.UUID("5a1c3e7f-9b2d-0e4f-1a6c-8d1e2f3a4b5c").int
_SAL_MASK = uuid.UUID("c3d2e1f0-a9b8-0c7d-2e6f-5a4b3c2d1e0f").int
GENERAL_CONTACT = "Allgemeiner Kontakt"


def derived_id(kind: str, key: Any) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def service_id(actor: Actor) -> str:
    return str(uuid.UUID(int=actor.uuid.int ^ _SERVICE_MASK))


def service_at_location_id(actor: Actor) -> str:
    return str(uuid.UUID(int=actor.uuid.int ^ _SAL_MASK))


def actor_uuid_of_service(record_id: uuid.UUID) -> uuid.UUID:
    return uuid.UUID(int=record_id.int ^ _SERVICE_MASK)


def actor_uuid_of_service_at_location(record_id: uuid.UUID) -> uuid.UUID:
    return uuid.UUID(int=record_id.int ^ _SAL_MASK)


# --- links ---------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _api_path(name: str, pk: str) -> str:
    """The path of a taxonomy or term record, resolved once per process (a Kreis's document names the
    same few terms thousands of times)."""
    return reverse(name, kwargs={"pk": pk})


@dataclass(frozen=True)
class Links:
    """Absolute addresses of the portal's pages and API records (``base``: scheme and host)."""

    base: str

    def url(self, path: str) -> str:
        return self.base.rstrip("/") + path

    def term(self, term_id: str) -> str:
        return self.url(_api_path("hsds-api:taxonomy-term-detail", term_id))

    def taxonomy(self, taxonomy_id: str) -> str:
        return self.url(_api_path("hsds-api:taxonomy-detail", taxonomy_id))

    def municipality(self, municipality: Municipality) -> str:
        return self.url(_filled("networks:municipality-detail", "slug", municipality.slug))

    def actor(self, actor: Actor) -> str:
        return self.url(_filled("networks:actor-detail", "pk", actor.pk))


_PLACEHOLDER = "0000000000"  # a valid slug and pk that no real record has as part of its path


@lru_cache(maxsize=64)
def _pattern(name: str, key: str) -> tuple[str, str]:
    """A page's path around its one keyword argument, resolved once per process: thousands of records
    in one document cost one ``reverse()`` each kind, not one each."""
    before, _found, after = reverse(name, kwargs={key: _PLACEHOLDER}).partition(_PLACEHOLDER)
    return before, after


def _filled(name: str, key: str, value: Any) -> str:
    before, after = _pattern(name, key)
    return f"{before}{value}{after}"


# --- taxonomies ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Taxonomy:
    key: str
    name: str
    description: str

    @property
    def id(self) -> str:
        return derived_id("taxonomy", self.key)


PARTNER_TYPES = Taxonomy(
    "partner-types", "Starkes Netz: Partnertypen",
    "Die Arten von Netzwerkpartnern (Jugendamt, Suchtberatung, Frühe Hilfen ...) im Register von Starkes Netz.",
)
TARGET_GROUPS = Taxonomy(
    "target-groups", "Starkes Netz: Zielgruppen", "Die Zielgruppen, an die sich die Angebote der Netzwerkpartner richten.",
)
FEATURES = Taxonomy(
    "features", "Starkes Netz: Merkmale",
    "Merkmale eines Angebots, deren Wert das Attribut trägt (z. B. die Barrierefreiheit als Freitext).",
)
TAXONOMIES = (PARTNER_TYPES, TARGET_GROUPS, FEATURES)
ACCESSIBILITY_CODE = "barrierefreiheit"


@dataclass(frozen=True)
class Term:
    id: str
    code: str
    name: str
    description: str
    taxonomy: Taxonomy


def actor_type_term(actor_type: ActorType) -> Term:
    return Term(
        derived_id("actor-type", actor_type.slug), actor_type.slug, actor_type.name,
        actor_type.description or actor_type.name, PARTNER_TYPES,
    )


def target_group_term(group: TargetGroup) -> Term:
    return Term(derived_id("target-group", group.slug), group.slug, group.name, group.name, TARGET_GROUPS)


ACCESSIBILITY_TERM = Term(
    derived_id("feature", ACCESSIBILITY_CODE), ACCESSIBILITY_CODE, "Barrierefreiheit",
    "Wie barrierefrei das Angebot zugänglich ist (Freitext im Wert des Attributs).", FEATURES,
)


def all_terms(*, actor_types: Iterable[ActorType], target_groups: Iterable[TargetGroup]) -> list[Term]:
    """Every published term: the partner types, the target groups, the features."""
    return [*map(actor_type_term, actor_types), *map(target_group_term, target_groups), ACCESSIBILITY_TERM]


def taxonomy_record(taxonomy: Taxonomy, links: Links) -> dict:
    return {
        "id": taxonomy.id,
        "name": taxonomy.name,
        "description": taxonomy.description,
        "uri": links.taxonomy(taxonomy.id),
        "version": "1",
        "metadata": [],
    }


def term_record(term: Term, links: Links) -> dict:
    return dict(_term_record(term, links))


@lru_cache(maxsize=4096)
def _term_record(term: Term, links: Links) -> dict:
    return {
        "id": term.id,
        "code": term.code,
        "name": term.name,
        "description": term.description,
        "taxonomy": term.taxonomy.name,
        "taxonomy_id": term.taxonomy.id,
        "language": "de",
        "term_uri": links.term(term.id),
        "metadata": [],
    }


# --- languages -----------------------------------------------------------------------------------

# German names of languages (as people type them in the registry) -> ISO 639 codes. German Sign
# Language has no ISO 639-1 code: ISO 639-3 "gsg" (the older "sgn-de" is no language code).
LANGUAGES: dict[str, tuple[str, str]] = {
    "deutsch": ("de", "Deutsch"),
    "türkisch": ("tr", "Türkisch"),
    "arabisch": ("ar", "Arabisch"),
    "englisch": ("en", "Englisch"),
    "russisch": ("ru", "Russisch"),
    "polnisch": ("pl", "Polnisch"),
    "ukrainisch": ("uk", "Ukrainisch"),
    "französisch": ("fr", "Französisch"),
    "italienisch": ("it", "Italienisch"),
    "spanisch": ("es", "Spanisch"),
    "persisch": ("fa", "Persisch (Farsi)"),
    "farsi": ("fa", "Persisch (Farsi)"),
    "dari": ("prs", "Dari"),
    "kurdisch": ("ku", "Kurdisch"),
    "rumänisch": ("ro", "Rumänisch"),
    "bulgarisch": ("bg", "Bulgarisch"),
    "serbisch": ("sr", "Serbisch"),
    "kroatisch": ("hr", "Kroatisch"),
    "bosnisch": ("bs", "Bosnisch"),
    "albanisch": ("sq", "Albanisch"),
    "griechisch": ("el", "Griechisch"),
    "portugiesisch": ("pt", "Portugiesisch"),
    "niederländisch": ("nl", "Niederländisch"),
    "vietnamesisch": ("vi", "Vietnamesisch"),
    "tigrinya": ("ti", "Tigrinya"),
    "somali": ("so", "Somali"),
    "paschtu": ("ps", "Paschtu"),
    "gebärdensprache": ("gsg", "Deutsche Gebärdensprache"),
    "deutsche gebärdensprache": ("gsg", "Deutsche Gebärdensprache"),
    "dgs": ("gsg", "Deutsche Gebärdensprache"),
    "leichte sprache": ("de", "Deutsch (Leichte Sprache)"),
}
_LANGUAGE_SPLIT = re.compile(r"\s*(?:[,;+]|\bund\b|\bsowie\b|&)\s*", re.IGNORECASE)


def languages(text: str) -> list[tuple[str, str]]:
    """The (ISO 639 code, name) of each language ``text`` names ("Deutsch, Türkisch und Arabisch",
    "Persisch/Farsi"), in order, once each; names it does not know are left out."""
    found: dict[str, str] = {}
    for part in _LANGUAGE_SPLIT.split(text or ""):
        key = part.strip(" .()").lower()
        if not key:
            continue
        candidates = [key] if key in LANGUAGES else [p.strip(" .()") for p in re.split(r"[/()]", key)]
        for candidate in candidates:
            if candidate in LANGUAGES:
                code, name = LANGUAGES[candidate]
                found.setdefault(code, name)
                break
    return list(found.items())


# --- records -------------------------------------------------------------------------------------


def _phones(actor: Actor, kind: str, **links: str) -> list[dict]:
    if not actor.phone:
        return []
    return [{
        "id": derived_id(f"{kind}-phone", actor.uuid),
        **links,
        "number": actor.phone,
        "type": "voice",
        "languages": [],
        "attributes": [],
        "metadata": [],
    }]


def _general_contact(actor: Actor) -> list[dict]:
    """The organization's general contact (its public e-mail and phone), never a person."""
    if not (actor.email or actor.phone):
        return []
    contact_id = derived_id("contact", actor.uuid)
    contact: dict[str, Any] = {
        "id": contact_id,
        "organization_id": str(actor.uuid),
        "name": GENERAL_CONTACT,
        "phones": _phones(actor, "contact", contact_id=contact_id),
        "attributes": [],
        "metadata": [],
    }
    if actor.email:
        contact["email"] = actor.email
    return [contact]


def location(actor: Actor) -> dict | None:
    """The partner's place: its address if complete, and the coordinates of its municipality from the
    register (partners have no coordinates of their own). None without either."""
    municipality = actor.municipality
    has_address = bool(actor.street and actor.city and actor.postal_code)
    latitude, longitude = municipality.latitude, municipality.longitude
    has_point = latitude is not None and longitude is not None
    if not (has_address or has_point):
        return None
    location_id = derived_id("location", actor.uuid)
    record: dict[str, Any] = {
        "id": location_id,
        "location_type": "physical",
        "organization_id": str(actor.uuid),
        "name": actor.name,
        "addresses": [],
        "languages": [],
        "contacts": [],
        "accessibility": [],
        "phones": [],
        "schedules": [],
        "attributes": [],
        "metadata": [],
    }
    if latitude is not None and longitude is not None:
        record["latitude"] = float(latitude)
        record["longitude"] = float(longitude)
        record["description"] = (
            f"Koordinaten: Verwaltungssitz der Kommune {municipality.name} (Gemeindeverzeichnis), "
            "nicht die Adresse des Angebots."
        )
    if has_address:
        record["addresses"] = [{
            "id": derived_id("address", actor.uuid),
            "location_id": location_id,
            "address_1": actor.street,
            "city": actor.city,
            "state_province": municipality.get_bundesland_display(),
            "postal_code": actor.postal_code,
            "country": "DE",
            "address_type": "physical",
        }]
    if actor.accessibility:
        record["accessibility"] = [{
            "id": derived_id("accessibility", actor.uuid),
            "location_id": location_id,
            "description": actor.accessibility,
        }]
    return record


def _attribute(actor: Actor, term: Term, link_type: str, links: Links, value: str | None = None) -> dict:
    record = {
        "id": derived_id("attribute", f"{actor.uuid}:{term.taxonomy.key}:{term.code}"),
        "link_id": service_id(actor),
        "link_type": link_type,
        "link_entity": "service",
        "taxonomy_term_id": term.id,
        "taxonomy_term": term_record(term, links),
        "metadata": [],
    }
    if value is not None:
        record["value"] = value
    return record


def attributes(actor: Actor, links: Links) -> list[dict]:
    """The partner type, each target group and the accessibility (its text as the value)."""
    found = [_attribute(actor, actor_type_term(actor.actor_type), "service_type", links)]
    found += [_attribute(actor, target_group_term(group), "audience", links) for group in actor.target_groups.all()]
    if actor.accessibility:
        found.append(_attribute(actor, ACCESSIBILITY_TERM, "accessibility", links, value=actor.accessibility))
    return found


def served_municipalities(actor: Actor) -> list[Municipality]:
    """Its home and the municipalities that confirmed it serves them (prefetched as ``hsds_areas``,
    else read)."""
    areas = getattr(actor, "hsds_areas", None)
    if areas is None:
        areas = actor.servicearea_set.filter(confirmed_at__isnull=False).select_related("municipality")
    served = [area.municipality for area in areas]
    return [actor.municipality, *sorted((m for m in served if m.pk != actor.municipality_id), key=lambda m: m.ags)]


def service_areas(actor: Actor, links: Links) -> list[dict]:
    result = []
    for municipality in served_municipalities(actor):
        area: dict[str, Any] = {
            "id": derived_id("service-area", f"{actor.uuid}:{municipality.ags}"),
            "service_id": service_id(actor),
            "name": municipality.name,
            "description": f"{municipality.get_kind_display()} {municipality.name}, AGS {municipality.ags}",
            "uri": links.municipality(municipality),
            "attributes": [],
            "metadata": [],
            # Extensions: the official keys of the municipality served.
            "ags": municipality.ags,
        }
        if municipality.regional_key:
            area["regional_key"] = municipality.regional_key
        result.append(area)
    return result


def organization_summary(actor: Actor, links: Links) -> dict:
    """The organization's one-to-one fields (``organization_list``)."""
    record: dict[str, Any] = {
        "id": str(actor.uuid),
        "name": actor.name,
        "description": actor.offer or actor.actor_type.name,
        "legal_status": str(dict(TraegerKind.choices).get(actor.traeger_kind, "")),
        "uri": links.actor(actor),
    }
    if actor.email:
        record["email"] = actor.email
    if actor.website:
        record["website"] = actor.website
    return record


def service_summary(actor: Actor) -> dict:
    """The service's one-to-one fields (``service_list``)."""
    record: dict[str, Any] = {
        "id": service_id(actor),
        "organization_id": str(actor.uuid),
        "name": actor.name,
        "description": actor.offer or actor.actor_type.name,
        "status": "active" if actor.is_active else "inactive",
        "last_modified": actor.updated_at.isoformat(),
    }
    if actor.verified_at:
        record["assured_date"] = actor.verified_at.date().isoformat()
    if actor.email:
        record["email"] = actor.email
    if actor.website:
        record["url"] = actor.website
    return record


def service_minimal(actor: Actor) -> dict:
    return {"id": service_id(actor), "last_modified": actor.updated_at.isoformat()}


def _service_at_location_summary(actor: Actor, place: dict) -> dict:
    return {
        "id": service_at_location_id(actor),
        "service_id": service_id(actor),
        "location_id": place["id"],
    }


def service(actor: Actor, links: Links) -> dict:
    """The fully nested service: its organization, location, service areas, languages, attributes."""
    record = service_summary(actor)
    place = location(actor)
    record.update({
        "organization": organization_summary(actor, links),
        "phones": _phones(actor, "service", service_id=record["id"]),
        "schedules": [],
        "service_areas": service_areas(actor, links),
        "service_at_locations": [{**_service_at_location_summary(actor, place), "location": place}] if place else [],
        "languages": [
            {"id": derived_id("language", f"{actor.uuid}:{code}"), "service_id": record["id"], "name": name, "code": code}
            for code, name in languages(actor.languages)
        ],
        "funding": [],
        "cost_options": [],
        "required_documents": [],
        "contacts": [],
        "attributes": attributes(actor, links),
        "metadata": [],
    })
    return record


def organization(actor: Actor, links: Links, *, full_service: bool = False) -> dict:
    """The fully nested organization with its service (only its one-to-one fields unless ``full_service``)."""
    record = organization_summary(actor, links)
    place = location(actor)
    record.update({
        "phones": _phones(actor, "organization", organization_id=record["id"]),
        "contacts": _general_contact(actor),
        "locations": [place] if place else [],
        "services": [service(actor, links) if full_service else service_summary(actor)],
        "programs": [],
        "funding": [],
        "organization_identifiers": [],
        "attributes": [],
        "metadata": [],
    })
    return record


def service_at_location_summary(actor: Actor, links: Links) -> dict | None:
    place = location(actor)
    if place is None:
        return None
    return {**_service_at_location_summary(actor, place), "location": place, "service": service_summary(actor)}


def service_at_location(actor: Actor, links: Links) -> dict | None:
    place = location(actor)
    if place is None:
        return None
    return {
        **_service_at_location_summary(actor, place),
        "location": place,
        "service": service(actor, links),
        "contacts": [],
        "phones": [],
        "schedules": [],
        "attributes": [],
        "metadata": [],
    }


# --- downloads -----------------------------------------------------------------------------------


def municipality_services(*, municipality: Municipality, links: Links) -> list[dict]:
    """The per-municipality download: the fully nested services of the municipality's current network
    (its active partners, for a Kreis also those of its members and those who serve it), as
    ``/api/hsds/services/{id}`` returns each."""
    actors = hsds_actors(queryset=active_actors_for(municipality=municipality))
    return [service(actor, links) for actor in actors]


STREAM_CHUNK = 500


def stream_ndjson(actors: Any, render: Callable[[Actor], dict | None], *, chunk_size: int = STREAM_CHUNK) -> Iterator[bytes]:
    """One JSON record per line, read from the database ``chunk_size`` rows at a time (with their
    prefetched relations), so memory does not grow with the registry."""
    for actor in actors.iterator(chunk_size=chunk_size):
        record = render(actor)
        _release(actor)
        if record is not None:
            yield from ndjson_lines([record])


def _release(actor: Actor) -> None:
    """Drop what was prefetched for ``actor``: its service areas and the target groups' queryset refer back
    to it, and such cycles would wait for the garbage collector instead of going with their chunk."""
    actor.__dict__.pop("hsds_areas", None)
    actor.__dict__.pop("_prefetched_objects_cache", None)


def ndjson_lines(records: Iterable[dict]) -> Iterator[bytes]:
    for record in records:
        yield json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def stable_hash(data: Any) -> str:
    """A digest of JSON-like ``data`` that is the same whenever the data are."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
