"""The estimator and the cost calculator against hand-computed values."""

from decimal import Decimal

import pytest

from guidance import facts, tools


def by_key(estimates):
    return {e.rate.key: e for e in estimates}


def test_heinsberg_addiction_estimate_reproduces_about_6000():
    # The Kreis's recorded 32,800 children under 18; 18 % of them = 5,904, "etwa 6.000".
    result = by_key(tools.estimate(children_under_18=32800, children_under_3=5000))
    addiction = result["addiction"]
    assert addiction.low == addiction.high == 5904  # the published 18 %, one value
    assert addiction.rounded_high == 5900
    assert addiction.rate.basis == tools.PUBLISHED


def test_heinsberg_under_three_reproduces_about_900():
    result = by_key(tools.estimate(children_under_18=None, children_under_3=5000))
    assert result["addiction_0_3"].low == result["addiction_0_3"].high == 900
    assert result["addiction_0_3"].rate.basis == tools.CONVENTION  # 18 % applied to under-3s: no evidence
    assert not result["addiction_0_3"].rate.is_evidence
    assert "addiction" not in result  # no under-18 figure given


def test_mental_illness_range_and_strain_0_3_hand_computed():
    # 3 and 4 million of 13,722,507 children under 18 (83,166,711 × 16.5 %, Destatis 2019) = 21.9 % and 29.1 %.
    result = by_key(tools.estimate(children_under_18=10000, children_under_3=1000))
    assert (result["mental"].low, result["mental"].high) == (2190, 2910)
    assert result["mental"].rate.basis == tools.DERIVED
    # KiD 0-3 2022 only (21.5 %): no range mixing 2015 and 2022.
    assert (result["strain_0_3"].low, result["strain_0_3"].high) == (215, 215)


def test_the_national_base_comes_from_official_statistics():
    base = facts.NATIONAL_CHILDREN_BASE
    assert base.value == 13_722_507  # 83,166,711 × 16.5 %, about 13.7 million; not 2.69 million ÷ 18 %
    assert base.value == (facts.POPULATION_GERMANY_2019.value * facts.SHARE_UNDER_18.value).quantize(Decimal("1"))
    assert base.source == facts.AGE_SHARES_SOURCE


def test_the_worked_example_starts_from_the_official_population():
    example = tools.heinsberg_example()
    assert (example.population, example.under_18, example.under_3) == (255_555, 42_170, 7_410)
    assert [(e.rate.key, e.high) for e in example.estimates] == [("addiction", 7591), ("addiction_0_3", 1334)]


def test_rates_carry_source_and_year():
    for rate in tools.rates():
        assert str(rate.source)
        assert rate.year
        assert rate.low <= rate.high


@pytest.mark.parametrize("value", [-1, tools.MAX_CHILDREN + 1])
def test_estimate_refuses_out_of_range(value):
    with pytest.raises(ValueError):
        tools.estimate(children_under_18=value, children_under_3=None)


def test_costs_for_100_families_hand_computed():
    result = tools.costs(families=100)
    assert result.cost_of_help == 727_400  # 100 x 7,274
    moderate, pessimistic = result.scenarios
    assert moderate.later_costs_per_child == 432_950
    assert pessimistic.later_costs_per_child == 1_160_000
    # The study's ratios, with their own base: prevention over the whole life course of one child.
    assert moderate.ratio == 13 and pessimistic.ratio == 34
    assert moderate.prevention_costs_per_child == 33_300  # 432,950 / 13 = 33,304
    assert pessimistic.prevention_costs_per_child == 34_100  # 1,160,000 / 34 = 34,118
    # The same later costs against early help for one family: a different base, a different number.
    assert moderate.multiple_of_help == 60  # 432,950 / 7,274 = 59.5; "60 times" in the RLP press release
    assert pessimistic.multiple_of_help == 159  # 1,160,000 / 7,274 = 159.5 (159.47)
    assert moderate.break_even_children == Decimal("1.68")  # 727,400 / 432,950
    assert pessimistic.break_even_children == Decimal("0.63")  # 727,400 / 1,160,000
    # Nothing multiplies the cost of early help by the study's ratio.
    assert not hasattr(moderate, "ratio_based_later_costs")


@pytest.mark.parametrize("families", [0, -3, tools.MAX_FAMILIES + 1])
def test_costs_refuse_out_of_range(families):
    with pytest.raises(ValueError):
        tools.costs(families=families)
