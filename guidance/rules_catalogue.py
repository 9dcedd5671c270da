"""Permissions of the good-practice catalogue (imported by GuidanceConfig.ready).

Every predicate has a queryset twin in ``guidance.selectors_catalogue``:

* everyone reads published examples;
* a coordinator writes, edits and submits examples of the municipalities they coordinate and
  sees their drafts; the editorial team (Redaktion) and admins see and edit every example;
* only the editorial team and admins review: start a review, ask for changes, publish, reject,
  archive. A coordinator can never publish.
"""

import rules

from guidance.models.catalogue import ExampleStatus
from networks.rules import coordinated_municipality_ids, coordinates_municipality
from portal.rules import is_admin, is_koordination, is_redaktion


@rules.predicate
def is_published_example(user, example) -> bool:
    return example is not None and example.status == ExampleStatus.PUBLISHED


@rules.predicate
def coordinates_example_municipality(user, example) -> bool:
    return example is not None and coordinates_municipality(user, example.municipality_id)


@rules.predicate
def coordinates_any_municipality(user) -> bool:
    return is_koordination(user) and bool(coordinated_municipality_ids(user))


is_curator = is_admin | is_redaktion
can_edit_example = is_curator | coordinates_example_municipality
can_view_example = is_published_example | can_edit_example
can_add_example = is_curator | coordinates_any_municipality
can_review_example = is_curator

rules.add_perm("guidance.view_catalogue_example", can_view_example)
rules.add_perm("guidance.add_catalogue_example", can_add_example)
rules.add_perm("guidance.edit_catalogue_example", can_edit_example)
rules.add_perm("guidance.submit_catalogue_example", can_edit_example)
rules.add_perm("guidance.review_catalogue_example", can_review_example)
