"""The draft council resolution (Beschlussvorlage) for one municipality.

The draft is built once as a list of blocks (headings, paragraphs, lists, tables) from the
municipality's own data, then written either as an editable ``.docx`` or as a printable page,
so both always say the same. The document text is German: it is a template for German councils.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import override

from guidance import facts, selectors, tools
from portal.core.text import strip_control_characters

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PLACEHOLDER = "[bitte ergänzen]"


@dataclass
class Block:
    kind: str  # "h1", "h2", "h3", "p", "ul", "ol", "table", "note"
    text: str = ""
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # first row is the header
    caption: str = ""


@dataclass
class GapView:
    present: list
    missing: list
    coverage_percent: int | None
    without_cooperation: list = field(default_factory=list)


@dataclass
class Draft:
    municipality: object
    created: object
    estimates: list[tools.Estimate]
    partners: list
    gap: GapView
    next_steps: list
    progress: selectors.ProgressSummary
    blocks: list[Block]
    internal: bool = False

    @property
    def filename(self) -> str:
        return f"Beschlussvorlage-Entwurf-{self.municipality.slug}.docx"


_ARTICLES = (("Kreis ", "im"), ("Landkreis ", "im"), ("Stadt ", "in der"), ("Städteregion ", "in der"),
             ("Gemeinde ", "in der"), ("Region ", "in der"))


def in_place(name: str) -> str:
    """German "in" with the article a municipality's name needs: "im Kreis Heinsberg", "in der Stadt …"."""
    for prefix, article in _ARTICLES:
        if name.startswith(prefix):
            return f"{article} {name}"
    return f"in {name}"


def _n(value) -> str:
    return number_format(value, force_grouping=True)


def _pct(value) -> str:
    return number_format(value * 100, decimal_pos=1 if (value * 1000) % 10 else 0) + " %"


def gap_view(*, municipality, partners) -> GapView:
    analysis = selectors.gap_analysis_for(municipality=municipality, actors=partners)
    return GapView(
        present=list(analysis.present), missing=list(analysis.missing), coverage_percent=analysis.coverage_percent,
        without_cooperation=list(analysis.without_cooperation),
    )


def build_draft(municipality, *, internal: bool = False) -> Draft:
    """The draft for ``municipality``; its text is German whatever the reader's language. ``internal``:
    the reader may see the municipality's internal notes (who is responsible for the next steps)."""
    with override("de"):
        partners = selectors.active_actors_for(municipality=municipality)
        gap = gap_view(municipality=municipality, partners=partners)
        views = selectors.progress_for(municipality=municipality)
        estimates = tools.estimate(
            children_under_18=municipality.children_under_18, children_under_3=municipality.children_under_3
        )
        draft = Draft(
            municipality=municipality,
            created=timezone.localdate(),
            estimates=estimates,
            partners=partners,
            gap=gap,
            next_steps=selectors.next_steps(views=views, count=3),
            progress=selectors.summarise(views=views),
            blocks=[],
            internal=internal,
        )
        draft.blocks = _blocks(draft)
    return draft


def _blocks(d: Draft) -> list[Block]:
    m = d.municipality
    name = m.name
    where = in_place(name)
    b: list[Block] = [
        Block("h1", f"Beschlussvorlage (Entwurf): Koordiniertes Hilfenetzwerk für Kinder psychisch und/oder "
                    f"suchtkranker Eltern und Frühe Hilfen – {name}"),
        Block("table", rows=[
            ["Angabe", "Inhalt"],
            ["Gebietskörperschaft", name],
            ["Vorlage-Nr.", PLACEHOLDER],
            ["Beratungsfolge", "Jugendhilfeausschuss; Ausschuss für Soziales und Gesundheit; "
                               f"{'Kreistag' if m.kind in ('kreis', 'region') else 'Rat'} (bitte anpassen)"],
            ["Federführung", PLACEHOLDER],
            ["Entwurf erstellt am", d.created.strftime("%d.%m.%Y") + " mit dem Portal „Starkes Netz“"],
        ], caption="Angaben zur Vorlage"),
        Block("note", "Dies ist ein Entwurf. Bitte prüfen und ergänzen Sie alle Angaben, insbesondere die "
                      "Stellen mit „[bitte ergänzen]“, bevor Sie die Vorlage in die Beratung geben."),
        Block("h2", "Sachverhalt"),
        Block("p", f"{where[0].upper()}{where[1:]} gibt es, wie in jeder Kommune, Hilfen für Familien in "
                   "belastenden Lebenslagen. "
                   "Diese Hilfen sind spezialisiert und auf verschiedene Rechtskreise verteilt (Kinder- und "
                   "Jugendhilfe nach SGB VIII, Gesundheitswesen nach SGB V, Grundsicherung nach SGB II, "
                   "Eingliederungshilfe nach SGB IX). Gerade Familien, in denen ein Elternteil psychisch oder "
                   "suchtkrank ist, erreichen sie oft nicht oder zu spät."),
        Block("h3", "Wie viele Kinder sind betroffen?"),
    ]
    if d.estimates:
        rows = [["Gruppe", "Kinder (Basis)", "Quote", "Geschätzt betroffen", "Quelle"]]
        for e in d.estimates:
            rate = e.rate
            quote = _pct(rate.low) if not rate.is_range else f"{_pct(rate.low)} bis {_pct(rate.high)}"
            estimate = (f"rund {_n(e.rounded_low)}" if e.low == e.high or e.rounded_low == e.rounded_high
                        else f"rund {_n(e.rounded_low)} bis {_n(e.rounded_high)}")
            rows.append([str(rate.label), _n(e.children), quote, estimate, f"{rate.source} ({rate.year})"])
        b.append(Block("p", f"Überträgt man bundesweite Quoten auf die Kinder {in_place(name)}, ergibt sich "
                            "folgende Größenordnung. Es handelt sich um Schätzungen, nicht um Fallzahlen:"))
        b.append(Block("table", rows=rows, caption="Schätzung der betroffenen Kinder"))
        basis = m.figures_source or "Angabe im Register"
        if m.figures_date:
            basis += f", Stand {m.figures_date.year}"
        b.append(Block("p", f"Kinderzahlen: {basis}."))
    else:
        b.append(Block("p", f"Für {name} sind im Register noch keine Kinderzahlen hinterlegt. Bitte ergänzen Sie "
                            "die Zahl der Kinder unter 18 und unter 3 Jahren (Regionalstatistik, Tabelle 12411) "
                            f"und die geschätzte Zahl betroffener Kinder: {PLACEHOLDER}."))
    b.append(Block("h3", "Vorhandene Partner"))
    if d.partners:
        b.append(Block("p", f"Im Netzwerkregister sind für {name} derzeit {len(d.partners)} aktive Partner "
                            "erfasst:"))
        b.append(Block("ul", items=[f"{a.name} ({a.actor_type.name})" for a in d.partners[:40]]))
        if len(d.partners) > 40:
            b.append(Block("p", f"… und {len(d.partners) - 40} weitere (siehe Netzwerkregister)."))
    else:
        b.append(Block("p", f"Im Netzwerkregister sind für {name} noch keine Partner erfasst."))
    b.append(Block("h3", "Noch fehlende Partner"))
    if d.gap.missing:
        coverage = (f" Von den empfohlenen Arten von Partnern sind {d.gap.coverage_percent} % vertreten."
                    if d.gap.coverage_percent is not None else "")
        b.append(Block("p", "Nach der Lückenanalyse des Registers fehlen im Netzwerk noch folgende Arten von "
                            f"Partnern, die § 3 KKG und § 81 SGB VIII als Kooperationspartner nennen oder die "
                            f"für das Thema empfohlen sind:{coverage}"))
        b.append(Block("ul", items=[t.name for t in d.gap.missing]))
    else:
        b.append(Block("p", "Nach der Lückenanalyse des Registers sind alle empfohlenen Arten von Partnern "
                            "vertreten."))
    b.append(Block("h3", "Stand auf dem Fahrplan"))
    b.append(Block("p", f"Von den {d.progress.total} Schritten des Fahrplans sind {d.progress.done} erledigt und "
                        f"{d.progress.in_progress} in Arbeit."))
    b += [
        Block("h2", "Beschlussvorschlag"),
        Block("p", f"Der {'Kreistag' if m.kind in ('kreis', 'region') else 'Rat'} beschließt:"),
        Block("ol", items=[
            f"Die Verwaltung wird beauftragt, {in_place(name)} ein koordiniertes Hilfenetzwerk für Kinder psychisch "
            "und/oder suchtkranker Eltern aufzubauen bzw. das bestehende Netzwerk Frühe Hilfen dafür zu "
            "erweitern.",
            "Die Koordination des Netzwerks wird beim Jugendamt angesiedelt (§ 3 Abs. 3 KKG); dafür wird "
            f"ein Stellenanteil von {PLACEHOLDER} bereitgestellt.",
            "Die Verwaltung gewinnt die Partner aus Jugendhilfe, Gesundheitswesen, Suchthilfe, Psychiatrie, "
            "Jobcenter und Schule für eine schriftliche Kooperationsvereinbarung"
            + (f", insbesondere: {', '.join(t.name for t in d.gap.missing[:8])}." if d.gap.missing else "."),
            "Die Verwaltung berichtet dem Ausschuss nach zwölf Monaten über den Stand und schlägt die "
            "nächsten Schritte vor.",
        ]),
        Block("h2", "Finanzielle Auswirkungen"),
        Block("p", f"Personalkosten der Netzwerkkoordination: {PLACEHOLDER}. Sachkosten (Treffen, Fortbildung, "
                   f"Öffentlichkeitsarbeit): {PLACEHOLDER}. Mögliche Förderung, z. B. aus der Bundesstiftung "
                   f"Frühe Hilfen oder Landesprogrammen: {PLACEHOLDER}."),
        Block("p", "Zur Einordnung: Im Modellprojekt „Guter Start ins Kinderleben“ kostete die frühe Hilfe für "
                   f"eine Familie im Mittel rund {_n(int(facts.COST_PER_FAMILY.value))} Euro; die Folgekosten eines "
                   "ungünstigen Lebenslaufs lagen je nach Szenario bei rund "
                   f"{_n(int(facts.LATER_COSTS_MODERATE.value))} Euro (moderat) bzw. rund "
                   f"{facts.millions(facts.LATER_COSTS_PESSIMISTIC.value)} Millionen Euro "
                   "(pessimistisch), das Kosten-Nutzen-Verhältnis bei rund "
                   f"1:{_n(int(facts.RATIO_MODERATE.value))} bzw. 1:{_n(int(facts.RATIO_PESSIMISTIC.value))} "
                   f"(Meier-Gräwe/Wagenknecht, NZFH {facts.COST_PER_FAMILY.year}). Dies ist eine Annäherung, keine "
                   "Zusage von Einsparungen."),
        Block("h2", "Begründung"),
        Block("p", "Nach § 3 KKG sollen verbindliche Strukturen der Zusammenarbeit im Kinderschutz, "
                   "insbesondere im Bereich der Frühen Hilfen, aufgebaut werden; einbezogen werden unter anderem "
                   "Gesundheitsämter, Krankenhäuser, Beratungsstellen, Schulen und Agenturen für Arbeit. "
                   "Organisiert wird das Netzwerk in der Regel vom Jugendamt (§ 3 Abs. 3 KKG). § 81 SGB VIII verpflichtet die "
                   "Jugendhilfe zur Zusammenarbeit mit weiteren Stellen, etwa Jobcentern, Krankenkassen sowie "
                   "Schwangerschafts- und Suchtberatungsstellen."),
        Block("p", "Die Arbeitsgruppe Kinder psychisch- und suchtkranker Eltern hat 2019 empfohlen, örtliche "
                   "Netzwerke mit Lotsinnen und Lotsen an den Schnittstellen zu schaffen und ein kommunales "
                   "Gesamtkonzept zu entwickeln (BT-Drs. 19/16070, Empfehlung 18)."),
        Block("p", "Ein Beschluss gibt der Verwaltung den Auftrag und die Rückendeckung, Partner aus "
                   "verschiedenen Rechtskreisen an einen Tisch zu holen. Koordinierte Zusammenarbeit schließt "
                   "Lücken zwischen den Hilfesystemen und erreicht Familien früher."),
        Block("h3", "Nächste Schritte"),
    ]
    if d.next_steps:
        # A bulleted list: the items carry the step numbers, and Word would continue the numbering
        # of the Beschlussvorschlag in a second numbered list.
        b.append(Block("ul", items=[
            f"Schritt {v.step.number}: {v.step.title} ({v.status_label})"
            + (f" – verantwortlich: {v.progress.responsible}"
               if d.internal and v.progress and v.progress.responsible else "")
            for v in d.next_steps
        ]))
    else:
        b.append(Block("p", "Alle Schritte des Fahrplans sind erledigt; der Beschluss dient der Verstetigung."))
    b += [
        Block("h2", "Quellen"),
        Block("ul", items=sorted({f"{e.rate.source} ({e.rate.year})" for e in d.estimates}) + [
            facts.COST_STUDY,
            "Gesetz zur Kooperation und Information im Kinderschutz (KKG), § 3; SGB VIII, § 81",
            "Abschlussbericht der Arbeitsgruppe Kinder psychisch- und suchtkranker Eltern, BT-Drs. 19/16070",
        ]),
    ]
    return b


def render_docx(draft: Draft) -> bytes:
    """The draft as an editable Word document."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = Document()
    for section in document.sections:
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2)
        footer = section.footer.paragraphs[0]
        footer.text = _t(f"Entwurf – Beschlussvorlage {draft.municipality.name} – Seite ")
        _add_page_number(footer)
        footer.runs[0].font.size = Pt(9)
    styles = document.styles
    styles["Normal"].font.name = "Arial"
    styles["Normal"].font.size = Pt(11)
    core = document.core_properties
    core.title = _t(f"Beschlussvorlage (Entwurf) – {draft.municipality.name}")
    core.author = "Starkes Netz"
    core.language = "de-DE"
    for block in draft.blocks:
        if block.kind == "h1":
            document.add_heading(_t(block.text), level=0)
        elif block.kind in ("h2", "h3"):
            document.add_heading(_t(block.text), level=1 if block.kind == "h2" else 2)
        elif block.kind == "p":
            document.add_paragraph(_t(block.text))
        elif block.kind == "note":
            paragraph = document.add_paragraph()
            run = paragraph.add_run(_t(block.text))
            run.italic = True
        elif block.kind in ("ul", "ol"):
            style = "List Bullet" if block.kind == "ul" else "List Number"
            for item in block.items:
                document.add_paragraph(_t(item), style=style)
        elif block.kind == "table":
            if block.caption:
                caption = document.add_paragraph(_t(block.caption), style="Caption")
                caption.alignment = WD_ALIGN_PARAGRAPH.LEFT
            table = document.add_table(rows=0, cols=len(block.rows[0]))
            table.style = "Table Grid"
            for index, row in enumerate(block.rows):
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = _t(value)
                    if index == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
            document.add_paragraph()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _t(text: str) -> str:
    """Text as Word can hold it: control characters (refused on input, but older records may hold
    them) would make the whole document fail, so they are dropped here too."""
    return strip_control_characters(text)


def _add_page_number(paragraph) -> None:
    """A PAGE field, so Word shows the current page number in the footer."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = "PAGE"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(instruction)
    run._r.append(end)
