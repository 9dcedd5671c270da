"""The portal's roles, and which of them a signed-in person holds.

Each role is a Django group. A coordinator also coordinates municipalities; which ones is the
registry's knowledge, so the registry registers the lookup here when it starts
(:func:`register_coordination`) and the foundation never reads the registry's tables itself.

A person's groups and coordinated municipalities are read together, in the query that loads the
user on every signed-in request (:func:`annotate_roles`, used by the authentication backend) or in
one query of their own (:func:`roles_of`), and kept on the user object for the rest of the request.
Object permissions live in the apps' ``rules.py``; the role predicates in :mod:`portal.core.rules`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from portal.core.db import JoinedText, split_items

VERWALTUNG = "Verwaltung"
KOORDINATION = "Koordination"
REDAKTION = "Redaktion"

ROLE_GROUPS = (VERWALTUNG, KOORDINATION, REDAKTION)

ROLE_LABELS = {
    VERWALTUNG: _("Council staff"),
    KOORDINATION: _("Network coordination"),
    REDAKTION: _("Editorial team"),
}

_CACHE_ATTRIBUTE = "_sn_roles"
_GROUPS_ANNOTATION = "sn_role_groups"
_COORDINATED_ANNOTATION = "sn_role_coordinated"


@dataclass(frozen=True)
class UserRoles:
    """What one person holds: their group names and the ids of the municipalities listed as theirs."""

    groups: frozenset[str]
    coordinated: frozenset[int]


NO_ROLES = UserRoles(groups=frozenset(), coordinated=frozenset())

CoordinationRows = Callable[[], QuerySet[Any]]
_coordination_rows: CoordinationRows | None = None


def register_coordination(rows: CoordinationRows) -> None:
    """Tell the foundation who coordinates which municipality.

    ``rows()`` returns a queryset with the fields ``user_id`` and ``municipality_id``, one row per
    person and municipality. The registry registers it in ``NetworksConfig.ready``.
    """
    global _coordination_rows
    _coordination_rows = rows


def _coordinations() -> QuerySet[Any]:
    if _coordination_rows is None:
        raise ImproperlyConfigured("No app has registered who coordinates which municipality (networks does).")
    return _coordination_rows()


def annotate_roles(users: QuerySet[Any]) -> QuerySet[Any]:
    """``users`` with each person's groups and coordinated municipalities, read in the same query."""
    model = get_user_model()
    user_column = f"{model._meta.model_name}_id"
    groups = (
        model.groups.through.objects.filter(**{user_column: OuterRef("pk")})
        .order_by().values(user_column)
        .annotate(items=JoinedText("group__name")).values("items")
    )
    coordinated = (
        _coordinations().filter(user_id=OuterRef("pk")).order_by().values("user_id")
        .annotate(items=JoinedText(Cast("municipality_id", CharField()))).values("items")
    )
    return users.annotate(**{_GROUPS_ANNOTATION: Subquery(groups), _COORDINATED_ANNOTATION: Subquery(coordinated)})


def _remember(user: Any, groups_text: str | None, coordinated_text: str | None) -> UserRoles:
    roles = UserRoles(
        groups=frozenset(item[0] for item in split_items(groups_text)),
        coordinated=frozenset(int(item[0]) for item in split_items(coordinated_text)),
    )
    setattr(user, _CACHE_ATTRIBUTE, roles)
    return roles


def remember_annotated(user: Any) -> UserRoles:
    """Keep the roles read by :func:`annotate_roles` on ``user`` (a row of such a queryset)."""
    return _remember(user, getattr(user, _GROUPS_ANNOTATION, None), getattr(user, _COORDINATED_ANNOTATION, None))


def roles_of(user: Any) -> UserRoles:
    """The roles of ``user``, read once per user object (one query) and then remembered on it."""
    if not getattr(user, "is_authenticated", False):
        return NO_ROLES
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    row = annotate_roles(get_user_model()._default_manager.filter(pk=user.pk)).values_list(
        _GROUPS_ANNOTATION, _COORDINATED_ANNOTATION
    ).first()
    return _remember(user, *(row or (None, None)))


def forget(user: Any) -> None:
    """Drop the remembered roles (after changing a person's groups or municipalities in the same request)."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def editorial_emails(*, with_admins: bool) -> list[str]:
    """The e-mail addresses of every active member of the Redaktion (and, with ``with_admins``, of every
    active admin) that has one, sorted and once each: who is told of submissions, requests and reports."""
    who = Q(groups__name=REDAKTION) | Q(is_superuser=True) if with_admins else Q(groups__name=REDAKTION)
    people = get_user_model()._default_manager.filter(who, is_active=True).exclude(email="")
    return sorted(set(people.values_list("email", flat=True)))
