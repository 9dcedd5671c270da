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

CHILDREN_MENTALLY_ILL_PARENT = Fact(
    Decimal("3800000"), _("Federal Government answer, BT-Drs. 18/11848 (estimate of the BMFSFJ)"), "2017",
    note=_("in the course of a year; a mental illness includes addiction"),
)
CHILDREN_MENTALLY_ILL_PARENT_RANGE = Fact(
    Decimal("3000000"), _("Lenz & Brockmann 2013; Drogenbeauftragte der Bundesregierung 2020"), "2013/2020",
    high=Decimal("4000000"),
)
CHILDREN_ADDICTED_PARENT = Fact(
    Decimal("2690000"),
    _("Kreis Heinsberg, database of inter-municipal cooperation NRW, citing addiction research"), "2016",
)
ADDICTED_PARENT_SHARE = Fact(
    Decimal("0.18"), _("Kreis Heinsberg, database of inter-municipal cooperation NRW, citing addiction research"),
    "2016",
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
# The national number of children under 18 implied by 2.69 million being 18 %: about 14.9 million.
NATIONAL_CHILDREN_BASE = Fact(
    CHILDREN_ADDICTED_PARENT.value / ADDICTED_PARENT_SHARE.value, CHILDREN_ADDICTED_PARENT.source, "2016",
    note=_("derived by the portal: 2.69 million ÷ 18 %"),
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
COST_PER_FAMILY = Fact(Decimal("7274"), COST_STUDY_SHORT, "2011")
LATER_COSTS_MODERATE = Fact(Decimal("432950"), COST_STUDY_SHORT, "2011")
LATER_COSTS_PESSIMISTIC = Fact(Decimal("1160000"), COST_STUDY_SHORT, "2011", note=_("rounded"))
RATIO_MODERATE = Fact(Decimal("13"), COST_STUDY_SHORT, "2011")
RATIO_PESSIMISTIC = Fact(Decimal("34"), COST_STUDY_SHORT, "2011")

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


def children_behind(affected: Fact, share: Fact = ADDICTED_PARENT_SHARE) -> int:
    """The number of children an estimate of affected children implies at ``share``, rounded to
    hundreds: what the worked example's child numbers are derived from (not official statistics)."""
    return int((affected.value / share.value / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)) * 100


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
