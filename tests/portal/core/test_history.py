"""History: one save writes one line, relations are recorded, long texts show what changed."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from guidance import services as guidance_services
from guidance.models import StepProgress
from networks import selectors, services
from portal.core.history import Change
from tests.factories.guidance import eight_steps
from tests.factories.networks import ActorFactory, MunicipalityFactory, TargetGroupFactory

pytestmark = pytest.mark.django_db


def test_saving_progress_with_ticked_tasks_writes_one_history_line_each_time(koordination_user):
    municipality = MunicipalityFactory()
    municipality.coordinators.add(koordination_user)
    step = eight_steps()[1]
    tasks = list(step.tasks.all())
    progress = guidance_services.progress_update(
        municipality=municipality, step=step, by=koordination_user, version=0, status="in_progress",
        done_task_ids=[tasks[0].pk],
    )
    assert progress.history.count() == 1
    record = progress.history.get()
    assert record.history_type == "+" and record.history_user == koordination_user
    assert [row.checklisttask_id for row in record.done_tasks.all()] == [tasks[0].pk]
    guidance_services.progress_update(
        municipality=municipality, step=step, by=koordination_user, version=1, status="in_progress",
        notes="Erstes Treffen", done_task_ids=[tasks[1].pk, tasks[2].pk],
    )
    progress = StepProgress.objects.get(pk=progress.pk)
    assert progress.history.count() == 2
    latest = progress.history.order_by("-history_id").first()
    assert sorted(row.checklisttask_id for row in latest.done_tasks.all()) == [tasks[1].pk, tasks[2].pk]
    assert sorted(progress.done_tasks.values_list("pk", flat=True)) == [tasks[1].pk, tasks[2].pk]


def _form_data(actor, **changes):
    data = {name: getattr(actor, name) for name in ("name", "actor_type", "traeger_kind")}
    data.update(changes)
    return data


def test_changing_municipalities_served_and_target_groups_shows_in_the_partners_history(
        client, koordination_user, redaktion_user):
    home = MunicipalityFactory(name="Kreis Heim")
    home.coordinators.add(koordination_user)
    aachen, dueren = MunicipalityFactory(name="Stadt Aachen"), MunicipalityFactory(name="Stadt Düren")
    aachen.coordinators.add(koordination_user)
    dueren.coordinators.add(koordination_user)
    babies = TargetGroupFactory(name="Säuglinge")
    actor = ActorFactory(municipality=home)
    services.actor_update(actor=actor, data=_form_data(actor, serves=[aachen], target_groups=[babies]),
                          version=actor.version, by=koordination_user)
    actor.refresh_from_db()
    services.actor_update(actor=actor, data=_form_data(actor, serves=[aachen, dueren]), version=actor.version,
                          by=koordination_user)
    assert actor.history.count() == 3  # created by the factory, two edits: one line each
    with translation.override("en"):
        newest, first_edit = selectors.actor_history(actor=actor)[:2]
    assert [(c.label, c.old, c.new) for c in newest["changes"]] == [
        ("Municipalities served", "Stadt Aachen", "Stadt Aachen, Stadt Düren")]
    assert {(c.label, c.old, c.new) for c in first_edit["changes"]} == {
        ("Municipalities served", "", "Stadt Aachen"), ("Target groups", "", "Säuglinge")}
    client.force_login(redaktion_user)
    page = client.get(reverse("networks:actor-detail", args=[actor.pk])).content.decode()
    assert "Stadt Düren</ins>" in page


def test_a_service_area_asked_for_or_ended_on_its_own_shows_in_the_partners_history(koordination_user):
    """Outside the partner's form: "Zuständig auch für" from the served municipality's side."""
    home, aachen = MunicipalityFactory(name="Kreis Heim"), MunicipalityFactory(name="Stadt Aachen")
    home.coordinators.add(koordination_user)
    actor = ActorFactory(municipality=home)
    area = services.service_area_request(actor=actor, municipality=aachen, by=koordination_user)
    services.service_area_end(area=area, by=koordination_user)
    with translation.override("en"):
        ended, asked, _created = selectors.actor_history(actor=actor)[:3]
    assert [(c.label, c.old, c.new) for c in asked["changes"]] == [("Municipalities served", "", "Stadt Aachen")]
    assert [(c.label, c.old, c.new) for c in ended["changes"]] == [("Municipalities served", "Stadt Aachen", "")]
    assert ended["user"] == asked["user"] == koordination_user


def test_a_long_text_changed_at_its_end_does_not_look_the_same_before_and_after():
    opening = "Die Beratungsstelle begleitet Familien mit suchtkranken Eltern im ganzen Kreis. " * 8
    change = Change(field="offer", label="Angebot", old=opening + "Sprechstunde montags.",
                    new=opening + "Sprechstunde dienstags.")
    html = render_to_string("includes/history_change.html", {"change": change})
    before, after = html.split("</details>")[0].split(" → ")
    assert "montags" in before and "dienstags" in after
    assert "<del>" in before and "<ins>" in after and "…" in before
    assert html.count("suchtkranken") >= 8  # the whole texts are there on request
    cells = render_to_string("includes/history_change.html", {"change": change, "layout": "cells"})
    assert cells.count("<details") == 2 and "dienstags.</ins>" in cells
