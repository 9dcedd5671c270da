"""Exports of a municipality's registry: CSV, XLSX and Open Referral HSDS 3.0 JSON.

Public exports never contain contact persons (personal data). Spreadsheet cells that start with
``= + - @`` (or a tab / carriage return) are neutralised so that they cannot run as formulas.
"""

from __future__ import annotations

import uuid

import tablib

from networks.models import Actor, Municipality, TraegerKind
from networks.selectors import active_actors_for
from portal.core.text import strip_control_characters

EXPORT_COLUMNS = (
    ("Name", "name"),
    ("Typ", "actor_type_slug"),
    ("Typ (Bezeichnung)", "actor_type_name"),
    ("Sektor", "sector"),
    ("Träger-Art", "traeger_kind"),
    ("Träger", "traeger_name"),
    ("Straße", "street"),
    ("PLZ", "postal_code"),
    ("Ort", "city"),
    ("Telefon", "phone"),
    ("E-Mail", "email"),
    ("Website", "website"),
    ("Angebot", "offer"),
    ("Zielgruppen", "target_groups"),
    ("Sprachen", "languages"),
    ("Barrierefreiheit", "accessibility"),
    ("Kommune", "municipality"),
    ("Zuletzt geprüft", "verified_at"),
    ("Zuletzt geändert", "updated_at"),
)
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A fixed namespace so that taxonomy term ids stay the same between exports.
GENERAL_CONTACT = "Allgemeiner Kontakt"
TAXONOMY_NAMESPACE = uuid.UUID("7c1f6a52-3f0e-4b8e-9a43-5b0d8c7e2a10")


def neutralise(value) -> str:
    """Spreadsheet-safe text: a leading ' keeps =, +, -, @ from being read as a formula; control
    characters (refused on input, but older records may hold them) are dropped, as XLSX cannot hold them."""
    text = strip_control_characters("" if value is None else str(value))
    if text.startswith(DANGEROUS_PREFIXES):
        return "'" + text
    return text


def export_actors(*, municipality: Municipality):
    return active_actors_for(municipality=municipality).prefetch_related("target_groups")


def _row(actor: Actor) -> list[str]:
    traeger = dict(TraegerKind.choices)
    values = {
        "name": actor.name,
        "actor_type_slug": actor.actor_type.slug,
        "actor_type_name": actor.actor_type.name,
        "sector": actor.actor_type.get_sector_display(),
        "traeger_kind": str(traeger.get(actor.traeger_kind, actor.traeger_kind)),
        "traeger_name": actor.traeger_name,
        "street": actor.street,
        "postal_code": actor.postal_code,
        "city": actor.city,
        "phone": actor.phone,
        "email": actor.email,
        "website": actor.website,
        "offer": actor.offer,
        "target_groups": ", ".join(g.name for g in actor.target_groups.all()),
        "languages": actor.languages,
        "accessibility": actor.accessibility,
        "municipality": actor.municipality.name,
        "verified_at": actor.verified_at.date().isoformat() if actor.verified_at else "",
        "updated_at": actor.updated_at.date().isoformat() if actor.updated_at else "",
    }
    return [neutralise(values[key]) for _label, key in EXPORT_COLUMNS]


def dataset(*, municipality: Municipality) -> tablib.Dataset:
    data = tablib.Dataset(headers=[label for label, _key in EXPORT_COLUMNS], title=municipality.name[:31])
    for actor in export_actors(municipality=municipality):
        data.append(_row(actor))
    return data


def export_csv(*, municipality: Municipality) -> bytes:
    """Semicolon-separated UTF-8 with BOM: opens correctly in German Excel."""
    text = dataset(municipality=municipality).export("csv", delimiter=";")
    return ("\ufeff" + text).encode("utf-8")


def export_xlsx(*, municipality: Municipality) -> bytes:
    return dataset(municipality=municipality).export("xlsx")


# --- HSDS 3.0 ---------------------------------------------------------------------------


def _id(kind: str, key) -> str:
    return str(uuid.uuid5(TAXONOMY_NAMESPACE, f"{kind}:{key}"))


def hsds_taxonomy_term(actor_type) -> dict:
    return {
        "id": _id("actor-type", actor_type.slug),
        "code": actor_type.slug,
        "name": actor_type.name,
        "description": actor_type.description or actor_type.name,
        "taxonomy": "starkes-netz-akteurstypen",
        "language": "de",
    }


def _phones(actor: Actor, kind: str) -> list[dict]:
    if not actor.phone:
        return []
    return [{
        "id": _id(f"{kind}-phone", actor.uuid),
        "number": actor.phone,
        "type": "voice",
        "languages": [],
        "attributes": [],
        "metadata": [],
    }]


def _location(actor: Actor) -> dict | None:
    if not (actor.street and actor.city and actor.postal_code):
        return None
    location_id = _id("location", actor.uuid)
    return {
        "id": location_id,
        "location_type": "physical",
        "organization_id": str(actor.uuid),
        "name": actor.name,
        "addresses": [{
            "id": _id("address", actor.uuid),
            "location_id": location_id,
            "address_1": actor.street,
            "city": actor.city,
            "state_province": actor.municipality.get_bundesland_display(),
            "postal_code": actor.postal_code,
            "country": "DE",
            "address_type": "physical",
        }],
    }


def _attribute(actor: Actor, service_id: str) -> dict:
    """The service's actor type, referred to by id: the export lists each term once, in
    ``taxonomy_terms`` (as locations are listed once and referred to by id)."""
    return {
        "id": _id("attribute", f"{actor.uuid}:{actor.actor_type.slug}"),
        "link_id": service_id,
        "link_type": "service",
        "link_entity": "service",
        "taxonomy_term_id": _id("actor-type", actor.actor_type.slug),
    }


def _general_contact(actor: Actor) -> list[dict]:
    """The organisation's general contact (its public e-mail and phone), never a person.

    Contact persons are personal data: the public export never contains them.
    """
    if not (actor.email or actor.phone):
        return []
    contact = {
        "id": _id("contact", actor.uuid),
        "organization_id": str(actor.uuid),
        "name": GENERAL_CONTACT,
        "phones": _phones(actor, "contact"),
    }
    if actor.email:
        contact["email"] = actor.email
    return [contact]


def hsds_organization(actor: Actor) -> dict:
    org = {
        "id": str(actor.uuid),
        "name": actor.name,
        "description": actor.offer or actor.actor_type.name,
        "legal_status": str(dict(TraegerKind.choices).get(actor.traeger_kind, "")),
        "phones": _phones(actor, "organization"),
        "contacts": _general_contact(actor),
    }
    if actor.email:
        org["email"] = actor.email
    if actor.website:
        org["website"] = actor.website
    return org


def hsds_service(actor: Actor) -> dict:
    service_id = _id("service", actor.uuid)
    service = {
        "id": service_id,
        "organization_id": str(actor.uuid),
        "name": actor.name,
        "description": actor.offer or actor.actor_type.name,
        "status": "active" if actor.is_active else "inactive",
        "languages": [],
        "contacts": [],
        "attributes": [_attribute(actor, service_id)],
    }
    if actor.verified_at:
        service["assured_date"] = actor.verified_at.date().isoformat()
    if actor.updated_at:
        service["last_modified"] = actor.updated_at.isoformat()
    if actor.email:
        service["email"] = actor.email
    if actor.website:
        service["url"] = actor.website
    location = _location(actor)
    if location:
        service["service_at_locations"] = [{
            "id": _id("service-at-location", actor.uuid),
            "service_id": service_id,
            "location_id": location["id"],
        }]
    return service


def export_hsds(*, municipality: Municipality) -> dict:
    actors = list(export_actors(municipality=municipality))
    organizations, services, locations, terms = [], [], [], {}
    for actor in actors:
        organizations.append(hsds_organization(actor))
        services.append(hsds_service(actor))
        location = _location(actor)
        if location:
            locations.append(location)
        terms[actor.actor_type.slug] = hsds_taxonomy_term(actor.actor_type)
    return {
        "hsds_version": "3.0",
        "publisher": "Starkes Netz",
        "municipality": {"name": municipality.name, "ags": municipality.ags},
        "organizations": organizations,
        "services": services,
        "locations": locations,
        "taxonomy_terms": list(terms.values()),
    }
