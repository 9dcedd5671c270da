"""The OpenAPI description of the endpoints (drf-spectacular): the parameters and the ``Page`` object
of the HSDS 3.0 reference (``openapi.json``), plus this API's extension ``municipality``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from networks.api.params import DEFAULT_PER_PAGE, MAX_PER_PAGE

SPEC = "https://docs.openreferral.org/en/latest/hsds/schema_reference.html"


def _query(name: str, kind: Any, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, required=False, description=description)


SEARCH = _query("search", OpenApiTypes.STR, "Volltextsuche.")
PAGE = _query("page", OpenApiTypes.INT, "Seitennummer (ab 1).")
PER_PAGE = _query(
    "per_page", OpenApiTypes.INT, f"Einträge je Seite (Vorgabe {DEFAULT_PER_PAGE}, höchstens {MAX_PER_PAGE}).",
)
FORMAT = _query(
    "format", OpenApiTypes.STR,
    "`json` (Vorgabe, seitenweise) oder `ndjson`: alle Treffer ohne Seiten, ein Eintrag je Zeile, gestreamt.",
)
TAXONOMY_TERM_ID = _query("taxonomy_term_id", OpenApiTypes.UUID, "Nur Angebote mit diesem Begriff (taxonomy_term).")
TAXONOMY_ID = _query("taxonomy_id", OpenApiTypes.UUID, "Nur Angebote mit einem Begriff aus dieser Taxonomie.")
ORGANIZATION_ID = _query("organization_id", OpenApiTypes.UUID, "Nur Angebote dieser Organisation.")
MODIFIED_AFTER = _query(
    "modified_after", OpenApiTypes.DATETIME,
    "Nur Einträge, die an oder nach diesem Zeitpunkt geändert wurden (ISO 8601; ohne Zeitzone: deutsche Zeit).",
)
MINIMAL = _query("minimal", OpenApiTypes.BOOL, "Nur `id` und `last_modified` je Angebot.")
FULL = _query("full", OpenApiTypes.BOOL, "Vollständig verschachtelte Einträge.")
FULL_SERVICE = _query("full_service", OpenApiTypes.BOOL, "Die Angebote der Organisation vollständig verschachtelt.")
POSTCODE = _query("postcode", OpenApiTypes.STR, "Nur Angebote mit dieser Postleitzahl (fünf Ziffern).")
PROXIMITY = _query("proximity", OpenApiTypes.STR, "Nicht unterstützt (400).")
TOP_ONLY = _query("top_only", OpenApiTypes.BOOL, "Nur Begriffe ohne Unterbegriffe (hier: alle).")
PARENT_ID = _query("parent_id", OpenApiTypes.UUID, "Begriffe mit diesem Oberbegriff (hier: keine).")
MUNICIPALITY = _query(
    "municipality", OpenApiTypes.STR,
    "Erweiterung: nur Partner, die in der Kommune mit diesem Amtlichen Gemeindeschlüssel (8 Ziffern) oder "
    "Regionalschlüssel (12 Ziffern) ansässig sind oder für sie zuständig sind; ein Kreis schließt seine "
    "kreisangehörigen Gemeinden ein.",
)

PAGE_PROPERTIES = {
    "total_items": {"type": "integer"},
    "total_pages": {"type": "integer"},
    "page_number": {"type": "integer"},
    "size": {"type": "integer"},
    "first_page": {"type": "boolean"},
    "last_page": {"type": "boolean"},
    "empty": {"type": "boolean"},
}


def _record(name: str) -> dict:
    return {
        "type": "object",
        "additionalProperties": True,
        "description": f"Ein Eintrag nach dem HSDS-3.0-Schema `{name}` ({SPEC}).",
    }


def _page(name: str) -> dict:
    return {
        "type": "object",
        "properties": {**PAGE_PROPERTIES, "contents": {"type": "array", "items": _record(name)}},
        "required": [*PAGE_PROPERTIES, "contents"],
    }


ERRORS = {
    304: OpenApiResponse(description="Unverändert seit der Kopie des Clients (If-None-Match / If-Modified-Since)."),
    400: OpenApiResponse(description="Ungültiger Parameter: `{\"detail\": \"…\"}` mit einer deutschen Meldung."),
    429: OpenApiResponse(description="Zu viele Anfragen ohne Anmeldung; `Retry-After` nennt die Wartezeit."),
}
NOT_FOUND = {404: OpenApiResponse(description="Kein Eintrag mit dieser id.")}


def _op(operation_id: str, summary: str, parameters: list, response: dict, *, extra: dict | None = None) -> dict:
    """An operation with the ``operationId`` of the HSDS reference."""
    return {
        "operation_id": operation_id,
        "summary": summary,
        "description": summary + ".",
        "parameters": parameters,
        "responses": {200: response, **ERRORS, **(extra or {})},
        "tags": ["HSDS 3.0"],
    }


ROOT = {
    "operation_id": "getAPIMetaInformation",
    "description": "Die HSDS-Version dieser API, ihr Profil (die Dokumentation) und ihr OpenAPI-Dokument.",
    "summary": "Angaben zu dieser API und ihrem Verhältnis zu HSDS",
    "responses": {200: {"type": "object", "properties": {
        "version": {"type": "string"}, "profile": {"type": "string", "format": "uri"},
        "openapi_url": {"type": "string", "format": "uri"},
    }}},
    "tags": ["HSDS 3.0"],
}
LIST_BASICS = [SEARCH, PAGE, PER_PAGE, FORMAT]
SERVICE_LIST = _op(
    "getPaginatedListOfServices",
    "Angebote (seitenweise)",
    [*LIST_BASICS, TAXONOMY_TERM_ID, TAXONOMY_ID, ORGANIZATION_ID, MODIFIED_AFTER, MINIMAL, FULL, MUNICIPALITY],
    _page("service_list"),
)
SERVICE_DETAIL = _op("getFullyNestedServiceById", "Ein Angebot, vollständig verschachtelt", [], _record("service"), extra=NOT_FOUND)
ORGANIZATION_LIST = _op(
    "getPaginatedListOfOrganizations",
    "Organisationen (seitenweise)", [*LIST_BASICS, FULL_SERVICE, FULL, MODIFIED_AFTER, MUNICIPALITY],
    _page("organization_list"),
)
ORGANIZATION_DETAIL = _op(
    "getOrganizationById",
    "Eine Organisation, vollständig verschachtelt", [FULL_SERVICE], _record("organization"), extra=NOT_FOUND,
)
SERVICE_AT_LOCATION_LIST = _op(
    "getPaginatedListOfServiceAtLocation",
    "Angebote an Orten (seitenweise)",
    [*LIST_BASICS, TAXONOMY_TERM_ID, TAXONOMY_ID, ORGANIZATION_ID, MODIFIED_AFTER, FULL, POSTCODE, PROXIMITY,
     MUNICIPALITY],
    _page("service_at_location_list"),
)
SERVICE_AT_LOCATION_DETAIL = _op(
    "getServiceAtLocationWithNestedDataById",
    "Ein Angebot an einem Ort, vollständig verschachtelt", [], _record("service_at_location"), extra=NOT_FOUND,
)
TAXONOMY_LIST = _op("getPaginatedListOfTaxonomies", "Taxonomien (seitenweise)", LIST_BASICS, _page("taxonomy"))
TAXONOMY_DETAIL = _op("getTaxonomyById", "Eine Taxonomie", [], _record("taxonomy"), extra=NOT_FOUND)
TAXONOMY_TERM_LIST = _op(
    "getPaginatedListOfTaxonomyTerms",
    "Begriffe (seitenweise)", [*LIST_BASICS, TAXONOMY_ID, TOP_ONLY, PARENT_ID], _page("taxonomy_term"),
)
TAXONOMY_TERM_DETAIL = _op("getTaxonomyTermById", "Ein Begriff", [], _record("taxonomy_term"), extra=NOT_FOUND)
