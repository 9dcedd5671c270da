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

MAX_CHILDREN = 5_000_000  # more children than any German municipality has (Germany: about 14 million)
MAX_FAMILIES = 1_000_000


# What a rate rests on, said plainly in the estimator's table.
PUBLISHED = "published"  # a share stated by the source
DERIVED = "derived"  # published counts measured against the official number of children
CONVENTION = "convention"  # a published share applied to a group it was not measured for


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
    basis: str = PUBLISHED

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    @property
    def is_evidence(self) -> bool:
        return self.basis != CONVENTION

    @property
    def basis_label(self) -> str:
        return {
            PUBLISHED: _("Evidence: share published by the source"),
            DERIVED: _("Evidence: published numbers measured against the official number of children"),
            CONVENTION: _("No evidence for this age group: Kreis Heinsberg's convention"),
        }[self.basis]


def _share(children: Decimal, places: str) -> Decimal:
    return (children / facts.NATIONAL_CHILDREN_BASE.value).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def rates() -> tuple[Rate, ...]:
    """The rates the estimator applies, with their sources, in the active language."""
    mental = facts.CHILDREN_MENTALLY_ILL_PARENT_RANGE
    base = facts.NATIONAL_CHILDREN_BASE
    share = facts.ADDICTED_PARENT_SHARE
    strain = facts.KID_STRAIN_2022
    numbers = {
        "low": facts.millions(mental.value), "high": facts.millions(mental.high or mental.value),
        "base": facts.millions(Decimal(round_to(int(base.value), 100_000))), "base_source": base.source,
        "base_year": base.year, "addicted": facts.millions(facts.CHILDREN_ADDICTED_PARENT.value),
        "share": facts.percent(share.value),
    }
    return (
        Rate(
            key="mental",
            label=_("Children with a parent with a mental illness (addiction included)"),
            age_group="under_18",
            low=_share(mental.value, "0.001"),
            high=_share(mental.high or mental.value, "0.001"),
            source=mental.source,
            year=mental.year,
            note=_("Rate derived by the portal: %(low)s to %(high)s million children relative to about %(base)s "
                   "million children under 18 (%(base_source)s).") % numbers,
            basis=DERIVED,
        ),
        Rate(
            key="addiction",
            label=_("Children living at times with a parent with an addiction"),
            age_group="under_18",
            low=share.value,
            high=share.value,
            source=_("%(share)s (%(addicted)s million children): %(source)s") % {**numbers, "source": share.source},
            year=share.year,
            basis=PUBLISHED,
        ),
        Rate(
            key="strain_0_3",
            label=_("Children under 3 whose parents show moderate to clinically relevant psychological strain"),
            age_group="under_3",
            low=strain.value,
            high=strain.value,
            source=strain.source,
            year=strain.year,
            basis=PUBLISHED,
        ),
        Rate(
            key="addiction_0_3",
            label=_("Children under 3 living at times with a parent with an addiction"),
            age_group="under_3",
            low=share.value,
            high=share.value,
            source=_("%(share)s for all children under 18 (%(source)s), applied to children under 3 as Kreis "
                     "Heinsberg did (interkommunales.nrw)") % {**numbers, "source": share.source},
            year=share.year,
            note=_("No national figure exists for children under 3; this is an assumption, not a measurement."),
            basis=CONVENTION,
        ),
    )


@dataclass(frozen=True)
class ChildFigures:
    """The children a municipality has, as the estimator and the documents use them: recorded local
    figures where the municipality has them (they take precedence), otherwise an approximation from its
    official population and the national age shares of the same date, rounded to tens (an approximation
    should not look exact)."""

    under_18: int | None
    under_3: int | None
    estimated: bool
    source: str
    date: Any = None  # the reference date (or year) of the figures
    population: int | None = None

    @property
    def known(self) -> bool:
        return self.under_18 is not None or self.under_3 is not None


def child_figures(municipality: Any) -> ChildFigures:
    """``municipality`` is a registry municipality (anything with its figure fields)."""
    if municipality.children_under_18 is not None or municipality.children_under_3 is not None:
        return ChildFigures(
            under_18=municipality.children_under_18, under_3=municipality.children_under_3, estimated=False,
            source=municipality.figures_source or _("recorded in the registry"), date=municipality.figures_date,
        )
    population = municipality.population
    if not population:
        return ChildFigures(under_18=None, under_3=None, estimated=False, source="")
    shares = {
        "share_18": facts.percent(facts.SHARE_UNDER_18.value), "share_3": facts.percent(facts.SHARE_UNDER_3.value),
        "population_source": municipality.population_source or _("registry"),
        "shares_source": facts.AGE_SHARES_SOURCE,
    }
    return ChildFigures(
        under_18=round_to(_round(population * facts.SHARE_UNDER_18.value), 10),
        under_3=round_to(_round(population * facts.SHARE_UNDER_3.value), 10),
        estimated=True,
        source=_("population (%(population_source)s) × national shares of children under 18 (%(share_18)s) and "
                 "under 3 (%(share_3)s), %(shares_source)s") % shares,
        date=municipality.population_date,
        population=population,
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


@dataclass(frozen=True)
class WorkedExample:
    """Kreis Heinsberg: the estimate it published beside the same method applied to official figures."""

    population: int
    under_18: int
    under_3: int
    estimates: list[Estimate]


def heinsberg_example() -> WorkedExample:
    """The estimator's worked example, from the Kreis's official population and the national age shares
    (never from child numbers worked backwards out of a published estimate)."""
    population = facts.HEINSBERG_POPULATION.value
    under_18 = round_to(_round(population * facts.SHARE_UNDER_18.value), 10)
    under_3 = round_to(_round(population * facts.SHARE_UNDER_3.value), 10)
    return WorkedExample(
        population=int(population), under_18=under_18, under_3=under_3,
        estimates=[e for e in estimate(children_under_18=under_18, children_under_3=under_3)
                   if e.rate.key in ("addiction", "addiction_0_3")],
    )


# --- Costs and benefits of Frühe Hilfen (figures in guidance.facts) --------------------------------
COST_SOURCE = facts.COST_STUDY


@dataclass(frozen=True)
class CostScenario:
    """One scenario of the study. Its two comparisons have different bases and are kept apart:
    ``ratio`` is the study's own (later costs ÷ prevention costs over a child's whole life course),
    ``multiple_of_help`` measures the same later costs against the cost of early help for one family."""

    key: str
    label: Any
    later_costs_per_child: int
    ratio: int  # the study's cost-benefit ratio, 1:ratio
    prevention_costs_per_child: int  # the ratio's base: prevention over a child's whole life course
    multiple_of_help: int  # later costs of one child's course ÷ cost of early help for one family
    break_even_children: Decimal  # children whose costly course must be avoided to cover the help


@dataclass(frozen=True)
class CostResult:
    families: int
    cost_of_help: int
    scenarios: tuple[CostScenario, ...]


def cost_scenarios() -> tuple[tuple[str, Any, facts.Fact, facts.Fact, facts.Fact, facts.Fact], ...]:
    """(key, label, later costs, ratio, prevention costs over the life course, multiple of early help)."""
    return (
        ("moderate", _("moderate scenario"), facts.LATER_COSTS_MODERATE, facts.RATIO_MODERATE,
         facts.PREVENTION_COSTS_MODERATE, facts.LATER_COSTS_MULTIPLE_MODERATE),
        ("pessimistic", _("pessimistic scenario"), facts.LATER_COSTS_PESSIMISTIC, facts.RATIO_PESSIMISTIC,
         facts.PREVENTION_COSTS_PESSIMISTIC, facts.LATER_COSTS_MULTIPLE_PESSIMISTIC),
    )


def costs(*, families: int) -> CostResult:
    if families < 1 or families > MAX_FAMILIES:
        raise ValueError("number of families out of range")
    cost_of_help = facts.COST_PER_FAMILY.value * families
    scenarios = tuple(
        CostScenario(
            key=key,
            label=label,
            later_costs_per_child=int(later.value),
            ratio=int(ratio.value),
            prevention_costs_per_child=int(prevention.value),
            multiple_of_help=int(multiple.value),
            break_even_children=(cost_of_help / later.value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        )
        for key, label, later, ratio, prevention, multiple in cost_scenarios()
    )
    return CostResult(families=families, cost_of_help=int(cost_of_help), scenarios=scenarios)
