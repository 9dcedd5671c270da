"""The tools for council staff: the estimator of affected children and the cost calculator.

Pure functions over the published rates and figures of :mod:`guidance.facts`, each with its source,
so that the views, the figures page and the resolution draft show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from guidance import facts

MAX_CHILDREN = 5_000_000  # more children than any German municipality has (Germany: about 15 million)
MAX_FAMILIES = 1_000_000


@dataclass(frozen=True)
class Rate:
    key: str
    label: Any
    age_group: str  # "under_18" or "under_3"
    low: Decimal
    high: Decimal
    source: Any
    year: str
    note: Any = ""

    @property
    def is_range(self) -> bool:
        return self.low != self.high


def _share(children: Decimal, places: str) -> Decimal:
    return (children / facts.NATIONAL_CHILDREN_BASE.value).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def rates() -> tuple[Rate, ...]:
    """The rates the estimator applies, with their sources, in the active language."""
    mental = facts.CHILDREN_MENTALLY_ILL_PARENT_RANGE
    base = facts.NATIONAL_CHILDREN_BASE
    share = facts.ADDICTED_PARENT_SHARE
    alcohol = facts.CHILDREN_ALCOHOL_DISORDER_PARENT
    strain_low, strain_high = facts.KID_STRAIN_2015, facts.KID_STRAIN_2022
    numbers = {
        "low": facts.millions(mental.value), "high": facts.millions(mental.high or mental.value),
        "base": facts.millions(base.value.quantize(Decimal("100000"))), "addicted": facts.millions(facts.CHILDREN_ADDICTED_PARENT.value),
        "share": facts.percent(share.value), "alcohol": facts.millions(alcohol.value),
    }
    return (
        Rate(
            key="mental",
            label=_("Children with a parent with a mental illness (addiction included)"),
            age_group="under_18",
            low=_share(mental.value, "0.01"),
            high=_share(mental.high or mental.value, "0.01"),
            source=mental.source,
            year=mental.year,
            note=_("Rate derived by the portal: %(low)s to %(high)s million children relative to about %(base)s "
                   "million children under 18 (the national base implied by %(addicted)s million = %(share)s).")
            % numbers,
        ),
        Rate(
            key="addiction",
            label=_("Children living at times with a parent with an addiction"),
            age_group="under_18",
            low=_share(alcohol.value, "0.001"),
            high=share.value,
            source=_("%(share)s (%(addicted)s million): %(source)s; %(alcohol)s million children of a parent "
                     "with an alcohol disorder: %(alcohol_source)s")
            % {**numbers, "source": share.source, "alcohol_source": alcohol.source},
            year=share.year,
            note=_("Lower bound derived by the portal: %(alcohol)s million relative to about %(base)s million "
                   "children.") % numbers,
        ),
        Rate(
            key="strain_0_3",
            label=_("Children under 3 whose parents show moderate to clinically relevant psychological strain"),
            age_group="under_3",
            low=strain_low.value,
            high=strain_high.value,
            source=strain_high.source,
            year=f"{strain_low.year}/{strain_high.year}",
        ),
        Rate(
            key="addiction_0_3",
            label=_("Children under 3 living at times with a parent with an addiction"),
            age_group="under_3",
            low=share.value,
            high=share.value,
            source=_("%(share)s applied to children under 3, as Kreis Heinsberg did (interkommunales.nrw)") % numbers,
            year=share.year,
        ),
    )


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def round_to(value: int, step: int) -> int:
    """Round for prose ("rund 12.300"): to hundreds above 1,000, to tens below."""
    return int((Decimal(value) / step).quantize(Decimal("1"), rounding=ROUND_HALF_UP)) * step


@dataclass(frozen=True)
class Estimate:
    rate: Rate
    children: int
    low: int
    high: int

    @property
    def rounded_low(self) -> int:
        return round_to(self.low, 100 if self.low >= 1000 else 10)

    @property
    def rounded_high(self) -> int:
        return round_to(self.high, 100 if self.high >= 1000 else 10)


def estimate(*, children_under_18: int | None, children_under_3: int | None) -> list[Estimate]:
    """The estimates for each rate whose age group has a child count."""
    counts = {"under_18": children_under_18, "under_3": children_under_3}
    results = []
    for rate in rates():
        children = counts[rate.age_group]
        if children is None:
            continue
        if children < 0 or children > MAX_CHILDREN:
            raise ValueError("child count out of range")
        results.append(
            Estimate(rate=rate, children=children, low=_round(children * rate.low), high=_round(children * rate.high))
        )
    return results


# --- Costs and benefits of Frühe Hilfen (figures in guidance.facts) --------------------------------
COST_SOURCE = facts.COST_STUDY


@dataclass(frozen=True)
class CostScenario:
    key: str
    label: Any
    later_costs_per_child: int
    ratio: int
    multiple_of_help: Decimal  # later costs of one child's course / cost of help for one family
    break_even_children: Decimal  # children whose costly course must be avoided to cover the help
    ratio_based_later_costs: int  # what the study's ratio implies for the entered families


@dataclass(frozen=True)
class CostResult:
    families: int
    cost_of_help: int
    scenarios: tuple[CostScenario, ...]


def costs(*, families: int) -> CostResult:
    if families < 1 or families > MAX_FAMILIES:
        raise ValueError("number of families out of range")
    cost_per_family = facts.COST_PER_FAMILY.value
    cost_of_help = cost_per_family * families
    scenarios = []
    for key, label, later, ratio in (
        ("moderate", _("moderate scenario"), facts.LATER_COSTS_MODERATE.value, facts.RATIO_MODERATE.value),
        ("pessimistic", _("pessimistic scenario"), facts.LATER_COSTS_PESSIMISTIC.value, facts.RATIO_PESSIMISTIC.value),
    ):
        scenarios.append(
            CostScenario(
                key=key,
                label=label,
                later_costs_per_child=int(later),
                ratio=int(ratio),
                multiple_of_help=(later / cost_per_family).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
                break_even_children=(cost_of_help / later).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                ratio_based_later_costs=int(cost_of_help * ratio),
            )
        )
    return CostResult(families=families, cost_of_help=int(cost_of_help), scenarios=tuple(scenarios))
