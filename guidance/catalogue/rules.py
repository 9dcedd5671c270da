"""Permissions of the good-practice catalogue: each one predicate, with its queryset twin beside it.

* everyone reads published examples;
* a coordinator writes, edits and submits examples of the municipalities they coordinate and sees
  their drafts; the editorial team (Redaktion) and admins see and edit every example;
* only the editorial team and admins review: start a review, ask for changes, publish, reject,
  archive. A coordinator can never publish.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q, QuerySet

from guidance.catalogue.models import Example, ExampleStatus
from networks import selectors as registry
from portal.core.rules import (
    coordinated_municipality_ids,
    coordinates_any_municipality,
    coordinates_municipality,
    is_curator,
)


@rules.predicate
def is_published_example(user: Any, example: Example | None) -> bool:
    return example is not None and example.status == ExampleStatus.PUBLISHED


@rules.predicate
def coordinates_example_municipality(user: Any, example: Example | None) -> bool:
    return example is not None and bool(coordinates_municipality(user, example.municipality_id))


can_edit_example = is_curator | coordinates_example_municipality


def examples_editable_by(user: Any) -> QuerySet[Example]:
    """Twin of :data:`can_edit_example`."""
    if is_curator(user):
        return Example.objects.all()
    return Example.objects.filter(municipality_id__in=coordinated_municipality_ids(user))


can_view_example = is_published_example | can_edit_example


def examples_visible_to(user: Any) -> QuerySet[Example]:
    """Twin of :data:`can_view_example`."""
    if is_curator(user):
        return Example.objects.all()
    return Example.objects.filter(
        Q(status=ExampleStatus.PUBLISHED) | Q(municipality_id__in=coordinated_municipality_ids(user))
    )


can_add_example = is_curator | coordinates_any_municipality


@rules.predicate
def can_write_for_municipality(user: Any, municipality: Any) -> bool:
    """May make ``municipality`` (or its id) the responsible municipality of an example."""
    return bool(is_curator(user) or coordinates_municipality(user, municipality))


def municipalities_for_examples(user: Any) -> QuerySet[Any]:
    """Twin of :func:`can_write_for_municipality`: the choices of the editor's "responsible
    municipality"."""
    if is_curator(user):
        return registry.municipalities()
    return registry.municipalities(ids=coordinated_municipality_ids(user))


can_review_example = is_curator
can_submit_example = can_edit_example
