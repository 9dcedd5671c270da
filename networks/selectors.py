"""Reads of the registry: keyword-only, typed functions over the models.

This module is the registry's interface: other apps (the roadmap, the catalogue, the resolution
draft, the accounts) read municipalities, partners, gaps and vocabularies only through it. What a
user may see comes from the queryset twins in ``networks.rules``.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from networks import register, rules
from networks.models import (
    AccessRequest,
    AccessRequestStatus,
    Actor,
    ActorType,
    Bundesland,
    ContactPerson,
    Cooperation,
    CooperationKind,
    Municipality,
    MunicipalityKind,
    Sector,
    ServiceArea,
    TargetGroup,
    TraegerKind,
)
from portal.core import roles
from portal.core.history import changes as history_changes
from portal.core.history import reason_label
from portal.core.search import SearchGroup, SearchHit, highlight, search, suggest

# ---------------------------------------------------------------------------
# Taxonomy and municipalities
# ---------------------------------------------------------------------------


def actor_types() -> QuerySet[ActorType]:
    return ActorType.objects.all()


def recommended_actor_types() -> QuerySet[ActorType]:
    return ActorType.objects.filter(recommended=True).order_by("order", "name")


def target_groups() -> QuerySet[TargetGroup]:
    return TargetGroup.objects.all()


def target_group_names(*, ids: Iterable[int]) -> dict[int, str]:
    return dict(TargetGroup.objects.filter(id__in=list(ids)).values_list("id", "name"))


def federal_states() -> list[tuple[str, str]]:
    """The 16 Länder as (state key, name)."""
    return [(value, str(label)) for value, label in Bundesland.choices]


def municipality_kinds() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in MunicipalityKind.choices]


def municipalities(*, ids: Iterable[int] | None = None) -> QuerySet[Municipality]:
    """Municipalities by name (only those with ``ids``, if given)."""
    qs = Municipality.objects.order_by("name")
    return qs.filter(id__in=list(ids)) if ids is not None else qs


def municipality_by_slug(*, slug: str) -> Municipality:
    """One municipality, with its Kreis; 404 if there is none."""
    return get_object_or_404(Municipality.objects.select_related("parent"), slug=slug)


def municipality_names(*, ids: Iterable[int]) -> dict[int, str]:
    return dict(Municipality.objects.filter(id__in=list(ids)).values_list("id", "name"))


def municipality_list(
    *, query: str = "", bundesland: str = "", kind: str = "", with_counts: bool = True
) -> QuerySet[Municipality]:
    """Municipalities, searchable by name, AGS and seat; annotated with ``active_actor_count``
    (actors whose home is the municipality) and with the parent selected."""
    qs = Municipality.objects.select_related("parent")
    if bundesland:
        qs = qs.filter(bundesland=bundesland)
    if kind:
        qs = qs.filter(kind=kind)
    if with_counts:
        # A correlated count, evaluated for the listed page only (a join grouped all 250,000 partners).
        active = Actor.objects.filter(municipality_id=OuterRef("pk"), is_active=True).order_by()
        qs = qs.annotate(active_actor_count=Coalesce(Subquery(
            active.values("municipality_id").annotate(n=Count("pk")).values("n"), output_field=IntegerField()
        ), 0))
    qs = search(qs, query)
    if query:
        return qs.order_by("-search_rank", "name", "pk")
    return qs.order_by("name", "pk")


def members_of(*, municipality: Municipality) -> QuerySet[Municipality]:
    """The municipalities of a Kreis or region, by name."""
    return municipality.members.order_by("name")


def members_and_scope(*, municipality: Municipality) -> list[Municipality]:
    """The members of a Kreis or region by name (see :func:`members_of`), read once: the scope of the
    municipality's network (:func:`scope_ids`) is remembered from them."""
    members = list(members_of(municipality=municipality))
    if getattr(municipality, _SCOPE_CACHE, None) is None:
        grouped = {municipality.pk: [m.pk for m in members]}
        setattr(municipality, _SCOPE_CACHE, frozenset(_scope_ids(municipality, grouped)))  # noqa: B010
    return members


# ---------------------------------------------------------------------------
# Places: municipalities as points (the register's coordinates)
# ---------------------------------------------------------------------------

KREIS_LEVEL_KINDS = (MunicipalityKind.KREIS, MunicipalityKind.KREISFREIE_STADT, MunicipalityKind.REGION)
EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180  # along a meridian (and along the equator)
_LAND_NAMES = dict(Bundesland.choices)
_KIND_LABELS = dict(MunicipalityKind.choices)


@dataclass(frozen=True)
class Place:
    """A municipality as a point on a map: its public identity and location, nothing internal."""

    pk: int
    name: str
    slug: str
    kind: str
    bundesland: str
    latitude: float | None
    longitude: float | None

    @property
    def is_kreis_level(self) -> bool:
        """A Kreis, a kreisfreie Stadt or a region (Region Hannover, Städteregion Aachen ...)."""
        return self.kind in KREIS_LEVEL_KINDS

    @property
    def is_located(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def kind_label(self) -> str:
        return str(_KIND_LABELS.get(self.kind, self.kind))

    @property
    def land_name(self) -> str:
        return str(_LAND_NAMES.get(self.bundesland, self.bundesland))


@dataclass(frozen=True)
class NearbyPlace:
    place: Place
    distance_km: float


_PLACE_FIELDS = ("pk", "name", "slug", "kind", "bundesland", "latitude", "longitude")


def _places(queryset: QuerySet[Municipality]) -> list[Place]:
    return [
        Place(
            pk=pk, name=name, slug=slug, kind=kind, bundesland=bundesland,
            latitude=float(latitude) if latitude is not None else None,
            longitude=float(longitude) if longitude is not None else None,
        )
        for pk, name, slug, kind, bundesland, latitude, longitude in queryset.values_list(*_PLACE_FIELDS)
    ]


def map_places(*, also_ids: QuerySet[Any] | None = None) -> list[Place]:
    """Every Kreis, kreisfreie Stadt and region, and the municipalities whose ids the query ``also_ids``
    yields (e.g. those with recorded progress), by Land and name; in one query. Places without
    coordinates are included (``is_located`` tells them apart)."""
    condition = Q(kind__in=KREIS_LEVEL_KINDS)
    if also_ids is not None:
        condition |= Q(pk__in=also_ids)
    return _places(Municipality.objects.filter(condition).order_by("bundesland", "name", "pk"))


def distance_km(*, latitude: float, longitude: float, other_latitude: float, other_longitude: float) -> float:
    """The great-circle distance between two WGS84 points in kilometres (haversine)."""
    phi1, phi2 = math.radians(latitude), math.radians(other_latitude)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(other_longitude - longitude) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def places_near(
    *, latitude: float, longitude: float, km: float, exclude_id: int | None = None
) -> list[NearbyPlace]:
    """Municipalities (of every kind) within ``km`` kilometres of the point, nearest first, in one query.

    The database narrows the search to a latitude/longitude box around the circle (indexed columns
    compared, no trigonometry in SQL); the exact great-circle distance is computed here and decides."""
    dlat = km / KM_PER_DEGREE
    # The box's east-west half-width at its edge nearest to the pole, where a degree is shortest.
    widest = min(89.0, abs(latitude) + dlat)
    dlon = min(180.0, km / (KM_PER_DEGREE * math.cos(math.radians(widest))))
    queryset = Municipality.objects.filter(
        latitude__gte=latitude - dlat, latitude__lte=latitude + dlat,
        longitude__gte=longitude - dlon, longitude__lte=longitude + dlon,
    )
    if exclude_id is not None:
        queryset = queryset.exclude(pk=exclude_id)
    nearby = []
    for place in _places(queryset):
        if place.latitude is None or place.longitude is None:  # never, after the filter above
            continue
        distance = distance_km(
            latitude=latitude, longitude=longitude, other_latitude=place.latitude, other_longitude=place.longitude
        )
        if distance <= km:
            nearby.append(NearbyPlace(place=place, distance_km=distance))
    nearby.sort(key=lambda item: (item.distance_km, item.place.name))
    return nearby


def register_source() -> tuple[str, str]:
    """The municipality register's attribution as its licence demands it, and the licence's address."""
    return register.ATTRIBUTION, register.LICENCE_URL


_SCOPE_CACHE = "_sn_scope_ids"


def _scope_ids(municipality: Municipality, members: dict[int, list[int]]) -> set[int]:
    ids = {municipality.pk}
    if municipality.kind in (MunicipalityKind.KREIS, MunicipalityKind.REGION):
        ids.update(members.get(municipality.pk, []))
    return ids


def scope_ids(*, municipality: Municipality) -> set[int]:
    """The municipality and, for a Kreis or region, its member municipalities (remembered on
    the instance, so the pages that ask several selectors read it once)."""
    cached = getattr(municipality, _SCOPE_CACHE, None)
    if cached is not None:
        return set(cached)
    members: dict[int, list[int]] = defaultdict(list)
    if municipality.kind in (MunicipalityKind.KREIS, MunicipalityKind.REGION):
        for pk in Municipality.objects.filter(parent=municipality).values_list("pk", flat=True):
            members[municipality.pk].append(pk)
    ids = _scope_ids(municipality, members)
    setattr(municipality, _SCOPE_CACHE, frozenset(ids))  # noqa: B010 - a cache on the instance, not a field
    return set(ids)


def _confirmed_areas() -> QuerySet[ServiceArea]:
    """Service areas that count for the municipality served: those it confirmed."""
    return ServiceArea.objects.filter(confirmed_at__isnull=False)


def _home_or_serving(ids: Iterable[int]) -> Q:
    """Partners whose home is one of ``ids`` or who serve one of them (confirmed): a UNION of two
    indexed lookups (an OR across the join would read every partner)."""
    home = Actor.objects.filter(municipality_id__in=ids).order_by().values("pk")
    serving = _confirmed_areas().filter(municipality_id__in=ids).order_by().values("actor_id")
    return Q(pk__in=home.union(serving))


def active_actors_for(*, municipality: Municipality) -> QuerySet[Actor]:
    """Active actors located in or serving the municipality (for a Kreis: also its members)."""
    ids = scope_ids(municipality=municipality)
    return (
        Actor.objects.filter(is_active=True)
        .filter(_home_or_serving(ids))
        .select_related("actor_type", "municipality")
        .order_by("actor_type__order", "name")
    )


def actors_by_sector(*, actors: Iterable[Actor]) -> list[tuple[str, str, list[Actor]]]:
    """Group actors (with actor_type selected) by sector: [(sector value, label, actors)]."""
    groups: dict[str, list[Actor]] = defaultdict(list)
    for actor in actors:
        groups[actor.actor_type.sector].append(actor)
    return [(value, str(label), groups[value]) for value, label in Sector.choices if groups.get(value)]


# ---------------------------------------------------------------------------
# Gap analysis
# ---------------------------------------------------------------------------


@dataclass
class GapAnalysis:
    present: list[ActorType] = field(default_factory=list)
    without_cooperation: list[ActorType] = field(default_factory=list)
    missing: list[ActorType] = field(default_factory=list)
    coverage: float = 0.0
    coverage_percent: int = 0
    recommended_count: int = 0

    @property
    def present_count(self) -> int:
        return len(self.present)

    @property
    def with_cooperation(self) -> list[ActorType]:
        ids = {t.pk for t in self.without_cooperation}
        return [t for t in self.present if t.pk not in ids]


def gap_analyses(*, municipalities: Iterable[Municipality]) -> dict[int, GapAnalysis]:
    """Gap analyses for many municipalities with a fixed number of queries (five)."""
    municipalities = list(municipalities)
    if not municipalities:
        return {}
    recommended = list(recommended_actor_types())
    members: dict[int, list[int]] = defaultdict(list)
    if any(getattr(m, _SCOPE_CACHE, None) is None for m in municipalities):
        for pk, parent_id in Municipality.objects.filter(
            parent_id__in=[m.pk for m in municipalities]
        ).values_list("pk", "parent_id"):
            members[parent_id].append(pk)
        scopes = {m.pk: _scope_ids(m, members) for m in municipalities}
    else:
        scopes = {m.pk: set(getattr(m, _SCOPE_CACHE)) for m in municipalities}
    all_ids = set().union(*scopes.values())
    recommended_ids = [t.pk for t in recommended]
    actors = list(
        Actor.objects.filter(is_active=True, actor_type_id__in=recommended_ids)
        .filter(_home_or_serving(all_ids))
        .values_list("pk", "actor_type_id", "municipality_id")
    )
    actor_ids = [a[0] for a in actors]
    served: dict[int, set[int]] = defaultdict(set)
    for actor_id, muni_id in _confirmed_areas().filter(actor_id__in=actor_ids).values_list(
        "actor_id", "municipality_id"
    ):
        served[actor_id].add(muni_id)
    cooperating = set(
        Cooperation.actors.through.objects.filter(actor_id__in=actor_ids, cooperation__is_active=True)
        .values_list("actor_id", flat=True)
        .distinct()
    )
    result = {}
    for m in municipalities:
        scope = scopes[m.pk]
        present_types: dict[int, bool] = {}
        for actor_id, type_id, home_id in actors:
            if home_id in scope or served[actor_id] & scope:
                present_types[type_id] = present_types.get(type_id, False) or actor_id in cooperating
        result[m.pk] = _gap(recommended, present_types)
    return result


def _gap(recommended: Sequence[ActorType], present_types: dict[int, bool]) -> GapAnalysis:
    """``present_types``: recommended type id -> whether one of its partners cooperates."""
    present = [t for t in recommended if t.pk in present_types]
    total = len(recommended)
    coverage = len(present) / total if total else 0.0
    return GapAnalysis(
        present=present,
        without_cooperation=[t for t in present if not present_types[t.pk]],
        missing=[t for t in recommended if t.pk not in present_types],
        coverage=coverage,
        coverage_percent=round(coverage * 100),
        recommended_count=total,
    )


def gap_analysis(*, municipality: Municipality, actors: Sequence[Actor] | None = None) -> GapAnalysis:
    """Which recommended actor types are present, present without cooperation, or missing.

    ``actors``: the result of :func:`active_actors_for` when the caller has it already; the
    analysis then needs two queries instead of five.
    """
    if actors is None:
        return gap_analyses(municipalities=[municipality])[municipality.pk]
    recommended = list(recommended_actor_types())
    recommended_ids = {t.pk for t in recommended}
    relevant = [a for a in actors if a.is_active and a.actor_type_id in recommended_ids]
    cooperating = set(
        Cooperation.actors.through.objects.filter(
            actor_id__in=[a.pk for a in relevant], cooperation__is_active=True
        ).values_list("actor_id", flat=True)
    ) if relevant else set()
    present_types: dict[int, bool] = {}
    for actor in relevant:
        present_types[actor.actor_type_id] = present_types.get(actor.actor_type_id, False) or actor.pk in cooperating
    return _gap(recommended, present_types)


# ---------------------------------------------------------------------------
# The municipality page: a summary that does not grow with the network, and pages of it
# ---------------------------------------------------------------------------


@dataclass
class TypeCount:
    actor_type: ActorType
    count: int


@dataclass
class SectorSummary:
    sector: str
    label: str
    types: list[TypeCount]

    @property
    def count(self) -> int:
        return sum(item.count for item in self.types)


@dataclass
class NetworkSummary:
    """How many active partners of each type and sector a municipality's network has (for a Kreis with
    its members), its gap analysis and how many active cooperations of each kind: a fixed number of
    grouped queries (four), whatever the size of the network."""

    sectors: list[SectorSummary]
    actor_count: int
    gap: GapAnalysis
    cooperation_kinds: list[tuple[str, str, int]]
    cooperation_count: int

    def type_count(self, slug: str) -> int:
        return next((t.count for s in self.sectors for t in s.types if t.actor_type.slug == slug), 0)


def _count_per_type(queryset: QuerySet[Actor]) -> Any:
    """The number of rows of ``queryset`` (filtered by ``actor_type_id=OuterRef("pk")``) as a subquery."""
    counted = queryset.order_by().values("actor_type_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def network_summary(*, municipality: Municipality) -> NetworkSummary:
    """Counts per sector, type and cooperation kind, and the gap analysis, of a municipality's network.

    Two queries whatever the network's size: the actor types, each with its partners here (those at home,
    read from the index on home, activity and type; those serving it, few) and, for a recommended type,
    whether one of them takes part in an active cooperation (EXISTS stops at the first); then the
    cooperations per kind."""
    ids = sorted(scope_ids(municipality=municipality))
    of_type = Actor.objects.filter(actor_type_id=OuterRef("pk"), is_active=True)
    home = of_type.filter(municipality_id__in=ids)
    serving = of_type.filter(pk__in=_confirmed_areas().filter(municipality_id__in=ids).values("actor_id")).exclude(
        municipality_id__in=ids
    )
    in_cooperation = Cooperation.actors.through.objects.filter(actor_id=OuterRef("pk"), cooperation__is_active=True)
    types = list(
        ActorType.objects.order_by("order", "name", "pk").annotate(
            n_home=_count_per_type(home),
            n_serving=_count_per_type(serving),
            cooperating=Case(
                When(recommended=True, then=Exists(home.filter(Exists(in_cooperation)))
                     | Exists(serving.filter(Exists(in_cooperation)))),
                default=Value(False),
            ),
        )
    )
    counts = {t.pk: t.n_home + t.n_serving for t in types if t.n_home + t.n_serving}
    recommended = [t for t in types if t.recommended]
    present_ids = [t.pk for t in recommended if counts.get(t.pk)]
    by_sector: dict[str, list[TypeCount]] = defaultdict(list)
    for actor_type in types:
        if counts.get(actor_type.pk):
            by_sector[actor_type.sector].append(TypeCount(actor_type=actor_type, count=counts[actor_type.pk]))
    kinds = dict(
        Cooperation.objects.filter(municipality_id__in=ids, is_active=True)
        .order_by().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    return NetworkSummary(
        sectors=[SectorSummary(sector=value, label=str(label), types=by_sector[value])
                 for value, label in Sector.choices if by_sector.get(value)],
        actor_count=sum(counts.values()),
        gap=_gap(recommended, {t.pk: bool(t.cooperating) for t in recommended if t.pk in present_ids}),
        cooperation_kinds=[(value, str(label), kinds[value]) for value, label in CooperationKind.choices
                           if kinds.get(value)],
        cooperation_count=sum(kinds.values()),
    )


_PAGE_ORDER = ("actor_type__order", "actor_type__name", "actor_type_id", "name", "pk")


def network_partners_page(
    *, municipality: Municipality, offset: int, limit: int, actor_type: ActorType | None = None
) -> list[Actor]:
    """One page of the active partners of the municipality's network (as :func:`active_actors_for`),
    optionally of one type, in a stable order: by type, then name.

    Two queries: the page's ids from narrow rows (those at home from the index on home, activity, type and
    name, without reading the partners' rows; those serving it, few), then those partners."""
    ids = sorted(scope_ids(municipality=municipality))
    narrow = Actor.objects.filter(is_active=True)
    if actor_type is not None:
        narrow = narrow.filter(actor_type=actor_type)
    columns = ("pk", *_PAGE_ORDER[:-1])
    home = narrow.filter(municipality_id__in=ids).order_by().values_list(*columns)
    serving = (
        narrow.filter(pk__in=_confirmed_areas().filter(municipality_id__in=ids).values("actor_id"))
        .exclude(municipality_id__in=ids).order_by().values_list(*columns)
    )
    rows = list(home.union(serving, all=True).order_by(*columns[1:], "pk")[offset:offset + limit])
    found = Actor.objects.select_related("actor_type", "municipality").in_bulk([row[0] for row in rows])
    return [found[row[0]] for row in rows if row[0] in found]


def network_cooperations_page(*, municipality: Municipality) -> QuerySet[Cooperation]:
    """The active cooperations of the municipality (for a Kreis: also its members) by title, for paging,
    each with ``active_partner_count`` (a correlated count: PostgreSQL evaluates it for the page's rows
    only, after sorting and limiting)."""
    partners = (
        Cooperation.actors.through.objects.filter(cooperation_id=OuterRef("pk"), actor__is_active=True)
        .order_by().values("cooperation_id").annotate(n=Count("pk")).values("n")  # type: ignore[misc]
    )
    return (
        Cooperation.objects.filter(municipality_id__in=scope_ids(municipality=municipality), is_active=True)
        .select_related("municipality")
        .annotate(active_partner_count=Coalesce(Subquery(partners, output_field=IntegerField()), 0))
        .order_by("title", "pk")
    )


def actor_type_by_slug(*, slug: str) -> ActorType | None:
    return ActorType.objects.filter(slug=slug).first() if slug else None


# ---------------------------------------------------------------------------
# Actor list with facets
# ---------------------------------------------------------------------------

RANK_LIMIT = 5000  # search results are ranked when there are at most this many, else listed by name
COUNT_LIMIT = 10_000  # search results are counted up to this many ("more than ...")


def actor_list(*, user: Any, query: str = "") -> QuerySet[Actor]:
    """The actors ``user`` may see, searched, with what a list row needs selected: by relevance when
    searched, else by name (read in order from the index on name and id, see :func:`by_name`)."""
    qs = rules.actors_visible_to(user).select_related("actor_type", "municipality", "verified_by")
    qs = search(qs, query)
    if query:
        return qs.order_by("-search_rank", "name", "pk")
    return by_name(queryset=qs)


def by_name(*, queryset: QuerySet[Actor]) -> QuerySet[Actor]:
    """Partners by name, a stable order read from the index on name and id (for broad searches too,
    which ranking every match would make slow)."""
    return queryset.order_by("name", "pk")


def bounded_count(*, queryset: QuerySet[Any], limit: int) -> int:
    """``queryset``'s size, counted no further than ``limit + 1`` (more than ``limit`` answers ``limit + 1``)."""
    return queryset.order_by().values("pk")[: limit + 1].count()


FACET_COUNT_LIMIT = 5000  # facet counts are read only for selections up to this size


def actor_facets(
    *, queryset: QuerySet[Actor], total: int, limit: int = FACET_COUNT_LIMIT
) -> dict[str, list[tuple[str, str, int | None]]]:
    """The options of each facet: {facet: [(value, label, count)]}.

    Counts are read over ``queryset`` (``total`` partners) only when it holds at most ``limit`` partners
    (three grouped queries: types with their sectors, providers with states, target groups); a broader
    selection offers every option without a count (two small queries), so the page costs the same for
    the whole country as for one town. Municipalities are no facet options: they are typed (a picker).
    """
    if total > limit:
        types_all = list(ActorType.objects.order_by("order", "name").values_list("slug", "name", "sector"))
        sectors_used = {sector for _slug, _name, sector in types_all}
        return {
            "type": [(slug, name, None) for slug, name, _sector in types_all],
            "sector": [(v, str(label), None) for v, label in Sector.choices if v in sectors_used],
            "traeger": [(v, str(label), None) for v, label in TraegerKind.choices],
            "land": [(v, str(label), None) for v, label in Bundesland.choices],
            "target": [(slug, name, None) for slug, name in TargetGroup.objects.order_by("order", "name")
                       .values_list("slug", "name")],
        }
    base = Actor.objects.filter(pk__in=queryset.order_by().values("pk"))
    types = sorted(
        base.values_list("actor_type__slug", "actor_type__name", "actor_type__sector", "actor_type__order")
        .annotate(n=Count("pk")).order_by(),
        key=lambda row: (row[3], row[1]),
    )
    pairs = list(
        base.values_list("traeger_kind", "municipality__bundesland").annotate(n=Count("pk")).order_by()
    )
    targets = sorted(
        base.filter(target_groups__isnull=False)
        .values_list("target_groups__slug", "target_groups__name", "target_groups__order")
        .annotate(n=Count("pk", distinct=True)).order_by(),
        key=lambda row: (row[2], row[1]),
    )
    sector_counts: dict[str, int] = defaultdict(int)
    for _slug, _name, sector, _order, n in types:
        sector_counts[sector] += n
    traeger_counts: dict[str, int] = defaultdict(int)
    land_counts: dict[str, int] = defaultdict(int)
    for traeger, land, n in pairs:
        traeger_counts[traeger] += n
        land_counts[land] += n
    return {
        "type": [(slug, name, n) for slug, name, _sector, _order, n in types],
        "sector": [(v, str(label), sector_counts[v]) for v, label in Sector.choices if v in sector_counts],
        "traeger": [(v, str(label), traeger_counts[v]) for v, label in TraegerKind.choices if v in traeger_counts],
        "land": [(v, str(label), land_counts[v]) for v, label in Bundesland.choices if v in land_counts],
        "target": [(slug, name, n) for slug, name, _order, n in targets],
    }


def actor_detail(*, pk: int, user: Any) -> Actor:
    """One actor the user may see, with type, municipality, served municipalities, groups."""
    qs = (
        rules.actors_visible_to(user)
        .select_related("actor_type", "municipality", "verified_by")
        .prefetch_related(
            Prefetch("servicearea_set", queryset=ServiceArea.objects.select_related("municipality")
                     .order_by("municipality__name"), to_attr="service_areas"),
            "target_groups",
            Prefetch("cooperations", queryset=Cooperation.objects.filter(is_active=True)),
            Prefetch("contacts", queryset=rules.contacts_visible_to(user)),
        )
    )
    return get_object_or_404(qs, pk=pk)


def actor_for_edit(*, pk: int) -> Actor:
    """One partner with its municipality and type (any partner; the caller asks the rule)."""
    return get_object_or_404(Actor.objects.select_related("municipality", "actor_type"), pk=pk)


def inactive_actors_of(*, municipality: Municipality, user: Any, limit: int | None = None) -> list[Actor]:
    """The deactivated partners of ``municipality`` that ``user`` may see (by name, the first ``limit``)."""
    qs = rules.actors_visible_to(user).filter(municipality=municipality, is_active=False).select_related("actor_type")
    return list(qs.order_by("name", "pk")[:limit] if limit is not None else qs)


def active_actors() -> QuerySet[Actor]:
    """Every active partner by name, with its municipality (choices of the catalogue's editor)."""
    return Actor.objects.filter(is_active=True).select_related("municipality").order_by("name")


_PK_IN_LABEL = re.compile(r"#(\d{1,18})\)\s*$")


def partner_label(*, actor: Actor) -> str:
    """How a partner picker shows and takes back a partner: "Suchtberatung Heinsberg (Heinsberg, #12)"."""
    return f"{actor.name} ({actor.municipality.name}, #{actor.pk})"


def partners_by_ids(*, ids: Iterable[int]) -> list[Actor]:
    """Partners (active or not) with their municipality, in the order of ``ids`` (a picker's initial value)."""
    ids = [pk for pk in ids if isinstance(pk, int) and 0 < pk < 2**63]
    found = Actor.objects.select_related("municipality").in_bulk(ids) if ids else {}
    return [found[pk] for pk in ids if pk in found]


SUGGESTION_POOL = 1000


def partner_suggestions(*, query: str, limit: int = 10, among: QuerySet[Actor] | None = None) -> list[Actor]:
    """Active partners (or those of ``among``) whose name matches what someone types (word beginnings, as
    the registry's search), by name; a number finds the partner of that id."""
    text = query.strip()[:100]
    if len(text) < 2:
        return []
    qs = (among if among is not None else Actor.objects.filter(is_active=True)).select_related(None).select_related(
        "municipality"
    ).only(
        "name", "municipality__name", "municipality__slug"
    )
    if text.lstrip("#").isdigit():
        return list(qs.filter(pk=int(text.lstrip("#")[:18])))
    # At most SUGGESTION_POOL matches straight from the search index, then the first by name: a broad word
    # costs the same as a rare one (walking the name index skipped 95,000 partners for "Jugendamt").
    pool = search(qs, text).order_by().values("pk")[:SUGGESTION_POOL]
    return list(qs.filter(pk__in=pool).order_by(Lower("name"), "pk")[:limit])


def partner_lookup(
    *, text: str, limit: int = 8, among: QuerySet[Actor] | None = None
) -> tuple[Actor | None, list[Actor]]:
    """The active partner a picker's text means, or ``None`` with the candidates that could be meant.

    Accepts what the picker offers ("Name (Municipality, #id)") or a partner's exact name; a name that
    several partners share answers with those, an unknown one with partners whose name matches it."""
    text = text.strip()[:300]
    if not text:
        return None, []
    active = (among if among is not None else Actor.objects.filter(is_active=True)).select_related("municipality")
    match = _PK_IN_LABEL.search(text)
    if match:
        return active.filter(pk=int(match.group(1))).first(), []
    candidates = list(active.filter(name__iexact=text).order_by("pk")[: limit + 1])
    if not candidates:
        candidates = partner_suggestions(query=text, limit=limit + 1, among=among)
    if len(candidates) == 1 and candidates[0].name.casefold() == text.casefold():
        return candidates[0], []
    return None, candidates[:limit]


def actor_names(*, ids: Iterable[int]) -> dict[int, str]:
    return dict(Actor.objects.filter(id__in=list(ids)).values_list("id", "name"))


def actor_ids_by_name(*, names: Iterable[str]) -> dict[str, int]:
    """The id of the partner of each name (the first one, if several share it)."""
    found: dict[str, int] = {}
    for pk, name in Actor.objects.filter(name__in=list(names)).order_by("pk").values_list("pk", "name"):
        found.setdefault(name, pk)
    return found


def service_area_by_id(*, pk: int) -> ServiceArea:
    return get_object_or_404(ServiceArea.objects.select_related("actor", "municipality"), pk=pk)


def service_areas_for(*, municipality: Municipality) -> list[ServiceArea]:
    """The partners of other municipalities that serve ``municipality`` or ask to: waiting ones first."""
    return sorted(
        ServiceArea.objects.filter(municipality=municipality, actor__is_active=True)
        .select_related("actor", "actor__municipality", "actor__actor_type", "requested_by"),
        key=lambda area: (area.is_confirmed, area.actor.name),
    )


def municipality_choices(*, query: str, limit: int = 20) -> list[Municipality]:
    """Municipalities matching a name, AGS or seat, best first (a picker that needs no script)."""
    if not query.strip():
        return []
    return list(municipality_list(query=query, with_counts=False)[:limit])


_AGS_IN_LABEL = re.compile(r"\((\d{8})\b[^)]*\)\s*$")


def municipality_label(*, municipality: Municipality) -> str:
    """How a picker shows and takes back a municipality: "Heinsberg, Stadt (05370016)"."""
    return f"{municipality.name} ({municipality.ags})"


def municipality_suggestions(*, query: str, limit: int = 10) -> list[Municipality]:
    """What a picker suggests while someone types: by AGS or postcode prefix for digits, else by name
    (names that begin with the words first), then the search's best matches."""
    text = query.strip()[:100]
    if len(text) < 2:
        return []
    qs = Municipality.objects.select_related("parent").only(
        "name", "ags", "slug", "kind", "postcode", "parent__name", "population"
    )
    if text.isdigit():
        found = list(qs.filter(Q(ags__startswith=text) | Q(postcode__startswith=text)).order_by("ags")[:limit])
        return found
    starts = list(qs.filter(Q(name__istartswith=text) | Q(official_name__istartswith=text))
                  .order_by("-population", "name")[:limit])
    if len(starts) >= limit:
        return starts
    seen = {m.pk for m in starts}
    more = [m for m in municipality_choices(query=text, limit=limit * 2) if m.pk not in seen]
    return (starts + more)[:limit]


def municipality_lookup(*, text: str, limit: int = 8) -> tuple[Municipality | None, list[Municipality]]:
    """The municipality a picker's text means, or ``None`` with the candidates that could be meant.

    Accepts what the picker offers ("Name (AGS)"), an AGS, a slug, a postcode, or a name; a name or
    postcode that several municipalities share answers with those candidates."""
    text = text.strip()[:200]
    if not text:
        return None, []
    match = _AGS_IN_LABEL.search(text)
    ags = match.group(1) if match else (text if len(text) == 8 and text.isdigit() else "")
    if ags:
        found = Municipality.objects.filter(ags=ags).first()
        return found, [] if found else []
    by_slug = Municipality.objects.filter(slug=text.lower()).first()
    if by_slug is not None:
        return by_slug, []
    if text.isdigit():
        candidates = list(Municipality.objects.filter(postcode=text).order_by("-population")[: limit + 1])
    else:
        candidates = list(
            Municipality.objects.filter(Q(name__iexact=text) | Q(official_name__iexact=text))
            .select_related("parent").order_by("-population")[: limit + 1]
        )
        if not candidates:
            candidates = [m for m in municipality_choices(query=text, limit=limit + 1)]
    if len(candidates) == 1:
        return candidates[0], []
    return None, candidates[:limit]


def contact_by_id(*, pk: int) -> ContactPerson | None:
    return ContactPerson.objects.select_related("actor").filter(pk=pk).first()


def actor_history(*, actor: Actor, limit: int = 30) -> list[dict[str, Any]]:
    """Who changed what, when: [{date, user, type, changes: [history.Change]}], newest first (also the
    municipalities served and the target groups)."""
    records = list(actor.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            changes = history_changes(record, previous, excluded=["updated_at", "version", "uuid", "created_at"])
        entries.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "type": record.history_type,
                "reason": reason_label(record.history_change_reason),
                "changes": changes,
            }
        )
    return entries


# ---------------------------------------------------------------------------
# Cooperations and the network graph
# ---------------------------------------------------------------------------


def cooperations_for(*, municipality: Municipality, include_inactive: bool = False) -> QuerySet[Cooperation]:
    ids = scope_ids(municipality=municipality)
    qs = Cooperation.objects.filter(municipality_id__in=ids)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.select_related("municipality").prefetch_related(
        Prefetch("actors", queryset=Actor.objects.filter(is_active=True).select_related("actor_type"))
    )


def cooperations_with_partner_counts(*, municipality: Municipality) -> QuerySet[Cooperation]:
    """Active cooperations of the municipality (for a Kreis: also its members), each annotated
    with ``active_partner_count``: what the municipality page lists, without loading partners."""
    return (
        Cooperation.objects.filter(municipality_id__in=scope_ids(municipality=municipality), is_active=True)
        .select_related("municipality")
        .annotate(active_partner_count=Count("actors", filter=Q(actors__is_active=True)))
    )


def cooperation_actor_choices(
    *, municipality: Municipality, cooperation: Cooperation | None = None
) -> QuerySet[Actor]:
    """Partners a cooperation of ``municipality`` can link: its active actors and, when editing,
    those already linked (even if deactivated since)."""
    condition = Q(pk__in=active_actors_for(municipality=municipality).values("pk"))
    if cooperation is not None:
        condition |= Q(pk__in=cooperation.actors.values("pk"))
    return Actor.objects.filter(condition).select_related("actor_type").order_by("actor_type__order", "name")


def cooperation_for_edit(*, pk: int) -> Cooperation:
    return get_object_or_404(Cooperation.objects.select_related("municipality"), pk=pk)


def cooperation_detail(*, pk: int, user: Any) -> Cooperation:
    """One cooperation ``user`` may see (an ended one only its coordinators and admins)."""
    qs = rules.cooperations_visible_to(user).select_related("municipality").prefetch_related(
        Prefetch("actors", queryset=Actor.objects.filter(is_active=True).select_related("actor_type", "municipality"))
    )
    return get_object_or_404(qs, pk=pk)


# ---------------------------------------------------------------------------
# Site search provider
# ---------------------------------------------------------------------------


def search_vocabulary_sources() -> list[QuerySet[Any]]:
    """The registry's public names for "Meinten Sie …?" (``portal.core.search.suggest``): active
    partners with their types and providers."""
    return [Actor.objects.filter(is_active=True)]


def search_suggestion(*, query: str) -> str:
    """"Meinten Sie …?" for the registry's partner search."""
    return suggest(query, name="registry", sources=search_vocabulary_sources())


def site_search_actors(*, query: str, user: Any, limit: int) -> SearchGroup:
    """The partners ``user`` may see (the same rule as the registry's list) matching ``query``;
    never contact persons."""
    qs = search(
        rules.actors_visible_to(user).select_related("actor_type", "municipality"), query
    ).order_by("-search_rank", "name")
    total = qs.count()
    hits = [
        SearchHit(
            title=actor.name,
            url=actor.get_absolute_url(),
            excerpt=highlight(actor.offer or actor.actor_type.name, query),
            meta=f"{actor.actor_type.name} · {actor.municipality.name}",
        )
        for actor in qs[:limit]
    ]
    return SearchGroup(
        key="actors",
        label=_("Network partners"),
        hits=hits,
        total=total,
        more_url=reverse("networks:actor-list") + "?" + urlencode({"q": query}),
    )


# ---------------------------------------------------------------------------
# Requests for access
# ---------------------------------------------------------------------------


def access_requests_for_review(*, user: Any) -> QuerySet[AccessRequest]:
    """The requests ``user`` may review: the waiting ones first (the oldest first), then the decided
    ones (the latest decision first)."""
    return (
        rules.access_requests_visible_to(user)
        .select_related("municipality", "decided_by")
        .annotate(decided=Case(
            When(status=AccessRequestStatus.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
        ))
        .order_by("decided", F("decided_at").desc(nulls_last=True), "created_at", "pk")
    )


def access_request_for_review(*, pk: int, user: Any) -> AccessRequest:
    """One request ``user`` may review, with its municipality, Kreis, reviewer and account; 404 otherwise."""
    qs = rules.access_requests_visible_to(user).select_related("municipality__parent", "decided_by", "user")
    return get_object_or_404(qs, pk=pk)


@dataclass(frozen=True)
class UnverifiedPartners:
    """One municipality's active partners not verified since a date (or never)."""

    municipality: Municipality
    partners: list[Actor]
    total: int


def unverified_partners_by_coordinator(*, before: Any, limit: int = 50) -> dict[Any, list[UnverifiedPartners]]:
    """For each active coordinator with an e-mail address, the municipalities they coordinate whose
    active partners were last verified before ``before`` or never: at most ``limit`` partners each (the
    longest unverified first), with how many there are in all. Municipalities without such partners
    are left out, and so are coordinators without any."""
    stale = Actor.objects.filter(is_active=True).filter(Q(verified_at__isnull=True) | Q(verified_at__lt=before))
    through = Municipality.coordinators.through
    links = (
        through.objects.filter(user__is_active=True, municipality__in=stale.values("municipality_id"))
        .exclude(user__email="")
        .select_related("user", "municipality")
        .order_by("user_id", "municipality__name")
    )
    found: dict[int, UnverifiedPartners] = {}
    result: dict[Any, list[UnverifiedPartners]] = {}
    for link in links:
        municipality = link.municipality
        if municipality.pk not in found:
            mine = stale.filter(municipality=municipality).select_related("actor_type")
            found[municipality.pk] = UnverifiedPartners(
                municipality=municipality,
                partners=list(mine.order_by(F("verified_at").asc(nulls_first=True), "name")[:limit]),
                total=mine.count(),
            )
        result.setdefault(link.user, []).append(found[municipality.pk])
    return result


def access_request_reviewer_emails() -> list[str]:
    """Who is told of a new request: ``ACCESS_REQUEST_NOTIFY`` if set, else every active member of the
    Redaktion and every admin with an e-mail address."""
    if settings.ACCESS_REQUEST_NOTIFY:
        return list(settings.ACCESS_REQUEST_NOTIFY)
    return roles.editorial_emails(with_admins=True)


# ---------------------------------------------------------------------------
# The Open Referral HSDS feed (networks/hsds.py, networks/api)
# ---------------------------------------------------------------------------


def hsds_actors(*, queryset: QuerySet[Actor] | None = None) -> QuerySet[Actor]:
    """Partners for the public HSDS feed, active and deactivated (records mark them), or those of
    ``queryset``: with what a record reads selected and prefetched (type, municipality, target groups,
    the confirmed service areas as ``hsds_areas``), by name and id (a stable order for paging). Records
    read public fields only, never contact persons."""
    qs = Actor.objects.all() if queryset is None else queryset
    areas = _confirmed_areas().select_related("municipality").order_by("municipality__ags")
    return (
        qs.select_related("actor_type", "municipality")
        .prefetch_related("target_groups", Prefetch("servicearea_set", queryset=areas, to_attr="hsds_areas"))
        .order_by("name", "pk")
    )


def hsds_filter(
    *,
    queryset: QuerySet[Actor],
    query: str = "",
    municipality: Municipality | None = None,
    modified_after: Any = None,
    actor_type_slugs: Iterable[str] | None = None,
    target_group_slugs: Iterable[str] | None = None,
    with_accessibility: bool = False,
    organization_uuid: Any = None,
    postcode: str = "",
    with_location: bool = False,
) -> QuerySet[Actor]:
    """``queryset`` narrowed as the HSDS API's query parameters ask: a search, a municipality (for a
    Kreis or region also its members; partners at home there or serving it), changed on or after
    ``modified_after``, of one of the partner types or target groups, with an accessibility text, of one
    organization (its uuid), with the postal code, with a location (an address or their municipality's
    coordinates)."""
    qs = queryset
    if query:
        qs = search(qs, query)
    if municipality is not None:
        qs = qs.filter(_home_or_serving(scope_ids(municipality=municipality)))
    if modified_after is not None:
        qs = qs.filter(updated_at__gte=modified_after)
    if actor_type_slugs is not None:
        qs = qs.filter(actor_type__slug__in=list(actor_type_slugs))
    if target_group_slugs is not None:
        qs = qs.filter(pk__in=Actor.target_groups.through.objects.filter(
            targetgroup__slug__in=list(target_group_slugs)).values("actor_id"))
    if with_accessibility:
        qs = qs.exclude(accessibility="")
    if organization_uuid is not None:
        qs = qs.filter(uuid=organization_uuid)
    if postcode:
        qs = qs.filter(postal_code=postcode)
    if with_location:
        qs = qs.filter(
            (~Q(street="") & ~Q(city="") & ~Q(postal_code=""))
            | Q(municipality__latitude__isnull=False, municipality__longitude__isnull=False)
        )
    return qs


def hsds_municipality(*, key: str) -> Municipality | None:
    """The municipality with the AGS (8 digits) or Regionalschlüssel (12 digits) ``key``."""
    field = "ags" if len(key) == 8 else "regional_key"
    return Municipality.objects.filter(**{field: key}).first()
