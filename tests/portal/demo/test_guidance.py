"""The guide's seed: content from the fixtures, Kreis Heinsberg's way, idempotent."""

import io

import pytest

from guidance.models import ChecklistTask, GuidancePage, ResolutionEvidence, RoadmapStep, StepProgress

pytestmark = pytest.mark.django_db


def run_seed():
    from portal.demo.guidance import seed
    from portal.demo.registry import seed as seed_registry

    seed_registry(stdout=io.StringIO())
    seed(stdout=io.StringIO())


def history_rows() -> int:
    return sum(model.history.count() for model in (RoadmapStep, ChecklistTask, GuidancePage, StepProgress))


def test_seed_loads_the_roadmap_pages_and_heinsberg_once():
    run_seed()
    slugs = list(RoadmapStep.objects.values_list("slug", flat=True))
    assert slugs == [
        "problem-erkennen", "agenda-setzen", "beschluss-fassen", "koordination-einrichten",
        "partner-gewinnen", "kooperation-vereinbaren", "umsetzen", "ueberpruefen-verstetigen",
    ]
    for step in RoadmapStep.objects.prefetch_related("tasks", "materials", "actor_types"):
        assert step.why and step.tasks.count() >= 3 and step.materials.exists() and step.actor_types.exists()
    assert set(GuidancePage.objects.values_list("slug", flat=True)) >= {
        "situation-der-kinder", "fruehe-hilfen", "zusammenarbeit-ueber-rechtskreise", "rechtsgrundlagen",
        "datenschutz", "warum-handeln",
    }
    for area in ("decision", "administration", "practice"):
        assert GuidancePage.objects.filter(area=area).exists()

    agenda = StepProgress.objects.get(municipality__slug="kreis-heinsberg", step__slug="agenda-setzen")
    assert agenda.started_on.isoformat() == "2012-10-01" and agenda.completed_on.isoformat() == "2015-09-01"
    assert "12 Sitzungen" in agenda.notes and "Frauen und Sucht NRW" in agenda.notes
    evidence = ResolutionEvidence.objects.get(progress__municipality__slug="kreis-heinsberg")
    assert evidence.reference == "0257/2015"
    agreement = StepProgress.objects.get(municipality__slug="kreis-heinsberg", step__slug="kooperation-vereinbaren")
    assert agreement.completed_on.isoformat() == "2016-05-01"

    counts = (RoadmapStep.objects.count(), ChecklistTask.objects.count(), StepProgress.objects.count(), history_rows())
    run_seed()
    assert counts == (
        RoadmapStep.objects.count(), ChecklistTask.objects.count(), StepProgress.objects.count(), history_rows()
    )


def test_seed_keeps_editorial_changes():
    run_seed()
    RoadmapStep.objects.filter(slug="umsetzen").update(title="Umsetzen im Alltag")
    run_seed()
    assert RoadmapStep.objects.get(slug="umsetzen").title == "Umsetzen im Alltag"


def test_seed_without_heinsberg_skips_its_way():
    from portal.demo.guidance import seed

    seed(stdout=io.StringIO())
    assert RoadmapStep.objects.count() == 8
    assert not StepProgress.objects.exists()
