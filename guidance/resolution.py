"""The draft council resolution (Beschlussvorlage) for one municipality.

The draft is built once as a list of blocks (headings, paragraphs, lists, tables) from the
municipality's own data, then written either as an editable ``.docx`` or as a printable page,
so both always say the same. The document text is German: it is a template for German councils.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import override

from guidance import facts, selectors, tools
from guidance.documents import word
from guidance.documents.blocks import Block
from guidance.documents.context import (
    OVERLAP_NOTE,
    PLACEHOLDER,
    Body,
    RecordedResolution,
    body_for,
    estimate_text,
    in_place,
    n,
    pct,
    progress_prose,
    rate_text,
    recorded_resolution,
)
from guidance.documents.context import proposal_items as context_proposal_items

DOCX_CONTENT_TYPE = word.DOCX_CONTENT_TYPE

__all__ = ["Block", "DOCX_CONTENT_TYPE", "Draft", "GapView", "PLACEHOLDER", "build_draft", "gap_view",
           "in_place", "render_docx"]


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
    figures: tools.ChildFigures | None = None
    internal: bool = False
    body: Body | None = None
    recorded: RecordedResolution | None = None  # a resolution already passed: the draft is a follow-up
    progress_text: str = ""

    @property
    def filename(self) -> str:
        return f"Beschlussvorlage-Entwurf-{self.municipality.slug}.docx"

    @property
    def follow_up(self) -> bool:
        return self.recorded is not None


def gap_view(*, municipality, partners) -> GapView:
    analysis = selectors.gap_analysis_for(municipality=municipality, actors=partners)
    return GapView(
        present=list(analysis.present), missing=list(analysis.missing), coverage_percent=analysis.coverage_percent,
        without_cooperation=list(analysis.without_cooperation),
    )


def build_draft(municipality, *, internal: bool = False) -> Draft:
    """The draft for ``municipality``; its text is German whatever the reader's language. ``internal``:
    the reader may see the municipality's internal notes (who is responsible for the next steps, the
    recorded resolution's session and reference)."""
    with override("de"):
        partners = selectors.active_actors_for(municipality=municipality)
        gap = gap_view(municipality=municipality, partners=partners)
        views = selectors.progress_for(municipality=municipality)
        figures = tools.child_figures(municipality)
        estimates = tools.estimate(children_under_18=figures.under_18, children_under_3=figures.under_3)
        draft = Draft(
            municipality=municipality,
            created=timezone.localdate(),
            estimates=estimates,
            figures=figures,
            partners=partners,
            gap=gap,
            next_steps=selectors.next_steps(views=views, count=3),
            progress=selectors.summarise(views=views),
            blocks=[],
            internal=internal,
            body=body_for(municipality),
            recorded=recorded_resolution(views=views, internal=internal),
            progress_text=progress_prose(views=views),
        )
        draft.blocks = _blocks(draft)
    return draft


TOPIC = "Koordiniertes Hilfenetzwerk für Kinder psychisch und/oder suchtkranker Eltern und Frühe Hilfen"


def _blocks(d: Draft) -> list[Block]:
    m = d.municipality
    body = d.body or body_for(m)
    name = m.name
    where = in_place(name)
    title = (f"Beschlussvorlage (Entwurf): Fortschreibung – {TOPIC} – {name}" if d.follow_up
             else f"Beschlussvorlage (Entwurf): {TOPIC} – {name}")
    committees = "Jugendhilfeausschuss; Ausschuss für Soziales und Gesundheit" if body.own_youth_office \
        else "Ausschuss für Soziales, Jugend und Familie"
    b: list[Block] = [
        Block("h1", title),
        Block("table", rows=[
            ["Angabe", "Inhalt"],
            ["Gebietskörperschaft", name],
            ["Vorlage-Nr.", PLACEHOLDER],
            ["Beratungsfolge", f"{committees}; {body.council} (bitte an die örtliche Zuständigkeit anpassen)"],
            ["Federführung", PLACEHOLDER],
            ["Entwurf erstellt am", d.created.strftime("%d.%m.%Y") + " mit dem Portal „Starkes Netz“"],
        ], caption="Angaben zur Vorlage", widths=(1, 2.6)),
        Block("note", "Dies ist ein Entwurf. Bitte prüfen und ergänzen Sie alle Angaben, insbesondere die "
                      f"Stellen mit „{PLACEHOLDER}“, bevor Sie die Vorlage in die Beratung geben."),
        Block("h2", "Sachverhalt"),
    ]
    if d.follow_up:
        b.append(Block("p", _earlier_resolution(d)))
    b.append(Block("p", f"{where[0].upper()}{where[1:]} gibt es, wie in jeder Kommune, Hilfen für Familien in "
                        "belastenden Lebenslagen. Diese Hilfen sind spezialisiert und auf verschiedene Rechtskreise "
                        "verteilt (Kinder- und Jugendhilfe nach SGB VIII, Gesundheitswesen nach SGB V, "
                        "Grundsicherung nach SGB II, Eingliederungshilfe nach SGB IX). Gerade Familien, in denen "
                        "ein Elternteil psychisch oder suchtkrank ist, erreichen sie oft nicht oder zu spät."))
    if not body.own_youth_office:
        b.append(Block("p", f"{name} hat kein eigenes Jugendamt. Zuständig für die Kinder- und Jugendhilfe und "
                            f"für das Netzwerk nach § 3 KKG ist {body.youth_office}. Die Gemeinde trägt mit ihren "
                            "Einrichtungen (Kindertagesstätten, Schulen, Familienzentren, Beratungsangeboten) und "
                            "ihrer Kenntnis der Familien vor Ort wesentlich dazu bei, dass das Netzwerk wirkt."))
    b.append(Block("h3", "Wie viele Kinder sind betroffen?"))
    b += _estimate_blocks(d)
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
        coverage = (f" Von den empfohlenen Partnerarten sind {d.gap.coverage_percent} % vertreten."
                    if d.gap.coverage_percent is not None else "")
        b.append(Block("p", "Nach der Lückenanalyse des Netzwerkregisters fehlen im Netzwerk noch folgende "
                            "Partnerarten, die § 3 KKG und § 81 SGB VIII als Kooperationspartner nennen oder die "
                            f"für das Thema empfohlen sind:{coverage}"))
        b.append(Block("ul", items=[t.name for t in d.gap.missing]))
    else:
        b.append(Block("p", "Nach der Lückenanalyse des Netzwerkregisters sind alle empfohlenen Partnerarten "
                            "vertreten."))
    b.append(Block("h3", "Bisheriger Stand"))
    b.append(Block("p", d.progress_text))
    b.append(Block("h2", "Beschlussvorschlag"))
    b.append(Block("p", f"Der {body.council} beschließt:"))
    b.append(Block("ol", items=proposal_items(d)))
    b += [
        Block("h2", "Finanzielle Auswirkungen"),
        Block("p", f"Personalkosten der Netzwerkkoordination: {PLACEHOLDER}. Sachkosten (Treffen, Fortbildung, "
                   f"Öffentlichkeitsarbeit): {PLACEHOLDER}. Mögliche Förderung, z. B. aus der Bundesstiftung "
                   f"Frühe Hilfen oder Landesprogrammen: {PLACEHOLDER}."),
        Block("p", "Zur Einordnung: Im Modellprojekt „Guter Start ins Kinderleben“ kostete die frühe Hilfe für "
                   f"eine Familie im Mittel rund {n(int(facts.COST_PER_FAMILY.value))} Euro; die Folgekosten eines "
                   "ungünstigen Lebenslaufs lagen je nach Szenario bei rund "
                   f"{n(int(facts.LATER_COSTS_MODERATE.value))} Euro (moderat) bzw. rund "
                   f"{facts.millions(facts.LATER_COSTS_PESSIMISTIC.value)} Millionen Euro "
                   "(pessimistisch), also etwa das "
                   f"{n(int(facts.LATER_COSTS_MULTIPLE_MODERATE.value))}- bzw. "
                   f"{n(int(facts.LATER_COSTS_MULTIPLE_PESSIMISTIC.value))}-Fache der frühen Hilfe für eine "
                   "Familie. Die in der Studie genannten Verhältnisse von "
                   f"1:{n(int(facts.RATIO_MODERATE.value))} bzw. 1:{n(int(facts.RATIO_PESSIMISTIC.value))} "
                   "beziehen die Folgekosten dagegen auf die Kosten der Prävention über den ganzen Lebenslauf "
                   f"(rund {n(int(facts.PREVENTION_COSTS_MODERATE.value))} bzw. "
                   f"{n(int(facts.PREVENTION_COSTS_PESSIMISTIC.value))} Euro je Kind) "
                   f"(Meier-Gräwe/Wagenknecht, NZFH {facts.COST_PER_FAMILY.year}). Dies ist eine Annäherung, keine "
                   "Zusage von Einsparungen."),
        Block("h2", "Begründung"),
        Block("p", "Nach § 3 KKG sollen verbindliche Strukturen der Zusammenarbeit im Kinderschutz, "
                   "insbesondere im Bereich der Frühen Hilfen, aufgebaut werden; einbezogen werden unter anderem "
                   "Gesundheitsämter, Krankenhäuser, Beratungsstellen, Schulen und Agenturen für Arbeit. "
                   "Organisiert wird das Netzwerk in der Regel vom Jugendamt (§ 3 Abs. 3 KKG). § 81 SGB VIII "
                   "verpflichtet die Jugendhilfe zur Zusammenarbeit mit weiteren Stellen, etwa Jobcentern, "
                   "Krankenkassen sowie Schwangerschafts- und Suchtberatungsstellen."),
        Block("p", "Die Arbeitsgruppe Kinder psychisch- und suchtkranker Eltern hat 2019 empfohlen, örtliche "
                   "Netzwerke mit Lotsinnen und Lotsen an den Schnittstellen zu schaffen und ein kommunales "
                   "Gesamtkonzept zu entwickeln (BT-Drs. 19/16070, Empfehlung 18)."),
        Block("p", "Ein Netzwerk braucht Pflege: Partner wechseln, Angebote kommen hinzu, Absprachen müssen "
                   "überprüft werden. Die Fortschreibung sichert, dass die Zusammenarbeit verbindlich bleibt und "
                   "die noch fehlenden Partner gewonnen werden." if d.follow_up else
                   "Ein Beschluss gibt der Verwaltung den Auftrag und die Rückendeckung, Partner aus "
                   "verschiedenen Rechtskreisen an einen Tisch zu holen. Koordinierte Zusammenarbeit schließt "
                   "Lücken zwischen den Hilfesystemen und erreicht Familien früher."),
        Block("h3", "Nächste Schritte"),
    ]
    if d.next_steps:
        # A bulleted list: Word would continue the numbering of the Beschlussvorschlag in a second numbered list.
        b.append(Block("ul", items=[
            v.step.title + (" (bereits begonnen)" if v.status == "in_progress" else "")
            + (f" – verantwortlich: {v.progress.responsible}"
               if d.internal and v.progress and v.progress.responsible else "")
            for v in d.next_steps
        ]))
    else:
        b.append(Block("p", "Alle vorgesehenen Arbeitsschritte sind erledigt; der Beschluss dient der Verstetigung."))
    b += [
        Block("h2", "Quellen"),
        Block("ul", items=sorted({f"{e.rate.source} ({e.rate.year})" for e in d.estimates}) + [
            facts.COST_STUDY,
            "Gesetz zur Kooperation und Information im Kinderschutz (KKG), § 3; SGB VIII, § 81",
            "Abschlussbericht der Arbeitsgruppe Kinder psychisch- und suchtkranker Eltern, BT-Drs. 19/16070",
        ]),
    ]
    return b


def _earlier_resolution(d: Draft) -> str:
    """The resolution already passed; its date, reference and body only for readers who may see them."""
    recorded = d.recorded or RecordedResolution()
    reference = recorded.reference or PLACEHOLDER
    committee = f", {recorded.committee}" if recorded.committee else ""
    return (f"Mit Beschluss vom {recorded.when or PLACEHOLDER} (Vorlage {reference}{committee}) wurde der Aufbau "
            f"eines koordinierten Hilfenetzwerks für Kinder psychisch und/oder suchtkranker Eltern {in_place(d.municipality.name)} "
            "auf den Weg gebracht. Diese Vorlage berichtet über die Umsetzung und schlägt vor, das Netzwerk "
            "fortzuführen und zu erweitern.")


def _estimate_blocks(d: Draft) -> list[Block]:
    m = d.municipality
    name = m.name
    if not d.estimates:
        return [Block("p", f"Für {name} sind im Register noch keine Kinderzahlen hinterlegt. Bitte ergänzen Sie "
                           "die Zahl der Kinder unter 18 und unter 3 Jahren (Regionalstatistik, Tabelle 12411) "
                           f"und die geschätzte Zahl betroffener Kinder: {PLACEHOLDER}.")]
    rows = [["Gruppe", "Kinder (Basis)", "Quote", "Geschätzt betroffen", "Quelle"]]
    for e in d.estimates:
        rows.append([str(e.rate.label), n(e.children), rate_text(e.rate), estimate_text(e),
                     f"{e.rate.source} ({e.rate.year})"])
    b = [
        Block("p", f"Überträgt man bundesweite Quoten auf die Kinder {in_place(name)}, ergibt sich folgende "
                   "Größenordnung. Es handelt sich um Schätzungen, nicht um Fallzahlen:"),
        Block("table", rows=rows, caption="Schätzung der betroffenen Kinder (Gruppen überschneiden sich)",
              widths=(3.0, 1.4, 1.8, 1.8, 3.4)),
        Block("p", OVERLAP_NOTE),
    ]
    f = d.figures
    if f is not None and f.estimated:
        b.append(Block("p", f"Kinderzahlen: Näherung. {name} hat {n(f.population or 0)} Einwohnerinnen und "
                            f"Einwohner ({m.population_source or 'Gemeindeverzeichnis'}); mit den bundesweiten "
                            f"Anteilen der Kinder unter 18 Jahren ({pct(facts.SHARE_UNDER_18.value)}) und unter "
                            f"3 Jahren ({pct(facts.SHARE_UNDER_3.value)}; {facts.AGE_SHARES_SOURCE}) ergeben sich "
                            f"rund {n(f.under_18 or 0)} bzw. {n(f.under_3 or 0)} Kinder. Genauer sind die "
                            "örtlichen Zahlen nach Alter (Regionalstatistik, Tabelle 12411)."))
    else:
        basis = (f.source if f is not None else "") or "Angabe im Register"
        if m.figures_date:
            basis += f", Stand {m.figures_date.year}"
        b.append(Block("p", f"Kinderzahlen: {basis}."))
    return b


def proposal_items(d: Draft) -> list[str]:
    """The numbered points the council is asked to adopt (see :func:`documents.context.proposal_items`)."""
    return context_proposal_items(municipality=d.municipality, body=d.body or body_for(d.municipality),
                                  follow_up=d.follow_up, missing=[t.name for t in d.gap.missing])


def render_docx(draft: Draft) -> bytes:
    """The draft as an editable Word document: A4, German, with the municipality as its author."""
    name = draft.municipality.name
    kind = "Fortschreibung" if draft.follow_up else "Entwurf"
    document = word.new_document(footer=f"{kind} – Beschlussvorlage {name}")
    word.add_blocks(document, draft.blocks)
    return word.save(
        document, title=f"Beschlussvorlage ({kind}) – {name}", author=name,
        subject=TOPIC, keywords="Beschlussvorlage; Kinder psychisch kranker Eltern; Frühe Hilfen; KKG",
    )
