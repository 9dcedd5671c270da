"""Permissions of the registry: each one predicate, with its queryset twin right beside it.

Views, templates (through the views), exports, the search and the services ask these predicates; the
twins list what the same predicate allows, so "may see this" and "list what I may see" cannot drift.

* Everyone reads the public registry: municipalities, active partners, cooperations.
* Signed-in staff (Verwaltung, Koordination, Redaktion, admins) also see contact persons and the
  history of a partner.
* A coordinator edits the partners, contact persons and cooperations of the municipalities they
  coordinate, and sees those municipalities' inactive partners; admins everything.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q, QuerySet

from networks.models import Actor, ContactPerson, Cooperation, Municipality, ServiceArea
from portal.core.rules import (
    coordinated_municipality_ids,
    coordinates_municipality,
    is_admin,
    is_portal_staff,
)

# --- Municipalities ----------------------------------------------------------------------


def municipalities_coordinated_by(user: Any) -> QuerySet[Municipality]:
    """Twin of ``portal.core.rules.coordinates_municipality``."""
    return Municipality.objects.filter(id__in=coordinated_municipality_ids(user))


can_edit_municipality = is_admin | coordinates_municipality


def municipalities_editable_by(user: Any) -> QuerySet[Municipality]:
    """Twin of :data:`can_edit_municipality`: the municipalities whose network ``user`` keeps."""
    if is_admin(user):
        return Municipality.objects.all()
    return municipalities_coordinated_by(user)


# --- Service areas -----------------------------------------------------------------------


@rules.predicate
def can_confirm_service_area(user: Any, municipality: Municipality | None) -> bool:
    """May confirm that a partner serves ``municipality`` (and so declare it at once): its own
    coordinators, the coordinators of its Kreis, admins. Anyone else's declaration waits for them."""
    if municipality is None:
        return False
    if is_admin(user):
        return True
    ids = coordinated_municipality_ids(user)
    return municipality.pk in ids or municipality.parent_id in ids


def municipalities_confirmable_by(user: Any) -> QuerySet[Municipality]:
    """Twin of :func:`can_confirm_service_area`."""
    if is_admin(user):
        return Municipality.objects.all()
    ids = coordinated_municipality_ids(user)
    return Municipality.objects.filter(Q(id__in=ids) | Q(parent_id__in=ids))


@rules.predicate
def can_end_service_area(user: Any, area: ServiceArea | None) -> bool:
    """Those who keep the partner, and those who speak for the municipality served."""
    if area is None:
        return False
    return bool(can_edit_municipality(user, area.actor.municipality_id)
                or can_confirm_service_area(user, area.municipality))


# --- Partners ----------------------------------------------------------------------------


@rules.predicate
def can_view_actor(user: Any, actor: Actor | None) -> bool:
    """Active partners are public; inactive ones are seen by their coordinators and admins."""
    if actor is None:
        return False
    return actor.is_active or bool(can_edit_municipality(user, actor.municipality_id))


def actors_visible_to(user: Any) -> QuerySet[Actor]:
    """Twin of :func:`can_view_actor`."""
    if is_admin(user):
        return Actor.objects.all()
    return Actor.objects.filter(Q(is_active=True) | Q(municipality_id__in=coordinated_municipality_ids(user)))


@rules.predicate
def can_edit_actor(user: Any, actor: Actor | None) -> bool:
    return actor is not None and bool(can_edit_municipality(user, actor.municipality_id))


def actors_editable_by(user: Any) -> QuerySet[Actor]:
    """Twin of :func:`can_edit_actor`."""
    return Actor.objects.filter(municipality__in=municipalities_editable_by(user))


# --- Cooperations ------------------------------------------------------------------------


@rules.predicate
def can_view_cooperation(user: Any, cooperation: Cooperation | None) -> bool:
    """Active cooperations are public; ended ones are seen by their coordinators and admins."""
    if cooperation is None:
        return False
    return cooperation.is_active or bool(can_edit_municipality(user, cooperation.municipality_id))


def cooperations_visible_to(user: Any) -> QuerySet[Cooperation]:
    """Twin of :func:`can_view_cooperation`."""
    if is_admin(user):
        return Cooperation.objects.all()
    return Cooperation.objects.filter(Q(is_active=True) | Q(municipality_id__in=coordinated_municipality_ids(user)))


@rules.predicate
def can_edit_cooperation(user: Any, cooperation: Cooperation | None) -> bool:
    return cooperation is not None and bool(can_edit_municipality(user, cooperation.municipality_id))


def cooperations_editable_by(user: Any) -> QuerySet[Cooperation]:
    """Twin of :func:`can_edit_cooperation`."""
    return Cooperation.objects.filter(municipality__in=municipalities_editable_by(user))


# --- Personal data and history -----------------------------------------------------------

# Contact persons are personal data: signed-in staff only, never public, never in public exports.
can_view_contacts = is_portal_staff


def contacts_visible_to(user: Any) -> QuerySet[ContactPerson]:
    """Twin of :data:`can_view_contacts`."""
    if can_view_contacts(user):
        return ContactPerson.objects.all()
    return ContactPerson.objects.none()


# The history of a partner names the people who changed it: signed-in staff only.
can_view_history = is_portal_staff

