"""The HSDS 3.0 API's endpoints: thin views that read the parameters (``params``), ask the selectors
for the partners, answer a conditional request (``conditional``) and render ``networks.hsds`` records.

Every list is the HSDS ``Page`` object; ``format=ndjson`` streams every matching record instead, one per
line, read in chunks (the whole registry's download: ``/api/hsds/services/?format=ndjson``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.http import StreamingHttpResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from networks import hsds, selectors
from networks.api import params, schema
from networks.api.conditional import Validators
from networks.api.throttling import HsdsAnonThrottle
from networks.models import Actor


def _links(request) -> hsds.Links:
    return hsds.Links(base=request.build_absolute_uri("/"))


class HsdsView(APIView):
    """Read-only, public, throttled for anonymous clients; no session, no cookies."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes = [HsdsAnonThrottle]
    http_method_names = ["get", "head", "options"]


# --- which partners a request selects -------------------------------------------------------------


def _term_filter(term_id: uuid.UUID | None, taxonomy_id: uuid.UUID | None) -> dict[str, Any]:
    """The selector's arguments for ``taxonomy_term_id`` and ``taxonomy_id`` (an unknown id selects none)."""
    found: dict[str, Any] = {}
    if term_id is not None:
        term = next((t for t in _terms() if t.id == str(term_id)), None)
        if term is None:
            found["actor_type_slugs"] = []
        elif term.taxonomy is hsds.PARTNER_TYPES:
            found["actor_type_slugs"] = [term.code]
        elif term.taxonomy is hsds.TARGET_GROUPS:
            found["target_group_slugs"] = [term.code]
        else:
            found["with_accessibility"] = True
    if taxonomy_id is not None:
        taxonomy = next((t for t in hsds.TAXONOMIES if t.id == str(taxonomy_id)), None)
        if taxonomy is None:
            found["actor_type_slugs"] = []
        elif taxonomy is hsds.TARGET_GROUPS:
            found.setdefault("target_group_slugs", [g.slug for g in selectors.target_groups()])
        elif taxonomy is hsds.FEATURES:
            found["with_accessibility"] = True
        # every partner has a partner type: PARTNER_TYPES selects all
    return found


def _municipality(request):
    key = params.ags(request)
    if key is None:
        return None
    municipality = selectors.hsds_municipality(key=key)
    if municipality is None:
        raise ParseError(f"Keine Kommune mit dem Schlüssel {key} bekannt.")
    return municipality


def _partners(request, *, taxonomy: bool = True, with_location: bool = False, organization: bool = True):
    arguments: dict[str, Any] = {
        "query": params.text(request, "search"),
        "municipality": _municipality(request),
        "modified_after": params.moment(request, "modified_after"),
        "with_location": with_location,
    }
    if taxonomy:
        arguments.update(_term_filter(params.an_id(request, "taxonomy_term_id"), params.an_id(request, "taxonomy_id")))
    if organization:
        arguments["organization_uuid"] = params.an_id(request, "organization_id")
    if with_location:
        arguments["postcode"] = params.postcode(request)
        params.refuse(request, "proximity")
    return selectors.hsds_filter(queryset=selectors.hsds_actors(), **arguments)


def _terms() -> list[hsds.Term]:
    return hsds.all_terms(actor_types=selectors.actor_types(), target_groups=selectors.target_groups())


# --- answers --------------------------------------------------------------------------------------


def _ndjson(records: Iterable[bytes]) -> StreamingHttpResponse:
    return StreamingHttpResponse(records, content_type="application/x-ndjson; charset=utf-8")


def _list(request, queryset, render: Callable[[Actor], dict | None], *, stream: Callable[[Actor], dict | None]):
    """One page of the partners ``queryset`` selects as records (or all of them, streamed, for ndjson)."""
    output = params.output_format(request)
    paging = params.Paging.read(request)
    validators, total = Validators.of(request, queryset)
    if (answer := validators.not_modified(request)) is not None:
        return validators.apply(answer)
    if output == "ndjson":
        return validators.apply(_ndjson(hsds.stream_ndjson(queryset, stream)))
    actors = list(queryset[paging.start:paging.start + paging.per_page])
    records = [record for record in map(render, actors) if record is not None]
    return validators.apply(Response(paging.envelope(total, records)))


def _detail(request, queryset, render: Callable[[Actor], dict | None], what: str, record_id: str):
    validators, total = Validators.of(request, queryset)
    if not total:
        raise NotFound(f"{what} mit der id {record_id[:40]} gibt es nicht.")
    if (answer := validators.not_modified(request)) is not None:
        return validators.apply(answer)
    actor = queryset.first()
    record = render(actor) if actor is not None else None
    if record is None:
        raise NotFound(f"{what} mit der id {record_id[:40]} gibt es nicht.")
    return validators.apply(Response(record))


def _uuid(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(f"{what} mit der id {value[:40]} gibt es nicht.") from None


def _static_list(request, records: list[dict]):
    """A short list built in memory (taxonomies, terms): its ETag is its content."""
    output = params.output_format(request)
    paging = params.Paging.read(request)
    validators = Validators(request, hsds.stable_hash(records))
    if (answer := validators.not_modified(request)) is not None:
        return validators.apply(answer)
    if output == "ndjson":
        return validators.apply(_ndjson(hsds.ndjson_lines(records)))
    page = records[paging.start:paging.start + paging.per_page]
    return validators.apply(Response(paging.envelope(len(records), page)))


def _static_detail(request, record: dict | None, what: str, record_id: str):
    if record is None:
        raise NotFound(f"{what} mit der id {record_id[:40]} gibt es nicht.")
    validators = Validators(request, hsds.stable_hash(record))
    if (answer := validators.not_modified(request)) is not None:
        return validators.apply(answer)
    return validators.apply(Response(record))


def _matches(search: str, *texts: str) -> bool:
    words = search.lower().split()
    haystack = " ".join(texts).lower()
    return all(word in haystack for word in words)


# --- endpoints ------------------------------------------------------------------------------------


class ApiRoot(HsdsView):
    @extend_schema(**schema.ROOT)
    def get(self, request: Request) -> Response:
        links = _links(request)
        return Response({
            "version": hsds.HSDS_VERSION,
            "profile": links.url(reverse("hsds-api:docs")),
            "openapi_url": links.url(reverse("hsds-api:schema")),
            # Extensions: who publishes the data, under which terms, and where to read about it.
            "publisher": {"name": hsds.PUBLISHER, "url": links.url(reverse("home"))},
            "documentation_url": links.url(reverse("hsds-api:docs")),
            "endpoints": {
                name: links.url(reverse(f"hsds-api:{name.replace('_', '-')}-list"))
                for name in ("services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms")
            },
        })


class ServiceList(HsdsView):
    @extend_schema(**schema.SERVICE_LIST)
    def get(self, request: Request):
        links = _links(request)
        full = params.boolean(request, "full")
        minimal = params.boolean(request, "minimal")
        full_record: Callable[[Actor], dict | None] = partial(hsds.service, links=links)
        if full:
            render = full_record
        elif minimal:
            render = hsds.service_minimal
        else:
            render = hsds.service_summary
        # The stream defaults to full records (the whole registry's download).
        stream = render if (minimal or "full" in request.query_params) else full_record
        return _list(request, _partners(request), render, stream=stream)


class ServiceDetail(HsdsView):
    @extend_schema(**schema.SERVICE_DETAIL)
    def get(self, request: Request, pk: str):
        actor_uuid = hsds.actor_uuid_of_service(_uuid(pk, "Ein Angebot"))
        links = _links(request)
        queryset = selectors.hsds_actors().filter(uuid=actor_uuid)
        return _detail(request, queryset, lambda actor: hsds.service(actor, links), "Ein Angebot", pk)


class OrganizationList(HsdsView):
    @extend_schema(**schema.ORGANIZATION_LIST)
    def get(self, request: Request):
        links = _links(request)
        full = params.boolean(request, "full")
        full_service = params.boolean(request, "full_service")
        if full or full_service:
            def render(actor: Actor) -> dict:
                return hsds.organization(actor, links, full_service=full_service)
        else:
            def render(actor: Actor) -> dict:
                return hsds.organization_summary(actor, links)
        queryset = _partners(request, taxonomy=False, organization=False)
        return _list(request, queryset, render, stream=render)


class OrganizationDetail(HsdsView):
    @extend_schema(**schema.ORGANIZATION_DETAIL)
    def get(self, request: Request, pk: str):
        actor_uuid = _uuid(pk, "Eine Organisation")
        full_service = params.boolean(request, "full_service")
        links = _links(request)
        queryset = selectors.hsds_actors().filter(uuid=actor_uuid)
        return _detail(
            request, queryset, lambda actor: hsds.organization(actor, links, full_service=full_service),
            "Eine Organisation", pk,
        )


class ServiceAtLocationList(HsdsView):
    @extend_schema(**schema.SERVICE_AT_LOCATION_LIST)
    def get(self, request: Request):
        links = _links(request)
        full = params.boolean(request, "full")

        def render(actor: Actor) -> dict | None:
            return hsds.service_at_location(actor, links) if full else hsds.service_at_location_summary(actor, links)

        return _list(request, _partners(request, with_location=True), render, stream=render)


class ServiceAtLocationDetail(HsdsView):
    @extend_schema(**schema.SERVICE_AT_LOCATION_DETAIL)
    def get(self, request: Request, pk: str):
        actor_uuid = hsds.actor_uuid_of_service_at_location(_uuid(pk, "Ein Angebot an einem Ort"))
        links = _links(request)
        queryset = selectors.hsds_filter(queryset=selectors.hsds_actors(), with_location=True).filter(uuid=actor_uuid)
        return _detail(
            request, queryset, lambda actor: hsds.service_at_location(actor, links), "Ein Angebot an einem Ort", pk,
        )


class TaxonomyList(HsdsView):
    @extend_schema(**schema.TAXONOMY_LIST)
    def get(self, request: Request):
        links = _links(request)
        search = params.text(request, "search")
        records = [
            hsds.taxonomy_record(taxonomy, links) for taxonomy in hsds.TAXONOMIES
            if _matches(search, taxonomy.name, taxonomy.description)
        ]
        return _static_list(request, records)


class TaxonomyDetail(HsdsView):
    @extend_schema(**schema.TAXONOMY_DETAIL)
    def get(self, request: Request, pk: str):
        taxonomy = next((t for t in hsds.TAXONOMIES if t.id == pk.lower()), None)
        record = hsds.taxonomy_record(taxonomy, _links(request)) if taxonomy else None
        return _static_detail(request, record, "Eine Taxonomie", pk)


class TaxonomyTermList(HsdsView):
    @extend_schema(**schema.TAXONOMY_TERM_LIST)
    def get(self, request: Request):
        links = _links(request)
        search = params.text(request, "search")
        taxonomy_id = params.an_id(request, "taxonomy_id")
        params.boolean(request, "top_only")  # every term is a top term: the flag selects them all
        parent_id = params.an_id(request, "parent_id")
        terms = [
            term for term in _terms()
            if (taxonomy_id is None or term.taxonomy.id == str(taxonomy_id))
            and parent_id is None  # no term has a parent
            and _matches(search, term.name, term.code, term.description)
        ]
        return _static_list(request, [hsds.term_record(term, links) for term in terms])


class TaxonomyTermDetail(HsdsView):
    @extend_schema(**schema.TAXONOMY_TERM_DETAIL)
    def get(self, request: Request, pk: str):
        term = next((t for t in _terms() if t.id == pk.lower()), None)
        record = hsds.term_record(term, _links(request)) if term else None
        return _static_detail(request, record, "Ein Begriff", pk)


# --- the API's description ------------------------------------------------------------------------


class SchemaView(SpectacularAPIView):
    """The OpenAPI document of this API (drf-spectacular)."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes = [HsdsAnonThrottle]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the portal's own static files (drf-spectacular-sidecar); the page's script is a
    separate request (``?script``), so the page needs no inline script under the portal's CSP."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes = [HsdsAnonThrottle]
    url_name = "hsds-api:schema"
    template_name = "networks/api/swagger_ui.html"
    title = "Starkes Netz – HSDS 3.0 API"
