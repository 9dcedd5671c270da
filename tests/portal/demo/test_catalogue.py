"""The catalogue seed: Heinsberg complete and linked to the registry and the roadmap; idempotent."""

import io
import re

import pytest

from guidance.catalogue.content import NAMES as SNAPSHOT_FIELDS
from guidance.catalogue.content import snapshot_of
from guidance.catalogue.models import Example, ExampleEvent, ExampleStatus, Keyword
from portal.demo import catalogue as seed_catalogue
from tests.factories.catalogue import (
    ActorFactory,
    MunicipalityFactory,
    RoadmapStepFactory,
    TargetGroupFactory,
)

pytestmark = pytest.mark.django_db

HEINSBERG = "kreis-heinsberg-suchthilfe-und-jugendhilfe"
TOWNS = ["stadt-erkelenz", "stadt-geilenkirchen", "stadt-heinsberg", "stadt-hueckelhoven"]
ACTORS = [
    "Suchtberatungsstelle des Kreisgesundheitsamtes Heinsberg",
    "Beratungsstelle für Suchtfragen des Caritasverbandes für die Region Heinsberg",
    "Beratungsstelle für Suchtfragen des Diakonischen Werkes",
    "Kreisjugendamt Heinsberg",
    "Jugendamt der Stadt Erkelenz",
    "Jugendamt der Stadt Geilenkirchen",
    "Jugendamt der Stadt Heinsberg",
    "Jugendamt der Stadt Hückelhoven",
    "Koordinierungsstelle Frühe Hilfen Kreis Heinsberg",
]
STEPS = ["problem-erkennen", "agenda-setzen", "beschluss-fassen", "koordination-einrichten", "partner-gewinnen",
         "kooperation-vereinbaren", "umsetzen", "ueberpruefen-verstetigen"]
GROUPS = ["kinder-0-3", "schwangere", "eltern-sucht", "eltern-substitution", "fachkraefte"]


@pytest.fixture
def registry():
    kreis = MunicipalityFactory(slug="kreis-heinsberg", name="Kreis Heinsberg", kind="kreis", ags="05370000",
                                regierungsbezirk="Köln", seat="Heinsberg", population=248_233)
    for slug in TOWNS:
        MunicipalityFactory(slug=slug, name=slug.replace("stadt-", "Stadt ").title(), parent=kreis)
    for name in ACTORS:
        ActorFactory(name=name, municipality=kreis)
    for number, slug in enumerate(STEPS, start=1):
        RoadmapStepFactory(slug=slug, number=number, title=slug)
    for slug in GROUPS:
        TargetGroupFactory(slug=slug, name=slug)
    return kreis


def run_seed() -> str:
    out = io.StringIO()
    seed_catalogue.seed(stdout=out)
    return out.getvalue()


def test_heinsberg_is_published_complete_and_linked(registry):
    output = run_seed()
    # The other sourced examples name municipalities this small registry lacks; only those may be skipped.
    warnings = re.findall(r"warning: ([a-z ]+) '([^']*)'", output)
    assert all(kind == "municipality" and slug != "kreis-heinsberg" for kind, slug in warnings), warnings
    example = Example.objects.get(slug=HEINSBERG)
    assert example.status == ExampleStatus.PUBLISHED and example.municipality == registry
    data = snapshot_of(example)
    empty = [field for field in SNAPSHOT_FIELDS if field != "lead_actor" and not data[field]]
    assert empty == [], f"fields left empty: {empty}"
    assert sorted(m.slug for m in example.municipalities.all()) == sorted(["kreis-heinsberg", *TOWNS])
    linked = [p.actor.name for p in example.participants.select_related("actor") if p.actor]
    assert linked == ACTORS[:8]
    assert sorted(s.slug for s in example.steps.all()) == ["beschluss-fassen", "kooperation-vereinbaren", "umsetzen"]
    assert example.legal_form == "oeffentlich_rechtlich" and (example.since_month, example.since_year) == (5, 2016)
    assert len(example.links.all()) == 4 and all(link.url.startswith("http") for link in example.links.all())
    # The official area (Destatis), and the entry's 1,110 km² only as the error it is.
    assert "rund 628 km²" in example.figures_note and "627,92 km²" in example.figures_note
    assert "1.110 km²" in example.figures_note and "falsch" in example.figures_note
    assert "627,99" not in example.figures_note
    assert example.keywords.filter(name="Kinder und Jugendliche").exists()


def test_second_heinsberg_entry_states_only_the_sourced_facts(registry):
    run_seed()
    example = Example.objects.get(slug="kreis-heinsberg-koordinierungsstelle-fruehe-hilfen")
    assert example.status == ExampleStatus.PUBLISHED and example.since_year == 2014
    assert example.legal_form == "" and example.financing == ""
    assert example.participants.get().actor.name == "Koordinierungsstelle Frühe Hilfen Kreis Heinsberg"
    assert "rund 628 km²" in example.figures_note and "627,99" not in example.figures_note


def test_heinsberg_working_group_is_attributed_to_the_sources_that_hold_it(registry):
    """The 2012-2015 working group is not in the database entry: the Geilenkirchen minutes report it."""
    run_seed()
    example = Example.objects.get(slug=HEINSBERG)
    assert "Oktober 2012" in example.implementation and "Geilenkirchen" in example.implementation
    assert example.links.filter(url__contains="stadt-gk.de").exists()


@pytest.fixture
def mettmann_and_munich():
    for slug, name in (("kreis-mettmann", "Kreis Mettmann"), ("landeshauptstadt-muenchen", "Landeshauptstadt München")):
        MunicipalityFactory(slug=slug, name=name, kind="kreis")
    for number, slug in enumerate(STEPS, start=1):
        RoadmapStepFactory(slug=slug, number=number, title=slug)


def test_mettmann_funding_started_in_october_2010(mettmann_and_munich):
    run_seed()
    example = Example.objects.get(slug="kreis-mettmann-kipe-rheinland")
    assert (example.since_month, example.since_year) == (10, 2010)
    assert "Oktober 2010" in example.implementation and "30.09.2013" in example.implementation
    assert "September 2011" not in example.implementation


def test_munich_contact_names_the_gesundheitsreferat(mettmann_and_munich):
    run_seed()
    example = Example.objects.get(slug="muenchen-hilfenetzwerke-kinder-sucht-psychisch-kranke-eltern")
    assert example.contact_organisation == "Landeshauptstadt München, Gesundheitsreferat"
    assert "Referat für Gesundheit und Umwelt" not in example.contact_organisation
    assert "Paul-Heyse-Straße" not in example.contact_address
    assert "Referat für Klima- und Umweltschutz" in example.implementation


def test_seed_is_idempotent(registry):
    run_seed()
    counts = (Example.objects.count(), ExampleEvent.objects.count(), Example.history.count(), Keyword.objects.count())
    output = run_seed()
    assert "unchanged" in output
    assert (Example.objects.count(), ExampleEvent.objects.count(), Example.history.count(),
            Keyword.objects.count()) == counts


def test_seed_without_registry_warns_and_skips():
    output = run_seed()
    assert "warning: municipality 'kreis-heinsberg' missing" in output
    assert not Example.objects.exists()


def test_seed_keeps_unknown_actors_as_text():
    MunicipalityFactory(slug="kreis-heinsberg", name="Kreis Heinsberg", kind="kreis")
    output = run_seed()
    assert "has no registry entry; kept as text" in output
    example = Example.objects.get(slug=HEINSBERG)
    assert example.participants.count() == 8 and not example.participants.exclude(actor=None).exists()
