"""Factories of the guide: steps, tasks, materials, pages, progress and the registry objects it reads."""

import factory

from guidance.models import ChecklistTask, GuidancePage, Material, RoadmapStep, StepProgress
from networks.models import Actor, ActorType, Municipality


class GMunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Testkommune {n}")
    slug = factory.Sequence(lambda n: f"testkommune-{n}")
    kind = "stadt"
    ags = factory.Sequence(lambda n: f"05{n + 100000:06d}")
    bundesland = "05"


class GActorTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActorType
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Art {n}")
    slug = factory.Sequence(lambda n: f"art-{n}")
    sector = "jugendhilfe"
    recommended = True


class GActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Partner {n}")
    actor_type = factory.SubFactory(GActorTypeFactory)
    traeger_kind = "public"
    municipality = factory.SubFactory(GMunicipalityFactory)


class RoadmapStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoadmapStep
        django_get_or_create = ("slug",)

    number = factory.Sequence(lambda n: n + 1)
    slug = factory.Sequence(lambda n: f"schritt-{n + 1}")
    title = factory.Sequence(lambda n: f"Schritt {n + 1}")
    summary = "Kurzbeschreibung des Schritts"
    why = "Darum ist der Schritt **wichtig**."


class ChecklistTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistTask

    step = factory.SubFactory(RoadmapStepFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Aufgabe {n}")
    benchmark = "Erledigt, wenn es dokumentiert ist."


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    step = factory.SubFactory(RoadmapStepFactory)
    title = factory.Sequence(lambda n: f"Material {n}")
    url = "https://www.fruehehilfen.de"


class GuidancePageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuidancePage
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"seite-{n}")
    title = factory.Sequence(lambda n: f"Seite {n}")
    area = "administration"
    summary = "Zusammenfassung"
    body = "## Abschnitt\n\nText der Seite."


class StepProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StepProgress

    municipality = factory.SubFactory(GMunicipalityFactory)
    step = factory.SubFactory(RoadmapStepFactory)
    status = "in_progress"


def eight_steps(tasks_per_step: int = 3) -> list[RoadmapStep]:
    """The roadmap's eight steps with their real slugs (step 3 is the resolution step)."""
    slugs = [
        "problem-erkennen", "agenda-setzen", "beschluss-fassen", "koordination-einrichten",
        "partner-gewinnen", "kooperation-vereinbaren", "umsetzen", "ueberpruefen-verstetigen",
    ]
    steps = []
    for number, slug in enumerate(slugs, 1):
        step = RoadmapStepFactory(number=number, slug=slug, title=f"Schritt {slug}")
        for order in range(tasks_per_step):
            ChecklistTaskFactory(step=step, order=order, title=f"{slug} Aufgabe {order + 1}")
        steps.append(step)
    return steps
