"""Synthetic networks on the real country: where the partners sit, how they follow the population,
what is marked, that a second run changes nothing and that removal takes exactly the synthetic rows.

Most tests load a part of the official register (Berlin, Hamburg, Bremen, the Saarland, München with
Landkreis Rosenheim, Kreis Dithmarschen, and the demo's Kreis Heinsberg and Städteregion Aachen) through the command's
--register option; one loads the whole register. Runs on SQLite by default and on PostgreSQL with
DATABASE_URL set.
"""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from guidance.catalogue.models import Example, ExampleStatus
from guidance.models import StepProgress
from networks import register
from networks.models import Actor, ContactPerson, Cooperation, Municipality, Region, ServiceArea
from portal.core.history import Reason
from portal.demo import national
from tests.factories.networks import ActorFactory, CooperationFactory

SCALE = 0.003
BERLIN, HAMBURG, MUENCHEN = "11000000", "02000000", "09162000"
HEINSBERG, AACHEN = "05370000", "05334000"  # Kreise of the demo content
WHOLE_LAENDER = {"02", "04", "10", "11"}  # Hamburg, Bremen, Saarland, Berlin
# München and Landkreis Rosenheim, Kreis Dithmarschen (about 100 villages), the two demo Kreise.
PART_KREISE = {"09": {("1", "62"), ("1", "87")}, "01": {("0", "51")}, "05": {("3", "70"), ("3", "34")}}

pytestmark = pytest.mark.django_db(transaction=False)


def _keep(land: str, rb: str, kreis: str) -> bool:
    if land in WHOLE_LAENDER:
        return True
    kreise = PART_KREISE.get(land)
    if kreise is None:
        return False
    if not kreis:  # the Land itself and the Regierungsbezirke of the Kreise kept
        return not rb or any(rb == kept_rb for kept_rb, _ in kreise)
    return (rb, kreis) in kreise


@pytest.fixture(scope="session")
def part_of_register(tmp_path_factory) -> Path:
    """The bundled register file, cut down to the Länder and Kreise above (about 260 places)."""
    source = register.default_path().read_text(encoding="utf-8-sig").splitlines(keepends=True)
    header = next(csv.reader([source[0]]))
    index = {name: header.index(name) for name in ("land", "rb", "kreis")}
    kept = [source[0]]
    for line in source[1:]:
        row = next(csv.reader([line]))
        if _keep(*(row[index[name]].strip() for name in ("land", "rb", "kreis"))):
            kept.append(line)
    path = tmp_path_factory.mktemp("register") / "register-part.csv"
    path.write_text("".join(kept), encoding="utf-8")
    return path


@pytest.fixture
def demo(db):
    call_command("seed_demo", force=True, stdout=io.StringIO())


def generate(*options, register_file=None, seed=11, scale=SCALE) -> str:
    out = io.StringIO()
    args = ["generate_national_data", "--scale", str(scale), "--seed", str(seed), *options]
    if register_file is not None:
        args += ["--register", str(register_file)]
    call_command(*args, stdout=out)
    return out.getvalue()


def partner_counts() -> dict[str, int]:
    """Synthetic partners per municipality (by AGS), including municipalities without any."""
    return dict(
        Municipality.objects.annotate(n=Count("actors", filter=Q(actors__in=national.synthetic_actors())))
        .values_list("ags", "n")
    )


def fingerprint():
    actors = sorted(
        (a.uuid.hex, a.name, a.municipality.ags, a.actor_type.slug, a.is_active,
         tuple(sorted(t.slug for t in a.target_groups.all())))
        for a in national.synthetic_actors().select_related("municipality", "actor_type").prefetch_related("target_groups")
    )
    serves = sorted(
        ServiceArea.objects.filter(actor__in=national.synthetic_actors()).values_list("actor__uuid", "municipality__ags")
    )
    coops = sorted(
        (c.uuid.hex, c.title, c.municipality.ags, tuple(sorted(a.uuid.hex for a in c.actors.all())))
        for c in national.synthetic_cooperations().select_related("municipality").prefetch_related("actors")
    )
    examples = sorted(
        national.synthetic_examples().values_list("slug", "title", "implementation", "municipality__ags")
    )
    progress = sorted(national.synthetic_progress().values_list("municipality__ags", "step__number", "status"))
    contacts = sorted(ContactPerson.objects.filter(actor__in=national.synthetic_actors()).values_list("actor__uuid", "name"))
    return actors, serves, coops, examples, progress, contacts


def snapshot_of_curated_content():
    """Everything the demo holds (and anyone but the generator wrote), as a reader would compare it."""
    return (
        sorted(Actor.objects.exclude(national.SYNTHETIC_ACTOR).values_list("uuid", "name", "municipality__ags", "email")),
        sorted(Cooperation.objects.exclude(national.SYNTHETIC_COOPERATION).values_list("uuid", "title", "actors__uuid")),
        sorted(ContactPerson.objects.exclude(actor__in=national.synthetic_actors()).values_list("actor__uuid", "name")),
        sorted(StepProgress.objects.exclude(national.SYNTHETIC_PROGRESS).values_list(
            "municipality__ags", "step__number", "status", "responsible")),
        sorted(Example.objects.exclude(slug__startswith=national.SLUG_PREFIX).values_list("slug", "title", "status")),
        sorted(ServiceArea.objects.exclude(actor__in=national.synthetic_actors()).values_list("actor__uuid", "municipality__ags")),
        Actor.history.exclude(history_change_reason=Reason.SYNTHETIC).count(),
        Cooperation.history.exclude(history_change_reason=Reason.SYNTHETIC).count(),
    )


def snapshot_of_register():
    return (
        sorted(Municipality.objects.values_list("ags", "slug", "name", "kind", "population", "parent__ags", "regional_key")),
        sorted(Region.objects.values_list("key", "name", "kind")),
    )


def kreis_family(ags: str):
    return Municipality.objects.filter(Q(ags=ags) | Q(parent__ags=ags))


def test_partners_sit_in_real_municipalities_and_follow_the_population(demo, part_of_register):
    places = {p.ags: p for p in register.read(part_of_register).places}
    demo_ags = set(Municipality.objects.values_list("ags", flat=True))
    generate(register_file=part_of_register)

    # No municipality is invented: there are the demo's and the register's, nothing else.
    assert set(Municipality.objects.values_list("ags", flat=True)) == demo_ags | set(places)
    assert not Municipality.objects.filter(slug__startswith=national.SLUG_PREFIX).exists()
    actors = national.synthetic_actors()
    assert actors.count() >= national.plan_for(SCALE).actors
    assert set(actors.values_list("municipality__ags", flat=True)) <= set(places)

    # The large cities carry many partners, far more than any village; most villages have none.
    counts = partner_counts()
    villages = [ags for ags, p in places.items() if p.kind == "gemeinde" and p.population < 2_000]
    assert len(villages) > 20
    most_in_a_village = max(counts[ags] for ags in villages)
    for city in (BERLIN, HAMBURG, MUENCHEN):
        assert counts[city] >= 50, (city, counts[city])
        assert counts[city] > 10 * max(most_in_a_village, 1)
    assert counts[BERLIN] > counts[HAMBURG] and counts[BERLIN] > 2 * counts[MUENCHEN]
    assert sum(1 for ags in villages if counts[ags] == 0) >= 0.75 * len(villages)

    # Every Jugendamt district carries its offices, as public bodies.
    districts = [ags for ags, p in places.items() if p.kind in ("kreis", "region", "kreisfreie_stadt")]
    for ags in districts:
        if ags in (HEINSBERG, AACHEN):
            continue
        offices = actors.filter(municipality__ags=ags, actor_type__slug__in=national.CORE_TYPES)
        assert sorted(offices.values_list("actor_type__slug", flat=True)) == sorted(national.CORE_TYPES), ags
        assert set(offices.values_list("traeger_kind", flat=True)) == {"public"}

    # The demo's Kreise keep their curated networks: nothing synthetic in them or their members.
    for ags in (HEINSBERG, AACHEN):
        family = kreis_family(ags)
        assert family.count() > 5
        assert not actors.filter(municipality__in=family).exists()
        assert not ServiceArea.objects.filter(actor__in=actors, municipality__in=family).exists()
        assert not national.synthetic_cooperations().filter(municipality__in=family).exists()
        assert not national.synthetic_progress().filter(municipality__in=family).exists()

    # Service areas stay within the partner's own Kreis.
    for area in ServiceArea.objects.filter(actor__in=actors).select_related("actor", "municipality")[:200]:
        assert area.municipality.parent_id == area.actor.municipality_id
    # Cooperations link partners of their own municipality.
    cooperations = national.synthetic_cooperations()
    assert cooperations.count() == national.plan_for(SCALE).cooperations
    for coop in cooperations.prefetch_related("actors")[:100]:
        assert len(coop.actors.all()) >= 2
        assert {a.municipality_id for a in coop.actors.all()} == {coop.municipality_id}

    # Most Jugendamt districts stand somewhere on the roadmap, few villages do.
    with_progress = set(national.synthetic_progress().values_list("municipality__ags", flat=True))
    assert len(with_progress & set(districts)) >= 0.5 * (len(districts) - 2)
    assert len(with_progress & set(villages)) <= 0.2 * len(villages)

    # Marked as synthetic wherever a reader sees them; one initial history row each.
    assert not ContactPerson.objects.filter(actor__in=actors).exclude(name__endswith=national.SYNTH).exists()
    assert ContactPerson.objects.filter(actor__in=actors).exists()
    assert Actor.history.filter(history_change_reason=Reason.SYNTHETIC).count() == actors.count()
    assert Cooperation.history.filter(history_change_reason=Reason.SYNTHETIC).count() == cooperations.count()
    examples = national.synthetic_examples()
    assert examples.filter(status=ExampleStatus.PUBLISHED).count() == national.plan_for(SCALE).examples
    assert not examples.exclude(title__endswith=national.SYNTH).exists()
    assert set(examples.values_list("municipality__ags", flat=True)) <= set(places)
    assert min(len(e.implementation) for e in examples) > 300


def test_a_second_run_changes_nothing_and_the_seed_decides(demo, part_of_register):
    generate(register_file=part_of_register, seed=11)
    first = fingerprint()
    register_before = snapshot_of_register()

    out = generate(register_file=part_of_register, seed=11)
    assert "nothing to do" in out
    assert fingerprint() == first
    assert snapshot_of_register() == register_before

    generate("--reset", register_file=part_of_register, seed=11)
    assert fingerprint() == first
    generate("--reset", register_file=part_of_register, seed=12)
    assert fingerprint()[0] != first[0]


def test_remove_takes_only_the_synthetic_rows(demo, part_of_register):
    curated_before = snapshot_of_curated_content()
    generate(register_file=part_of_register)
    # After the generator ran, someone records a real partner in Berlin and a cooperation of it with
    # a synthetic partner there: both are kept, only the link to the synthetic partner goes.
    berlin = Municipality.objects.get(ags=BERLIN)
    real = ActorFactory(municipality=berlin, actor_type=national.synthetic_actors().first().actor_type,
                        name="Beratungsstelle Mitte", email="mitte@example.org")
    real_coop = CooperationFactory(municipality=berlin, title="Runder Tisch Mitte")
    real_coop.actors.set([real, national.synthetic_actors().filter(municipality=berlin).first()])
    register_after_generation = snapshot_of_register()

    out = io.StringIO()
    call_command("generate_national_data", "--remove", stdout=out)
    assert "Removed the synthetic data" in out.getvalue()

    for query in (national.synthetic_actors(), national.synthetic_cooperations(), national.synthetic_progress(),
                  national.synthetic_examples(), ContactPerson.objects.filter(name__endswith=national.SYNTH),
                  Actor.history.filter(history_change_reason=Reason.SYNTHETIC),
                  ContactPerson.history.filter(history_change_reason=Reason.SYNTHETIC),
                  Cooperation.history.filter(history_change_reason=Reason.SYNTHETIC)):
        assert not query.exists(), query.model
    assert snapshot_of_register() == register_after_generation
    assert list(real_coop.actors.all()) == [real]
    real.delete()
    real_coop.delete()
    # Cooperation.delete leaves its history; compare the demo's own rows.
    assert snapshot_of_curated_content()[:6] == curated_before[:6]


def test_an_invented_country_of_an_earlier_version_makes_way_for_the_register(demo, part_of_register):
    # Earlier versions invented municipalities with AGS that real ones have.
    invented = Municipality.objects.create(
        name="Altstadt (synthetisch)", slug=f"{national.SLUG_PREFIX}{BERLIN}", kind="kreisfreie_stadt",
        ags=BERLIN, bundesland="11",
    )
    ActorFactory(municipality=invented, name=f"Jugendamt Altstadt 1 {national.SYNTH}",
                 email=f"partner-1@{national.MAIL_DOMAIN}")
    out = generate(register_file=part_of_register)
    assert "earlier version" in out
    berlin = Municipality.objects.get(ags=BERLIN)
    assert not berlin.slug.startswith(national.SLUG_PREFIX)
    assert berlin.population == 3_669_491
    assert not Actor.objects.filter(name="Jugendamt Altstadt 1 (synthetisch)").exists()
    assert national.synthetic_actors().filter(municipality=berlin).count() >= 50


def test_the_whole_country(demo):
    """The one test with the whole register (about 5 s to load): the shape of the real country."""
    curated_before = snapshot_of_curated_content()
    out = generate(scale=0.002)
    assert "Register loaded" in out
    assert national.register_municipalities().count() == 11_090
    actors = national.synthetic_actors()
    assert not actors.filter(municipality__regional_key="").exists()
    counts = partner_counts()
    villages = list(national.register_municipalities().filter(kind="gemeinde", population__lt=1_000)
                    .values_list("ags", flat=True))
    assert len(villages) > 3_000
    assert sum(1 for ags in villages if counts[ags] == 0) > 0.9 * len(villages)
    for city in (BERLIN, HAMBURG, MUENCHEN):
        assert counts[city] > 10 * max(counts[ags] for ags in villages), city
    # Every Jugendamt district but the two demo Kreise (which keep their own networks) has its Jugendamt.
    districts = national.register_municipalities().filter(kind__in=("kreis", "region", "kreisfreie_stadt"))
    assert districts.count() == 401
    without = districts.exclude(actors__in=actors.filter(actor_type__slug="jugendamt"))
    assert set(without.values_list("ags", flat=True)) == {HEINSBERG, AACHEN}
    # The benchmark shows a real Landkreis and the largest city.
    kreis = national.benchmark_kreis()
    assert kreis.kind == "kreis" and kreis.regional_key and counts[kreis.ags] >= len(national.CORE_TYPES)
    assert national.largest_city().ags == BERLIN

    assert "nothing to do" in generate(scale=0.002)
    call_command("generate_national_data", "--remove", stdout=io.StringIO())
    assert national.register_municipalities().count() == 11_090
    assert not actors.exists()
    assert snapshot_of_curated_content() == curated_before
