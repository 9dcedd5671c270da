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
MUNICIPALITY_PAGE_SIZE = 25  # partners and cooperations per page of a municipality's page
GRAPH_LIMIT = 60  # a network graph shows every partner up to this many
GRAPH_COOPERATIONS = 20  # else this many cooperations per page, with their partners


def _query(request, name: str = "q") -> str:
    return request.GET.get(name, "")[:MAX_QUERY_LENGTH].replace("\x00", "").strip()


class _CountedPaginator(Paginator):
    """A paginator told its count (read already with the page's summary): no COUNT query of its own."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count


@cached_page(params=("q", "page", *(key for key, _label in FACETS)))
@require_GET
def actor_list(request):
    query = _query(request)
    filterset = ActorFilter(request.GET, queryset=selectors.actor_list(user=request.user, query=query))
    qs = filterset.qs
    # A broad search is counted up to a limit and listed by name: its cost does not grow with the registry.
    total = selectors.bounded_count(queryset=qs, limit=selectors.COUNT_LIMIT) if query else qs.count()
    if query and total > selectors.RANK_LIMIT:
        qs = selectors.by_name(queryset=qs)
    page = _CountedPaginator(qs, PAGE_SIZE, count=min(total, selectors.COUNT_LIMIT)).get_page(
        request.GET.get("page")
    )
    actors = list(page.object_list)
    for actor in actors:
        actor.excerpt = highlight(actor.offer, query) if query else ""
    facets = selectors.actor_facets(queryset=qs, total=page.paginator.count)
    facet_groups = [
        {"key": key, "label": label, "options": facets.get(key, []), "selected": request.GET.get(key, "")[:200],
         "picker": key == "municipality"}
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
            "more_than": selectors.COUNT_LIMIT if total > selectors.COUNT_LIMIT else None,
            "by_name": bool(query) and total > selectors.RANK_LIMIT,
            # "Meinten Sie …?" when the query found nothing (a typo, an unknown spelling).
            "suggestion": selectors.search_suggestion(query=query) if query and not total else "",
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


@cached_page(params=("page", "coop_page", "type"))
@require_GET
def municipality_detail(request, slug):
    """A municipality's profile, gap analysis and network: counts per sector and type, then one page of
    partners (``page``, optionally of one ``type``) and one of cooperations (``coop_page``); the whole
    network is in the exports. The page does not grow with the network."""
    municipality = selectors.municipality_by_slug(slug=slug)
    members = selectors.members_and_scope(municipality=municipality)
    summary = selectors.network_summary(municipality=municipality)
    actor_type = selectors.actor_type_by_slug(slug=request.GET.get("type", "").replace("\x00", "")[:200])
    partner_total = summary.type_count(actor_type.slug) if actor_type else summary.actor_count
    partners = _CountedPaginator(range(partner_total), MUNICIPALITY_PAGE_SIZE, count=partner_total).get_page(
        request.GET.get("page")
    )
    cooperations = _CountedPaginator(
        selectors.network_cooperations_page(municipality=municipality), MUNICIPALITY_PAGE_SIZE,
        count=summary.cooperation_count,
    ).get_page(request.GET.get("coop_page"))
    can_edit = rules.can_edit_municipality(request.user, municipality)
    inactive = (
        selectors.inactive_actors_of(municipality=municipality, user=request.user, limit=MUNICIPALITY_PAGE_SIZE)
        if can_edit else []
    )
    may_confirm = rules.can_confirm_service_area(request.user, municipality)
    return render(
        request,
        "networks/municipality_detail.html",
        {
            "municipality": municipality,
            "members": members,
            "summary": summary,
            "actor_count": summary.actor_count,
            "actor_type": actor_type,
            "partners_page": partners,
            "partners": selectors.network_partners_page(
                municipality=municipality, actor_type=actor_type,
                offset=partners.start_index() - 1 if partner_total else 0, limit=MUNICIPALITY_PAGE_SIZE,
            ),
            "gap": summary.gap,
            "cooperations_page": cooperations,
            "cooperations": list(cooperations.object_list),
            "can_edit": can_edit,
            "can_edit_profile": rules.can_edit_municipality_profile(request.user, municipality),
            "inactive": inactive,
            "service_areas": selectors.service_areas_for(municipality=municipality) if may_confirm else [],
        },
    )


@cached_page(params=("page",))
@require_GET
def network_graph(request, slug):
    """The network as a graph: every partner and cooperation of a network of up to ``GRAPH_LIMIT``
    partners; of a larger one, ``GRAPH_COOPERATIONS`` cooperations per page with their partners (a
    circle of thousands of partners is neither readable nor quick)."""
    municipality = selectors.municipality_by_slug(slug=slug)
    actors_qs = selectors.active_actors_for(municipality=municipality)
    page = None
    if selectors.bounded_count(queryset=actors_qs, limit=GRAPH_LIMIT) <= GRAPH_LIMIT:
        actors = list(actors_qs)
        cooperations = list(selectors.cooperations_for(municipality=municipality))
    else:
        page = Paginator(
            selectors.cooperations_for(municipality=municipality).order_by("title", "pk"), GRAPH_COOPERATIONS
        ).get_page(request.GET.get("page"))
        cooperations = list(page.object_list)
        actors = list({a.pk: a for c in cooperations for a in c.actors.all()}.values())
    graph = layout(actors, cooperations)
    return render(
        request,
        "networks/network_graph.html",
        {"municipality": municipality, "graph": graph, "cooperations": cooperations, "page_obj": page},
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


@require_GET
def partner_suggest(request):
    """Suggestions for the partner pickers (JSON): ``[{"value": "Name (Municipality, #id)", "label": ...}]``;
    at most ten active partners, whatever the size of the registry."""
    among = None
    slug = _query(request, "kommune")
    if slug:  # the partners of one municipality's network (the cooperation form's picker)
        municipality = selectors.municipality_by_slug(slug=slug)
        among = selectors.active_actors_for(municipality=municipality).order_by()
    found = selectors.partner_suggestions(query=_query(request), among=among)
    return JsonResponse({"results": [
        {"value": selectors.partner_label(actor=a), "label": selectors.partner_label(actor=a)} for a in found
    ]}, headers={"Cache-Control": "public, max-age=600"})
