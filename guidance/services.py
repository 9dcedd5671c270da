"""Writes of the guide: editorial content and each municipality's progress along the roadmap.

Every function is keyword-only, asks the rule in ``guidance.rules`` for the acting user ``by``
(``by=None`` is a system write),
validates with ``full_clean()``, runs in a transaction, records ``by`` and the reason in the history
(``portal.core.history``) and refuses a save after someone else's (``portal.core.locking``).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guidance import oparl, rules
from guidance.models import (
    ConsultationChange,
    CouncilSystem,
    GuidancePage,
    LinkedPaper,
    ResolutionEvidence,
    ResolutionResult,
    RoadmapStep,
    StepProgress,
    StepStatus,
)
from guidance.selectors import RESOLUTION_STEP_SLUG
from portal.core import history, locking
from portal.core.history import Reason

if TYPE_CHECKING:
    from networks.models import Municipality

STEP_FIELDS = ("title", "summary", "why", "involve", "sources")
PAGE_FIELDS = ("title", "area", "summary", "body", "sources")
PROGRESS_FIELDS = ("status", "started_on", "completed_on", "responsible", "notes", "evidence", "evidence_link")
RESOLUTION_FIELDS = ("committee", "session_date", "reference", "result", "link")
FINAL_RESULTS = {ResolutionResult.ADOPTED, ResolutionResult.ADOPTED_AMENDED, ResolutionResult.REJECTED}
SUCCESSFUL_RESULTS = {ResolutionResult.ADOPTED, ResolutionResult.ADOPTED_AMENDED}


def _require(allowed: Any, by: Any) -> None:
    """Refuse unless the rule allows it; ``by=None`` is a system write (demo content, commands)."""
    if by is not None and not allowed:
        raise PermissionDenied


def _check_version(instance: Any, *, version: int, fields: tuple[str, ...], submitted: dict[str, Any]) -> None:
    locking.check(instance, version=version, changes=lambda: locking.history_changes(
        instance, since_version=version, fields=fields, submitted=submitted))


# --- Editorial content -------------------------------------------------------------------------------
def _content_update(*, model: type[Any], instance: Any, fields: tuple[str, ...], data: dict[str, Any],
                    version: int, by: Any) -> Any:
    _require(rules.can_edit_content(by), by)
    with transaction.atomic():
        locked = locking.lock(model, pk=instance.pk)
        _check_version(locked, version=version, fields=fields, submitted=data)
        changed = [name for name in fields if name in data and getattr(locked, name) != data[name]]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, data[name])
        locked.version += 1
        history.save(locked, by=by, reason=Reason.EDITED)
        return locked


def step_update(*, step: RoadmapStep, data: dict[str, Any], version: int, by: Any) -> RoadmapStep:
    """Change the texts of a roadmap step (Redaktion, admins)."""
    return _content_update(model=RoadmapStep, instance=step, fields=STEP_FIELDS, data=data, version=version, by=by)


def page_update(*, page: GuidancePage, data: dict[str, Any], version: int, by: Any) -> GuidancePage:
    """Change a guidance page (Redaktion, admins)."""
    return _content_update(model=GuidancePage, instance=page, fields=PAGE_FIELDS, data=data, version=version, by=by)


# --- Progress -----------------------------------------------------------------------------------------
def validate_resolution(*, data: dict[str, Any], status: str) -> None:
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
    municipality: Municipality,
    step: RoadmapStep,
    by: Any,
    version: int,
    status: str,
    started_on: datetime.date | None = None,
    completed_on: datetime.date | None = None,
    responsible: str = "",
    notes: str = "",
    evidence: str = "",
    evidence_link: str = "",
    done_task_ids: list[int] | None = None,
    resolution: dict[str, Any] | None = None,
) -> StepProgress:
    """Record the municipality's progress on one step (its coordinators and admins only).

    ``version`` is the version the form was loaded with (0 if there was no progress yet).
    """
    _require(rules.can_edit_progress(by, municipality), by)
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
                raise locking.EditConflict(changes=[], current_version=0)
            progress = StepProgress(municipality=municipality, step=step, version=0)
            reason = Reason.CREATED
        else:
            _check_version(progress, version=version, fields=PROGRESS_FIELDS, submitted=data)
            reason = Reason.EDITED
        for name, value in data.items():
            setattr(progress, name, value)
        progress.updated_by = by
        progress.version += 1
        # One save, one history line: the ticked tasks are set within it, not as changes of their own.
        history.save(progress, by=by, reason=reason, relations=lambda: progress.done_tasks.set(done_task_ids))
        if is_resolution_step:
            _save_resolution(progress=progress, data=resolution or {}, by=by)
        return progress


def _save_resolution(*, progress: StepProgress, data: dict[str, Any], by: Any) -> ResolutionEvidence | None:
    existing = ResolutionEvidence.objects.filter(progress=progress).first()
    if not any(data.get(name) for name in RESOLUTION_FIELDS):
        if existing is not None:
            history.delete(existing, by=by, reason=Reason.EDITED)
        return None
    evidence = existing or ResolutionEvidence(progress=progress)
    for name in RESOLUTION_FIELDS:
        value = data.get(name)
        setattr(evidence, name, value if name == "session_date" else (value or "").strip())
    history.save(evidence, by=by, reason=Reason.EDITED if existing else Reason.CREATED)
    return evidence


# --- The council's record (OParl) ---------------------------------------------------------------------
# Reading the council's system happens before the transaction: a failing system changes nothing, and
# its German message is the ValidationError's.
def _oparl_failed(field: str, error: oparl.OParlError) -> ValidationError:
    return ValidationError({field: [str(error)]})


def council_system_set(*, municipality: Municipality, entry_url: str, by: Any) -> CouncilSystem | None:
    """Record the OParl system of ``municipality`` (its coordinators and admins). The system is read
    first: only an answering OParl system with a list of papers is recorded. An empty address removes it."""
    _require(rules.can_edit_progress(by, municipality), by)
    entry_url = (entry_url or "").strip()
    existing = CouncilSystem.objects.filter(municipality=municipality).first()
    if not entry_url:
        if existing is not None:
            history.delete(existing, by=by, reason=Reason.EDITED)
        return None
    try:
        info = oparl.fetch_system(entry_url, ags=getattr(municipality, "ags", "") or "")
    except oparl.OParlError as error:
        raise _oparl_failed("entry_url", error) from error
    with transaction.atomic():
        system = existing or CouncilSystem(municipality=municipality)
        system.entry_url = entry_url
        system.name = info.name
        system.body_url = info.body_url
        system.body_name = info.body_name
        system.paper_list_url = info.paper_list_url
        system.checked_at = timezone.now()
        system.updated_by = by
        history.save(system, by=by, reason=Reason.EDITED if existing else Reason.CREATED)
        return system


PAPER_FIELDS = ("url", "web_url", "name", "reference", "date", "paper_type", "consultations", "files")


def _apply_paper(paper: LinkedPaper, data: oparl.PaperData) -> None:
    paper.url = data.url
    paper.web_url = data.web_url
    paper.name = data.name
    paper.reference = data.reference
    paper.date = data.date
    paper.paper_type = data.paper_type
    paper.consultations = data.consultations
    paper.files = data.files
    paper.snapshot = data.snapshot
    paper.fetched_at = timezone.now()


def resolution_link_paper(*, municipality: Municipality, paper_url: str, by: Any) -> LinkedPaper:
    """Link ``municipality``'s resolution to the OParl paper at ``paper_url`` (its coordinators and
    admins): the paper, its consultations and files are read and kept as the resolution's evidence."""
    _require(rules.can_edit_progress(by, municipality), by)
    try:
        data = oparl.fetch_paper((paper_url or "").strip())
    except oparl.OParlError as error:
        raise _oparl_failed("paper_url", error) from error
    with transaction.atomic():
        existing = LinkedPaper.objects.select_for_update().filter(municipality=municipality).first()
        paper = existing or LinkedPaper(municipality=municipality)
        if existing is not None and existing.url != data.url:
            existing.changes.all().delete()
        _apply_paper(paper, data)
        paper.linked_at = timezone.now()
        paper.linked_by = by
        history.save(paper, by=by, reason=Reason.EDITED if existing else Reason.CREATED)
        return paper


def resolution_unlink_paper(*, municipality: Municipality, by: Any) -> bool:
    """Remove the link of ``municipality``'s resolution to its OParl paper; whether there was one."""
    _require(rules.can_edit_progress(by, municipality), by)
    with transaction.atomic():
        existing = LinkedPaper.objects.filter(municipality=municipality).first()
        if existing is None:
            return False
        history.delete(existing, by=by, reason=Reason.EDITED)
        return True


def _result_changes(paper: LinkedPaper, consultations: list[dict[str, Any]]) -> list[ConsultationChange]:
    def key(item: dict[str, Any]) -> str:
        return str(item.get("url") or f"{item.get('committee')}|{item.get('meeting_date')}")

    before = {key(item): item for item in paper.consultations or [] if isinstance(item, dict)}
    changes = []
    for item in consultations:
        old = before.get(key(item), {})
        old_result, new_result = old.get("result") or "", item.get("result") or ""
        if old_result == new_result:
            continue
        try:
            meeting_date = datetime.date.fromisoformat(item.get("meeting_date") or "")
        except ValueError:
            meeting_date = None
        changes.append(ConsultationChange(
            paper=paper, consultation_url=(item.get("url") or "")[:500], committee=(item.get("committee") or "")[:200],
            meeting_date=meeting_date, old_result=old_result[:300], new_result=new_result[:300],
        ))
    return changes


def oparl_refresh_paper(*, paper: LinkedPaper, by: Any = None) -> list[ConsultationChange]:
    """Read the linked paper again, keep what the council publishes now and record each consultation
    whose result changed. ``by=None``: the nightly command. A failing system changes nothing."""
    _require(rules.can_edit_progress(by, paper.municipality), by)
    try:
        data = oparl.fetch_paper(paper.url)
    except oparl.OParlError as error:
        raise _oparl_failed("paper_url", error) from error
    with transaction.atomic():
        locked = LinkedPaper.objects.select_for_update().get(pk=paper.pk)
        changes = _result_changes(locked, data.consultations)
        before = [getattr(locked, name) for name in PAPER_FIELDS]
        _apply_paper(locked, data)
        if [getattr(locked, name) for name in PAPER_FIELDS] != before:
            history.save(locked, by=by, reason=Reason.EDITED)
        else:
            # Nothing the portal shows changed: only the time of reading (no history record).
            LinkedPaper.objects.filter(pk=locked.pk).update(fetched_at=locked.fetched_at, snapshot=locked.snapshot)
        for change in changes:
            change.paper = locked
            change.full_clean()
            change.save()
        return changes
