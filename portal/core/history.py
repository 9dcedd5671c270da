"""Why a record changed: the reasons written into its history, stored as codes and translated when shown.

Every write that keeps a history (django-simple-history) goes through :func:`save`, which validates
the record, names the person who made the change and stores the reason's code. Pages show the reason
in the reader's language with :func:`reason_label`; texts stored by older versions of the portal are
shown as they are.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models.signals import post_save
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.utils import get_m2m_reverse_field_name


class Reason(models.TextChoices):
    CREATED = "created", _("created")
    EDITED = "edited", _("edited")
    VERIFIED = "verified", _("checked")
    DEACTIVATED = "deactivated", _("deactivated")
    ACTIVATED = "activated", _("reactivated")
    IMPORT = "import", _("imported")
    SEED = "seed", _("demo data loaded")
    SYNTHETIC = "synthetic", _("synthetic test data generated")
    DELETED = "deleted", _("deleted, personal data removed")
    ERASED = "erased", _("personal data erased on request (DSGVO)")


# What stays of a person's name after erasure on request (Art. 17 DSGVO), in accounts and contacts alike.
ERASED_TEXT = "gelöscht/anonymisiert"


def reason_label(code: str | None) -> str:
    """The reason in the active language; an unknown (older, free) text as it is."""
    if not code:
        return ""
    try:
        return str(Reason(code).label)
    except ValueError:
        return code


def save(instance: Any, *, by: Any, reason: Reason | None = None, update_fields: list[str] | None = None,
         clean: bool = True, relations: Callable[[], None] | None = None) -> None:
    """Validate and save ``instance`` with ``by`` and ``reason`` in its history record.

    ``by`` is the acting user, or None for the system (demo content, commands). ``relations`` changes the
    record's many-to-many relations (``lambda: actor.target_groups.set(ids)``): one save writes one
    history line, which holds the relations as they are afterwards (a relation changed on its own would
    write a line of its own for each removal and each addition).
    """
    if clean:
        instance.full_clean()
    instance._history_user = by if getattr(by, "is_authenticated", False) else None
    if reason:
        instance._change_reason = reason.value
    if relations is None:
        instance.save(update_fields=update_fields)
        return
    with transaction.atomic():
        if instance._state.adding:
            # A new row first, then its relations; its one history line ("created") after both.
            _without_history(instance, lambda: (instance.save(update_fields=update_fields), relations()))
            post_save.send(sender=type(instance), instance=instance, created=True, update_fields=None,
                           raw=False, using=instance._state.db)
        else:
            _without_history(instance, relations)
            instance.save(update_fields=update_fields)


def _without_history(instance: Any, write: Callable[[], Any]) -> None:
    instance.skip_history_when_saving = True  # read by simple_history's signal handlers
    try:
        write()
    finally:
        del instance.skip_history_when_saving


def delete(instance: Any, *, by: Any, reason: Reason | None = None) -> None:
    """Delete ``instance``; its history keeps who deleted it and why."""
    instance._history_user = by if getattr(by, "is_authenticated", False) else None
    if reason:
        instance._change_reason = reason.value
    instance.delete()


# --- showing a history --------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field of one history line, as a reader sees it."""

    field: str
    label: str
    old: str  # "" when empty
    new: str


def changes(record: Any, previous: Any, *, excluded: Iterable[str] = ()) -> list[Change]:
    """What ``record`` (a simple_history record) changed against ``previous``, field by field, with the
    names of related objects (also of many-to-many relations, whose order does not count)."""
    model = record.instance_type
    result = []
    for delta in record.diff_against(previous, excluded_fields=list(excluded)).changes:
        try:
            field = model._meta.get_field(delta.field)
        except FieldDoesNotExist:  # a field that no longer exists
            field = None
        old, new = _shown(field, delta.old), _shown(field, delta.new)
        if old != new:  # e.g. a service area confirmed: the same municipalities
            label = str(capfirst(getattr(field, "verbose_name", delta.field)))
            result.append(Change(field=delta.field, label=label, old=old, new=new))
    return result


def _shown(field: Any, value: Any) -> str:
    if field is not None and field.many_to_many and isinstance(value, list):
        key = get_m2m_reverse_field_name(field)
        ids = [row.get(key) for row in value if isinstance(row, dict)]
        objects = field.related_model._default_manager.in_bulk([pk for pk in ids if pk is not None])
        return ", ".join(sorted(str(objects.get(pk, pk)) for pk in ids))
    if value in (None, ""):
        return ""
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.is_relation and not isinstance(value, models.Model):
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related if related is not None else value)
    if isinstance(value, bool | datetime.date | datetime.datetime):
        return str(formats.localize(value))
    return str(value)
