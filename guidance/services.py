"""Writes of the guidance app: editorial content and each municipality's progress.

Every write checks the rule, validates with ``full_clean()``, runs in a transaction, records the
acting user in the history and refuses stale versions (optimistic locking) with a field-by-field
account of what the other person changed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guidance import rules as guidance_rules
from guidance.models import (
    GuidancePage,
    ResolutionEvidence,
    ResolutionResult,
    RoadmapStep,
    StepProgress,
    StepStatus,
)
from guidance.selectors import RESOLUTION_STEP_SLUG

STEP_FIELDS = ("title", "summary", "why", "involve", "sources")
PAGE_FIELDS = ("title", "area", "summary", "body", "sources")
PROGRESS_FIELDS = ("status", "started_on", "completed_on", "responsible", "notes", "evidence", "evidence_link")
RESOLUTION_FIELDS = ("committee", "session_date", "reference", "result", "link")
FINAL_RESULTS = {ResolutionResult.ADOPTED, ResolutionResult.ADOPTED_AMENDED, ResolutionResult.REJECTED}
SUCCESSFUL_RESULTS = {ResolutionResult.ADOPTED, ResolutionResult.ADOPTED_AMENDED}


@dataclass
class FieldChange:
    field: str
    label: str
    value: str


class ConflictError(Exception):
    """Somebody else saved in between; ``changes`` lists what they changed."""

    def __init__(self, changes: list[FieldChange], *, current_version: int):
        self.changes = changes
        self.current_version = current_version
        super().__init__(_("Somebody else has changed this in the meantime."))


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _show(instance, name: str) -> str:
    display = getattr(instance, f"get_{name}_display", None)
    value = display() if display else getattr(instance, name)
    if value in (None, ""):
        return "–"
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def changes_since(instance, *, loaded_version: int, fields, submitted: dict | None = None) -> list[FieldChange]:
    """What changed on ``instance`` since ``loaded_version``, field by field.

    Uses the history record of the loaded version; without one (e.g. content loaded from a fixture),
    lists the fields whose stored value differs from what was submitted.
    """
    old = instance.history.filter(version=loaded_version).order_by("-history_date", "-history_id").first()
    changes = []
    for name in fields:
        current = getattr(instance, name)
        if old is not None:
            differs = getattr(old, name, None) != current
        elif submitted is not None and name in submitted:
            differs = submitted[name] != current
        else:
            differs = False
        if differs:
            changes.append(FieldChange(field=name, label=_label(type(instance), name), value=_show(instance, name)))
    return changes


def _check_version(instance, *, version: int, fields, submitted: dict) -> None:
    if instance.version != version:
        raise ConflictError(
            changes_since(instance, loaded_version=version, fields=fields, submitted=submitted),
            current_version=instance.version,
        )


# --- Editorial content -------------------------------------------------------------------------------
def _content_update(*, instance, fields, data: dict, version: int, by, reason: str):
    if not guidance_rules.can_edit_content(by):
        raise PermissionDenied
    with transaction.atomic():
        locked = type(instance).objects.select_for_update().get(pk=instance.pk)
        _check_version(locked, version=version, fields=fields, submitted=data)
        changed = [name for name in fields if name in data and getattr(locked, name) != data[name]]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, data[name])
        locked.full_clean()
        locked.version += 1
        locked._history_user = by
        locked._change_reason = reason
        locked.save()
        return locked


def step_update(*, step: RoadmapStep, data: dict, version: int, by) -> RoadmapStep:
    """Change the texts of a roadmap step (Redaktion, admins)."""
    return _content_update(
        instance=step, fields=STEP_FIELDS, data=data, version=version, by=by, reason=_("Edited in the portal")
    )


def page_update(*, page: GuidancePage, data: dict, version: int, by) -> GuidancePage:
    """Change a guidance page (Redaktion, admins)."""
    return _content_update(
        instance=page, fields=PAGE_FIELDS, data=data, version=version, by=by, reason=_("Edited in the portal")
    )


# --- Progress -----------------------------------------------------------------------------------------
def validate_resolution(*, data: dict, status: str) -> None:
    """Evidence of the resolution step: verifiable, plausible dates, a result that fits the status."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    reference = (data.get("reference") or "").strip()
    link = (data.get("link") or "").strip()
    result = data.get("result") or ""
    session_date = data.get("session_date")
    has_any = any(data.get(name) for name in RESOLUTION_FIELDS)
    if has_any and not reference and not link:
        errors.setdefault("reference", []).append(
            _("Please enter the Drucksache or Vorlage number, or a link to the council information system.")
        )
    if session_date and result in FINAL_RESULTS and session_date > today:
        errors.setdefault("session_date", []).append(
            _("A session in the future cannot have decided yet. Please check the date or choose “pending”.")
        )
    if session_date and session_date < datetime.date(1990, 1, 1):
        errors.setdefault("session_date", []).append(_("Please enter a date after 1990."))
    if result and not session_date and result in FINAL_RESULTS:
        errors.setdefault("session_date", []).append(_("Please enter the date of the session that decided."))
    if status == StepStatus.DONE:
        if not has_any:
            errors.setdefault("reference", []).append(
                _("A resolution step can only be marked as done with its evidence (Drucksache number or link).")
            )
        elif result and result not in SUCCESSFUL_RESULTS:
            errors.setdefault("result", []).append(
                _("The step can only be done when the resolution was adopted. Please set the status to “in progress”.")
            )
    if errors:
        raise ValidationError(errors)


def progress_update(
    *,
    municipality,
    step: RoadmapStep,
    by,
    version: int,
    status: str,
    started_on: datetime.date | None = None,
    completed_on: datetime.date | None = None,
    responsible: str = "",
    notes: str = "",
    evidence: str = "",
    evidence_link: str = "",
    done_task_ids: list[int] | None = None,
    resolution: dict | None = None,
) -> StepProgress:
    """Record the municipality's progress on one step (its coordinators and admins only).

    ``version`` is the version the form was loaded with (0 if there was no progress yet).
    """
    if not guidance_rules.can_edit_progress(by, municipality):
        raise PermissionDenied
    done_task_ids = sorted({int(i) for i in (done_task_ids or [])})
    valid_ids = set(step.tasks.values_list("id", flat=True))
    if not set(done_task_ids) <= valid_ids:
        raise ValidationError({"done_tasks": [_("Some ticked tasks do not belong to this step.")]})
    data = {
        "status": status,
        "started_on": started_on,
        "completed_on": completed_on,
        "responsible": responsible.strip(),
        "notes": notes.strip(),
        "evidence": evidence.strip(),
        "evidence_link": evidence_link.strip(),
    }
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if completed_on and started_on and completed_on < started_on:
        errors["completed_on"] = [_("The step cannot be completed before it was started.")]
    if completed_on and completed_on > today:
        errors.setdefault("completed_on", []).append(_("The completion date cannot lie in the future."))
    if completed_on and status != StepStatus.DONE:
        errors.setdefault("completed_on", []).append(_("Only a step that is done has a completion date."))
    if errors:
        raise ValidationError(errors)
    is_resolution_step = step.slug == RESOLUTION_STEP_SLUG
    session_date = (resolution or {}).get("session_date") if is_resolution_step else None
    if status == StepStatus.DONE and not completed_on:
        # The resolution step is done on the day the council decided, if that is known.
        data["completed_on"] = session_date if session_date and session_date <= today else today
    if status != StepStatus.OPEN and not started_on:
        data["started_on"] = min(today, data["completed_on"] or today)
    if is_resolution_step:
        validate_resolution(data=resolution or {}, status=status)

    with transaction.atomic():
        progress = (
            StepProgress.objects.select_for_update().filter(municipality=municipality, step=step).first()
        )
        if progress is None:
            if version not in (0, None):
                raise ConflictError([], current_version=0)
            progress = StepProgress(municipality=municipality, step=step, version=0)
        else:
            _check_version(progress, version=version, fields=PROGRESS_FIELDS, submitted=data)
        for name, value in data.items():
            setattr(progress, name, value)
        progress.updated_by = by
        progress.version += 1
        progress.full_clean()
        progress._history_user = by
        progress.save()
        current_ids = sorted(progress.done_tasks.values_list("id", flat=True))
        if current_ids != done_task_ids:
            progress.done_tasks.set(done_task_ids)
        if is_resolution_step:
            _save_resolution(progress=progress, data=resolution or {}, by=by)
        return progress


def _save_resolution(*, progress: StepProgress, data: dict, by) -> ResolutionEvidence | None:
    existing = ResolutionEvidence.objects.filter(progress=progress).first()
    if not any(data.get(name) for name in RESOLUTION_FIELDS):
        if existing is not None:
            existing._history_user = by
            existing.delete()
        return None
    evidence = existing or ResolutionEvidence(progress=progress)
    for name in RESOLUTION_FIELDS:
        value = data.get(name)
        setattr(evidence, name, value if name == "session_date" else (value or "").strip())
    evidence.full_clean()
    evidence._history_user = by
    evidence.save()
    return evidence
