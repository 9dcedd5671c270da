"""Optimistic locking: two people editing the same record never silently overwrite each other.

Every edited record carries a ``version``. A form remembers the version it was loaded with; the
service locks the row (:func:`lock`), and if the version moved on meanwhile it refuses the save with
:class:`EditConflict`, which lists field by field what changed since the form was loaded and by whom.
The view then answers with :func:`refuse`: status 409, the person's input kept in the form, the table
of changes above it (``templates/includes/conflict.html``), and the form now carrying the current
version, so that saving again after reading the table is a deliberate decision.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats


@dataclass(frozen=True)
class FieldChange:
    """One field someone else changed after the form was loaded."""

    field: str
    label: str
    before: str  # the value when the form was loaded ("" when unknown)
    after: str  # the value stored now
    by: str = ""  # who changed it ("" for the system)
    at: datetime.datetime | None = None


class EditConflict(Exception):
    """Someone saved the record after the form was loaded; nothing was written."""

    def __init__(self, *, changes: Sequence[FieldChange], current_version: int):
        super().__init__("edit conflict")
        self.changes = list(changes)
        self.current_version = current_version


def lock(queryset: Any, *, pk: Any) -> Any:
    """The row ``pk`` of ``queryset`` (a model or queryset), locked until the transaction ends."""
    manager = getattr(queryset, "_default_manager", queryset)
    return manager.select_for_update().get(pk=pk)


def check(instance: Any, *, version: int | None, changes: Callable[[], Sequence[FieldChange]]) -> None:
    """Refuse the write unless ``instance`` is still at ``version`` (None: the caller has no version to
    compare, e.g. a button that acts at once). ``changes`` tells what changed, asked only on a conflict."""
    if version is not None and instance.version != version:
        raise EditConflict(changes=changes(), current_version=instance.version)


def person(user: Any) -> str:
    """A user's full name, else the user name; "" for the system."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def show(value: Any) -> str:
    """A stored value as a reader sees it, in the active language's format."""
    if value in (None, ""):
        return ""
    if isinstance(value, bool):
        return str(formats.localize(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return str(formats.localize(value))
    return str(value)


def _display(model: Any, name: str, value: Any) -> str:
    field = model._meta.get_field(name)
    if field.choices:
        return show(dict(field.flatchoices).get(value, value))
    if field.is_relation and value is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        return show(related if related is not None else value)
    return show(value)


def history_changes(instance: Any, *, since_version: int, fields: Sequence[str],
                    submitted: dict[str, Any] | None = None) -> list[FieldChange]:
    """What others changed on ``instance`` (a model with a simple_history ``history``) since the form
    was loaded at ``since_version``, with who changed each field last.

    Without a history record of that version (content loaded from a fixture), the fields whose stored
    value differs from ``submitted`` are listed, with the earlier value unknown.
    """
    model = type(instance)
    names = [name for name in fields if not model._meta.get_field(name).many_to_many]
    attnames = {name: model._meta.get_field(name).attname for name in names}
    records = instance.history.select_related("history_user").order_by("history_date", "history_id")
    base = records.filter(version=since_version).last()
    if base is None:
        return [
            FieldChange(field=name, label=_label(model, name), before="",
                        after=_display(model, name, getattr(instance, attnames[name])))
            for name in names
            if submitted is not None and name in submitted
            and _comparable(submitted[name]) != getattr(instance, attnames[name])
        ]
    last_change: dict[str, Any] = {}
    previous = base
    for record in records.filter(history_date__gte=base.history_date).exclude(pk=base.pk):
        for name in names:
            if getattr(record, attnames[name], None) != getattr(previous, attnames[name], None):
                last_change[name] = record
        previous = record
    changes = []
    for name in names:
        before, after = getattr(base, attnames[name], None), getattr(instance, attnames[name])
        if before == after:
            continue
        record = last_change.get(name)
        changes.append(FieldChange(
            field=name, label=_label(model, name), before=_display(model, name, before),
            after=_display(model, name, after), by=person(getattr(record, "history_user", None)),
            at=getattr(record, "history_date", None),
        ))
    return changes


def _comparable(value: Any) -> Any:
    return getattr(value, "pk", value)


def _label(model: Any, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def refuse(request: HttpRequest, template: str, context: dict[str, Any], *, form: Any,
           conflict: EditConflict) -> HttpResponse:
    """The answer to a refused save: the form with the person's input and the current version, and the
    table of what changed meanwhile (status 409 Conflict)."""
    if form.is_bound:
        form.data = form.data.copy()
        form.data[form.add_prefix("version")] = str(conflict.current_version)
    return render(request, template, {**context, "form": form, "conflict": conflict}, status=409)
