"""Every figure the portal states, once, with its source and the date it refers to.

Pages, the figures page's charts, the tools (estimator, cost calculator) and the generated documents
(the draft council resolution) read their numbers from here; no figure is written anywhere else.
A figure that the portal derives from others says so in its note.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Fact:
    """A figure with where it comes from. ``high`` is the upper end of a range."""

    value: Decimal
    source: Any  # a (lazy) text naming the publication
    year: Any  # the year (or date) the figure refers to, as the source states it
    high: Decimal | None = None
    note: Any = ""

    @property
    def is_range(self) -> bool:
        return self.high is not None and self.high != self.value


NOT_STATED = _("not stated in the source")

# --- Children affected, Germany -------------------------------------------------------------

# The qualifier the 3.8 million carries wherever it is shown: it counts children who live with a mentally
# ill parent at some time during one year, not at one moment.
IN_THE_COURSE_OF_A_YEAR = _("in the course of a year")
CHILDREN_MENTALLY_ILL_PARENT = Fact(
    Decimal("3800000"),
    _("Federal Government answer of 5 May 2017, BT-Drs. 18/12247 (estimate of the BMFSFJ)"), "2017",
    note=_("in the course of a year; a mental illness includes addiction"),
)
CHILDREN_MENTALLY_ILL_PARENT_RANGE = Fact(
    Decimal("3000000"), _("Lenz & Brockmann 2013; Drogenbeauftragte der Bundesregierung 2020"), "2013/2020",
    high=Decimal("4000000"),
)
# The national addiction research behind the 2.69 million (18 %) that Kreis Heinsberg quoted.
ADDICTION_RESEARCH_SOURCE = _(
    "Drogen- und Suchtbericht 2017 of the Federal Government's Drug Commissioner; M. Klein; "
    "Moesgen, Klein & Thomasius 2017"
)
CHILDREN_ADDICTED_PARENT = Fact(
    Decimal("2690000"), ADDICTION_RESEARCH_SOURCE, "2017",
    note=_("children under 18 living at times with a parent with an addiction, most of them with a parent "
           "with an alcohol disorder; Kreis Heinsberg quoted the figure in 2016"),
)
ADDICTED_PARENT_SHARE = Fact(
    Decimal("0.18"), ADDICTION_RESEARCH_SOURCE, "2017",
    note=_("share of all children under 18 as published; the portal applies it unchanged"),
)
CHILDREN_ALCOHOL_DISORDER_PARENT = Fact(
    Decimal("2650000"), _("M. Klein, Aus Politik und Zeitgeschichte (bpb)"), NOT_STATED,
)
CHILDREN_ILLEGAL_DRUGS_PARENT = Fact(
    Decimal("40000"), _("NACOA Deutschland"), NOT_STATED, high=Decimal("60000"),
)
CHILDREN_GAMBLING_PARENT = Fact(
    Decimal("37500"), _("NACOA Deutschland"), NOT_STATED, high=Decimal("150000"),
)

# --- Age shares of the population, Germany (for estimating a municipality's children) ----------
# The municipality register has the population but no age groups; these national shares of the same
# reference date turn a municipality's population into an approximate number of children.

AGE_SHARES_SOURCE = _("Destatis, Fortschreibung des Bevölkerungsstandes (31.12.2019)")
POPULATION_GERMANY_2019 = Fact(Decimal("83166711"), _("Destatis, Gemeindeverzeichnis (31.12.2019)"), "2019")
SHARE_UNDER_18 = Fact(
    Decimal("0.165"), AGE_SHARES_SOURCE, "2019",
    note=_("about 13.7 million of 83.2 million inhabitants were under 18"),
)
SHARE_UNDER_3 = Fact(
    Decimal("0.029"), AGE_SHARES_SOURCE, "2019",
    note=_("about 2.4 million of 83.2 million inhabitants were under 3"),
)
# The national number of children under 18 that counts of affected children are measured against (the
# estimator's rates): official statistics, not a number implied by a published share.
NATIONAL_CHILDREN_BASE = Fact(
    (POPULATION_GERMANY_2019.value * SHARE_UNDER_18.value).quantize(Decimal("1"), rounding=ROUND_HALF_UP),
    AGE_SHARES_SOURCE, "2019",
    note=_("derived by the portal: population of Germany × share of children under 18"),
)

# --- Families with young children (KiD 0-3, NZFH) ---------------------------------------------

KID_STRAIN_2015 = Fact(
    Decimal("0.157"), _("KiD 0-3, NZFH; Hänelt et al., Bundesgesundheitsblatt 2024;67(12):1359-67"), "2015",
)
KID_STRAIN_2022 = Fact(
    Decimal("0.215"), _("KiD 0-3 2022, NZFH; Hänelt et al., Bundesgesundheitsblatt 2024;67(12):1359-67"), "2022",
)
KID_MULTIPLE_STRESSORS_2022 = Fact(Decimal("0.339"), _("KiD 0-3 2022, NZFH"), "2022")

# --- Costs and benefits of Frühe Hilfen --------------------------------------------------------
# Meier-Gräwe & Wagenknecht, "Kosten und Nutzen Früher Hilfen", NZFH, Materialien zu Frühen Hilfen 4,
# Köln 2011; costs measured at the Ludwigshafen site of "Guter Start ins Kinderleben".

COST_STUDY = (
    "Meier-Gräwe, U. / Wagenknecht, I.: Kosten und Nutzen Früher Hilfen. Eine Kosten-Nutzen-Analyse im "
    "Projekt „Guter Start ins Kinderleben“. NZFH, Materialien zu Frühen Hilfen 4, Köln 2011"
)
COST_STUDY_SHORT = _("Meier-Gräwe & Wagenknecht, Kosten und Nutzen Früher Hilfen, NZFH 2011")
COST_PER_FAMILY = Fact(
    Decimal("7274"), COST_STUDY_SHORT, "2011", note=_("early help for one family, on average, at the Ludwigshafen site"),
)
LATER_COSTS_MODERATE = Fact(
    Decimal("432950"), COST_STUDY_SHORT, "2011",
    note=_("later costs of one child's life course without timely help, moderate scenario; rounded"),
)
LATER_COSTS_PESSIMISTIC = Fact(
    Decimal("1160000"), COST_STUDY_SHORT, "2011",
    note=_("later costs of one child's life course without timely help, pessimistic scenario; rounded"),
)
# The study's cost-benefit ratios compare the later costs with the costs of prevention over the whole life
# course of a child, not with the cost of early help for one family.
RATIO_MODERATE = Fact(
    Decimal("13"), COST_STUDY_SHORT, "2011",
    note=_("the study's ratio of prevention costs over a child's life course to later costs, moderate scenario"),
)
RATIO_PESSIMISTIC = Fact(
    Decimal("34"), COST_STUDY_SHORT, "2011",
    note=_("the study's ratio of prevention costs over a child's life course to later costs, pessimistic "
           "scenario"),
)


def _quotient(numerator: Fact, denominator: Fact, step: str) -> Decimal:
    return (numerator.value / denominator.value / Decimal(step)).quantize(
        Decimal("1"), rounding=ROUND_HALF_UP) * Decimal(step)


# The base of each ratio: the prevention costs over a child's life course that the ratio implies.
PREVENTION_COSTS_MODERATE = Fact(
    _quotient(LATER_COSTS_MODERATE, RATIO_MODERATE, "100"), COST_STUDY_SHORT, "2011",
    note=_("derived by the portal: later costs ÷ the study's ratio, rounded to hundreds (prevention over the "
           "whole life course of one child)"),
)
PREVENTION_COSTS_PESSIMISTIC = Fact(
    _quotient(LATER_COSTS_PESSIMISTIC, RATIO_PESSIMISTIC, "100"), COST_STUDY_SHORT, "2011",
    note=PREVENTION_COSTS_MODERATE.note,
)
# The later costs measured against the cost of early help for one family instead.
LATER_COSTS_MULTIPLE_MODERATE = Fact(
    _quotient(LATER_COSTS_MODERATE, COST_PER_FAMILY, "1"), COST_STUDY_SHORT, "2011",
    note=_("derived by the portal: later costs ÷ cost of early help for one family; the Land "
           "Rhineland-Palatinate's press release on the study gives the same multiples"),
)
LATER_COSTS_MULTIPLE_PESSIMISTIC = Fact(
    _quotient(LATER_COSTS_PESSIMISTIC, COST_PER_FAMILY, "1"), COST_STUDY_SHORT, "2011",
    note=LATER_COSTS_MULTIPLE_MODERATE.note,
)

# --- Networks ----------------------------------------------------------------------------------

YOUTH_OFFICE_MUNICIPALITIES = Fact(Decimal("570"), _("fruehehilfen.de (NZFH)"), "2020")
MUNICIPALITIES_WITH_FH_NETWORK = Fact(
    Decimal("567"), _("fruehehilfen.de (NZFH)"), "2020", note=_("as of 31 December 2020"),
)

# --- Kreis Heinsberg's published estimate (the estimator's worked example) ---------------------

HEINSBERG_SOURCE = _(
    "Kreis Heinsberg, database of inter-municipal cooperation NRW (interkommunales.nrw); Aachener Zeitung."
)
HEINSBERG_AFFECTED = Fact(Decimal("5900"), HEINSBERG_SOURCE, "2016", high=Decimal("6000"))  # children under 18
HEINSBERG_AFFECTED_3_AND_OVER = Fact(Decimal("5000"), HEINSBERG_SOURCE, "2016")
HEINSBERG_AFFECTED_UNDER_3 = Fact(Decimal("900"), HEINSBERG_SOURCE, "2016")
# Its cooperation agreement between addiction help and youth welfare; the source gives the month only.
HEINSBERG_AGREEMENT_SINCE = datetime.date(2016, 5, 1)
# The official population the worked example starts from (sum of the Kreis's 10 municipalities).
HEINSBERG_POPULATION = Fact(Decimal("255555"), _("Destatis, Gemeindeverzeichnis (31.12.2019)"), "2019")


# --- Formatting in the reader's language ---------------------------------------------------------


def grouped(value: Decimal | int) -> str:
    """A whole number with thousands separators in the active language ("432.950")."""
    return number_format(int(value), force_grouping=True)


def percent(value: Decimal) -> str:
    """A share as per cent in the active language ("17,7 %")."""
    scaled = value * 100
    decimals = 0 if scaled == scaled.to_integral_value() else 1
    return number_format(scaled, decimal_pos=decimals) + " %"


def millions(value: Decimal) -> str:
    """Millions with up to two decimals in the active language ("2,69")."""
    scaled = (value / Decimal(1_000_000)).normalize()
    decimals = max(0, -scaled.as_tuple().exponent)  # type: ignore[operator]
    return number_format(scaled, decimal_pos=min(decimals, 2))
