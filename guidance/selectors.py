"""Reads of the guide: keyword-only, typed functions over the roadmap, the guidance pages and the
municipalities' progress. The registry is read through ``networks.selectors`` only; what a user may
see comes from the queryset twins in ``guidance.rules``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerChoices, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guidance import oparl
from guidance.models import (
    Area,
    ChecklistTask,
    CouncilSystem,
    GuidancePage,
    LinkedPaper,
    Material,
    ResolutionResult,
    RoadmapStep,
    StepProgress,
    StepStatus,
)
from networks import selectors as registry
from portal.core.history import changes as history_changes
from portal.core.history import reason_label
from portal.core.search import SearchGroup, SearchHit, highlight, search

if TYPE_CHECKING:
    from networks.models import Actor, Municipality
    from networks.selectors import GapAnalysis

RESOLUTION_STEP_SLUG = "beschluss-fassen"


# --- Content ----------------------------------------------------------------------------------------
def roadmap_steps() -> QuerySet[RoadmapStep]:
    """All steps with tasks, materials and actor types in a fixed number of queries."""
    return RoadmapStep.objects.prefetch_related(
        Prefetch("tasks", queryset=ChecklistTask.objects.order_by("order", "id")),
        Prefetch("materials", queryset=Material.objects.order_by("order", "id")),
        "actor_types",
    ).order_by("number")


def roadmap_steps_plain() -> QuerySet[RoadmapStep]:
    """The steps in order, without their tasks and materials (choices, facets, overviews)."""
    return RoadmapStep.objects.order_by("number")


def step_names(*, ids: Iterable[int]) -> dict[int, str]:
    return {step.pk: str(step) for step in RoadmapStep.objects.filter(pk__in=list(ids))}


def step_by_slug(*, slug: str) -> RoadmapStep:
    return get_object_or_404(roadmap_steps(), slug=slug)


def neighbour_steps(*, step: RoadmapStep) -> tuple[RoadmapStep | None, RoadmapStep | None]:
    previous = RoadmapStep.objects.filter(number__lt=step.number).order_by("-number").first()
    following = RoadmapStep.objects.filter(number__gt=step.number).order_by("number").first()
    return previous, following


def pages_by_area() -> list[tuple[str, str, list[GuidancePage]]]:
    """``[(area value, area label, [pages])]`` in the order of the guide's three areas."""
    pages = list(GuidancePage.objects.order_by("order", "title"))
    return [(value, str(label), [p for p in pages if p.area == value]) for value, label in Area.choices]


def page_by_slug(*, slug: str) -> GuidancePage:
    return get_object_or_404(GuidancePage, slug=slug)


def content_history(*, instance: RoadmapStep | GuidancePage, limit: int = 50) -> list[dict[str, Any]]:
    """Who changed what and when: the history records of ``instance`` with their field changes."""
    records = list(instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = history_changes(record, previous, excluded=["version"]) if previous is not None else []
        entries.append({
            "record": record, "changes": changes, "is_creation": record.history_type == "+",
            "reason": reason_label(record.history_change_reason),
        })
    return entries


# --- Site search -----------------------------------------------------------------------------------
def search_vocabulary_sources() -> list[QuerySet[Any]]:
    """The guide's public titles for "Meinten Sie …?" (``portal.core.search.suggest``)."""
    return [GuidancePage.objects.all(), RoadmapStep.objects.all()]


def site_search_pages(*, query: str, user: Any, limit: int) -> SearchGroup:
    """Guidance pages and roadmap steps for the header search (public content)."""
    pages = search(GuidancePage.objects.all(), query)
    steps = search(RoadmapStep.objects.all(), query)
    ranked = sorted(
        [(p.search_rank, 1, p) for p in pages[:limit]] + [(s.search_rank, 0, s) for s in steps[:limit]],
        key=lambda item: (-item[0], -item[1]),
    )
    hits = []
    obj: Any
    for _rank, _kind, obj in ranked[:limit]:
        if isinstance(obj, RoadmapStep):
            text = " ".join(filter(None, [obj.summary, obj.why]))
            meta = _("Roadmap step %(number)s") % {"number": obj.number}
        else:
            text = " ".join(filter(None, [obj.summary, obj.body]))
            meta = obj.get_area_display()
        hits.append(
            SearchHit(title=obj.title, url=obj.get_absolute_url(), excerpt=highlight(text, query), meta=str(meta))
        )
    return SearchGroup(
        key="pages",
        label=_("Guidance"),
        hits=hits,
        total=pages.count() + steps.count(),
        more_url=reverse("guidance:index"),
    )


# --- Progress ("Unser Fahrplan") -------------------------------------------------------------------
@dataclass
class StepProgressView:
    step: RoadmapStep
    progress: StepProgress | None
    ticked_ids: set[int] = field(default_factory=set)

    @property
    def status(self) -> str:
        return self.progress.status if self.progress else StepStatus.OPEN

    @property
    def status_label(self) -> str:
        return str(StepStatus(self.status).label)

    @property
    def tasks(self) -> list[ChecklistTask]:
        return list(self.step.tasks.all())

    @property
    def tasks_done(self) -> int:
        return len([t for t in self.tasks if t.id in self.ticked_ids])

    @property
    def resolution(self) -> Any:
        if self.progress is None:
            return None
        return getattr(self.progress, "resolution", None)


def progress_for(*, municipality: Municipality) -> list[StepProgressView]:
    """Every step with the municipality's progress on it (missing progress counts as open)."""
    progresses = {
        p.step_id: p
        for p in StepProgress.objects.filter(municipality=municipality)
        .select_related("updated_by", "resolution")
        .prefetch_related("done_tasks")
    }
    result = []
    # Progress views show steps and their tasks only: no materials or actor types needed.
    steps = RoadmapStep.objects.prefetch_related(
        Prefetch("tasks", queryset=ChecklistTask.objects.order_by("order", "id"))
    ).order_by("number")
    for step in steps:
        progress = progresses.get(step.id)
        ticked = {t.id for t in progress.done_tasks.all()} if progress else set()
        result.append(StepProgressView(step=step, progress=progress, ticked_ids=ticked))
    return result


def progress_for_step(*, municipality: Municipality, step: RoadmapStep) -> StepProgress | None:
    return (
        StepProgress.objects.filter(municipality=municipality, step=step)
        .select_related("resolution")
        .prefetch_related("done_tasks")
        .first()
    )


def next_steps(*, views: Sequence[StepProgressView], count: int = 3) -> list[StepProgressView]:
    """The first steps that are not done yet: what the municipality should do next."""
    return [v for v in views if v.status != StepStatus.DONE][:count]


@dataclass
class ProgressSummary:
    done: int
    in_progress: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def summarise(*, views: Sequence[StepProgressView]) -> ProgressSummary:
    return ProgressSummary(
        done=len([v for v in views if v.status == StepStatus.DONE]),
        in_progress=len([v for v in views if v.status == StepStatus.IN_PROGRESS]),
        total=len(views),
    )


def progress_overview(*, municipalities: QuerySet[Any]) -> QuerySet[Any]:
    """Municipalities annotated with their number of done and in-progress steps (one query)."""
    return municipalities.annotate(
        steps_done=Count("roadmap_progress", filter=Q(roadmap_progress__status=StepStatus.DONE)),
        steps_in_progress=Count("roadmap_progress", filter=Q(roadmap_progress__status=StepStatus.IN_PROGRESS)),
    ).order_by("-steps_done", "name")


def progress_matrix(*, municipality_ids: Sequence[int]) -> dict[int, dict[int, str]]:
    """``{municipality id: {step id: status}}`` for a page of municipalities (one query)."""
    matrix: dict[int, dict[int, str]] = {}
    rows = StepProgress.objects.filter(municipality_id__in=municipality_ids).values_list(
        "municipality_id", "step_id", "status"
    )
    for municipality_id, step_id, status in rows:
        matrix.setdefault(municipality_id, {})[step_id] = status
    return matrix


# --- Germany at a glance: how far each municipality has come (map, neighbours) ---------------------
NETWORK_STEP_SLUGS = ("kooperation-vereinbaren", "umsetzen")
ADOPTED_RESULTS = (ResolutionResult.ADOPTED, ResolutionResult.ADOPTED_AMENDED)
_UNDER_WAY = (StepStatus.IN_PROGRESS, StepStatus.DONE)


class Stage(IntegerChoices):
    """How far a municipality has come on the roadmap, as the map and the neighbour list show it.

    Only the public status of the steps and the result of the resolution count, never notes,
    responsible persons or evidence. See :func:`stages` for the definition of each stage."""

    NONE = 0, gettext_lazy("no progress recorded")
    STARTED = 1, gettext_lazy("started")
    RESOLUTION = 2, gettext_lazy("resolution passed")
    WORKING = 3, gettext_lazy("network working")

    @property
    def key(self) -> str:
        """A name for classes and the shape on the map: none, started, resolution, working."""
        return self.name.lower()

    @property
    def symbol(self) -> str:
        """The map's shape as a character, so the stage never depends on colour alone."""
        return {0: "○", 1: "▲", 2: "■", 3: "◆"}[int(self.value)]


def stages(*, municipality_ids: Iterable[int] | None = None) -> dict[int, Stage]:
    """``{municipality id: stage}`` for the municipalities with recorded progress (of ``municipality_ids``,
    if given); any other municipality is at :attr:`Stage.NONE`. One query, grouped in the database.

    A municipality is at the furthest stage whose condition it meets:

    * ``WORKING`` (network working): both roadmap steps that put the network into practice are done,
      the cooperation agreement (``kooperation-vereinbaren``) and its implementation (``umsetzen``).
      This does not require a recorded resolution: a network that works counts as working;
    * ``RESOLUTION`` (resolution passed): the resolution step (``beschluss-fassen``) is done, or its
      resolution record says the council adopted it (with or without amendments), whatever the
      step's status;
    * ``STARTED``: any step is in progress or done;
    * ``NONE``: nothing of the above (no record, or only steps still open).
    """
    rows = StepProgress.objects.all()
    if municipality_ids is not None:
        rows = rows.filter(municipality_id__in=list(municipality_ids))
    grouped = (
        rows.order_by()
        .values("municipality_id")
        .annotate(
            n_under_way=Count("pk", filter=Q(status__in=_UNDER_WAY)),
            n_resolution=Count(
                "pk",
                filter=Q(step__slug=RESOLUTION_STEP_SLUG, status=StepStatus.DONE)
                | Q(step__slug=RESOLUTION_STEP_SLUG, resolution__result__in=ADOPTED_RESULTS),
            ),
            n_network=Count("step", distinct=True, filter=Q(step__slug__in=NETWORK_STEP_SLUGS, status=StepStatus.DONE)),
        )
        .values_list("municipality_id", "n_under_way", "n_resolution", "n_network")
    )
    result = {}
    for municipality_id, under_way, resolution, network in grouped:
        if network >= len(NETWORK_STEP_SLUGS):
            result[municipality_id] = Stage.WORKING
        elif resolution:
            result[municipality_id] = Stage.RESOLUTION
        elif under_way:
            result[municipality_id] = Stage.STARTED
    return result


def _with_recorded_progress() -> QuerySet[Any]:
    """The ids of municipalities beyond :attr:`Stage.NONE`, as a subquery (no query of its own)."""
    return (
        StepProgress.objects.filter(
            Q(status__in=_UNDER_WAY)
            | Q(step__slug=RESOLUTION_STEP_SLUG, resolution__result__in=ADOPTED_RESULTS)
        )
        .order_by()
        .values("municipality_id")
    )


@dataclass(frozen=True)
class PlaceStage:
    place: registry.Place
    stage: Stage


@dataclass
class LandSummary:
    """How far the Kreise, kreisfreie Städte and regions of a Land (or of Germany) have come."""

    code: str
    name: str
    counts: dict[Stage, int] = field(default_factory=lambda: dict.fromkeys(Stage, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def at_least(self, stage: Stage) -> int:
        return sum(count for reached, count in self.counts.items() if reached >= stage)

    @property
    def started(self) -> int:
        return self.at_least(Stage.STARTED)

    @property
    def resolution(self) -> int:
        """At the resolution or beyond."""
        return self.at_least(Stage.RESOLUTION)

    @property
    def working(self) -> int:
        return self.counts[Stage.WORKING]

    @property
    def rows(self) -> list[tuple[Stage, int]]:
        return [(stage, self.counts[stage]) for stage in Stage]


@dataclass
class ProgressMap:
    """What the map page shows: the points of the chosen Land (all Länder if none), the other Länder's
    points as faint context, the places without coordinates, and the summaries."""

    land: str
    land_name: str
    points: list[PlaceStage]
    context: list[PlaceStage]
    unlocated: list[PlaceStage]
    overall: LandSummary
    by_land: list[LandSummary]
    lands: list[tuple[str, str]]
    source: str
    licence_url: str

    @property
    def chosen_summary(self) -> LandSummary | None:
        return next((summary for summary in self.by_land if summary.code == self.land), None)


def federal_states() -> list[tuple[str, str]]:
    """The 16 Länder as (state key, name)."""
    return registry.federal_states()


def map_land(*, value: str | None) -> str:
    """The Land a map request asks for: a valid state key, or "" for all of Germany."""
    return value if value and value in dict(registry.federal_states()) else ""


def progress_map(*, land: str = "") -> ProgressMap:
    """Every Kreis, kreisfreie Stadt and region, and every other municipality with recorded progress,
    with its :class:`Stage`; in two queries (places, stages) whatever the size of the register.

    The summaries count the Kreis level only (the bodies that run a Jugendamt), located or not."""
    lands = registry.federal_states()
    places = registry.map_places(also_ids=_with_recorded_progress())
    stage_of = stages()
    overall = LandSummary(code="", name=_("Germany"))
    by_land = {code: LandSummary(code=code, name=name) for code, name in lands}
    points, context, unlocated = [], [], []
    for place in places:
        item = PlaceStage(place=place, stage=stage_of.get(place.pk, Stage.NONE))
        if place.is_kreis_level:
            overall.counts[item.stage] += 1
            if place.bundesland in by_land:
                by_land[place.bundesland].counts[item.stage] += 1
        if land and place.bundesland != land:
            if place.is_located:
                context.append(item)
        elif place.is_located:
            points.append(item)
        else:
            unlocated.append(item)
    source, licence_url = registry.register_source()
    return ProgressMap(
        land=land, land_name=dict(lands).get(land, ""), points=points, context=context, unlocated=unlocated,
        overall=overall, by_land=list(by_land.values()), lands=lands, source=source, licence_url=licence_url,
    )


NEIGHBOUR_DISTANCES = (10, 25, 50, 100)
DEFAULT_NEIGHBOUR_DISTANCE = 25
NEIGHBOURS_SHOWN = 50


def neighbour_distance(*, value: str | None) -> int:
    """The radius a request asks for, in km: one of :data:`NEIGHBOUR_DISTANCES`, else the default."""
    try:
        km = int(value or "")
    except ValueError:
        return DEFAULT_NEIGHBOUR_DISTANCE
    return km if km in NEIGHBOUR_DISTANCES else DEFAULT_NEIGHBOUR_DISTANCE


@dataclass(frozen=True)
class Neighbour:
    place: registry.Place
    distance_km: float
    stage: Stage


@dataclass
class Neighbourhood:
    """The Kreise (with kreisfreie Städte and regions) and the Gemeinden around a municipality, each
    nearest first and at most :data:`NEIGHBOURS_SHOWN`; ``located`` is False without coordinates."""

    km: int
    located: bool
    kreise: list[Neighbour] = field(default_factory=list)
    gemeinden: list[Neighbour] = field(default_factory=list)
    kreise_total: int = 0
    gemeinden_total: int = 0
    source: str = ""
    licence_url: str = ""


def neighbours_of(*, municipality: Municipality, km: int, limit: int = NEIGHBOURS_SHOWN) -> Neighbourhood:
    """The municipalities within ``km`` km of ``municipality`` with their :class:`Stage` (two queries)."""
    source, licence_url = registry.register_source()
    if municipality.latitude is None or municipality.longitude is None:
        return Neighbourhood(km=km, located=False, source=source, licence_url=licence_url)
    nearby = registry.places_near(
        latitude=float(municipality.latitude), longitude=float(municipality.longitude), km=km,
        exclude_id=municipality.pk,
    )
    kreise = [n for n in nearby if n.place.is_kreis_level]
    gemeinden = [n for n in nearby if not n.place.is_kreis_level]
    shown = kreise[:limit] + gemeinden[:limit]
    stage_of = stages(municipality_ids=[n.place.pk for n in shown]) if shown else {}

    def rows(items: Sequence[registry.NearbyPlace]) -> list[Neighbour]:
        return [
            Neighbour(place=n.place, distance_km=n.distance_km, stage=stage_of.get(n.place.pk, Stage.NONE))
            for n in items[:limit]
        ]

    return Neighbourhood(
        km=km, located=True, kreise=rows(kreise), gemeinden=rows(gemeinden),
        kreise_total=len(kreise), gemeinden_total=len(gemeinden), source=source, licence_url=licence_url,
    )


def gap_analysis_for(*, municipality: Municipality, actors: Sequence[Actor] | None = None) -> GapAnalysis:
    """The registry's gap analysis of the municipality's network. ``actors``: its active partners
    (:func:`active_actors_for`), if already loaded."""
    return registry.gap_analysis(municipality=municipality, actors=actors)


def gap_analyses_for(*, municipalities: Iterable[Municipality]) -> dict[int, GapAnalysis]:
    """The registry's gap analyses for many municipalities (a fixed number of queries)."""
    return registry.gap_analyses(municipalities=municipalities)


def active_actors_for(*, municipality: Municipality) -> list[Actor]:
    """The municipality's active partners, from the registry."""
    return list(registry.active_actors_for(municipality=municipality))


def municipality_by_slug(*, slug: str) -> Municipality:
    return registry.municipality_by_slug(slug=slug)


def municipality_label(*, municipality: Municipality) -> str:
    """The text a municipality picker shows for ``municipality``."""
    return registry.municipality_label(municipality=municipality)


def municipalities_to_list(*, municipalities: QuerySet[Any], query: str = "",
                           own_ids: Iterable[int] = ()) -> QuerySet[Any]:
    """Which of ``municipalities`` a list of roadmaps shows: those matching ``query`` (name, postcode,
    AGS) among all of them; without a query only those that have recorded progress and one's own, since a
    list of all 11,000 municipalities helps nobody."""
    if query:
        return search(municipalities, query).order_by("-search_rank", "name")
    return municipalities.filter(
        Q(id__in=StepProgress.objects.values("municipality_id")) | Q(id__in=list(own_ids))
    ).order_by("name")


# --- The council's record (OParl) ---------------------------------------------------------------------
def council_system_for(*, municipality: Municipality) -> CouncilSystem | None:
    """The OParl system recorded for ``municipality``."""
    return CouncilSystem.objects.filter(municipality=municipality).first()


def linked_paper_for(*, municipality: Municipality) -> LinkedPaper | None:
    """The OParl paper ``municipality``'s resolution is linked to, with its recorded result changes."""
    return (
        LinkedPaper.objects.filter(municipality=municipality)
        .prefetch_related("changes").select_related("municipality").first()
    )


def linked_papers(*, query: str = "") -> QuerySet[LinkedPaper]:
    """Every linked resolution paper across municipalities, newest paper first (the public list)."""
    papers = LinkedPaper.objects.select_related("municipality").prefetch_related("changes")
    if query:
        papers = papers.filter(
            Q(municipality__name__icontains=query) | Q(name__icontains=query) | Q(reference__icontains=query)
        )
    return papers.order_by("-date", "municipality__name", "pk")


def council_papers_search(*, system: CouncilSystem, text: str, date_from: Any = None,
                          date_to: Any = None) -> oparl.SearchResult:
    """Papers of the municipality's council system matching ``text`` and the date range (read from the
    council's paper list, bounded; OParl 1.1 has no full-text search). Raises ``oparl.OParlError``."""
    if not system.paper_list_url:
        raise oparl.OParlError(_("The council information system has no list of papers."))
    return oparl.search_papers(system.paper_list_url, text=text, date_from=date_from, date_to=date_to)
