"""The demo content: what the other areas rely on, and idempotency."""

import io
from decimal import Decimal

from django.contrib.auth import get_user_model

from networks.models import Actor, ActorType, ContactPerson, Cooperation, Municipality, TargetGroup
from portal.demo.registry import assign_demo_roles, seed

AGREEMENT_PARTNERS = [
    "Suchtberatungsstelle des Kreisgesundheitsamtes Heinsberg",
    "Beratungsstelle für Suchtfragen des Caritasverbandes für die Region Heinsberg",
    "Beratungsstelle für Suchtfragen des Diakonischen Werkes",
    "Kreisjugendamt Heinsberg",
    "Jugendamt der Stadt Erkelenz",
    "Jugendamt der Stadt Geilenkirchen",
    "Jugendamt der Stadt Heinsberg",
    "Jugendamt der Stadt Hückelhoven",
]
TYPE_SLUGS = (
    "jugendamt freie-jugendhilfe koordinierungsstelle-fruehe-hilfen familienhebammen suchtberatung suchthilfe-substitution "
    "sozialpsychiatrischer-dienst erwachsenenpsychiatrie kinder-jugendpsychiatrie gemeindepsychiatrischer-verbund "
    "gesundheitsamt kinder-jugendaerzte krankenhaus sozialpaediatrisches-zentrum fruehfoerderstelle schwangerschaftsberatung "
    "jobcenter agentur-fuer-arbeit sozialamt eingliederungshilfe schule kita familienbildung mehrgenerationenhaus "
    "erziehungsberatung gewaltschutz polizei-ordnungsbehoerde familiengericht krankenkasse selbsthilfe"
).split()
TARGET_SLUGS = (
    "kinder-0-3 kinder-3-6 kinder-schulalter jugendliche schwangere eltern-psychische-erkrankung eltern-sucht "
    "eltern-substitution familien-allgemein fachkraefte"
).split()


def snapshot():
    models = (ActorType, TargetGroup, Municipality, Actor, ContactPerson, Cooperation)
    counts = {m.__name__: m.objects.count() for m in models}
    for m in (ActorType, Municipality, Actor, ContactPerson, Cooperation):
        counts[f"history-{m.__name__}"] = m.history.count()
    counts["updated"] = sorted(str(d) for d in Actor.objects.values_list("updated_at", flat=True))
    return counts


def test_seed_is_idempotent_and_complete(db):
    seed(stdout=io.StringIO())
    first = snapshot()
    seed(stdout=io.StringIO())
    assert snapshot() == first
    assert set(ActorType.objects.values_list("slug", flat=True)) >= set(TYPE_SLUGS)
    assert set(TargetGroup.objects.values_list("slug", flat=True)) >= set(TARGET_SLUGS)
    assert all(t.sector and t.description for t in ActorType.objects.all())
    kreis = Municipality.objects.get(slug="kreis-heinsberg")
    assert (kreis.ags, kreis.kind, kreis.bundesland, kreis.regierungsbezirk, kreis.population) == (
        "05370000", "kreis", "05", "Köln", 255555
    )
    # The official figures of the register, not the back-calculated ones of 2016.
    assert kreis.area_km2 == Decimal("627.92") and kreis.population_source.startswith("Destatis, Gemeindeverzeichnis")
    assert kreis.children_under_18 is None and "5.900" in kreis.notes
    for slug, ags in [("stadt-erkelenz", "05370004"), ("stadt-geilenkirchen", "05370012"), ("stadt-heinsberg", "05370016"),
                      ("stadt-hueckelhoven", "05370020")]:
        town = Municipality.objects.get(slug=slug)
        assert (town.ags, town.parent, town.has_youth_office, town.kind) == (ags, kreis, True, "stadt")
    eschweiler = Municipality.objects.get(slug="stadt-eschweiler")
    assert eschweiler.parent.ags == "05334000" and eschweiler.ags == "05334012"
    agreement = Cooperation.objects.get(title="Kooperationsvereinbarung Suchthilfe und Jugendhilfe im Kreis Heinsberg")
    assert sorted(agreement.actors.values_list("name", flat=True)) == sorted(AGREEMENT_PARTNERS)
    assert str(agreement.since) == "2016-05-01" and agreement.kind == "agreement"
    assert Cooperation.objects.get(title="Beteiligtenkonferenz").kind == "case_conference"
    assert Actor.objects.filter(name="Koordinierungsstelle Frühe Hilfen Kreis Heinsberg").exists()
    for actor in Actor.objects.filter(municipality=eschweiler):
        assert "Demodaten" in actor.name and "Demodaten" in actor.offer and not actor.phone and not actor.street
    assert all("Demodaten" in c.name for c in ContactPerson.objects.all())


def test_demo_roles(db):
    seed(stdout=io.StringIO())
    User = get_user_model()
    koordination = User.objects.create(username="koordination")
    koordination2 = User.objects.create(username="koordination2")
    assign_demo_roles(stdout=io.StringIO())
    assign_demo_roles(stdout=io.StringIO())
    assert list(koordination.coordinated_municipalities.values_list("slug", flat=True)) == ["kreis-heinsberg"]
    assert list(koordination2.coordinated_municipalities.values_list("slug", flat=True)) == ["stadt-eschweiler"]
