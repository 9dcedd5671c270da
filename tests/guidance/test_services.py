"""Progress, checklist state, evidence validation, optimistic locking and content history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guidance import services
from guidance.models import ResolutionEvidence, StepProgress
from portal.core.locking import EditConflict

pytestmark = pytest.mark.django_db


def step_by(steps, slug):
    return next(s for s in steps if s.slug == slug)


def save(step, municipality, user, **kwargs):
    kwargs.setdefault("version", 0)
    kwargs.setdefault("status", "in_progress")
    return services.progress_update(municipality=municipality, step=step, by=user, **kwargs)


def test_coordinator_records_progress_with_ticks_and_history(steps, heinsberg, coordinator):
    step = step_by(steps, "agenda-setzen")
    tasks = list(step.tasks.all())
    progress = save(step, heinsberg, coordinator, responsible="Jugendamt", done_task_ids=[tasks[0].id, tasks[2].id])
    assert progress.version == 1
    assert progress.started_on == timezone.localdate()
    assert sorted(progress.done_tasks.values_list("id", flat=True)) == [tasks[0].id, tasks[2].id]
    assert progress.updated_by == coordinator
    assert progress.history.first().history_user == coordinator

    progress = save(step, heinsberg, coordinator, version=1, status="done", done_task_ids=[tasks[1].id])
    assert progress.version == 2
    assert progress.completed_on == timezone.localdate()
    assert list(progress.done_tasks.values_list("id", flat=True)) == [tasks[1].id]  # unticked the others
    assert StepProgress.objects.count() == 1


def test_other_coordinator_and_verwaltung_cannot_change(steps, heinsberg, other_coordinator, verwaltung_user):
    for user in (other_coordinator, verwaltung_user):
        with pytest.raises(PermissionDenied):
            save(steps[0], heinsberg, user)
    assert not StepProgress.objects.exists()


def test_tasks_of_another_step_are_refused(steps, heinsberg, coordinator):
    foreign = steps[4].tasks.first()
    with pytest.raises(ValidationError) as error:
        save(steps[0], heinsberg, coordinator, done_task_ids=[foreign.id])
    assert "done_tasks" in error.value.message_dict


def test_dates_are_checked(steps, heinsberg, coordinator):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        save(steps[0], heinsberg, coordinator, status="done", started_on=today, completed_on=today - datetime.timedelta(days=3))
    assert "completed_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        save(steps[0], heinsberg, coordinator, status="done", completed_on=today + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        save(steps[0], heinsberg, coordinator, status="in_progress", completed_on=today)


def test_stale_version_is_refused_with_field_changes(steps, heinsberg, coordinator, admin_user):
    step = steps[1]
    save(step, heinsberg, coordinator, responsible="Jugendamt")
    # Both load version 1; the admin saves first.
    save(step, heinsberg, admin_user, version=1, responsible="Gesundheitsamt", notes="Termin im März")
    with pytest.raises(EditConflict) as conflict:
        save(step, heinsberg, coordinator, version=1, responsible="Sozialamt")
    changed = {c.field: (c.before, c.after, c.by) for c in conflict.value.changes}
    admin = admin_user.get_full_name()
    assert changed == {"responsible": ("Jugendamt", "Gesundheitsamt", admin), "notes": ("", "Termin im März", admin)}
    assert conflict.value.current_version == 2
    assert StepProgress.objects.get().responsible == "Gesundheitsamt"  # nothing overwritten


def test_creating_twice_from_an_empty_form_conflicts(steps, heinsberg, coordinator, admin_user):
    save(steps[0], heinsberg, admin_user, notes="zuerst")
    with pytest.raises(EditConflict):
        save(steps[0], heinsberg, coordinator, version=0, notes="später")


def test_resolution_evidence_is_saved(steps, heinsberg, coordinator):
    step = step_by(steps, "beschluss-fassen")
    session = datetime.date(2015, 11, 26)
    save(step, heinsberg, coordinator, status="done", completed_on=session, resolution={
        "committee": "Kreistag", "session_date": session, "reference": "0257/2015",
        "result": "adopted", "link": "https://sitzungsdienst.example.org/vo0050.asp",
    })
    evidence = ResolutionEvidence.objects.get()
    assert (evidence.committee, evidence.reference, evidence.result) == ("Kreistag", "0257/2015", "adopted")
    assert evidence.history.first().history_user == coordinator


@pytest.mark.parametrize(
    ("status", "resolution", "field"),
    [
        ("in_progress", {"committee": "Rat", "result": "pending"}, "reference"),  # neither number nor link
        ("in_progress", {"reference": "12/2030", "result": "adopted",
                         "session_date": timezone.localdate() + datetime.timedelta(days=30)}, "session_date"),
        ("in_progress", {"reference": "12/2024", "result": "adopted"}, "session_date"),  # decided without a date
        ("done", {}, "reference"),  # done without evidence
        ("done", {"reference": "12/2024", "result": "rejected", "session_date": datetime.date(2024, 3, 1)}, "result"),
    ],
)
def test_resolution_evidence_validation(steps, heinsberg, coordinator, status, resolution, field):
    step = step_by(steps, "beschluss-fassen")
    with pytest.raises(ValidationError) as error:
        save(step, heinsberg, coordinator, status=status, resolution=resolution)
    assert field in error.value.message_dict
    assert not StepProgress.objects.exists()  # all or nothing


def test_pending_resolution_with_future_session_is_fine(steps, heinsberg, coordinator):
    step = step_by(steps, "beschluss-fassen")
    save(step, heinsberg, coordinator, resolution={
        "reference": "0099/2027", "result": "pending", "session_date": timezone.localdate() + datetime.timedelta(days=20),
    })
    assert ResolutionEvidence.objects.get().result == "pending"


def test_content_update_by_redaktion_keeps_history(steps, redaktion_user, coordinator):
    step = steps[0]
    services.step_update(step=step, data={"title": "Problem erkennen", "why": "Neu"}, version=1, by=redaktion_user)
    step.refresh_from_db()
    assert (step.title, step.why, step.version) == ("Problem erkennen", "Neu", 2)
    record = step.history.first()
    assert record.history_user == redaktion_user
    with pytest.raises(PermissionDenied):
        services.step_update(step=step, data={"title": "x"}, version=2, by=coordinator)


def test_content_update_with_stale_version_lists_the_other_change(redaktion_user, admin_user):
    from tests.factories.guidance import GuidancePageFactory

    page = GuidancePageFactory(title="Datenschutz")
    services.page_update(page=page, data={"body": "Fassung A"}, version=1, by=admin_user)
    with pytest.raises(EditConflict) as conflict:
        services.page_update(page=page, data={"body": "Fassung B", "title": "Datenschutz"}, version=1, by=redaktion_user)
    assert [(c.field, c.after) for c in conflict.value.changes] == [("body", "Fassung A")]
    page.refresh_from_db()
    assert page.body == "Fassung A"
