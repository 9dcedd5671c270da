"""Role predicates (django-rules) that every app's ``rules.py`` builds its permissions from.

A permission is one predicate in its app's ``rules.py`` with its queryset twin beside it; views,
services, exports and search ask that predicate. The predicates here answer only who someone is:
their role, and which municipalities they coordinate.
"""

from __future__ import annotations

from typing import Any

import rules

from portal.core import roles


def in_group(user: Any, group_name: str) -> bool:
    """True for members of the role group ``group_name``, and for superusers."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return group_name in roles.roles_of(user).groups


@rules.predicate
def is_verwaltung(user: Any) -> bool:
    return in_group(user, roles.VERWALTUNG)


@rules.predicate
def is_koordination(user: Any) -> bool:
    return in_group(user, roles.KOORDINATION)


@rules.predicate
def is_redaktion(user: Any) -> bool:
    return in_group(user, roles.REDAKTION)


@rules.predicate
def is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False))


# Staff of any role: may see personal contact data and the municipalities' progress.
is_portal_staff = is_verwaltung | is_koordination | is_redaktion | is_admin
is_curator = is_admin | is_redaktion


def coordinated_municipality_ids(user: Any) -> frozenset[int]:
    """The ids of the municipalities ``user`` acts for as coordinator: those listed as theirs, if they
    hold the coordination role. The one answer to "which municipalities does this person coordinate";
    ``networks.rules.municipalities_coordinated_by`` is its queryset twin."""
    if not is_koordination(user):
        return frozenset()
    return roles.roles_of(user).coordinated


@rules.predicate
def coordinates_municipality(user: Any, municipality: Any) -> bool:
    """True if ``user`` coordinates ``municipality`` (a municipality or its id)."""
    if municipality is None:
        return False
    return getattr(municipality, "pk", municipality) in coordinated_municipality_ids(user)


@rules.predicate
def coordinates_any_municipality(user: Any) -> bool:
    return bool(coordinated_municipality_ids(user))

