"""Public pages of the registry: the partner list with facets, municipalities, partners,
cooperations and the network graph."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from networks import rules, selectors
from networks.filters import FACETS, ActorFilter
from networks.graph import layout
from portal.core.pagecache import cached_page
from portal.core.search import MAX_QUERY_LENGTH, highlight

PAGE_SIZE = 20


def _query(request, name: str = "q") -> str:
    return request.GET.get(name, "")[:MAX_QUERY_LENGTH].replace("\x00", "").strip()


@cached_page(params=("q", "page", *(key for key, _label in FACETS)))
@require_GET
def actor_list(request):
    query = _query(request)
    base = selectors.actor_list(user=request.user, query=query)
    filterset = ActorFilter(request.GET, queryset=base)
    qs = filterset.qs
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    actors = list(page.object_list)
    for actor in actors:
        actor.excerpt = highlight(actor.offer, query) if query else ""
    facets = selectors.actor_facets(queryset=qs)
    facet_groups = [
        {"key": key, "label": label, "options": facets[key], "selected": request.GET.get(key, "")}
        for key, label in FACETS
    ]
    active_filters = [g for g in facet_groups if g["selected"]]
    return render(
        request,
        "networks/actor_list.html",
        {
            "page_obj": page,
            "actors": actors,
            "query": query,
            "facet_groups": facet_groups,
            "active_filters": active_filters,
            "is_index": request.resolver_match.url_name == "index",
            "editable_municipalities": rules.municipalities_editable_by(request.user).order_by("name"),
        },
    )


@cached_page(params=("q", "land", "kind", "page"))
@require_GET
def municipality_list(request):
    query = _query(request)
    # PostgreSQL refuses NUL in a text comparison; no choice value contains it.
    land = request.GET.get("land", "").replace("\x00", "")
    kind = request.GET.get("kind", "").replace("\x00", "")
    qs = selectors.municipality_list(query=query, bundesland=land, kind=kind)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    municipalities = list(page.object_list)
    gaps = selectors.gap_analyses(municipalities=municipalities)
    for municipality in municipalities:
        municipality.gap = gaps[municipality.pk]
    return render(
        request,
        "networks/municipality_list.html",
        {
            "page_obj": page,
            "municipalities": municipalities,
            "query": query,
            "land": land,
            "kind": kind,
            "bundeslaender": selectors.federal_states(),
            "kinds": selectors.municipality_kinds(),
        },
    )


@cached_page
@require_GET
def municipality_detail(request, slug):
    municipality = selectors.municipality_by_slug(slug=slug)
    actors = list(selectors.active_actors_for(municipality=municipality))
    can_edit = rules.can_edit_municipality(request.user, municipality)
    inactive = selectors.inactive_actors_of(municipality=municipality, user=request.user) if can_edit else []
    may_confirm = rules.can_confirm_service_area(request.user, municipality)
    return render(
        request,
        "networks/municipality_detail.html",
        {
            "municipality": municipality,
            "members": list(selectors.members_of(municipality=municipality)),
            "groups": selectors.actors_by_sector(actors=actors),
            "actor_count": len(actors),
            "gap": selectors.gap_analysis(municipality=municipality, actors=actors),
            "cooperations": list(selectors.cooperations_with_partner_counts(municipality=municipality)),
            "can_edit": can_edit,
            "can_edit_profile": rules.can_edit_municipality_profile(request.user, municipality),
            "inactive": inactive,
            "service_areas": selectors.service_areas_for(municipality=municipality) if may_confirm else [],
        },
    )


@cached_page
@require_GET
def network_graph(request, slug):
    municipality = selectors.municipality_by_slug(slug=slug)
    actors = list(selectors.active_actors_for(municipality=municipality))
    cooperations = list(selectors.cooperations_for(municipality=municipality))
    graph = layout(actors, cooperations)
    return render(
        request,
        "networks/network_graph.html",
        {"municipality": municipality, "graph": graph, "cooperations": cooperations},
    )


@cached_page(params=("kommune",))
@require_GET
def actor_detail(request, pk):
    actor = selectors.actor_detail(pk=pk, user=request.user)
    show_history = rules.can_view_history(request.user)
    can_edit = rules.can_edit_actor(request.user, actor)
    area_query = _query(request, "kommune") if can_edit else ""
    return render(
        request,
        "networks/actor_detail.html",
        {
            "actor": actor,
            "can_edit": can_edit,
            "served": [area for area in actor.service_areas if area.is_confirmed],
            "pending": [area for area in actor.service_areas if not area.is_confirmed] if can_edit else [],
            "area_query": area_query,
            "area_choices": selectors.municipality_choices(query=area_query) if area_query else [],
            "show_contacts": rules.can_view_contacts(request.user),
            "history": selectors.actor_history(actor=actor) if show_history else [],
        },
    )


@cached_page
@require_GET
def cooperation_detail(request, pk):
    cooperation = selectors.cooperation_detail(pk=pk, user=request.user)
    return render(
        request,
        "networks/cooperation_detail.html",
        {
            "cooperation": cooperation,
            "groups": selectors.actors_by_sector(actors=cooperation.actors.all()),
            "can_edit": rules.can_edit_cooperation(request.user, cooperation),
        },
    )


@require_GET
def municipality_suggest(request):
    """Suggestions for the municipality pickers (JSON): ``[{"value": "Name (AGS)", "label": ...}]``."""
    query = _query(request)
    found = selectors.municipality_suggestions(query=query)
    return JsonResponse({"results": [
        {"value": selectors.municipality_label(municipality=m),
         "label": f"{selectors.municipality_label(municipality=m)}{' – ' + m.parent.name if m.parent_id else ''}"
                  f"{' – ' + m.postcode if m.postcode else ''}"}
        for m in found
    ]}, headers={"Cache-Control": "public, max-age=3600"})
