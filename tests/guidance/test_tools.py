"""The estimator and the cost calculator against hand-computed values."""

from decimal import Decimal

import pytest

from guidance import tools


def by_key(estimates):
    return {e.rate.key: e for e in estimates}


def test_heinsberg_addiction_estimate_reproduces_about_6000():
    # 32,800 children under 18 (derived: 5,900 / 0.18); 18 % of them = 5,904, "etwa 6.000".
    result = by_key(tools.estimate(children_under_18=32800, children_under_3=5000))
    addiction = result["addiction"]
    assert addiction.high == 5904
    assert addiction.low == 5806  # 17.7 % (2.65 million alcohol / about 14.9 million)
    assert addiction.rounded_high == 5900
    assert 5500 <= addiction.low <= addiction.high <= 6500


def test_heinsberg_under_three_reproduces_about_900():
    result = by_key(tools.estimate(children_under_18=None, children_under_3=5000))
    assert result["addiction_0_3"].low == result["addiction_0_3"].high == 900
    assert "addiction" not in result  # no under-18 figure given


def test_mental_illness_range_and_strain_0_3_hand_computed():
    result = by_key(tools.estimate(children_under_18=10000, children_under_3=1000))
    assert (result["mental"].low, result["mental"].high) == (2000, 2700)
    assert (result["strain_0_3"].low, result["strain_0_3"].high) == (157, 215)


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
    assert moderate.ratio == 13 and pessimistic.ratio == 34
    assert moderate.ratio_based_later_costs == 9_456_200  # 727,400 x 13
    assert pessimistic.ratio_based_later_costs == 24_731_600  # 727,400 x 34
    assert moderate.break_even_children == Decimal("1.68")  # 727,400 / 432,950
    assert pessimistic.break_even_children == Decimal("0.63")  # 727,400 / 1,160,000
    assert moderate.multiple_of_help == Decimal("59.5")  # "60 times" in the RLP press release
    assert pessimistic.multiple_of_help == Decimal("159.5")


@pytest.mark.parametrize("families", [0, -3, tools.MAX_FAMILIES + 1])
def test_costs_refuse_out_of_range(families):
    with pytest.raises(ValueError):
        tools.costs(families=families)
