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
    display: str  # the value as text, e.g. "3,8 Mio." or "15,7 %"
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
    """The key numbers of the topic (domain-facts section 2 and 3), with their sources."""
    from django.utils.translation import gettext as _

    return [
        Figure(
            key="children",
            title=_("Children in Germany with a parent with a mental illness or an addiction"),
            description=_("Bar chart in millions of children: about 3.8 million with a mentally ill parent "
                          "(addiction included), 2.69 million living at times with a parent with an addiction, "
                          "2.65 million with a parent with an alcohol disorder."),
            columns=(_("Group"), _("Children")),
            bars=[
                Bar(_("mentally ill parent"), 3.8, _("about 3.8 million")),
                Bar(_("parent with an addiction"), 2.69, _("2.69 million (18 %)")),
                Bar(_("parent with alcohol disorder"), 2.65, _("2.65 million")),
            ],
            sources=[
                (_("Federal Government answer, BT-Drs. 18/11848 (estimate of the BMFSFJ)"), "2017"),
                (_("Kreis Heinsberg, database of inter-municipal cooperation NRW, citing addiction research"),
                 "2016"),
                (_("M. Klein, Aus Politik und Zeitgeschichte (bpb)"), _("not stated in the source")),
            ],
            note=_("Mental illness includes addiction, so the groups overlap and must not be added up."),
            max_value=4.0,
        ),
        Figure(
            key="small-groups",
            title=_("Children of parents using illegal drugs or with a gambling addiction"),
            description=_("Bar chart of two ranges: 40,000 to 60,000 children of parents using illegal drugs; "
                          "37,500 to 150,000 children of parents with a gambling addiction."),
            columns=(_("Group"), _("Children")),
            bars=[
                Bar(_("illegal drugs"), 40000, _("40,000 to 60,000"), high=60000),
                Bar(_("gambling addiction"), 37500, _("37,500 to 150,000"), high=150000),
            ],
            sources=[
                (_("NACOA Deutschland"), _("not stated in the source")),
                (_("NACOA Deutschland"), _("not stated in the source")),
            ],
            note=_("The light, dashed part of a bar shows the range between the lower and the upper estimate."),
            max_value=160000,
        ),
        Figure(
            key="kid-0-3",
            title=_("Families with children under 3: psychological strain and multiple stressors"),
            description=_("Bar chart in per cent: parents with moderate to clinically relevant psychological "
                          "strain 15.7 % in 2015 and 21.5 % in 2022; families with three or more stressors at "
                          "once 33.9 % in 2022."),
            columns=(_("Group"), _("Share")),
            bars=[
                Bar(_("psychological strain 2015"), 15.7, "15,7 %"),
                Bar(_("psychological strain 2022"), 21.5, "21,5 %"),
                Bar(_("three or more stressors 2022"), 33.9, "33,9 %"),
            ],
            sources=[
                (_("KiD 0-3, NZFH; Hänelt et al., Bundesgesundheitsblatt 2024;67(12):1359-67"), "2015"),
                (_("KiD 0-3 2022, NZFH; Hänelt et al., Bundesgesundheitsblatt 2024;67(12):1359-67"), "2022"),
                (_("KiD 0-3 2022, NZFH"), "2022"),
            ],
            max_value=40,
        ),
        Figure(
            key="costs",
            title=_("Costs of early help compared with later costs (Guter Start ins Kinderleben)"),
            description=_("Bar chart in euros: early help for one family about 7,274 euros; later costs of an "
                          "unfavourable life course about 432,950 euros (moderate scenario) and about 1.16 "
                          "million euros (pessimistic scenario)."),
            columns=(_("Item"), _("Euros (rounded)")),
            bars=[
                Bar(_("early help per family"), 7274, _("about 7,274 €")),
                Bar(_("later costs, moderate"), 432950, _("about 432,950 €")),
                Bar(_("later costs, pessimistic"), 1160000, _("about 1.16 million €")),
            ],
            sources=[
                (_("Meier-Gräwe & Wagenknecht, Kosten und Nutzen Früher Hilfen, NZFH 2011"), "2011"),
                (_("Meier-Gräwe & Wagenknecht, Kosten und Nutzen Früher Hilfen, NZFH 2011"), "2011"),
                (_("Meier-Gräwe & Wagenknecht, Kosten und Nutzen Früher Hilfen, NZFH 2011"), "2011"),
            ],
            note=_("The scenario amounts are rounded; they are an approximation, not a promise of savings."),
        ),
        Figure(
            key="networks",
            title=_("Municipalities with a youth office that have a Frühe Hilfen network"),
            description=_("Bar chart: 567 of 570 municipalities with a youth office had a Frühe Hilfen "
                          "network on 31 December 2020."),
            columns=(_("Group"), _("Municipalities")),
            bars=[
                Bar(_("with youth office"), 570, "570"),
                Bar(_("with Frühe Hilfen network"), 567, "567"),
            ],
            sources=[
                (_("fruehehilfen.de (NZFH)"), "2020"),
                (_("fruehehilfen.de (NZFH)"), "2020"),
            ],
        ),
    ]
