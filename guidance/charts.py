"""Server-side SVG charts for the figures page.

Each chart is a horizontal bar chart with the value written beside every bar, so nothing
depends on colour; the page shows a data table with source and year beside each chart.
SVG uses presentation attributes only (the Content-Security-Policy forbids inline styles).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_COLOUR = "#0b4a7d"
RANGE_COLOUR = "#7fa8cc"
TEXT_COLOUR = "#212529"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str  # the value as text in the reader's language, e.g. "12,5 Mio." or "12,5 %"
    high: float | None = None  # upper end of a range


def bar_chart(*, chart_id: str, title: str, description: str, bars: list[Bar], max_value: float | None = None,
              width: int = 720) -> SafeString:
    label_width = 250
    value_width = 190
    bar_area = width - label_width - value_width
    row = 34
    height = row * len(bars) + 16
    top = max_value or max((b.high or b.value) for b in bars) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="guidance-chart" '
        f'preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<line x1="{label_width}" y1="4" x2="{label_width}" y2="{height - 8}" stroke="{TEXT_COLOUR}" '
        f'stroke-width="1"/>',
    ]
    for index, bar in enumerate(bars):
        y = 8 + index * row
        length = max(2.0, bar_area * bar.value / top)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="13" '
            f'fill="{TEXT_COLOUR}">{escape(bar.label)}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="20" fill="{BAR_COLOUR}"/>'
        )
        end = length
        if bar.high is not None and bar.high > bar.value:
            high_length = max(2.0, bar_area * bar.high / top)
            parts.append(
                f'<rect x="{label_width + length:.1f}" y="{y + 4}" width="{high_length - length:.1f}" height="20" '
                f'fill="{RANGE_COLOUR}" stroke="{BAR_COLOUR}" stroke-width="1" stroke-dasharray="4 2"/>'
            )
            end = high_length
        parts.append(
            f'<text x="{label_width + end + 6:.1f}" y="{y + 19}" font-size="13" font-weight="bold" '
            f'fill="{TEXT_COLOUR}">{escape(bar.display)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


@dataclass(frozen=True)
class Figure:
    """One chart of the figures page with its data table, source and year."""

    key: str
    title: str
    description: str
    bars: list[Bar]
    columns: tuple[str, str]
    sources: list[tuple[str, str]]  # (source, year) for each bar
    note: str = ""
    max_value: float | None = None

    @property
    def svg(self) -> SafeString:
        return bar_chart(
            chart_id=f"chart-{self.key}", title=self.title, description=self.description, bars=self.bars,
            max_value=self.max_value,
        )

    @property
    def rows(self) -> list[tuple[str, str, str, str]]:
        return [(bar.label, bar.display, source, year) for bar, (source, year) in zip(
            self.bars, self.sources, strict=True)]


def figures() -> list[Figure]:
    """The key numbers of the topic, each read from :mod:`guidance.facts` with its source."""
    from django.utils.translation import gettext as _

    from guidance import facts as f

    def about_millions(fact: f.Fact) -> str:
        return _("about %(value)s million") % {"value": f.millions(fact.value)}

    def millions(fact: f.Fact) -> str:
        return _("%(value)s million") % {"value": f.millions(fact.value)}

    def span(fact: f.Fact) -> str:
        return _("%(low)s to %(high)s") % {"low": f.grouped(fact.value), "high": f.grouped(fact.high or fact.value)}

    def euros(fact: f.Fact) -> str:
        if fact.value >= 1_000_000:
            return _("about %(value)s million €") % {"value": f.millions(fact.value)}
        return _("about %(value)s €") % {"value": f.grouped(fact.value)}

    mental, addicted, alcohol = f.CHILDREN_MENTALLY_ILL_PARENT, f.CHILDREN_ADDICTED_PARENT, f.CHILDREN_ALCOHOL_DISORDER_PARENT
    drugs, gambling = f.CHILDREN_ILLEGAL_DRUGS_PARENT, f.CHILDREN_GAMBLING_PARENT
    strain_2015, strain_2022, multiple = f.KID_STRAIN_2015, f.KID_STRAIN_2022, f.KID_MULTIPLE_STRESSORS_2022
    help_cost, moderate, pessimistic = f.COST_PER_FAMILY, f.LATER_COSTS_MODERATE, f.LATER_COSTS_PESSIMISTIC
    offices, networks = f.YOUTH_OFFICE_MUNICIPALITIES, f.MUNICIPALITIES_WITH_FH_NETWORK
    addicted_display = _("%(value)s million (%(share)s)") % {
        "value": f.millions(addicted.value), "share": f.percent(f.ADDICTED_PARENT_SHARE.value)}
    return [
        Figure(
            key="children",
            title=_("Children in Germany with a parent with a mental illness or an addiction"),
            description=_("Bar chart in millions of children: %(mental)s with a mentally ill parent (addiction "
                          "included), %(addicted)s living at times with a parent with an addiction, %(alcohol)s "
                          "with a parent with an alcohol disorder.") % {
                "mental": about_millions(mental), "addicted": millions(addicted), "alcohol": millions(alcohol)},
            columns=(_("Group"), _("Children")),
            bars=[
                Bar(_("mentally ill parent"), float(mental.value) / 1e6, about_millions(mental)),
                Bar(_("parent with an addiction"), float(addicted.value) / 1e6, addicted_display),
                Bar(_("parent with alcohol disorder"), float(alcohol.value) / 1e6, millions(alcohol)),
            ],
            sources=[(str(mental.source), str(mental.year)), (str(addicted.source), str(addicted.year)),
                     (str(alcohol.source), str(alcohol.year))],
            note=_("Mental illness includes addiction, so the groups overlap and must not be added up."),
            max_value=4.0,
        ),
        Figure(
            key="small-groups",
            title=_("Children of parents using illegal drugs or with a gambling addiction"),
            description=_("Bar chart of two ranges: %(drugs)s children of parents using illegal drugs; "
                          "%(gambling)s children of parents with a gambling addiction.") % {
                "drugs": span(drugs), "gambling": span(gambling)},
            columns=(_("Group"), _("Children")),
            bars=[
                Bar(_("illegal drugs"), float(drugs.value), span(drugs), high=float(drugs.high or drugs.value)),
                Bar(_("gambling addiction"), float(gambling.value), span(gambling),
                    high=float(gambling.high or gambling.value)),
            ],
            sources=[(str(drugs.source), str(drugs.year)), (str(gambling.source), str(gambling.year))],
            note=_("The light, dashed part of a bar shows the range between the lower and the upper estimate."),
            max_value=160000,
        ),
        Figure(
            key="kid-0-3",
            title=_("Families with children under 3: psychological strain and multiple stressors"),
            description=_("Bar chart in per cent: parents with moderate to clinically relevant psychological "
                          "strain %(strain_2015)s in %(year_2015)s and %(strain_2022)s in %(year_2022)s; families "
                          "with three or more stressors at once %(multiple)s in %(year_multiple)s.") % {
                "strain_2015": f.percent(strain_2015.value), "year_2015": strain_2015.year,
                "strain_2022": f.percent(strain_2022.value), "year_2022": strain_2022.year,
                "multiple": f.percent(multiple.value), "year_multiple": multiple.year},
            columns=(_("Group"), _("Share")),
            bars=[
                Bar(_("psychological strain %(year)s") % {"year": strain_2015.year}, float(strain_2015.value) * 100,
                    f.percent(strain_2015.value)),
                Bar(_("psychological strain %(year)s") % {"year": strain_2022.year}, float(strain_2022.value) * 100,
                    f.percent(strain_2022.value)),
                Bar(_("three or more stressors %(year)s") % {"year": multiple.year}, float(multiple.value) * 100,
                    f.percent(multiple.value)),
            ],
            sources=[(str(strain_2015.source), str(strain_2015.year)), (str(strain_2022.source), str(strain_2022.year)),
                     (str(multiple.source), str(multiple.year))],
            max_value=40,
        ),
        Figure(
            key="costs",
            title=_("Costs of early help compared with later costs (Guter Start ins Kinderleben)"),
            description=_("Bar chart in euros: early help for one family %(help)s; later costs of an unfavourable "
                          "life course %(moderate)s (moderate scenario) and %(pessimistic)s (pessimistic "
                          "scenario).") % {
                "help": euros(help_cost), "moderate": euros(moderate), "pessimistic": euros(pessimistic)},
            columns=(_("Item"), _("Euros (rounded)")),
            bars=[
                Bar(_("early help per family"), float(help_cost.value), euros(help_cost)),
                Bar(_("later costs, moderate"), float(moderate.value), euros(moderate)),
                Bar(_("later costs, pessimistic"), float(pessimistic.value), euros(pessimistic)),
            ],
            sources=[(str(fact.source), str(fact.year)) for fact in (help_cost, moderate, pessimistic)],
            note=_("The scenario amounts are rounded; they are an approximation, not a promise of savings."),
        ),
        Figure(
            key="networks",
            title=_("Municipalities with a youth office that have a Frühe Hilfen network"),
            description=_("Bar chart: %(networks)s of %(offices)s municipalities with a youth office had a Frühe "
                          "Hilfen network (%(date)s).") % {
                "networks": f.grouped(networks.value), "offices": f.grouped(offices.value), "date": networks.note},
            columns=(_("Group"), _("Municipalities")),
            bars=[
                Bar(_("with youth office"), float(offices.value), f.grouped(offices.value)),
                Bar(_("with Frühe Hilfen network"), float(networks.value), f.grouped(networks.value)),
            ],
            sources=[(str(offices.source), str(offices.year)), (str(networks.source), str(networks.year))],
        ),
    ]
