"""Reads of the guide: keyword-only, typed functions over the roadmap, the guidance pages and the
municipalities' progress. The registry is read through ``networks.selectors`` only; what a user may
see comes from the queryset twins in ``guidance.rules``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from guidance.models import (
    Area,
    ChecklistTask,
    GuidancePage,
    Material,
    RoadmapStep,
    StepProgress,
    StepStatus,
)
from networks import selectors as registry
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
        entries.append({
            "record": record, "changes": changes, "is_creation": record.history_type == "+",
            "reason": reason_label(record.history_change_reason),
        })
    return entries


def _field_label(instance: Any, name: str) -> str:
    try:
        return str(instance._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - history may name a field that no longer exists
        return name


def _m2m_names(instance: Any, name: str, value: Any) -> Any:
    """History stores m2m changes as ``[{"roadmapstep": 1, "actortype": 5}]``: show the related names."""
    if not isinstance(value, list):
        return value
    related = instance._meta.get_field(name).related_model
    key = related._meta.model_name
    ids = [row.get(key) for row in value if isinstance(row, dict)]
    objects = related._default_manager.in_bulk(ids)
    return sorted(str(objects.get(pk, pk)) for pk in ids)


def _display(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    if value in (None, ""):
        return "–"
    text = str(value)
    return text if len(text) <= 300 else text[:300] + " …"


# --- Site search -----------------------------------------------------------------------------------
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
