"""Reads of the guidance app. Querysets here are the twins of the predicates in ``guidance.rules``."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from guidance import rules as guidance_rules
from guidance.models import (
    Area,
    ChecklistTask,
    GuidancePage,
    Material,
    RoadmapStep,
    StepProgress,
    StepStatus,
)
from portal.search import highlight, search

RESOLUTION_STEP_SLUG = "beschluss-fassen"
PAGE_SEARCH_FIELDS = {"A": ["title"], "B": ["summary"], "C": ["body"]}
STEP_SEARCH_FIELDS = {"A": ["title"], "B": ["summary"], "C": ["why", "involve"]}


# --- Content ----------------------------------------------------------------------------------------
def roadmap_steps() -> QuerySet[RoadmapStep]:
    """All steps with tasks, materials and actor types in a fixed number of queries."""
    return RoadmapStep.objects.prefetch_related(
        Prefetch("tasks", queryset=ChecklistTask.objects.order_by("order", "id")),
        Prefetch("materials", queryset=Material.objects.order_by("order", "id")),
        "actor_types",
    ).order_by("number")


def step_by_slug(slug: str) -> RoadmapStep:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(roadmap_steps(), slug=slug)


def neighbour_steps(step: RoadmapStep) -> tuple[RoadmapStep | None, RoadmapStep | None]:
    previous = RoadmapStep.objects.filter(number__lt=step.number).order_by("-number").first()
    following = RoadmapStep.objects.filter(number__gt=step.number).order_by("number").first()
    return previous, following


STEP_EXAMPLES_SHOWN = 10


def published_examples_for_step(step: RoadmapStep, *, limit: int | None = None) -> list:
    """The good-practice examples tagged with ``step`` (the newest ``limit`` plus one, so the
    caller can tell whether there are more), if the catalogue offers them."""
    from guidance import selectors_catalogue

    if not hasattr(selectors_catalogue, "published_examples_for_step"):
        return []
    found = selectors_catalogue.published_examples_for_step(step)
    if limit is None:
        return list(found)
    if isinstance(found, QuerySet):
        found = found.only("slug", "title", "last_published_at", "municipality")
    return list(found[: limit + 1])


def pages_by_area() -> list[tuple[str, str, list[GuidancePage]]]:
    """``[(area value, area label, [pages])]`` in the order of the guide's three areas."""
    pages = list(GuidancePage.objects.order_by("order", "title"))
    return [(value, label, [p for p in pages if p.area == value]) for value, label in Area.choices]


def page_by_slug(slug: str) -> GuidancePage:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(GuidancePage, slug=slug)


def content_history(instance, *, limit: int = 50) -> list[dict]:
    """Who changed what and when: the history records of ``instance`` with their field changes."""
    records = list(instance.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["version"])
            for change in delta.changes:
                changes.append(
                    {
                        "field": _field_label(instance, change.field),
                        "old": _display(_m2m_names(instance, change.field, change.old)),
                        "new": _display(_m2m_names(instance, change.field, change.new)),
                    }
                )
        entries.append({"record": record, "changes": changes, "is_creation": record.history_type == "+"})
    return entries


def _field_label(instance, name: str) -> str:
    try:
        return str(instance._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - history may name a field that no longer exists
        return name


def _m2m_names(instance, name: str, value):
    """History stores m2m changes as ``[{"roadmapstep": 1, "actortype": 5}]``: show the related names."""
    if not isinstance(value, list):
        return value
    related = instance._meta.get_field(name).related_model
    key = related._meta.model_name
    ids = [row.get(key) for row in value if isinstance(row, dict)]
    objects = related._default_manager.in_bulk(ids)
    return sorted(str(objects.get(pk, pk)) for pk in ids)


def _display(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    if value in (None, ""):
        return "–"
    text = str(value)
    return text if len(text) <= 300 else text[:300] + " …"


# --- Site search -----------------------------------------------------------------------------------
def site_search_pages(*, query: str, user, limit: int):
    """Guidance pages and roadmap steps for the header search (public content)."""
    from portal.site_search import SearchGroup, SearchHit

    pages = search(GuidancePage.objects.all(), query, fields=PAGE_SEARCH_FIELDS)
    steps = search(RoadmapStep.objects.all(), query, fields=STEP_SEARCH_FIELDS)
    ranked = sorted(
        [(p.search_rank, 1, p) for p in pages[:limit]] + [(s.search_rank, 0, s) for s in steps[:limit]],
        key=lambda item: (-item[0], -item[1]),
    )
    hits = []
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
def municipalities_with_visible_progress(user):
    """Twin of ``guidance.rules.can_view_progress``."""
    from networks.models import Municipality

    if guidance_rules.can_view_progress(user):
        return Municipality.objects.all()
    return Municipality.objects.none()


def municipalities_with_editable_progress(user):
    """Twin of ``guidance.rules.can_edit_progress`` (admins and the municipality's coordinators)."""
    from networks.selectors import municipalities_editable_by

    return municipalities_editable_by(user)


def municipalities_coordinated_by(user):
    """The municipalities whose roadmap ``user`` keeps as coordinator (shortcuts on the guide pages)."""
    from networks.models import Municipality
    from networks.rules import coordinated_municipality_ids
    from portal.rules import is_koordination

    if not is_koordination(user):
        return Municipality.objects.none()
    return Municipality.objects.filter(id__in=coordinated_municipality_ids(user)).order_by("name")


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
        return StepStatus(self.status).label

    @property
    def tasks(self) -> list[ChecklistTask]:
        return list(self.step.tasks.all())

    @property
    def tasks_done(self) -> int:
        return len([t for t in self.tasks if t.id in self.ticked_ids])

    @property
    def resolution(self):
        if self.progress is None:
            return None
        return getattr(self.progress, "resolution", None)


def progress_for(municipality) -> list[StepProgressView]:
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


def progress_for_step(municipality, step) -> StepProgress | None:
    return (
        StepProgress.objects.filter(municipality=municipality, step=step)
        .select_related("resolution")
        .prefetch_related("done_tasks")
        .first()
    )


def next_steps(views: list[StepProgressView], *, count: int = 3) -> list[StepProgressView]:
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


def summarise(views: list[StepProgressView]) -> ProgressSummary:
    return ProgressSummary(
        done=len([v for v in views if v.status == StepStatus.DONE]),
        in_progress=len([v for v in views if v.status == StepStatus.IN_PROGRESS]),
        total=len(views),
    )


def progress_summary_for(municipality) -> ProgressSummary:
    """For the registry's municipality dashboard: how far the municipality is on the roadmap."""
    return summarise(progress_for(municipality))


def progress_overview(municipalities: QuerySet):
    """Municipalities annotated with their number of done and in-progress steps (one query)."""
    return municipalities.annotate(
        steps_done=Count("roadmap_progress", filter=Q(roadmap_progress__status=StepStatus.DONE)),
        steps_in_progress=Count("roadmap_progress", filter=Q(roadmap_progress__status=StepStatus.IN_PROGRESS)),
    ).order_by("-steps_done", "name")


def progress_matrix(municipality_ids: list[int]) -> dict[int, dict[int, str]]:
    """``{municipality id: {step id: status}}`` for a page of municipalities (one query)."""
    matrix: dict[int, dict[int, str]] = {}
    rows = StepProgress.objects.filter(municipality_id__in=municipality_ids).values_list(
        "municipality_id", "step_id", "status"
    )
    for municipality_id, step_id, status in rows:
        matrix.setdefault(municipality_id, {})[step_id] = status
    return matrix


def gap_analysis_for(municipality, *, actors=None):
    """The registry's gap analysis, or None while the registry does not offer it yet.
    ``actors``: the municipality's active partners (:func:`active_actors_for`), if loaded."""
    try:
        from networks import selectors as network_selectors
    except ImportError:
        return None
    function = getattr(network_selectors, "gap_analysis", None)
    if function is None:
        return None
    return function(municipality, actors=actors) if actors is not None else function(municipality)


def gap_analyses_for(municipalities) -> dict:
    """The registry's gap analyses for many municipalities (fixed number of queries), or {}."""
    from networks import selectors as network_selectors

    function = getattr(network_selectors, "gap_analyses", None)
    return function(list(municipalities)) if function else {}


def active_actors_for(municipality) -> list:
    from networks import selectors as network_selectors

    function = getattr(network_selectors, "active_actors_for", None)
    if function is not None:
        return list(function(municipality))
    from networks.models import Actor

    return list(Actor.objects.filter(municipality=municipality, is_active=True).select_related("actor_type"))
