"""Permissions of the roadmap, the guidance pages and the municipalities' progress: each one
predicate, with its queryset twin beside it.

* content (steps, tasks, pages): everybody reads; the editorial team (Redaktion) and admins edit;
  the history of a text names its editors, so only signed-in staff read it;
* a municipality's progress ("Unser Fahrplan") and its draft resolution: signed-in staff read the
  status of each step (Verwaltung, Koordination, Redaktion, admins); its internal notes, responsible
  persons and evidence only its own coordinators (and its Kreis's), the Redaktion and admins; only its
  coordinators and admins change it;
* the overview of all municipalities' progress: the editorial team and admins.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import QuerySet

from networks import selectors as registry
from portal.core.rules import (
    coordinated_municipality_ids,
    coordinates_municipality,
    is_admin,
    is_curator,
    is_portal_staff,
)

can_edit_content = is_curator
can_view_content_history = is_portal_staff

can_view_progress = is_portal_staff
# For templates outside the guide (the registry's municipality page links to the neighbours).
rules.add_perm("guidance.view_progress", can_view_progress)


def municipalities_with_visible_progress(user: Any) -> QuerySet[Any]:
    """Twin of :data:`can_view_progress`."""
    return registry.municipalities() if can_view_progress(user) else registry.municipalities().none()


can_edit_progress = is_admin | coordinates_municipality


def municipalities_with_editable_progress(user: Any) -> QuerySet[Any]:
    """Twin of :data:`can_edit_progress`."""
    if is_admin(user):
        return registry.municipalities()
    return registry.municipalities(ids=coordinated_municipality_ids(user))


@rules.predicate
def can_view_progress_details(user: Any, municipality: Any) -> bool:
    """The internal part of a municipality's progress (notes, responsible persons, evidence, who changed
    it): its own coordinators, the coordinators of its Kreis, the editorial team and admins. The steps'
    status stays visible to all staff."""
    if municipality is None:
        return False
    if is_curator(user):
        return True
    ids = coordinated_municipality_ids(user)
    return municipality.pk in ids or getattr(municipality, "parent_id", None) in ids


def municipalities_coordinated_by(user: Any) -> QuerySet[Any]:
    """Twin of ``coordinates_municipality``: the roadmaps ``user`` keeps as coordinator (the shortcuts
    on the guide's pages)."""
    return registry.municipalities(ids=coordinated_municipality_ids(user))


can_view_progress_overview = is_curator

# Django's admin asks ``user.has_perm`` for model permissions: the editorial content is the
# editorial team's (and the admins'). The portal's own code asks the predicates above.
for _model in ("roadmapstep", "checklisttask", "material", "guidancepage"):
    for _action in ("view", "add", "change", "delete"):
        rules.add_perm(f"guidance.{_action}_{_model}", can_edit_content)
# The app in the admin index.
rules.add_perm("guidance", can_edit_content)
