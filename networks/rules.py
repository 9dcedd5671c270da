"""Permissions of the registry: each one predicate, with its queryset twin right beside it.

Views, templates (through the views), exports, the search and the services ask these predicates; the
twins list what the same predicate allows, so "may see this" and "list what I may see" cannot drift.

* Everyone reads the public registry: municipalities, active partners, cooperations.
* Signed-in staff (Verwaltung, Koordination, Redaktion, admins) also see contact persons and the
  history of a partner.
* A coordinator edits the partners, contact persons and cooperations of the municipalities they
  coordinate, and sees those municipalities' inactive partners; a Kreis's coordinators also those of
  the Kreis's member municipalities; admins everything.
* The editorial team (Redaktion) and admins review the requests for access ("Zugang beantragen").
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q, QuerySet

from networks.models import AccessRequest, Actor, ContactPerson, Cooperation, Municipality, ServiceArea
from portal.core.rules import (
    coordinated_municipality_ids,
    is_admin,
    is_curator,
    is_portal_staff,
)

# --- Municipalities ----------------------------------------------------------------------


def municipalities_coordinated_by(user: Any) -> QuerySet[Municipality]:
    """Twin of ``portal.core.rules.coordinates_municipality``."""
    return Municipality.objects.filter(id__in=coordinated_municipality_ids(user))


def _parent_id(municipality: Municipality | int) -> int | None:
    """The Kreis of ``municipality`` (a municipality, or its id: then read in one query)."""
    if isinstance(municipality, Municipality):
        return municipality.parent_id
    return Municipality.objects.filter(pk=municipality).values_list("parent_id", flat=True).first()


@rules.predicate
def can_edit_municipality(user: Any, municipality: Municipality | int | None) -> bool:
    """Keeps the network of ``municipality`` (a municipality or its id): its coordinators, the
    coordinators of its Kreis (they maintain the partners of the Kreis's member municipalities too),
    admins. The roadmap progress is not the registry's: ``guidance.rules`` asks only its coordinators."""
    if municipality is None:
        return False
    if is_admin(user):
        return True
    ids = coordinated_municipality_ids(user)
    if not ids:
        return False
    if getattr(municipality, "pk", municipality) in ids:
        return True
    return _parent_id(municipality) in ids


def _kept_by(user: Any, *, field: str = "") -> Q:
    """The rows whose municipality (``field``, "" for municipalities themselves) ``user`` coordinates,
    directly or as the coordinator of its Kreis: the condition of :func:`can_edit_municipality`."""
    ids = coordinated_municipality_ids(user)
    prefix = f"{field}__" if field else ""
    return Q(**{f"{prefix}id__in": ids}) | Q(**{f"{prefix}parent_id__in": ids})


def municipalities_editable_by(user: Any) -> QuerySet[Municipality]:
    """Twin of :func:`can_edit_municipality`: the municipalities whose network ``user`` keeps."""
    if is_admin(user):
        return Municipality.objects.all()
    if not coordinated_municipality_ids(user):
        return Municipality.objects.none()
    return Municipality.objects.filter(_kept_by(user))


def _home(obj: Actor | Cooperation) -> Municipality | int:
    """The record's municipality when it was loaded with it (so its Kreis is known), else its id."""
    return obj.municipality if type(obj).municipality.is_cached(obj) else obj.municipality_id


@rules.predicate
def can_edit_municipality_profile(user: Any, municipality: Municipality | None) -> bool:
    """What the portal records about a municipality beyond the official register (its own Jugendamt,
    newer child figures): those who keep its network, and the editorial team."""
    if municipality is None:
        return False
    return bool(is_curator(user) or can_edit_municipality(user, municipality))


def municipalities_profile_editable_by(user: Any) -> QuerySet[Municipality]:
    """Twin of :func:`can_edit_municipality_profile`."""
    if is_curator(user):
        return Municipality.objects.all()
    return municipalities_editable_by(user)


# --- Service areas -----------------------------------------------------------------------


# May confirm that a partner serves a municipality (and so declare it at once): those who keep its
# network (its own coordinators, the coordinators of its Kreis, admins). Anyone else's declaration
# waits for them. The same rule as keeping the network, under the name the service areas ask for.
can_confirm_service_area = can_edit_municipality
municipalities_confirmable_by = municipalities_editable_by


@rules.predicate
def can_end_service_area(user: Any, area: ServiceArea | None) -> bool:
    """Those who keep the partner, and those who speak for the municipality served."""
    if area is None:
        return False
    return bool(can_edit_municipality(user, _home(area.actor))
                or can_confirm_service_area(user, area.municipality))


# --- Partners ----------------------------------------------------------------------------


@rules.predicate
def can_view_actor(user: Any, actor: Actor | None) -> bool:
    """Active partners are public; inactive ones are seen by their coordinators and admins."""
    if actor is None:
        return False
    return actor.is_active or bool(can_edit_municipality(user, _home(actor)))


def actors_visible_to(user: Any) -> QuerySet[Actor]:
    """Twin of :func:`can_view_actor`."""
    if is_admin(user):
        return Actor.objects.all()
    if not coordinated_municipality_ids(user):
        return Actor.objects.filter(is_active=True)
    return Actor.objects.filter(Q(is_active=True) | _kept_by(user, field="municipality"))


@rules.predicate
def can_edit_actor(user: Any, actor: Actor | None) -> bool:
    return actor is not None and bool(can_edit_municipality(user, _home(actor)))


def actors_editable_by(user: Any) -> QuerySet[Actor]:
    """Twin of :func:`can_edit_actor`."""
    return Actor.objects.filter(municipality__in=municipalities_editable_by(user))


# --- Cooperations ------------------------------------------------------------------------


@rules.predicate
def can_view_cooperation(user: Any, cooperation: Cooperation | None) -> bool:
    """Active cooperations are public; ended ones are seen by their coordinators and admins."""
    if cooperation is None:
        return False
    return cooperation.is_active or bool(can_edit_municipality(user, _home(cooperation)))


def cooperations_visible_to(user: Any) -> QuerySet[Cooperation]:
    """Twin of :func:`can_view_cooperation`."""
    if is_admin(user):
        return Cooperation.objects.all()
    if not coordinated_municipality_ids(user):
        return Cooperation.objects.filter(is_active=True)
    return Cooperation.objects.filter(Q(is_active=True) | _kept_by(user, field="municipality"))


@rules.predicate
def can_edit_cooperation(user: Any, cooperation: Cooperation | None) -> bool:
    return cooperation is not None and bool(can_edit_municipality(user, _home(cooperation)))


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


# --- Requests for access -----------------------------------------------------------------

# Who reviews the requests for a coordinator's access, sees them (personal data) and decides them:
# the editorial team and admins. Nobody else sees that a request exists.
can_review_access_requests = is_curator


def access_requests_visible_to(user: Any) -> QuerySet[AccessRequest]:
    """Twin of :data:`can_review_access_requests`."""
    if can_review_access_requests(user):
        return AccessRequest.objects.all()
    return AccessRequest.objects.none()


# For the site navigation (``{% test_rule %}`` in templates/base.html).
rules.add_rule("networks.review_access_requests", can_review_access_requests)
