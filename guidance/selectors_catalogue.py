"""Reads of the good-practice catalogue.

Querysets here are the twins of the predicates in ``guidance.rules_catalogue``; the snapshot
helpers describe an example's content as a plain dict (what a revision stores) and compare
two such dicts field by field.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guidance.models.catalogue import (
    OPEN_REVISION_STATUSES,
    Criterion,
    Example,
    ExampleAttachment,
    ExampleParticipant,
    ExampleRevision,
    ExampleStatus,
    Keyword,
    LegalForm,
    RevisionStatus,
)
from networks.rules import coordinated_municipality_ids
from portal.rules import is_admin, is_koordination, is_redaktion
from portal.search import highlight, search, terms

# --- permissions: queryset twins ---------------------------------------------------------


def examples_visible_to(user) -> QuerySet[Example]:
    """Twin of ``rules_catalogue.can_view_example``."""
    if is_admin(user) or is_redaktion(user):
        return Example.objects.all()
    if is_koordination(user):
        return Example.objects.filter(
            Q(status=ExampleStatus.PUBLISHED) | Q(municipality_id__in=coordinated_municipality_ids(user))
        )
    return Example.objects.filter(status=ExampleStatus.PUBLISHED)


def examples_editable_by(user) -> QuerySet[Example]:
    """Twin of ``rules_catalogue.can_edit_example``."""
    if is_admin(user) or is_redaktion(user):
        return Example.objects.all()
    if is_koordination(user):
        return Example.objects.filter(municipality_id__in=coordinated_municipality_ids(user))
    return Example.objects.none()


def published_examples() -> QuerySet[Example]:
    return Example.objects.filter(status=ExampleStatus.PUBLISHED)


# --- snapshots ---------------------------------------------------------------------------

TEXT_FIELDS = (
    "title", "free_tags", "lead_name", "occasion", "goal", "implementation", "financing", "legal_form",
    "contact_organisation", "contact_address", "contact_phone", "contact_email", "figures_note",
)
INT_FIELDS = ("since_year", "since_month", "municipality", "lead_actor")
ID_LIST_FIELDS = ("keywords", "municipalities", "steps", "target_groups")
SNAPSHOT_FIELDS = (
    "title", "municipality", "municipalities", "keywords", "free_tags", "lead_actor", "lead_name", "participants",
    "occasion", "goal", "implementation", "financing", "legal_form", "since_month", "since_year",
    "contact_organisation", "contact_address", "contact_phone", "contact_email", "links", "steps",
    "target_groups", "criteria", "figures_note",
)
FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "municipality": gettext_lazy("Responsible municipality"),
    "municipalities": gettext_lazy("Municipalities involved"),
    "keywords": gettext_lazy("Keywords"),
    "free_tags": gettext_lazy("Free tags"),
    "lead_actor": gettext_lazy("Lead organisation (registry)"),
    "lead_name": gettext_lazy("Lead organisation"),
    "participants": gettext_lazy("Other participants"),
    "occasion": gettext_lazy("Occasion"),
    "goal": gettext_lazy("Goal"),
    "implementation": gettext_lazy("Implementation"),
    "financing": gettext_lazy("Financing"),
    "legal_form": gettext_lazy("Legal form"),
    "since_month": gettext_lazy("Cooperation since (month)"),
    "since_year": gettext_lazy("Cooperation since (year)"),
    "contact_organisation": gettext_lazy("Contact: organisation"),
    "contact_address": gettext_lazy("Contact: address"),
    "contact_phone": gettext_lazy("Contact: phone"),
    "contact_email": gettext_lazy("Contact: general e-mail"),
    "links": gettext_lazy("Links"),
    "steps": gettext_lazy("Roadmap steps"),
    "target_groups": gettext_lazy("Target groups"),
    "criteria": gettext_lazy("Good-practice criteria met"),
    "figures_note": gettext_lazy("Note on figures"),
}


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def normalise_snapshot(data: dict) -> dict:
    """A snapshot with every field present and in canonical form (sorted id lists, stripped text)."""
    out = {}
    for field in TEXT_FIELDS:
        out[field] = str(data.get(field) or "").strip()
    for field in INT_FIELDS:
        out[field] = _int_or_none(data.get(field))
    for field in ID_LIST_FIELDS:
        out[field] = sorted({int(v) for v in data.get(field) or [] if _int_or_none(v) is not None})
    out["participants"] = [
        {"actor": _int_or_none(p.get("actor")), "name": str(p.get("name") or "").strip()}
        for p in data.get("participants") or []
        if str(p.get("name") or "").strip()
    ]
    out["links"] = [
        {"url": str(link.get("url") or "").strip(), "label": str(link.get("label") or "").strip()}
        for link in data.get("links") or []
        if str(link.get("url") or "").strip()
    ]
    criteria = {
        c.get("criterion"): str(c.get("justification") or "").strip()
        for c in data.get("criteria") or []
        if c.get("criterion") in Criterion.values and str(c.get("justification") or "").strip()
    }
    out["criteria"] = [{"criterion": key, "justification": criteria[key]} for key in Criterion.values if key in criteria]
    return out


def snapshot_of(example: Example) -> dict:
    """The content in the example's columns (the published text once it has been published)."""
    return normalise_snapshot(
        {
            **{field: getattr(example, field) for field in TEXT_FIELDS},
            "since_year": example.since_year,
            "since_month": example.since_month,
            "municipality": example.municipality_id,
            "lead_actor": example.lead_actor_id,
            "keywords": [k.pk for k in example.keywords.all()],
            "municipalities": [m.pk for m in example.municipalities.all()],
            "steps": [s.pk for s in example.steps.all()],
            "target_groups": [t.pk for t in example.target_groups.all()],
            "participants": [{"actor": p.actor_id, "name": p.name} for p in example.participants.all()],
            "links": [{"url": link.url, "label": link.label} for link in example.links.all()],
            "criteria": [{"criterion": c.criterion, "justification": c.justification} for c in example.criteria.all()],
        }
    )


def open_revision(example: Example) -> ExampleRevision | None:
    """The revision being worked on or reviewed, if any."""
    return example.revisions.filter(status__in=OPEN_REVISION_STATUSES).order_by("-number").first()


def working_snapshot(example: Example) -> dict:
    """What an editor edits: the open revision, else the example's current content."""
    revision = open_revision(example)
    return normalise_snapshot(revision.data) if revision else snapshot_of(example)


def last_published_snapshot(example: Example) -> dict:
    if example.published_at is None:
        return {}
    return snapshot_of(example)


# --- field-by-field differences ----------------------------------------------------------


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str


def _names(model, ids) -> dict[int, str]:
    return {obj.pk: str(obj) for obj in model.objects.filter(pk__in=ids)} if ids else {}


def _display(field: str, value, lookups: dict) -> str:
    if value in (None, "", []):
        return "–"
    if field == "legal_form":
        return str(LegalForm(value).label) if value in LegalForm.values else value
    if field == "since_month":
        from django.utils.dates import MONTHS

        return str(MONTHS.get(value, value))
    if field in ("municipality", "lead_actor"):
        return lookups[field].get(value, f"#{value}")
    if field in ID_LIST_FIELDS:
        return ", ".join(lookups[field].get(v, f"#{v}") for v in value)
    if field == "participants":
        return "\n".join(p["name"] + (" ↗" if p["actor"] else "") for p in value)
    if field == "links":
        return "\n".join(f"{link['label']} <{link['url']}>" if link["label"] else link["url"] for link in value)
    if field == "criteria":
        return "\n".join(f"{Criterion(c['criterion']).label}: {c['justification']}" for c in value)
    return str(value)


def diff_snapshots(old: dict, new: dict) -> list[FieldChange]:
    """The fields that differ between two snapshots, with readable old and new values."""
    from guidance.models import RoadmapStep
    from networks.models import Actor, Municipality, TargetGroup

    old = normalise_snapshot(old or {})
    new = normalise_snapshot(new or {})
    changed = [field for field in SNAPSHOT_FIELDS if old[field] != new[field]]
    if not changed:
        return []
    ids = lambda field: set(old[field] or []) | set(new[field] or [])  # noqa: E731
    lookups = {
        "municipality": _names(Municipality, {old["municipality"], new["municipality"]} - {None}),
        "lead_actor": _names(Actor, {old["lead_actor"], new["lead_actor"]} - {None}),
        "keywords": _names(Keyword, ids("keywords")) if "keywords" in changed else {},
        "municipalities": _names(Municipality, ids("municipalities")) if "municipalities" in changed else {},
        "steps": _names(RoadmapStep, ids("steps")) if "steps" in changed else {},
        "target_groups": _names(TargetGroup, ids("target_groups")) if "target_groups" in changed else {},
    }
    return [
        FieldChange(field, str(FIELD_LABELS[field]), _display(field, old[field], lookups), _display(field, new[field], lookups))
        for field in changed
    ]


def changes_for_review(example: Example) -> tuple[ExampleRevision | None, list[FieldChange]]:
    """The open revision and what it changes against the last published version."""
    revision = open_revision(example)
    if revision is None:
        return None, []
    return revision, diff_snapshots(last_published_snapshot(example), revision.data)


# --- lists, facets, search ---------------------------------------------------------------

SEARCH_FIELDS = {
    "A": ["title"],
    "B": ["keywords_text"],
    "C": ["occasion", "goal", "implementation"],
    "D": ["financing", "lead_name", "participants_text", "contact_organisation"],
}


def with_list_data(queryset: QuerySet[Example]) -> QuerySet[Example]:
    """What a list card shows: the municipality and the keywords' names (read with the example,
    set as ``keyword_names`` by :func:`example_page`)."""
    return queryset.select_related("municipality").annotate(
        keyword_items=_joined_names(Example.keywords.through, "keyword")
    )


def search_examples(queryset: QuerySet[Example], query: str) -> QuerySet[Example]:
    return search(queryset, query, fields=SEARCH_FIELDS, vector_field="search_vector")


def order_examples(queryset: QuerySet[Example], *, sort: str, query: str) -> QuerySet[Example]:
    if sort == "date" or not terms(query):
        return queryset.order_by("-last_published_at", "title")
    return queryset.order_by("-search_rank", "-last_published_at", "title")


def catalogue_results(params, query: str, sort: str):
    """The catalogue list's results for the request parameters, query and sort, in order:
    ``(searched, filterset, results)``. ``searched`` (the query's matches before facets) is what
    the facet counts start from; ``results`` holds only the ids, see :func:`example_page`."""
    from guidance.filters_catalogue import ExampleFilter

    searched = search_examples(published_examples(), query)
    filterset = ExampleFilter(params, queryset=searched)
    results = filterset.qs if filterset.is_valid() else searched.none()
    return searched, filterset, order_examples(results, sort=sort, query=query).values_list("pk", flat=True)


def example_page(ranked_ids: QuerySet, number, per_page: int):
    """One page of the catalogue list: the ids are ranked and cut first, then only that page's
    examples are read with what a card shows. Ranking carries just the id and the sort keys, so a
    broad query sorts thousands of narrow rows instead of whole examples."""
    from django.core.paginator import Paginator

    page = Paginator(ranked_ids, per_page).get_page(number)
    ids = list(page.object_list)
    examples = {example.pk: example for example in with_list_data(Example.objects.filter(pk__in=ids))} if ids else {}
    for example in examples.values():
        example.keyword_names = _ordered_names(example.keyword_items)
    page.object_list = [examples[pk] for pk in ids]
    return page


def excerpt_for(example: Example, query: str) -> str:
    """The passage that matched, highlighted; else the beginning of the goal."""
    from portal.search import normalize, word_variants

    words = terms(query)
    for text in (example.goal, example.occasion, example.implementation, example.financing):
        folded = normalize(text)
        if words and any(v in folded for w in words for v in word_variants(w)):
            return highlight(text, query)
    return highlight(example.goal or example.implementation or example.occasion, "")


def title_html(example: Example, query: str) -> str:
    """The title with the matched words marked (HTML-safe)."""
    from portal.search import mark_matches

    return mark_matches(example.title, query)


# --- detail ------------------------------------------------------------------------------


def example_for_detail(queryset: QuerySet[Example], slug: str) -> Example:
    from django.shortcuts import get_object_or_404

    example = get_object_or_404(
        queryset.select_related("municipality", "lead_actor")
        .prefetch_related(
            "steps", "criteria", "links",
            Prefetch("participants", queryset=ExampleParticipant.objects.select_related("actor")),
            Prefetch("municipalities", queryset=_municipality_queryset()),
        )
        .annotate(
            # The page shows only the names of keywords and target groups: read with the example.
            keyword_items=_joined_names(Example.keywords.through, "keyword"),
            target_group_items=_joined_names(Example.target_groups.through, "targetgroup"),
        ),
        slug=slug,
    )
    example.keyword_names = _ordered_names(example.keyword_items)
    example.target_group_names = _ordered_names(example.target_group_items)
    return example


def _joined_names(through, column: str):
    """The ids, orders and names of an example's keywords or target groups, joined into one text."""
    from django.db.models import OuterRef, Subquery

    from portal.db import JoinedText, parts

    rows = (
        through.objects.filter(example_id=OuterRef("pk")).order_by().values("example_id")
        .annotate(items=JoinedText(parts(f"{column}__order", f"{column}__name"))).values("items")
    )
    return Subquery(rows)


def _ordered_names(joined: str | None) -> list[str]:
    """Names in the models' own order (order, then name)."""
    from portal.db import split_items

    return [name for _order, name in sorted(split_items(joined), key=lambda item: (int(item[0]), item[1]))]


def _municipality_queryset():
    from networks.models import Municipality

    return Municipality.objects.order_by("kind", "name")


def public_attachments(example: Example) -> QuerySet[ExampleAttachment]:
    return example.attachments.filter(Q(revision=None) | Q(revision__status=RevisionStatus.PUBLISHED))


def related_examples(example: Example, *, limit: int = 3) -> list[Example]:
    """Published examples sharing keywords or roadmap steps, the most shared first."""
    # The example's keywords as a subquery: the detail page reads only their names, not their ids.
    keyword_ids = Example.keywords.through.objects.filter(example_id=example.pk).values("keyword_id")
    has_keywords = bool(example.keyword_names) if hasattr(example, "keyword_names") else keyword_ids.exists()
    step_ids = [s.pk for s in example.steps.all()]
    if not has_keywords and not step_ids:
        return []
    # Count shared keywords and steps in the through tables (one indexed subquery each) rather
    # than joining both relations and counting distinct rows: three times faster at 5,000 examples.
    from django.db.models import OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    def shared_in(through, column: str, ids):
        counts = (
            through.objects.filter(example_id=OuterRef("pk"), **{f"{column}__in": ids})
            .order_by().values("example_id").annotate(c=Count("*")).values("c")[:1]
        )
        members = Q(pk__in=through.objects.filter(**{f"{column}__in": ids}).values("example_id"))
        return Coalesce(Subquery(counts), Value(0)), members

    parts = []
    if has_keywords:
        parts.append(shared_in(Example.keywords.through, "keyword_id", keyword_ids))
    if step_ids:
        parts.append(shared_in(Example.steps.through, "roadmapstep_id", step_ids))
    shared = parts[0][0] if len(parts) == 1 else parts[0][0] + parts[1][0]
    members = parts[0][1] if len(parts) == 1 else parts[0][1] | parts[1][1]
    qs = (
        published_examples()
        .exclude(pk=example.pk)
        .filter(members)
        .annotate(shared=shared)
        .select_related("municipality")
        .order_by("-shared", "title")
    )
    return list(qs[:limit])


def safe_url(obj) -> str:
    """The object's URL, or "" while the page that shows it does not exist yet."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""


def history_of(example: Example):
    return example.events.select_related("user", "revision").order_by("-created_at", "-pk")


def review_queue() -> QuerySet[ExampleRevision]:
    return (
        ExampleRevision.objects.filter(status__in=(RevisionStatus.SUBMITTED, RevisionStatus.IN_REVIEW))
        .select_related("example", "example__municipality", "author")
        .order_by("updated_at")
    )


def open_revisions_by_example(examples) -> dict[int, ExampleRevision]:
    ids = [e.pk for e in examples]
    revisions = ExampleRevision.objects.filter(example_id__in=ids, status__in=OPEN_REVISION_STATUSES).order_by("number")
    return {r.example_id: r for r in revisions}


# --- used by other parts of the portal ---------------------------------------------------


def published_examples_for_step(step) -> QuerySet[Example]:
    """Published examples that illustrate a roadmap step (shown on the step page)."""
    return published_examples().filter(steps=step).select_related("municipality").order_by("-last_published_at", "title")


def site_search_examples(*, query: str, user, limit: int):
    """The header search's provider: examples the user may see, best matches first."""
    from django.urls import reverse
    from django.utils.http import urlencode

    from portal.site_search import SearchGroup, SearchHit

    found = search_examples(examples_visible_to(user), query).select_related("municipality")
    found = found.order_by("-search_rank", "title")
    total = found.count()
    hits = []
    for example in found[:limit]:
        meta = example.municipality.name
        if example.status != ExampleStatus.PUBLISHED:
            meta = f"{meta} · {example.get_status_display()}"
        hits.append(SearchHit(title=example.title, url=example.get_absolute_url(), excerpt=excerpt_for(example, query), meta=meta))
    return SearchGroup(
        key="examples", label=_("Good practice"), hits=hits, total=total,
        more_url=f"{reverse('catalogue:index')}?{urlencode({'q': query})}",
    )
