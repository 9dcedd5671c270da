"""Reads of the registry. Querysets here are the twins of the predicates in ``networks.rules``.

Other apps (the roadmap, the catalogue, the resolution draft) read municipalities, actors and
gaps only through the functions in this module.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from networks.models import (
    Actor,
    ActorType,
    ContactPerson,
    Cooperation,
    Municipality,
    MunicipalityKind,
    Sector,
)
from networks.rules import coordinated_municipality_ids
from portal.rules import is_admin, is_koordination, is_portal_staff
from portal.search import highlight, search

# ---------------------------------------------------------------------------
# Permissions: queryset twins
# ---------------------------------------------------------------------------


def municipalities_editable_by(user) -> QuerySet[Municipality]:
    """Twin of ``networks.rules.can_edit_municipality``."""
    if is_admin(user):
        return Municipality.objects.all()
    if is_koordination(user):
        return Municipality.objects.filter(id__in=coordinated_municipality_ids(user))
    return Municipality.objects.none()


def actors_visible_to(user) -> QuerySet[Actor]:
    """Twin of ``networks.rules.can_view_actor``: active actors for everyone; inactive ones
    for the coordinators of their municipality and for admins."""
    if is_admin(user):
        return Actor.objects.all()
    if is_koordination(user):
        return Actor.objects.filter(Q(is_active=True) | Q(municipality_id__in=coordinated_municipality_ids(user)))
    return Actor.objects.filter(is_active=True)


def actors_editable_by(user) -> QuerySet[Actor]:
    """Twin of ``networks.rules.can_edit_actor``."""
    return Actor.objects.filter(municipality__in=municipalities_editable_by(user))


def cooperations_editable_by(user) -> QuerySet[Cooperation]:
    """Twin of ``networks.rules.can_edit_cooperation``."""
    return Cooperation.objects.filter(municipality__in=municipalities_editable_by(user))


def contacts_visible_to(user) -> QuerySet[ContactPerson]:
    """Twin of ``networks.rules.can_view_contacts``: personal data only for signed-in staff."""
    if is_portal_staff(user):
        return ContactPerson.objects.all()
    return ContactPerson.objects.none()


# ---------------------------------------------------------------------------
# Taxonomy and municipalities
# ---------------------------------------------------------------------------


def actor_types() -> QuerySet[ActorType]:
    return ActorType.objects.all()


def recommended_actor_types() -> QuerySet[ActorType]:
    return ActorType.objects.filter(recommended=True)


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
        qs = qs.annotate(active_actor_count=Count("actors", filter=Q(actors__is_active=True), distinct=True))
    qs = search(qs, query, fields={"A": ["name"], "B": ["ags", "seat"], "C": ["regierungsbezirk"]})
    if query:
        return qs.order_by("-search_rank", "name")
    return qs.order_by("name")


def _scope_ids(municipality: Municipality, members: dict[int, list[int]]) -> set[int]:
    ids = {municipality.pk}
    if municipality.kind in (MunicipalityKind.KREIS, MunicipalityKind.REGION):
        ids.update(members.get(municipality.pk, []))
    return ids


def scope_ids(municipality: Municipality) -> set[int]:
    """The municipality and, for a Kreis or region, its member municipalities (remembered on
    the instance, so the pages that ask several selectors read it once)."""
    cached = getattr(municipality, "_sn_scope_ids", None)
    if cached is not None:
        return set(cached)
    members = defaultdict(list)
    if municipality.kind in (MunicipalityKind.KREIS, MunicipalityKind.REGION):
        for pk in Municipality.objects.filter(parent=municipality).values_list("pk", flat=True):
            members[municipality.pk].append(pk)
    ids = _scope_ids(municipality, members)
    municipality._sn_scope_ids = frozenset(ids)
    return set(ids)


def _home_or_serving(ids) -> Q:
    """Partners whose home is one of ``ids`` or who serve one of them: a UNION of two indexed
    lookups (an OR across the join would read every partner)."""
    home = Actor.objects.filter(municipality_id__in=ids).order_by().values("pk")
    serving = Actor.serves.through.objects.filter(municipality_id__in=ids).order_by().values("actor_id")
    return Q(pk__in=home.union(serving))


def active_actors_for(municipality: Municipality) -> QuerySet[Actor]:
    """Active actors located in or serving the municipality (for a Kreis: also its members)."""
    ids = scope_ids(municipality)
    return (
        Actor.objects.filter(is_active=True)
        .filter(_home_or_serving(ids))
        .select_related("actor_type", "municipality")
        .order_by("actor_type__order", "name")
    )


def actors_by_sector(actors) -> list[tuple[str, str, list[Actor]]]:
    """Group actors (with actor_type selected) by sector: [(sector value, label, actors)]."""
    groups: dict[str, list[Actor]] = defaultdict(list)
    for actor in actors:
        groups[actor.actor_type.sector].append(actor)
    return [(value, label, groups[value]) for value, label in Sector.choices if groups.get(value)]


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


def gap_analyses(municipalities) -> dict[int, GapAnalysis]:
    """Gap analyses for many municipalities with a fixed number of queries (five)."""
    municipalities = list(municipalities)
    if not municipalities:
        return {}
    recommended = list(recommended_actor_types())
    members: dict[int, list[int]] = defaultdict(list)
    if any(getattr(m, "_sn_scope_ids", None) is None for m in municipalities):
        for pk, parent_id in Municipality.objects.filter(
            parent_id__in=[m.pk for m in municipalities]
        ).values_list("pk", "parent_id"):
            members[parent_id].append(pk)
        scopes = {m.pk: _scope_ids(m, members) for m in municipalities}
    else:
        scopes = {m.pk: set(m._sn_scope_ids) for m in municipalities}
    all_ids = set().union(*scopes.values())
    recommended_ids = [t.pk for t in recommended]
    actors = list(
        Actor.objects.filter(is_active=True, actor_type_id__in=recommended_ids)
        .filter(_home_or_serving(all_ids))
        .values_list("pk", "actor_type_id", "municipality_id")
    )
    actor_ids = [a[0] for a in actors]
    served: dict[int, set[int]] = defaultdict(set)
    for actor_id, muni_id in Actor.serves.through.objects.filter(actor_id__in=actor_ids).values_list(
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


def _gap(recommended: list[ActorType], present_types: dict[int, bool]) -> GapAnalysis:
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


def gap_analysis(municipality: Municipality, *, actors=None) -> GapAnalysis:
    """Which recommended actor types are present, present without cooperation, or missing.

    ``actors``: the result of :func:`active_actors_for` when the caller has it already; the
    analysis then needs two queries instead of five.
    """
    if actors is None:
        return gap_analyses([municipality])[municipality.pk]
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
# Actor list with facets
# ---------------------------------------------------------------------------

ACTOR_SEARCH_FIELDS = {
    "A": ["name"],
    "B": ["actor_type__name", "traeger_name"],
    "C": ["offer", "city", "municipality__name"],
    "D": ["languages", "accessibility"],
}


def actor_list(*, user, query: str = "") -> QuerySet[Actor]:
    """The actors ``user`` may see, searched, with what a list row needs selected."""
    qs = actors_visible_to(user).select_related("actor_type", "municipality", "verified_by")
    qs = search(qs, query, fields=ACTOR_SEARCH_FIELDS, vector_field="search_vector")
    if query:
        return qs.order_by("-search_rank", "name", "pk")
    return qs.order_by("name", "pk")


def actor_facets(queryset: QuerySet[Actor]) -> dict[str, list[tuple[str, str, int]]]:
    """Counts per facet value over ``queryset``: {facet: [(value, label, count)]} (four queries).

    Sector counts derive from the type counts and state counts from the municipality counts
    (an actor has one type and one home), so each grouping is read once, labels included.
    """
    from networks.models import Bundesland, TraegerKind

    base = Actor.objects.filter(pk__in=queryset.values("pk"))
    types = sorted(
        base.values_list("actor_type__slug", "actor_type__name", "actor_type__sector", "actor_type__order")
        .annotate(n=Count("pk")).order_by(),
        key=lambda row: (row[3], row[1]),
    )
    traeger_counts = dict(base.values_list("traeger_kind").annotate(n=Count("pk")).order_by().values_list("traeger_kind", "n"))
    munis = sorted(
        base.values_list("municipality__slug", "municipality__name", "municipality__bundesland")
        .annotate(n=Count("pk")).order_by(),
        key=lambda row: (row[1], row[0]),
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
    land_counts: dict[str, int] = defaultdict(int)
    for _slug, _name, land, n in munis:
        land_counts[land] += n
    return {
        "type": [(slug, name, n) for slug, name, _sector, _order, n in types],
        "sector": [(v, str(label), sector_counts[v]) for v, label in Sector.choices if v in sector_counts],
        "traeger": [(v, str(label), traeger_counts[v]) for v, label in TraegerKind.choices if v in traeger_counts],
        "municipality": [(slug, name, n) for slug, name, _land, n in munis],
        "land": [(v, label, land_counts[v]) for v, label in Bundesland.choices if v in land_counts],
        "target": [(slug, name, n) for slug, name, _order, n in targets],
    }


def actor_detail(*, pk: int, user) -> Actor:
    """One actor the user may see, with type, municipality, served municipalities, groups."""
    from django.shortcuts import get_object_or_404

    qs = (
        actors_visible_to(user)
        .select_related("actor_type", "municipality", "verified_by")
        .prefetch_related(
            "serves",
            "target_groups",
            Prefetch("cooperations", queryset=Cooperation.objects.filter(is_active=True)),
            Prefetch("contacts", queryset=contacts_visible_to(user)),
        )
    )
    return get_object_or_404(qs, pk=pk)


def _reason_labels() -> dict[str, str]:
    return {
        "created": _("created"),
        "edited": _("edited"),
        "verified": _("checked"),
        "deactivated": _("deactivated"),
        "activated": _("reactivated"),
        "import": _("imported"),
        "seed": _("demo data loaded"),
    }


def actor_history(actor: Actor, *, limit: int = 30) -> list[dict]:
    """Who changed what, when: [{date, user, type, changes: [(label, old, new)]}], newest first."""
    records = list(actor.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    reasons = _reason_labels()
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=["updated_at", "version", "uuid", "created_at"])
            for change in delta.changes:
                label = Actor._meta.get_field(change.field).verbose_name
                changes.append((str(label), change.old, change.new))
        entries.append(
            {
                "date": record.history_date,
                "user": record.history_user,
                "type": record.history_type,
                "reason": reasons.get(record.history_change_reason or "", record.history_change_reason or ""),
                "changes": changes,
            }
        )
    return entries


# ---------------------------------------------------------------------------
# Cooperations and the network graph
# ---------------------------------------------------------------------------


def cooperations_for(municipality: Municipality, *, include_inactive: bool = False) -> QuerySet[Cooperation]:
    ids = scope_ids(municipality)
    qs = Cooperation.objects.filter(municipality_id__in=ids)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.select_related("municipality").prefetch_related(
        Prefetch("actors", queryset=Actor.objects.filter(is_active=True).select_related("actor_type"))
    )


def cooperations_with_partner_counts(municipality: Municipality) -> QuerySet[Cooperation]:
    """Active cooperations of the municipality (for a Kreis: also its members), each annotated
    with ``active_partner_count``: what the municipality page lists, without loading partners."""
    return (
        Cooperation.objects.filter(municipality_id__in=scope_ids(municipality), is_active=True)
        .select_related("municipality")
        .annotate(active_partner_count=Count("actors", filter=Q(actors__is_active=True)))
    )


def cooperation_actor_choices(municipality: Municipality, cooperation: Cooperation | None = None) -> QuerySet[Actor]:
    """Partners a cooperation of ``municipality`` can link: its active actors and, when editing,
    those already linked (even if deactivated since)."""
    condition = Q(pk__in=active_actors_for(municipality).values("pk"))
    if cooperation is not None:
        condition |= Q(pk__in=cooperation.actors.values("pk"))
    return Actor.objects.filter(condition).select_related("actor_type").order_by("actor_type__order", "name")


def cooperation_detail(*, pk: int) -> Cooperation:
    from django.shortcuts import get_object_or_404

    qs = Cooperation.objects.select_related("municipality").prefetch_related(
        Prefetch("actors", queryset=Actor.objects.filter(is_active=True).select_related("actor_type", "municipality"))
    )
    return get_object_or_404(qs, pk=pk)


# ---------------------------------------------------------------------------
# Site search provider
# ---------------------------------------------------------------------------


def site_search_actors(*, query: str, user, limit: int):
    """Active network partners matching ``query``; never contact persons."""
    from portal.site_search import SearchGroup, SearchHit

    qs = search(
        Actor.objects.filter(is_active=True).select_related("actor_type", "municipality"),
        query,
        fields=ACTOR_SEARCH_FIELDS,
        vector_field="search_vector",
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
