"""Permissions of the registry. Every predicate has a queryset twin in ``networks.selectors``.

Roles: anonymous visitors read the public registry; signed-in staff (Verwaltung, Koordination,
Redaktion, admin) also see contact persons; a coordinator edits only the municipalities they
coordinate; admins everything.
"""

import rules

from portal.rules import is_admin, is_koordination, is_portal_staff, load_roles


def coordinated_municipality_ids(user) -> set[int]:
    """Ids of the municipalities ``user`` coordinates (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = getattr(user, "_coordinated_ids", None)
    if cache is None:
        # One query for the user's groups and municipalities (see portal.rules.load_roles).
        load_roles(user)
        cache = user._coordinated_ids
    return cache


@rules.predicate
def coordinates_municipality(user, municipality) -> bool:
    """True if ``user`` is a coordinator of ``municipality`` (a Municipality or its id)."""
    if municipality is None:
        return False
    municipality_id = getattr(municipality, "pk", municipality)
    return is_koordination(user) and municipality_id in coordinated_municipality_ids(user)


can_edit_municipality = is_admin | coordinates_municipality

rules.add_perm("networks.view_contacts", is_portal_staff)
rules.add_perm("networks.change_municipality_network", can_edit_municipality)


@rules.predicate
def can_view_actor(user, actor) -> bool:
    """Active actors are public; inactive ones are seen by their coordinators and admins.

    Twin: ``networks.selectors.actors_visible_to``."""
    if actor is None:
        return False
    if actor.is_active or is_admin(user):
        return True
    return coordinates_municipality(user, actor.municipality_id)


@rules.predicate
def can_edit_actor(user, actor) -> bool:
    """Twin: ``networks.selectors.actors_editable_by``."""
    if actor is None:
        return False
    return is_admin(user) or coordinates_municipality(user, actor.municipality_id)


@rules.predicate
def can_edit_cooperation(user, cooperation) -> bool:
    """Twin: ``networks.selectors.cooperations_editable_by``."""
    if cooperation is None:
        return False
    return is_admin(user) or coordinates_municipality(user, cooperation.municipality_id)


# Twin: ``networks.selectors.contacts_visible_to``.
can_view_contacts = is_portal_staff
# Twin: ``networks.selectors.actors_visible_to`` combined with ``is_portal_staff``.
can_view_history = is_portal_staff

rules.add_perm("networks.view_actor", can_view_actor)
rules.add_perm("networks.change_actor", can_edit_actor)
rules.add_perm("networks.change_cooperation", can_edit_cooperation)
rules.add_perm("networks.view_history", can_view_history)
