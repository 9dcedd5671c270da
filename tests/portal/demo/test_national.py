"""The synthetic country: counts, AGS shape and uniqueness, markers, determinism.

Runs on SQLite by default and on PostgreSQL with DATABASE_URL set.
"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from guidance.catalogue.models import Example, ExampleStatus
from guidance.models import StepProgress
from networks.models import Actor, ContactPerson, Cooperation, Municipality, MunicipalityKind
from networks.validators import validate_ags
from portal.demo.national import SLUG_PREFIX, SYNTH, plan_for

SCALE = 0.003

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def demo(db):
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def generate(seed=11, reset=False):
    args = ["generate_national_data", "--scale", str(SCALE), "--seed", str(seed)]
    if reset:
        args.append("--reset")
    call_command(*args, stdout=open("/dev/null", "w"))  # noqa: SIM115


def synthetic():
    return Municipality.objects.filter(slug__startswith=SLUG_PREFIX)


def fingerprint():
    munis = sorted(
        synthetic().values_list("ags", "name", "kind", "parent__ags", "population", "bundesland")
    )
    actors = sorted(
        (a.uuid.hex, a.name, a.municipality.ags, a.actor_type.slug, tuple(sorted(t.slug for t in a.target_groups.all())))
        for a in Actor.objects.filter(municipality__slug__startswith=SLUG_PREFIX)
        .select_related("municipality", "actor_type").prefetch_related("target_groups")
    )
    coops = sorted(
        (c.uuid.hex, c.title, tuple(sorted(a.uuid.hex for a in c.actors.all())))
        for c in Cooperation.objects.filter(municipality__slug__startswith=SLUG_PREFIX).prefetch_related("actors")
    )
    examples = sorted(
        Example.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", "title", "implementation", "municipality__ags")
    )
    progress = sorted(
        StepProgress.objects.filter(municipality__slug__startswith=SLUG_PREFIX).values_list(
            "municipality__ags", "step__number", "status"
        )
    )
    return munis, actors, coops, examples, progress


def test_counts_markers_and_progress(demo):
    real_municipalities = Municipality.objects.count()
    generate()
    plan = plan_for(SCALE)
    munis = synthetic()
    # Every state gets at least two municipalities (city states one), so the total is close to the plan.
    assert abs(munis.count() - plan.municipalities) <= len("0123456789abcdef")
    assert Municipality.objects.count() == real_municipalities + munis.count()
    assert set(munis.values_list("bundesland", flat=True)) == {f"{n:02d}" for n in range(1, 17)}
    assert Actor.objects.filter(municipality__in=munis).count() == plan.actors
    assert Cooperation.objects.filter(municipality__in=munis).count() == plan.cooperations
    examples = Example.objects.filter(slug__startswith=SLUG_PREFIX)
    assert examples.filter(status=ExampleStatus.PUBLISHED).count() == plan.examples
    assert ContactPerson.objects.filter(actor__municipality__in=munis).exists()
    # One initial history row per record, written in bulk.
    assert Actor.history.filter(municipality__in=munis).count() == plan.actors
    assert Cooperation.history.filter(municipality__in=munis).count() == plan.cooperations
    assert Municipality.history.filter(slug__startswith=SLUG_PREFIX).count() == munis.count()
    # Marked as synthetic everywhere a reader would see it.
    assert not munis.exclude(name__endswith=SYNTH).exists()
    assert not Actor.objects.filter(municipality__in=munis).exclude(name__endswith=SYNTH).exists()
    assert not examples.exclude(title__endswith=SYNTH).exists()
    # Realistic text length for the catalogue.
    assert min(len(e.implementation) for e in examples) > 300
    # Every municipality stands somewhere on the roadmap.
    assert not munis.filter(roadmap_progress__isnull=True).exists()
    # Cooperations link partners of their own municipality.
    for coop in Cooperation.objects.filter(municipality__in=munis).prefetch_related("actors")[:50]:
        assert len(coop.actors.all()) >= 2
        assert {a.municipality_id for a in coop.actors.all()} == {coop.municipality_id}


def test_ags_valid_and_unique(demo):
    generate()
    rows = list(Municipality.objects.values_list("ags", "bundesland", "kind", "parent__ags"))
    all_ags = [r[0] for r in rows]
    assert len(all_ags) == len(set(all_ags))
    for ags, land, _kind, _parent_ags in rows:
        validate_ags(ags)
        assert ags[:2] == land
    for ags, _land, kind, parent_ags in synthetic().values_list("ags", "bundesland", "kind", "parent__ags"):
        if kind in (MunicipalityKind.KREIS, MunicipalityKind.KREISFREIE_STADT):
            assert ags.endswith("000")
            assert parent_ags is None
        else:
            assert parent_ags is not None and ags[:5] == parent_ags[:5]
            assert ags[5:] != "000"


def test_same_seed_same_data_other_seed_other_data(demo):
    generate(seed=11)
    first = fingerprint()
    generate(seed=11, reset=True)
    assert fingerprint() == first
    generate(seed=12, reset=True)
    assert fingerprint()[0] != first[0]


def test_refuses_to_add_a_second_country_and_reset_removes_it(demo):
    before = Municipality.objects.count(), Actor.objects.count(), Example.objects.count()
    generate()
    with pytest.raises(CommandError):
        generate()
    call_command("generate_national_data", "--scale", str(SCALE), "--if-missing", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from portal.demo.national import reset

    reset(stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Municipality.objects.count(), Actor.objects.count(), Example.objects.count()) == before
