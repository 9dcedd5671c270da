import factory

from networks.models import Actor, ActorType, ContactPerson, Cooperation, Municipality, Sector, TargetGroup


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    slug = factory.Sequence(lambda n: f"gemeinde-{n}")
    kind = "gemeinde"
    ags = factory.Sequence(lambda n: f"09{n:06d}")
    bundesland = factory.LazyAttribute(lambda o: o.ags[:2])


class ActorTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActorType
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Typ {n}")
    slug = factory.Sequence(lambda n: f"typ-{n}")
    sector = Sector.JUGENDHILFE
    recommended = True


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Zielgruppe {n}")
    slug = factory.Sequence(lambda n: f"zielgruppe-{n}")


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Beratungsstelle {n}")
    actor_type = factory.SubFactory(ActorTypeFactory)
    traeger_kind = "public"
    municipality = factory.SubFactory(MunicipalityFactory)
    offer = "Beratung für Familien"

    @factory.post_generation
    def serves(self, create, extracted, **kwargs):
        """``ActorFactory(serves=[...])``: service areas as confirmed by the municipalities served."""
        if create and extracted:
            from django.utils import timezone

            self.serves.set(extracted, through_defaults={"confirmed_at": timezone.now()})

    @factory.post_generation
    def target_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_groups.set(extracted)


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    actor = factory.SubFactory(ActorFactory)
    name = factory.Sequence(lambda n: f"Vertraulich Person{n}")
    function = "Leitung"
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class CooperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperation
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Arbeitskreis {n}")
    kind = "working_group"
    municipality = factory.SubFactory(MunicipalityFactory)

    @factory.post_generation
    def actors(self, create, extracted, **kwargs):
        if create and extracted:
            self.actors.set(extracted)
