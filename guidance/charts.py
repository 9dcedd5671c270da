"""Server-side SVG charts for the figures page.

Each chart is a horizontal bar chart with the value written beside every bar, so nothing
depends on colour; the page shows a data table with source and year beside each chart.
SVG uses presentation attributes only (the Content-Security-Policy forbids inline styles).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_COLOUR = "#0b4a7d"
RANGE_COLOUR = "#7fa8cc"
TEXT_COLOUR = "#212529"  # for the PNG; the SVG uses the text colour of the page
SVG_TEXT = "currentColor"  # follows the page colour, and CanvasText in forced colours


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    display: str  # the value as text in the reader's language, e.g. "12,5 Mio." or "12,5 %"
    high: float | None = None  # upper end of a range
    qualifier: str = ""  # what the value counts, shown under the label, e.g. "in the course of a year"

    @property
    def full_label(self) -> str:
        return f"{self.label} ({self.qualifier})" if self.qualifier else self.label


def bar_chart(*, chart_id: str, title: str, description: str, bars: list[Bar], max_value: float | None = None,
              width: int = 720) -> SafeString:
    label_width = 250
    value_width = 190
    bar_area = width - label_width - value_width
    row = 34
    height = row * len(bars) + 16
    top = max_value or max((b.high or b.value) for b in bars) or 1
    # A margin on both sides and overflow="visible": labels set with more letter and word spacing (WCAG
    # 1.4.12) grow beyond their column instead of being cut off.
    margin = 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-{margin} 0 {width + 2 * margin} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="guidance-chart" '
        f'preserveAspectRatio="xMinYMin meet" overflow="visible">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<line x1="{label_width}" y1="4" x2="{label_width}" y2="{height - 8}" stroke="{SVG_TEXT}" '
        f'stroke-width="1"/>',
    ]
    for index, bar in enumerate(bars):
        y = 8 + index * row
        length = max(2.0, bar_area * bar.value / top)
        if bar.qualifier:  # two lines: the label, and below it in smaller type what the value counts
            parts.append(
                f'<text x="{label_width - 8}" y="{y + 13}" text-anchor="end" font-size="13" '
                f'fill="{SVG_TEXT}">{escape(bar.label)}</text>'
                f'<text x="{label_width - 8}" y="{y + 28}" text-anchor="end" font-size="11" '
                f'fill="{SVG_TEXT}">{escape(bar.qualifier)}</text>'
            )
        else:
            parts.append(
                f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="13" '
                f'fill="{SVG_TEXT}">{escape(bar.label)}</text>'
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
            f'fill="{SVG_TEXT}">{escape(bar.display)}</text>'
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
    def filename(self) -> str:
        return f"starkes-netz-grafik-{self.key}"

    @property
    def rows(self) -> list[tuple[str, str, str, str]]:
        return [(bar.full_label, bar.display, source, year) for bar, (source, year) in zip(
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
                          "included) %(qualifier)s, %(addicted)s living at times with a parent with an addiction, "
                          "%(alcohol)s with a parent with an alcohol disorder.") % {
                "mental": about_millions(mental), "qualifier": f.IN_THE_COURSE_OF_A_YEAR,
                "addicted": millions(addicted), "alcohol": millions(alcohol)},
            columns=(_("Group"), _("Children")),
            bars=[
                Bar(_("mentally ill parent"), float(mental.value) / 1e6, about_millions(mental),
                    qualifier=str(f.IN_THE_COURSE_OF_A_YEAR)),
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
            note=_("The scenario amounts are rounded; they are an approximation, not a promise of savings. The "
                   "study's ratios of 1:%(ratio_moderate)s and 1:%(ratio_pessimistic)s compare the later costs with "
                   "the costs of prevention over a child's whole life course (about %(prevention_moderate)s € and "
                   "%(prevention_pessimistic)s €), not with early help for one family; measured against early "
                   "help, the later costs are about %(multiple_moderate)s and %(multiple_pessimistic)s times as "
                   "high.") % {
                "ratio_moderate": f.grouped(f.RATIO_MODERATE.value),
                "ratio_pessimistic": f.grouped(f.RATIO_PESSIMISTIC.value),
                "prevention_moderate": f.grouped(f.PREVENTION_COSTS_MODERATE.value),
                "prevention_pessimistic": f.grouped(f.PREVENTION_COSTS_PESSIMISTIC.value),
                "multiple_moderate": f.grouped(f.LATER_COSTS_MULTIPLE_MODERATE.value),
                "multiple_pessimistic": f.grouped(f.LATER_COSTS_MULTIPLE_PESSIMISTIC.value)},
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


def figure_by_key(key: str) -> Figure | None:
    return next((figure for figure in figures() if figure.key == key), None)


# --- Downloads: the chart as a file of its own (SVG) and as a picture (PNG) -----------------------------
FILE_WIDTH = 720
_FONTS = Path(__file__).resolve().parent / "fonts"


def _source_line(figure: Figure) -> str:
    from django.utils.translation import gettext as _

    sources = "; ".join(dict.fromkeys(f"{source} ({year})" for source, year in figure.sources))
    return _("Source: %(sources)s") % {"sources": sources}


def svg_file(figure: Figure) -> bytes:
    """The chart as a standalone SVG file: title, the bars, the note and the sources, on white, with
    a font named (the page's style sheet is not there to give one)."""
    chart = str(figure.svg)
    inner = chart[chart.index(">") + 1: chart.rindex("</svg>")]
    viewbox = chart.split('viewBox="', 1)[1].split('"', 1)[0]
    chart_height = int(viewbox.split()[3])
    lines = [figure.note, _source_line(figure)] if figure.note else [_source_line(figure)]
    wrapped = [part for line in lines for part in _wrap(str(line), 95)]
    titles = _wrap(str(figure.title), 68)
    top = 16 + 22 * len(titles)
    height = top + chart_height + 12 + 18 * len(wrapped)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {FILE_WIDTH} {height}" width="{FILE_WIDTH}" '
        f'height="{height}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" role="img" '
        f'color="{TEXT_COLOUR}">',  # a file of its own: currentColor is this dark grey on its white ground
        f'<rect width="{FILE_WIDTH}" height="{height}" fill="#ffffff"/>',
        *(f'<text x="8" y="{24 + 22 * index}" font-size="16" font-weight="bold" fill="{SVG_TEXT}">'
          f'{escape(line)}</text>' for index, line in enumerate(titles)),
        f'<g transform="translate(0 {top})">{inner}</g>',
    ]
    for index, line in enumerate(wrapped):
        parts.append(f'<text x="8" y="{top + chart_height + 16 + 18 * index}" font-size="12" '
                     f'fill="{SVG_TEXT}">{escape(line)}</text>')
    parts.append("</svg>\n")
    return "".join(parts).encode()


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [""]


def png_file(figure: Figure, *, scale: int = 2) -> bytes:
    """The chart as a PNG, drawn on the server with Pillow in the same layout as the SVG (twice the size,
    for sharp print), with the fonts in ``guidance/fonts``."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
        return ImageFont.truetype(str(_FONTS / name), size * scale)

    titles = _wrap(str(figure.title), 68)
    label_width, value_width, row, top = 250, 190, 34, 16 + 22 * len(titles)
    bar_area = FILE_WIDTH - label_width - value_width
    chart_height = row * len(figure.bars) + 16
    lines = [figure.note, _source_line(figure)] if figure.note else [_source_line(figure)]
    wrapped = [part for line in lines for part in _wrap(str(line), 95)]
    height = top + chart_height + 12 + 18 * len(wrapped)
    image = Image.new("RGB", (FILE_WIDTH * scale, height * scale), "white")
    draw = ImageDraw.Draw(image)

    def s(*values: float) -> list[float]:
        return [value * scale for value in values]

    for index, line in enumerate(titles):
        draw.text(s(8, 24 + 22 * index), line, font=font(16, bold=True), fill=TEXT_COLOUR, anchor="ls")
    peak = figure.max_value or max((b.high or b.value) for b in figure.bars) or 1
    draw.line(s(label_width, top + 4, label_width, top + chart_height - 8), fill=TEXT_COLOUR, width=scale)
    for index, bar in enumerate(figure.bars):
        y = top + 8 + index * row
        length = max(2.0, bar_area * bar.value / peak)
        draw.text(s(label_width - 8, y + 17), bar.label, font=font(13), fill=TEXT_COLOUR, anchor="rs")
        draw.rectangle(s(label_width, y + 4, label_width + length, y + 24), fill=BAR_COLOUR)
        end = length
        if bar.high is not None and bar.high > bar.value:
            high_length = max(2.0, bar_area * bar.high / peak)
            draw.rectangle(s(label_width + length, y + 4, label_width + high_length, y + 24), fill=RANGE_COLOUR,
                           outline=BAR_COLOUR, width=scale)
            end = high_length
        draw.text(s(label_width + end + 6, y + 19), bar.display, font=font(13, bold=True), fill=TEXT_COLOUR,
                  anchor="ls")
    for index, line in enumerate(wrapped):
        draw.text(s(8, top + chart_height + 16 + 18 * index), line, font=font(12), fill=TEXT_COLOUR, anchor="ls")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
