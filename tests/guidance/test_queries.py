"""List pages keep a fixed number of SQL queries however many steps, tasks or municipalities there are."""

import pytest
from django.urls import reverse

from guidance.models import StepProgress
from tests.factories.guidance import (
    ChecklistTaskFactory,
    GActorFactory,
    GActorTypeFactory,
    GMunicipalityFactory,
    GuidancePageFactory,
    MaterialFactory,
    RoadmapStepFactory,
    eight_steps,
)

pytestmark = pytest.mark.django_db


def grow(extra_steps: int, tasks_per_step: int, municipalities: int, pages: int):
    for i in range(extra_steps):
        step = RoadmapStepFactory(number=100 + i, slug=f"extra-{i}")
        for _j in range(tasks_per_step):
            ChecklistTaskFactory(step=step)
        MaterialFactory(step=step)
        step.actor_types.add(GActorTypeFactory())
    for i in range(pages):
        GuidancePageFactory(area=("decision", "administration", "practice")[i % 3])
    from guidance.models import RoadmapStep

    all_steps = list(RoadmapStep.objects.all())
    for i in range(municipalities):
        municipality = GMunicipalityFactory()
        GActorFactory(municipality=municipality)
        for step in all_steps[: i % 8]:
            progress = StepProgress.objects.create(municipality=municipality, step=step, status="done")
            progress.done_tasks.set(step.tasks.all()[:2])


def count(django_assert_max_num_queries, client, url, limit):
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("size", [(0, 1, 2, 1), (12, 8, 45, 30)])
def test_public_lists_fixed_queries(client, django_assert_max_num_queries, size):
    eight_steps()
    grow(*size)
    count(django_assert_max_num_queries, client, reverse("guidance:index"), 5)
    count(django_assert_max_num_queries, client, reverse("guidance:roadmap"), 4)
    count(django_assert_max_num_queries, client, reverse("guidance:step", kwargs={"slug": "beschluss-fassen"}), 7)
    count(django_assert_max_num_queries, client, reverse("guidance:figures"), 1)


@pytest.mark.parametrize("size", [(0, 1, 2, 1), (12, 8, 45, 30)])
def test_progress_pages_fixed_queries(client, django_assert_max_num_queries, admin_user, size):
    eight_steps()
    grow(*size)
    heinsberg = GMunicipalityFactory(slug="kreis-heinsberg", name="Kreis Heinsberg", kind="kreis")
    client.force_login(admin_user)
    client.get(reverse("guidance:index"))  # warm the session
    count(django_assert_max_num_queries, client, reverse("guidance:progress-list"), 6)
    response = count(django_assert_max_num_queries, client, reverse("guidance:progress-overview"), 12)
    # Without a search: the municipalities that have recorded progress (not all 11,000 of the register).
    with_progress = StepProgress.objects.values("municipality_id").distinct().count()
    assert response.content.decode().count('<th scope="row">') == min(20, with_progress)
    found = count(django_assert_max_num_queries, client, reverse("guidance:progress-overview") + "?q=Heinsberg", 12)
    assert found.content.decode().count('<th scope="row">') == 1
    count(django_assert_max_num_queries, client, reverse("guidance:progress", kwargs={"slug": heinsberg.slug}), 14)
