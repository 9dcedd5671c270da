"""Committee slides (.pptx, 16:9) for a municipality: the problem, its estimate with sources, costs and
benefits of Frühe Hilfen, the network's gaps and the proposed resolution.

Charts are native PowerPoint charts (editable, their data travel with the file); every figure comes from
:mod:`guidance.tools` and :mod:`guidance.facts`. Text is German and marked so for proofing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import override

from guidance import facts, selectors, tools
from guidance.documents.context import (
    OVERLAP_NOTE,
    Body,
    Figures,
    body_for,
    estimate_text,
    figures_for,
    in_place,
    n,
    proposal_items,
    rate_text,
    recorded_resolution,
)

PPTX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
LANGUAGE = "de-DE"
WIDTH_CM, HEIGHT_CM = 33.867, 19.05  # 16:9 (13.333 × 7.5 inches)
DARK = (0x0B, 0x4A, 0x7D)  # the portal's chart colour
LIGHT = (0x7F, 0xA8, 0xCC)
TYPES_SHOWN = 12

_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
_PRINTER_SETTINGS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/printerSettings"


@dataclass
class Deck:
    municipality: Any
    body: Body
    figures: Figures
    present: list
    missing: list
    coverage_percent: int | None
    partner_count: int
    proposal: list[str]
    follow_up: bool
    costs: tools.CostResult

    @property
    def filename(self) -> str:
        return f"Praesentation-Ausschuss-{self.municipality.slug}.pptx"

    @property
    def title(self) -> str:
        return f"Netzwerk für Kinder psychisch und suchtkranker Eltern – {self.municipality.name}"


def build_deck(municipality: Any, *, internal: bool = False) -> Deck:
    with override("de"):
        partners = selectors.active_actors_for(municipality=municipality)
        gap = selectors.gap_analysis_for(municipality=municipality, actors=partners)
        views = selectors.progress_for(municipality=municipality)
        body = body_for(municipality)
        follow_up = recorded_resolution(views=views, internal=internal) is not None
        missing = list(gap.missing)
        return Deck(
            municipality=municipality, body=body, figures=figures_for(municipality), present=list(gap.present),
            missing=missing, coverage_percent=gap.coverage_percent, partner_count=len(partners),
            proposal=proposal_items(municipality=municipality, body=body, follow_up=follow_up,
                                    missing=[t.name for t in missing]),
            follow_up=follow_up, costs=tools.costs(families=1),
        )


def render_pptx(deck: Deck) -> bytes:
    from pptx import Presentation
    from pptx.util import Cm

    with override("de"):
        prs = Presentation()
        prs.slide_width, prs.slide_height = Cm(WIDTH_CM), Cm(HEIGHT_CM)
        _title_slide(prs, deck)
        _problem_slide(prs)
        _estimate_slide(prs, deck)
        _costs_slide(prs, deck)
        _network_slide(prs, deck)
        _proposal_slide(prs, deck)
        _sources_slide(prs, deck)
        _finish(prs, deck)
        buffer = io.BytesIO()
        prs.save(buffer)
    return buffer.getvalue()


# --- Slides --------------------------------------------------------------------------------------------
def _slide(prs: Any, title: str) -> Any:
    from pptx.util import Cm, Pt

    slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only": a real title for screen readers
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = Cm(1.5), Cm(0.8), Cm(WIDTH_CM - 3), Cm(2.4)
    shape.text = title
    for paragraph in shape.text_frame.paragraphs:
        paragraph.alignment = 1  # left
        for run in paragraph.runs:
            run.font.size = Pt(32 if len(title) <= 45 else 26)  # one line on the slide
            run.font.bold = True
            run.font.color.rgb = _rgb(DARK)
    return slide


def _text(slide: Any, left: float, top: float, width: float, height: float, paragraphs: list[str], *,
          size: int = 20, bullets: bool = True, numbered: bool = False) -> Any:
    from pptx.util import Cm, Pt

    box = slide.shapes.add_textbox(Cm(left), Cm(top), Cm(width), Cm(height))
    frame = box.text_frame
    frame.word_wrap = True
    for index, text in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        prefix = f"{index + 1}. " if numbered else ("• " if bullets else "")
        paragraph.text = prefix + text
        paragraph.space_after = Pt(size * 0.5)
        for run in paragraph.runs:
            run.font.size = Pt(size)
    return box


def _title_slide(prs: Any, deck: Deck) -> None:
    from pptx.util import Cm, Pt

    slide = prs.slides.add_slide(prs.slide_layouts[0])
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    title.left, title.top, title.width, title.height = Cm(2), Cm(4.5), Cm(WIDTH_CM - 4), Cm(5)
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = Cm(2), Cm(10.5), Cm(WIDTH_CM - 4), Cm(4)
    title.text = "Kinder psychisch und suchtkranker Eltern: ein Netzwerk, das hilft"
    for run in title.text_frame.paragraphs[0].runs:
        run.font.size, run.font.bold, run.font.color.rgb = Pt(40), True, _rgb(DARK)
    purpose = "Fortschreibung des Beschlusses" if deck.follow_up else "Vorschlag für einen Beschluss"
    subtitle.text = f"{deck.municipality.name} – {purpose}"
    line = subtitle.text_frame.add_paragraph()
    line.text = f"Vorlage für den Ausschuss und den {deck.body.council}, {timezone.localdate().strftime('%d.%m.%Y')}"
    for paragraph in subtitle.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(24)


def _problem_slide(prs: Any) -> None:
    slide = _slide(prs, "Das Problem")
    mental, addicted, share = facts.CHILDREN_MENTALLY_ILL_PARENT, facts.CHILDREN_ADDICTED_PARENT, facts.ADDICTED_PARENT_SHARE
    _text(slide, 1.5, 3.6, WIDTH_CM - 3, 14, [
        f"Rund {facts.millions(mental.value)} Millionen Kinder in Deutschland erleben im Verlauf eines Jahres, "
        f"dass ein Elternteil psychisch erkrankt ist, Suchterkrankungen eingeschlossen ({mental.source}, "
        f"{mental.year}).",
        f"{facts.millions(addicted.value)} Millionen Kinder ({facts.percent(share.value)}) leben zeitweise mit "
        f"einem suchtkranken Elternteil ({addicted.source}, {addicted.year}).",
        "Hilfen gibt es in jeder Kommune, aber verteilt auf Jugendhilfe (SGB VIII), Gesundheitswesen (SGB V), "
        "Grundsicherung (SGB II) und Eingliederungshilfe (SGB IX).",
        "Gerade die Familien, die Hilfe am nötigsten haben, finden sie am seltensten. Abgestimmte "
        "Zusammenarbeit schließt diese Lücken.",
    ], size=22)


def _estimate_slide(prs: Any, deck: Deck) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Cm, Pt

    name = deck.municipality.name
    slide = _slide(prs, f"Wie viele Kinder sind es {in_place(name)}?")
    estimates = deck.figures.estimates
    if not estimates:
        _text(slide, 1.5, 3.6, WIDTH_CM - 3, 10, [
            f"Für {name} liegen im Netzwerkregister noch keine Einwohner- oder Kinderzahlen vor.",
            "Bitte ergänzen Sie die Zahl der Kinder unter 18 und unter 3 Jahren (Regionalstatistik, Tabelle "
            "12411); das Portal schätzt dann die Zahl der betroffenen Kinder.",
        ])
        return
    data = CategoryChartData(number_format="#,##0")
    data.categories = [str(e.rate.label) for e in estimates]
    data.add_series("untere Schätzung", [e.rounded_low for e in estimates])
    data.add_series("obere Schätzung", [e.rounded_high for e in estimates])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Cm(1.5), Cm(3.4), Cm(18), Cm(11.2), data)
    chart = frame.chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(12)
    chart.font.size = Pt(12)
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format = "#,##0"
    plot.data_labels.number_format_is_linked = False
    plot.data_labels.font.size = Pt(11)
    plot.gap_width = 60
    for series, colour in zip(plot.series, (LIGHT, DARK), strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(colour)
    _axes(chart)
    lines = []
    children = deck.figures.children
    if children.under_18 is not None:
        lines.append(f"Kinder unter 18 Jahren: {n(children.under_18)}")
    if children.under_3 is not None:
        lines.append(f"Kinder unter 3 Jahren: {n(children.under_3)}")
    lines.append(f"Quelle der Kinderzahlen: {deck.figures.source_text(deck.municipality)}.")
    lines += [f"{e.rate.label}: {rate_text(e.rate)}, {estimate_text(e)} (Quelle: {e.rate.source}, {e.rate.year})"
              for e in estimates]
    _text(slide, 20.0, 3.4, WIDTH_CM - 21.5, 15.2, lines, size=10)
    _text(slide, 1.5, 14.8, 18, 3.8, ["Schätzungen, keine Fallzahlen. " + OVERLAP_NOTE], size=12, bullets=False)


def _costs_slide(prs: Any, deck: Deck) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Cm, Pt

    slide = _slide(prs, "Kosten und Nutzen Früher Hilfen")
    help_cost, moderate, pessimistic = facts.COST_PER_FAMILY, facts.LATER_COSTS_MODERATE, facts.LATER_COSTS_PESSIMISTIC
    data = CategoryChartData(number_format='#,##0 "€"')
    data.categories = ["Frühe Hilfe für eine Familie", "Folgekosten, moderates Szenario",
                       "Folgekosten, pessimistisches Szenario"]
    data.add_series("Euro je Kind bzw. Familie", [int(help_cost.value), int(moderate.value), int(pessimistic.value)])
    frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Cm(1.5), Cm(3.4), Cm(18), Cm(10.5), data)
    chart = frame.chart
    chart.has_legend = False
    chart.font.size = Pt(12)
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format = '#,##0 "€"'
    plot.data_labels.number_format_is_linked = False
    plot.gap_width = 50
    plot.series[0].format.fill.solid()
    plot.series[0].format.fill.fore_color.rgb = _rgb(DARK)
    chart.has_title = False
    _axes(chart)
    moderate_s, pessimistic_s = deck.costs.scenarios
    _text(slide, 20.5, 3.6, WIDTH_CM - 22, 10.5, [
        f"Frühe Hilfe für eine Familie kostete im Modellprojekt „Guter Start ins Kinderleben“ im Mittel rund "
        f"{n(deck.costs.cost_of_help)} Euro.",
        f"Die Folgekosten eines ungünstigen Lebenslaufs sind rund das {n(moderate_s.multiple_of_help)}-Fache "
        f"(moderat) bis {n(pessimistic_s.multiple_of_help)}-Fache (pessimistisch) davon.",
        f"Über den ganzen Lebenslauf gerechnet ergibt die Studie ein Verhältnis von Kosten zu Nutzen von rund "
        f"1:{moderate_s.ratio} bis 1:{pessimistic_s.ratio}.",
    ], size=16)
    _text(slide, 1.5, 14.3, WIDTH_CM - 3, 4, [
        "Eine Annäherung unter den Annahmen der Studie, keine Zusage von Einsparungen. Quelle: "
        f"{facts.COST_STUDY}."], size=12, bullets=False)


def _network_slide(prs: Any, deck: Deck) -> None:
    where = in_place(deck.municipality.name)
    slide = _slide(prs, "Wer fehlt noch im Netzwerk?")
    coverage = (f" – {deck.coverage_percent} % der empfohlenen Arten" if deck.coverage_percent is not None else "")
    present = [t.name for t in deck.present[:TYPES_SHOWN]]
    if len(deck.present) > TYPES_SHOWN:
        present.append(f"und {len(deck.present) - TYPES_SHOWN} weitere")
    missing = [t.name for t in deck.missing[:TYPES_SHOWN]]
    if len(deck.missing) > TYPES_SHOWN:
        missing.append(f"und {len(deck.missing) - TYPES_SHOWN} weitere")
    _text(slide, 1.5, 3.4, 15, 1.6, [f"Schon dabei {where} ({deck.partner_count} aktive Partner{coverage})"],
          size=18, bullets=False)
    _text(slide, 1.5, 5.4, 15, 11.8, present or ["Noch keine Partner im Netzwerkregister erfasst."], size=14)
    _text(slide, 17.4, 3.4, 15, 1.4, ["Noch nicht vertreten"], size=18, bullets=False)
    _text(slide, 17.4, 5.4, 15, 11.8, missing or ["Alle empfohlenen Partnerarten sind vertreten."], size=14)
    _text(slide, 1.5, 17.4, WIDTH_CM - 3, 1.2, [
        "Quelle: Netzwerkregister des Portals „Starkes Netz“; empfohlene Partner nach § 3 Abs. 2 KKG, "
        f"§ 81 SGB VIII und für das Thema; Stand {timezone.localdate().strftime('%d.%m.%Y')}."], size=11, bullets=False)


def _proposal_slide(prs: Any, deck: Deck) -> None:
    title = "Vorschlag: den Beschluss fortschreiben" if deck.follow_up else "Vorschlag für den Beschluss"
    slide = _slide(prs, title)
    _text(slide, 1.5, 3.4, WIDTH_CM - 3, 1.4, [f"Der {deck.body.council} beschließt:"], size=20, bullets=False)
    _text(slide, 1.5, 4.9, WIDTH_CM - 3, 13.5, deck.proposal, size=18, bullets=False, numbered=True)


def _sources_slide(prs: Any, deck: Deck) -> None:
    slide = _slide(prs, "Quellen")
    sources = sorted({f"{e.rate.source} ({e.rate.year})" for e in deck.figures.estimates})
    sources += [
        f"{facts.CHILDREN_MENTALLY_ILL_PARENT.source} ({facts.CHILDREN_MENTALLY_ILL_PARENT.year})",
        facts.COST_STUDY,
        f"Kinderzahlen {in_place(deck.municipality.name)}: {deck.figures.source_text(deck.municipality)}"
        if deck.figures.children.known else "",
        "Gesetz zur Kooperation und Information im Kinderschutz (KKG), § 3; SGB VIII, § 81",
        "Abschlussbericht der Arbeitsgruppe Kinder psychisch- und suchtkranker Eltern, BT-Drs. 19/16070",
    ]
    _text(slide, 1.5, 3.4, WIDTH_CM - 3, 15, [s for s in dict.fromkeys(sources) if s], size=13)


# --- The package: German, metadata, no template artefacts -----------------------------------------------
def _axes(chart: Any) -> None:
    """Categories top down in the order of the data, the value axis below them, values grouped."""
    from pptx.enum.chart import XL_TICK_LABEL_POSITION
    from pptx.util import Pt

    category_axis, value_axis = chart.category_axis, chart.value_axis
    category_axis.reverse_order = True
    category_axis.tick_labels.font.size = Pt(11)
    value_axis.tick_label_position = XL_TICK_LABEL_POSITION.HIGH  # below the bars, with categories reversed
    value_axis.tick_labels.font.size = Pt(10)
    value_axis.tick_labels.number_format = "#,##0"
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.has_major_gridlines = True


def _rgb(colour: tuple[int, int, int]) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor(*colour)


def _finish(prs: Any, deck: Deck) -> None:
    from pptx.oxml.ns import qn

    name = deck.municipality.name
    core = prs.core_properties
    now = timezone.now().replace(microsecond=0)
    core.title = deck.title
    core.subject = "Präsentation für den Ausschuss: Hilfenetzwerk, Schätzung, Kosten und Nutzen, Beschlussvorschlag"
    core.author = name
    core.last_modified_by = name
    core.keywords = "Kinder psychisch kranker Eltern; Frühe Hilfen; Beschlussvorschlag; Netzwerk"
    core.comments = "Entwurf, erstellt mit dem Portal „Starkes Netz“"
    core.category = "Entwurf"
    core.language = LANGUAGE
    core.created = now
    core.modified = now
    core.revision = 1
    package = prs.part.package
    for source, reltype in ((package, _THUMBNAIL), (prs.part, _PRINTER_SETTINGS)):
        for r_id, relationship in list(source._rels.items()):
            if relationship.reltype == reltype:
                source._rels.pop(r_id)  # a part nothing refers to is not saved
    # German for proofing on every text run and every default of masters, layouts, slides and charts.
    for part in package.iter_parts():
        element = getattr(part, "_element", None)
        if element is None:
            continue
        for tag in ("a:rPr", "a:defRPr", "a:endParaRPr"):
            for properties in element.iter(qn(tag)):
                properties.set("lang", LANGUAGE)
        for run in element.iter(qn("a:r")):
            if run.find(qn("a:rPr")) is None:
                run.get_or_add_rPr().set("lang", LANGUAGE)
        for lang in element.iter(qn("c:lang")):
            lang.set("val", LANGUAGE)
