"""Writes of the registry: keyword-only, validated, atomic, with history and the acting user.

Edits use optimistic locking: the caller passes the ``version`` the form was loaded with; if the
record changed since, :class:`StaleEdit` is raised with the other person's changes, field by field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import Actor, ContactPerson, Cooperation, Municipality

ACTOR_FIELDS = (
    "name", "actor_type", "traeger_kind", "traeger_name", "street", "postal_code", "city", "phone",
    "email", "website", "offer", "languages", "accessibility",
)
ACTOR_M2M = ("serves", "target_groups")
COOPERATION_FIELDS = ("title", "kind", "since", "meeting_frequency", "description", "link", "document", "is_active")
CONTACT_FIELDS = ("name", "function", "phone", "email")


@dataclass
class FieldChange:
    label: str
    before: Any
    after: Any
    by: Any = None
    at: Any = None


class StaleEdit(Exception):
    """Someone else saved the record after the form was loaded."""

    def __init__(self, changes: list[FieldChange], current):
        super().__init__("stale edit")
        self.changes = changes
        self.current = current


def _display(instance, field_name: str, value):
    field = instance._meta.get_field(field_name)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and value is not None:
        model = field.related_model
        obj = value if isinstance(value, model) else model.objects.filter(pk=value).first()
        return str(obj) if obj else value
    return value


def _changes_since(instance, version: int, fields) -> list[FieldChange]:
    """The changes others made to ``instance`` since ``version``, field by field."""
    base = instance.history.filter(version=version).order_by("-history_date").first()
    latest = instance.history.order_by("-history_date", "-history_id").first()
    changes = []
    for name in fields:
        if base is None:
            break
        field = instance._meta.get_field(name)
        if field.many_to_many:
            continue
        attname = field.attname
        before = getattr(base, attname, None)
        after = getattr(instance, attname)
        if before != after:
            changes.append(
                FieldChange(
                    label=str(field.verbose_name),
                    before=_display(instance, name, before),
                    after=_display(instance, name, after),
                    by=getattr(latest, "history_user", None),
                    at=getattr(latest, "history_date", None),
                )
            )
    return changes


def _lock(model, pk: int, expected_version: int | None, fields):
    instance = model.objects.select_for_update().get(pk=pk)
    if expected_version is not None and instance.version != expected_version:
        raise StaleEdit(_changes_since(instance, expected_version, fields), instance)
    return instance


def _save(instance, *, by, reason: str = "", update_fields=None) -> None:
    instance.full_clean()
    instance._history_user = by
    if reason:
        instance._change_reason = reason
    instance.save(update_fields=update_fields)


# --- Actors -----------------------------------------------------------------------------


@transaction.atomic
def actor_create(*, municipality: Municipality, data: dict, by) -> Actor:
    """Register a partner in ``municipality``; ``data`` holds the form's cleaned data."""
    actor = Actor(municipality=municipality)
    for name in ACTOR_FIELDS:
        if name in data:
            setattr(actor, name, data[name])
    _save(actor, by=by, reason="created")
    _set_m2m(actor, data)
    return actor


def _set_m2m(actor: Actor, data: dict) -> None:
    for name in ACTOR_M2M:
        if name in data and data[name] is not None:
            getattr(actor, name).set(data[name])


@transaction.atomic
def actor_update(*, actor: Actor, data: dict, version: int, by) -> Actor:
    """Save the changes of an edit form loaded at ``version``; raises :class:`StaleEdit`."""
    current = _lock(Actor, actor.pk, version, ACTOR_FIELDS)
    for name in ACTOR_FIELDS:
        if name in data:
            setattr(current, name, data[name])
    current.version += 1
    _save(current, by=by, reason="edited")
    _set_m2m(current, data)
    return current


@transaction.atomic
def actor_verify(*, actor: Actor, by, version: int | None = None) -> Actor:
    """Record that ``by`` checked the entry today (distinct from "last changed")."""
    current = _lock(Actor, actor.pk, version, ACTOR_FIELDS)
    current.verified_at = timezone.now()
    current.verified_by = by
    current.version += 1
    # Checking is not changing: "last changed" (updated_at) stays as it was.
    _save(current, by=by, reason="verified", update_fields=["verified_at", "verified_by", "version"])
    return current


@transaction.atomic
def actor_set_active(*, actor: Actor, active: bool, by, version: int | None = None) -> Actor:
    """Soft deletion: deactivate (or reactivate) a partner; nothing is ever deleted."""
    current = _lock(Actor, actor.pk, version, ACTOR_FIELDS)
    current.is_active = active
    current.version += 1
    _save(current, by=by, reason="activated" if active else "deactivated")
    return current


def actor_deactivate(*, actor: Actor, by, version: int | None = None) -> Actor:
    return actor_set_active(actor=actor, active=False, by=by, version=version)


# --- Cooperations -----------------------------------------------------------------------


def _set_cooperation_fields(cooperation: Cooperation, data: dict) -> None:
    for name in COOPERATION_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "document":
            if value is None:
                continue
            if value is False:  # "clear" ticked in the file widget
                value = ""
        setattr(cooperation, name, value)


def _check_partners(cooperation: Cooperation, actors) -> None:
    from django.core.exceptions import ValidationError

    if actors is not None and len(list(actors)) < 2:
        raise ValidationError({"actors": _("A cooperation needs at least two partners.")})


@transaction.atomic
def cooperation_create(*, municipality: Municipality, data: dict, by) -> Cooperation:
    cooperation = Cooperation(municipality=municipality)
    _set_cooperation_fields(cooperation, data)
    _check_partners(cooperation, data.get("actors"))
    _save(cooperation, by=by, reason="created")
    cooperation.actors.set(data.get("actors") or [])
    return cooperation


@transaction.atomic
def cooperation_update(*, cooperation: Cooperation, data: dict, version: int, by) -> Cooperation:
    current = _lock(Cooperation, cooperation.pk, version, COOPERATION_FIELDS)
    _set_cooperation_fields(current, data)
    _check_partners(current, data.get("actors"))
    current.version += 1
    _save(current, by=by, reason="edited")
    if data.get("actors") is not None:
        current.actors.set(data["actors"])
    return current


# --- Contact persons --------------------------------------------------------------------


@transaction.atomic
def contact_create(*, actor: Actor, data: dict, by) -> ContactPerson:
    contact = ContactPerson(actor=actor, **{k: data.get(k, "") for k in CONTACT_FIELDS})
    _save(contact, by=by, reason="created")
    return contact


@transaction.atomic
def contact_update(*, contact: ContactPerson, data: dict, by, version: int | None = None) -> ContactPerson:
    """Save an edit form loaded at ``version``; raises :class:`StaleEdit` if someone saved in between."""
    contact = _lock(ContactPerson, contact.pk, version, CONTACT_FIELDS)
    for name in CONTACT_FIELDS:
        if name in data:
            setattr(contact, name, data[name])
    contact.version += 1
    _save(contact, by=by, reason="edited")
    return contact


@transaction.atomic
def contact_delete(*, contact: ContactPerson, by) -> None:
    """Personal data is removed for real when a person leaves (data minimisation)."""
    contact._history_user = by
    contact.delete()
