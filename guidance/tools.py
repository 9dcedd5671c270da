"""The tools for council staff: the estimator of affected children and the cost calculator.

Pure functions over published rates and figures, each rate with its source, so that the
views, the figures page and the resolution draft show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

# The national number of children under 18 implied by seed 004: 2.69 million are 18 %.
NATIONAL_CHILDREN_BASE = Decimal("2690000") / Decimal("0.18")  # about 14.9 million (derived)

MAX_CHILDREN = 5_000_000  # more children than any German municipality has (Germany: about 15 million)
MAX_FAMILIES = 1_000_000


@dataclass(frozen=True)
class Rate:
    key: str
    label: str
    age_group: str  # "under_18" or "under_3"
    low: Decimal
    high: Decimal
    source: str
    year: str
    note: str = ""

    @property
    def is_range(self) -> bool:
        return self.low != self.high


RATES: tuple[Rate, ...] = (
    Rate(
        key="mental",
        label=_("Children with a parent with a mental illness (addiction included)"),
        age_group="under_18",
        low=Decimal("0.20"),
        high=Decimal("0.27"),
        source=_(
            "3 to 4 million children, about every fourth child: Lenz & Brockmann 2013; "
            "Drogenbeauftragte der Bundesregierung 2020"
        ),
        year="2013/2020",
        note=_(
            "Rate derived by the portal: 3 to 4 million relative to about 14.9 million children under 18 "
            "(the national base implied by 2.69 million = 18 %)."
        ),
    ),
    Rate(
        key="addiction",
        label=_("Children living at times with a parent with an addiction"),
        age_group="under_18",
        low=Decimal("0.177"),
        high=Decimal("0.18"),
        source=_(
            "18 % (2.69 million): Kreis Heinsberg, interkommunales.nrw, citing addiction research; "
            "2.65 million children of a parent with an alcohol disorder: M. Klein, bpb APuZ"
        ),
        year="2016",
        note=_("Lower bound derived by the portal: 2.65 million relative to about 14.9 million children."),
    ),
    Rate(
        key="strain_0_3",
        label=_("Children under 3 whose parents show moderate to clinically relevant psychological strain"),
        age_group="under_3",
        low=Decimal("0.157"),
        high=Decimal("0.215"),
        source=_("KiD 0-3, NZFH: 15.7 % (2015) and 21.5 % (2022); Hänelt et al., Bundesgesundheitsblatt 2024"),
        year="2015/2022",
    ),
    Rate(
        key="addiction_0_3",
        label=_("Children under 3 living at times with a parent with an addiction"),
        age_group="under_3",
        low=Decimal("0.18"),
        high=Decimal("0.18"),
        source=_("18 % applied to children under 3, as Kreis Heinsberg did (interkommunales.nrw)"),
        year="2016",
    ),
)


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def round_to(value: int, step: int) -> int:
    """Round for prose ("rund 5.900"): to hundreds above 1,000, to tens below."""
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
    for rate in RATES:
        children = counts[rate.age_group]
        if children is None:
            continue
        if children < 0 or children > MAX_CHILDREN:
            raise ValueError("child count out of range")
        results.append(
            Estimate(rate=rate, children=children, low=_round(children * rate.low), high=_round(children * rate.high))
        )
    return results


# --- Costs and benefits of Frühe Hilfen ------------------------------------------------------------
# NZFH, Materialien zu Frühen Hilfen 4: Meier-Gräwe & Wagenknecht, "Kosten und Nutzen Früher Hilfen",
# Köln 2011; costs measured at the Ludwigshafen site of "Guter Start ins Kinderleben".
COST_PER_FAMILY = Decimal("7274")
LATER_COSTS_MODERATE = Decimal("432950")
LATER_COSTS_PESSIMISTIC = Decimal("1160000")
RATIO_MODERATE = Decimal("13")
RATIO_PESSIMISTIC = Decimal("34")
COST_SOURCE = (
    "Meier-Gräwe, U. / Wagenknecht, I.: Kosten und Nutzen Früher Hilfen. Eine Kosten-Nutzen-Analyse im "
    "Projekt „Guter Start ins Kinderleben“. NZFH, Materialien zu Frühen Hilfen 4, Köln 2011"
)


@dataclass(frozen=True)
class CostScenario:
    key: str
    label: str
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
    cost_of_help = COST_PER_FAMILY * families
    scenarios = []
    for key, label, later, ratio in (
        ("moderate", _("moderate scenario"), LATER_COSTS_MODERATE, RATIO_MODERATE),
        ("pessimistic", _("pessimistic scenario"), LATER_COSTS_PESSIMISTIC, RATIO_PESSIMISTIC),
    ):
        scenarios.append(
            CostScenario(
                key=key,
                label=label,
                later_costs_per_child=int(later),
                ratio=int(ratio),
                multiple_of_help=(later / COST_PER_FAMILY).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
                break_even_children=(cost_of_help / later).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                ratio_based_later_costs=int(cost_of_help * ratio),
            )
        )
    return CostResult(families=families, cost_of_help=int(cost_of_help), scenarios=tuple(scenarios))
