"""Gap analysis ("Wer fehlt noch?") on the demo data and on built data."""

import pytest

from networks import selectors
from networks.models import ActorType
from tests.factories.networks import ActorFactory, ActorTypeFactory, CooperationFactory, MunicipalityFactory


def slugs(types):
    return {t.slug for t in types}


def test_heinsberg_gap_analysis(demo):
    gap = selectors.gap_analysis(municipality=demo["heinsberg"])
    recommended = ActorType.objects.filter(recommended=True).count()
    assert gap.recommended_count == recommended == 24
    assert slugs(gap.present) == {"jugendamt", "suchtberatung", "koordinierungsstelle-fruehe-hilfen"}
    # The Koordinierungsstelle is not part of the 2016 agreement: present, but without cooperation.
    assert slugs(gap.without_cooperation) == {"koordinierungsstelle-fruehe-hilfen"}
    assert "sozialpsychiatrischer-dienst" in slugs(gap.missing)
    assert len(gap.missing) == recommended - 3
    assert gap.coverage == pytest.approx(3 / 24)
    assert gap.coverage_percent == 12


def test_eschweiler_demo_gap_analysis(demo):
    gap = selectors.gap_analysis(municipality=demo["eschweiler"])
    assert slugs(gap.present) == {"jugendamt", "kita", "erziehungsberatung"}
    assert slugs(gap.without_cooperation) == {"erziehungsberatung"}
    assert {"suchtberatung", "koordinierungsstelle-fruehe-hilfen"} <= slugs(gap.missing)
    assert gap.coverage_percent == round(3 / 24 * 100)


def test_town_counts_kreis_partners_that_serve_it(demo):
    from networks.models import Municipality

    gangelt = Municipality.objects.get(slug="gemeinde-gangelt")
    gap = selectors.gap_analysis(municipality=gangelt)
    # Gangelt has no own Jugendamt: the Kreisjugendamt serves it; the Suchtberatungen serve the whole Kreis.
    assert {"jugendamt", "suchtberatung"} <= slugs(gap.present)


def test_adding_a_partner_and_a_cooperation_shrinks_the_gap(db):
    kreis = MunicipalityFactory(kind="kreis")
    town = MunicipalityFactory(kind="stadt", parent=kreis)
    a, b, c = ActorTypeFactory(), ActorTypeFactory(), ActorTypeFactory()
    ActorTypeFactory(recommended=False)
    first = ActorFactory(actor_type=a, municipality=town)  # member town counts for the Kreis
    gap = selectors.gap_analysis(municipality=kreis)
    assert gap.recommended_count == 3
    assert slugs(gap.present) == {a.slug} and slugs(gap.without_cooperation) == {a.slug}
    second = ActorFactory(actor_type=b, municipality=kreis)
    CooperationFactory(municipality=kreis, actors=[first, second])
    gap = selectors.gap_analysis(municipality=kreis)
    assert slugs(gap.present) == {a.slug, b.slug}
    assert gap.without_cooperation == []
    assert slugs(gap.missing) == {c.slug}
    assert gap.coverage_percent == 67
    # Inactive partners and ended cooperations do not count.
    ActorFactory(actor_type=c, municipality=kreis, is_active=False)
    assert slugs(selectors.gap_analysis(municipality=kreis).missing) == {c.slug}


def test_partner_serving_a_municipality_counts_there(db):
    home, served = MunicipalityFactory(), MunicipalityFactory()
    kind = ActorTypeFactory()
    ActorFactory(actor_type=kind, municipality=home, serves=[served])
    assert slugs(selectors.gap_analysis(municipality=served).present) == {kind.slug}


@pytest.mark.parametrize("size", [2, 25])
def test_gap_analyses_query_count_is_fixed(db, django_assert_max_num_queries, size):
    types = [ActorTypeFactory() for _ in range(4)]
    munis = [MunicipalityFactory() for _ in range(size)]
    for i, muni in enumerate(munis):
        actors = [ActorFactory(actor_type=types[i % 4], municipality=muni) for _ in range(2)]
        CooperationFactory(municipality=muni, actors=actors)
    with django_assert_max_num_queries(5):
        result = selectors.gap_analyses(municipalities=munis)
    assert len(result) == size
