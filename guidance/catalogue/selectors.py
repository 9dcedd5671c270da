"""Reads of the good-practice catalogue: keyword-only, typed functions over its models.

What a user may see comes from the queryset twins in ``guidance.catalogue.rules``; what an example's
content consists of from ``guidance.catalogue.content``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from guidance.catalogue import content, rules
from guidance.catalogue.filters import ExampleFilter
from guidance.catalogue.models import (
    OPEN_REVISION_STATUSES,
    Example,
    ExampleAttachment,
    ExampleEvent,
    ExampleParticipant,
    ExampleRevision,
    ExampleStatus,
    RevisionStatus,
)
from networks import selectors as registry
from portal.core import roles
from portal.core.db import JoinedText, parts, split_items
from portal.core.locking import FieldChange, person
from portal.core.search import (
    SearchGroup,
    SearchHit,
    highlight,
    mark_matches,
    matches,
    search,
    suggest,
    terms,
)


def published_examples() -> QuerySet[Example]:
    return Example.objects.filter(status=ExampleStatus.PUBLISHED)


# --- the working content and its changes ---------------------------------------------------


def open_revision(*, example: Example) -> ExampleRevision | None:
    """The revision being worked on or reviewed, if any."""
    return example.revisions.filter(status__in=OPEN_REVISION_STATUSES).order_by("-number").first()


def working_snapshot(*, example: Example) -> dict[str, Any]:
    """What an editor edits: the open revision, else the example's current content."""
    revision = open_revision(example=example)
    return content.normalise(revision.data) if revision else content.snapshot_of(example)


def last_published_snapshot(*, example: Example) -> dict[str, Any]:
    if example.published_at is None:
        return {}
    return content.snapshot_of(example)


def changes_for_review(*, example: Example) -> tuple[ExampleRevision | None, list[FieldChange]]:
    """The open revision and what it changes against the last published version."""
    revision = open_revision(example=example)
    if revision is None:
        return None, []
    return revision, content.diff(last_published_snapshot(example=example), revision.data)


def changes_since(*, example: Example, version: int) -> list[FieldChange]:
    """What others changed in the working content since an editor loaded it at ``version``, and who
    changed each part last (from the example's history)."""
    events = list(ExampleEvent.objects.filter(example=example, version__gt=version).exclude(data=None)
                  .select_related("user").order_by("created_at", "pk"))
    loaded = ExampleEvent.objects.filter(example=example, version=version).exclude(data=None).order_by("-pk").first()
    who: dict[str, tuple[str, Any]] = {}
    for event in events:
        for name in event.changed_fields or []:
            who[name] = (person(event.user), event.created_at)
    return content.diff(loaded.data if loaded else {}, working_snapshot(example=example), who=who)


# --- lists, facets, search ---------------------------------------------------------------

def _with_list_data(queryset: QuerySet[Example]) -> QuerySet[Example]:
    """What a list card shows: the municipality and the keywords' names (read with the example,
    set as ``keyword_names`` by :func:`example_page`)."""
    return queryset.select_related("municipality").annotate(
        keyword_items=_joined_names(Example.keywords.through, "keyword")
    )


def order_examples(*, queryset: QuerySet[Example], sort: str, query: str) -> QuerySet[Example]:
    if sort == "date" or not terms(query):
        return queryset.order_by("-last_published_at", "title")
    return queryset.order_by("-search_rank", "-last_published_at", "title")


def catalogue_results(*, params: Mapping[str, Any], query: str, sort: str) -> tuple[QuerySet[Example], ExampleFilter, QuerySet[Any]]:
    """The catalogue list's results for the request parameters, query and sort, in order:
    ``(searched, filterset, results)``. ``searched`` (the query's matches before facets) is what
    the facet counts start from; ``results`` holds only the ids, see :func:`example_page`."""
    searched = search(published_examples(), query)
    filterset = ExampleFilter(params, queryset=searched)
    results = filterset.qs if filterset.is_valid() else searched.none()
    return searched, filterset, order_examples(queryset=results, sort=sort, query=query).values_list("pk", flat=True)


def example_page(*, ranked_ids: QuerySet[Any], number: Any, per_page: int) -> Page:
    """One page of the catalogue list: the ids are ranked and cut first, then only that page's
    examples are read with what a card shows. Ranking carries just the id and the sort keys, so a
    broad query sorts thousands of narrow rows instead of whole examples."""
    page = Paginator(ranked_ids, per_page).get_page(number)
    ids = list(page.object_list)
    examples = {example.pk: example for example in _with_list_data(Example.objects.filter(pk__in=ids))} if ids else {}
    for example in examples.values():
        example.keyword_names = _ordered_names(example.keyword_items)  # type: ignore[attr-defined]
    page.object_list = [examples[pk] for pk in ids]
    return page


def excerpt_for(*, example: Example, query: str) -> str:
    """The passage that matched, highlighted; else the beginning of the goal."""
    for text in (example.goal, example.occasion, example.implementation, example.financing):
        if matches(text, query):
            return highlight(text, query)
    return highlight(example.goal or example.implementation or example.occasion, "")


def title_html(*, example: Example, query: str) -> str:
    """The title with the matched words marked (HTML-safe)."""
    return mark_matches(example.title, query)


# --- detail ------------------------------------------------------------------------------


def example_for_detail(*, queryset: QuerySet[Example], slug: str) -> Example:
    example = get_object_or_404(
        queryset.select_related("municipality", "lead_actor")
        .prefetch_related(
            "steps", "criteria", "links",
            Prefetch("participants", queryset=ExampleParticipant.objects.select_related("actor")),
            Prefetch("municipalities", queryset=registry.municipalities().order_by("kind", "name")),
        )
        .annotate(
            # The page shows only the names of keywords and target groups: read with the example.
            keyword_items=_joined_names(Example.keywords.through, "keyword"),
            target_group_items=_joined_names(Example.target_groups.through, "targetgroup"),
        ),
        slug=slug,
    )
    # The template reads the names; the joined texts were read with the example (annotations).
    example.keyword_names = _ordered_names(example.keyword_items)  # type: ignore[attr-defined]
    example.target_group_names = _ordered_names(example.target_group_items)  # type: ignore[attr-defined]
    return example


def _joined_names(through: Any, column: str) -> Subquery:
    """The ids, orders and names of an example's keywords or target groups, joined into one text."""
    rows = (
        through.objects.filter(example_id=OuterRef("pk")).order_by().values("example_id")
        .annotate(items=JoinedText(parts(f"{column}__order", f"{column}__name"))).values("items")
    )
    return Subquery(rows)


def _ordered_names(joined: str | None) -> list[str]:
    """Names in the models' own order (order, then name)."""
    return [name for _order, name in sorted(split_items(joined), key=lambda item: (int(item[0]), item[1]))]


def public_attachments(*, example: Example) -> QuerySet[ExampleAttachment]:
    return example.attachments.filter(Q(revision=None) | Q(revision__status=RevisionStatus.PUBLISHED))


def related_examples(*, example: Example, limit: int = 3) -> list[Example]:
    """Published examples sharing keywords or roadmap steps, the most shared first."""
    # The example's keywords as a subquery: the detail page reads only their names, not their ids.
    keyword_ids = Example.keywords.through.objects.filter(example_id=example.pk).values("keyword_id")
    has_keywords = bool(example.keyword_names) if hasattr(example, "keyword_names") else keyword_ids.exists()
    step_ids = [s.pk for s in example.steps.all()]
    if not has_keywords and not step_ids:
        return []
    # Count shared keywords and steps in the through tables (one indexed subquery each) rather
    # than joining both relations and counting distinct rows: three times faster at national scale.
    def shared_in(through: Any, column: str, ids: Any) -> tuple[Any, Q]:
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


def history_of(*, example: Example, limit: int | None = None) -> list[ExampleEvent]:
    """The example's history, newest first, each entry with the labels of the parts it changed."""
    events = example.events.select_related("user", "revision").order_by("-created_at", "-pk")
    result = list(events[:limit] if limit else events)
    for event in result:
        event.changed_labels = [content.label(name) for name in event.changed_fields or []]  # type: ignore[attr-defined]
    return result


def review_queue() -> QuerySet[ExampleRevision]:
    return (
        ExampleRevision.objects.filter(status__in=(RevisionStatus.SUBMITTED, RevisionStatus.IN_REVIEW))
        .select_related("example", "example__municipality", "author")
        .order_by("updated_at")
    )


def editorial_team_emails() -> list[str]:
    """Who is told of a submitted example: every active member of the Redaktion with an e-mail address."""
    return roles.editorial_emails(with_admins=False)


def submitter_emails(*, revision: ExampleRevision) -> list[str]:
    """Who is told of the decision on a revision: those who submitted it (else its author), if active
    and with an e-mail address."""
    submitted = ExampleEvent.objects.filter(revision=revision, action=ExampleEvent.Action.SUBMITTED).values("user_id")
    people = get_user_model()._default_manager.filter(Q(pk__in=submitted) | Q(pk=revision.author_id), is_active=True)
    by_submission = people.filter(pk__in=submitted)
    chosen = by_submission if by_submission.exists() else people
    return sorted(set(chosen.exclude(email="").values_list("email", flat=True)))


def open_revisions_by_example(*, examples: Iterable[Example]) -> dict[int, ExampleRevision]:
    ids = [e.pk for e in examples]
    revisions = ExampleRevision.objects.filter(example_id__in=ids, status__in=OPEN_REVISION_STATUSES).order_by("number")
    return {r.example_id: r for r in revisions}


# --- used by other parts of the portal ---------------------------------------------------


def published_examples_for_step(*, step: Any) -> QuerySet[Example]:
    """Published examples that illustrate a roadmap step (shown on the step page)."""
    return published_examples().filter(steps=step).select_related("municipality").order_by("-last_published_at", "title")


def search_suggestion(*, query: str) -> str:
    """"Meinten Sie …?" for the catalogue: the query corrected towards published titles and keywords."""
    return suggest(query, name="catalogue", sources=[published_examples()])


def site_search_examples(*, query: str, user: Any, limit: int) -> SearchGroup:
    """The header search's provider: examples the user may see, best matches first."""
    found = search(rules.examples_visible_to(user), query).select_related("municipality")
    found = found.order_by("-search_rank", "title")
    total = found.count()
    hits = []
    for example in found[:limit]:
        meta = example.municipality.name
        if example.status != ExampleStatus.PUBLISHED:
            meta = f"{meta} · {example.get_status_display()}"
        hits.append(SearchHit(title=example.title, url=example.get_absolute_url(), excerpt=excerpt_for(example=example, query=query), meta=meta))
    return SearchGroup(
        key="examples", label=_("Good practice"), hits=hits, total=total,
        more_url=f"{reverse('catalogue:index')}?{urlencode({'q': query})}",
    )


def examples_of_person(*, user: Any) -> list[dict[str, Any]]:
    """The examples a person created or submitted ("Meine Daten")."""
    submitted = set(
        ExampleEvent.objects.filter(user=user, action=ExampleEvent.Action.SUBMITTED).values_list("example_id", flat=True)
    )
    created = set(Example.objects.filter(created_by=user).values_list("pk", flat=True))
    examples = Example.objects.filter(pk__in=submitted | created).order_by("title")
    return [
        {"title": e.title, "status": e.get_status_display(), "created": e.created_at, "submitted": e.pk in submitted}
        for e in examples
    ]
