"""Factories of the good-practice catalogue (and the few registry objects it links to).

Examples are built through the services so that revisions, events and the search text exist
exactly as in production.
"""

import itertools

import factory

from guidance.catalogue import services as svc
from guidance.catalogue.models import Keyword
from guidance.models import RoadmapStep
from networks.models import Actor, ActorType, Municipality, Sector, TargetGroup, TraegerKind

_ags = itertools.count(1)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Teststadt {n}")
    slug = factory.Sequence(lambda n: f"teststadt-{n}")
    kind = "stadt"
    ags = factory.LazyFunction(lambda: f"05{next(_ags):06d}")
    bundesland = "05"
    population = 40_000


class ActorTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActorType
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Typ {n}")
    slug = factory.Sequence(lambda n: f"typ-{n}")
    sector = Sector.SUCHTHILFE


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Beratungsstelle {n}")
    actor_type = factory.SubFactory(ActorTypeFactory)
    traeger_kind = TraegerKind.PUBLIC
    municipality = factory.SubFactory(MunicipalityFactory)


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Zielgruppe {n}")
    slug = factory.Sequence(lambda n: f"zielgruppe-{n}")


class RoadmapStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoadmapStep
        django_get_or_create = ("slug",)

    number = factory.Sequence(lambda n: n + 1)
    slug = factory.Sequence(lambda n: f"schritt-{n}")
    title = factory.Sequence(lambda n: f"Schritt {n}")


class KeywordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Keyword
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Stichwort {n}")
    slug = factory.Sequence(lambda n: f"stichwort-{n}")


def example_data(municipality=None, **overrides) -> dict:
    municipality = municipality or MunicipalityFactory()
    data = {
        "title": "Beispiel für gute Zusammenarbeit",
        "municipality": municipality.pk,
        "municipalities": [municipality.pk],
        "lead_name": "Jugendamt",
        "goal": "Hilfen besser abstimmen.",
        "occasion": "",
        "implementation": "Ein Arbeitskreis trifft sich regelmäßig.",
    }
    data.update(overrides)
    return data


def make_example(*, user=None, publish=True, municipality=None, **overrides):
    """An example created (and by default published) through the services."""
    example = svc.example_create(user=user, data=example_data(municipality, **overrides))
    if publish:
        svc.example_submit(example=example, user=None)
        svc.example_publish(example=example, user=None)
    example.refresh_from_db()
    return example
