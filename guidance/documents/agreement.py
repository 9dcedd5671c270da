"""The draft cooperation agreement (Kooperationsvereinbarung) of a municipality's network.

Its structure follows what proved itself in Kreis Heinsberg's agreement between addiction help and
youth welfare (2016): the partners, shared aims, a cooperation body that meets twice a year, case
conferences together with the parents, data protection and confidentiality, and a regular review.
The wording is the portal's own; the coordinator adapts it with the partners.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import override

from guidance import selectors
from guidance.documents import word
from guidance.documents.blocks import Block
from guidance.documents.context import PLACEHOLDER, Body, body_for, in_place

PARTNERS_LISTED = 60  # a list for signatures; the registry lists all of them


@dataclass
class Agreement:
    municipality: Any
    body: Body
    partners: list
    blocks: list[Block]

    @property
    def filename(self) -> str:
        return f"Kooperationsvereinbarung-Entwurf-{self.municipality.slug}.docx"

    @property
    def title(self) -> str:
        return f"Kooperationsvereinbarung (Entwurf) – {self.municipality.name}"


def build_agreement(municipality: Any) -> Agreement:
    with override("de"):
        partners = selectors.active_actors_for(municipality=municipality)
        body = body_for(municipality)
        agreement = Agreement(municipality=municipality, body=body, partners=partners, blocks=[])
        agreement.blocks = _blocks(agreement)
    return agreement


def _place(actor: Any) -> str:
    return actor.city or actor.municipality.name


def _blocks(a: Agreement) -> list[Block]:
    m = a.municipality
    where = in_place(m.name)
    office = a.body.youth_office
    office_cap = office[0].upper() + office[1:]
    today = timezone.localdate().strftime("%d.%m.%Y")
    b = [
        Block("h1", "Kooperationsvereinbarung (Entwurf)"),
        Block("p", f"über die Zusammenarbeit im Netzwerk für Kinder psychisch und/oder suchtkranker Eltern {where}"),
        Block("note", f"Entwurf vom {today}, erstellt mit dem Portal „Starkes Netz“ aus den im Netzwerkregister "
                      "erfassten Partnern. Bitte stimmen Sie den Text mit allen Partnern ab, passen Sie ihn an die "
                      f"örtlichen Gegebenheiten an und ergänzen Sie die Stellen mit „{PLACEHOLDER}“."),
        Block("h2", "§ 1 Partner der Vereinbarung"),
    ]
    if a.body.own_youth_office:
        b.append(Block("p", f"Die Vereinbarung schließen {office}, das das Netzwerk nach § 3 Abs. 3 KKG "
                            "organisiert, und die folgenden Einrichtungen und Dienste:"))
    else:
        b.append(Block("p", f"Die Vereinbarung schließen {office}, das das Netzwerk nach § 3 Abs. 3 KKG "
                            f"organisiert, {m.name} und die folgenden Einrichtungen und Dienste:"))
    if a.partners:
        rows = [["Partner", "Art", "Ort"]]
        rows += [[p.name, p.actor_type.name, _place(p)] for p in a.partners[:PARTNERS_LISTED]]
        b.append(Block("table", rows=rows, caption="Partner des Netzwerks", widths=(3.2, 2.2, 1.4)))
        if len(a.partners) > PARTNERS_LISTED:
            b.append(Block("p", f"sowie {len(a.partners) - PARTNERS_LISTED} weitere im Netzwerkregister erfasste "
                                "Partner, die der Vereinbarung nach § 10 beitreten können."))
    else:
        b.append(Block("p", f"Partner: {PLACEHOLDER} (im Netzwerkregister sind noch keine Partner erfasst)."))
    b += [
        Block("h2", "§ 2 Anlass und Ziele"),
        Block("p", "Kinder, deren Mutter oder Vater psychisch erkrankt oder suchtkrank ist, tragen besondere "
                   "Belastungen. Hilfen für sie und ihre Eltern gibt es in vielen Stellen, aber verteilt auf "
                   "Jugendhilfe, Gesundheitswesen, Suchthilfe, Psychiatrie, Jobcenter und Schule. Die Partner "
                   "wollen diese Hilfen so verbinden, dass Familien sie früh und ohne Umwege erreichen."),
        Block("p", "Gemeinsame Ziele der Partner sind:"),
        Block("ul", items=[
            "den Unterstützungsbedarf der Kinder früh zu erkennen und ihr Wohl in den Mittelpunkt jeder Hilfe "
            "zu stellen;",
            "Eltern in ihrer Verantwortung zu stärken und ihnen, wo es dem Wohl des Kindes entspricht, ein "
            "gemeinsames Leben mit ihren Kindern zu ermöglichen;",
            "vorhandene Angebote bekannt zu machen, aufeinander abzustimmen und Lücken zu benennen;",
            "die Fachkräfte der Partner in ihrer Zusammenarbeit sicherer zu machen: gleiche Wege, klare "
            "Zuständigkeiten, feste Ansprechpersonen.",
        ]),
        Block("h2", "§ 3 Grundsätze der Zusammenarbeit"),
        Block("ul", items=[
            "Jeder Partner handelt in seinem gesetzlichen Auftrag und in eigener fachlicher Verantwortung; die "
            "Vereinbarung begründet keine neuen Leistungspflichten.",
            "Die Partner gehen offen mit den Familien um: Eltern werden über die Zusammenarbeit informiert und, "
            "wo immer möglich, beteiligt.",
            "Jeder Partner benennt eine Ansprechperson und eine Vertretung und teilt Änderungen der "
            "Koordination mit.",
            "Die Partner informieren einander über ihre Angebote und über Änderungen, die für die Familien "
            "wichtig sind.",
        ]),
        Block("h2", "§ 4 Kooperationsgremium"),
        Block("p", "Die Partner bilden ein Kooperationsgremium, in das jeder Partner eine Person entsendet. Das "
                   "Gremium tritt mindestens zweimal im Jahr zusammen, im Abstand von etwa sechs Monaten; die "
                   "Koordination lädt ein, führt die Tagesordnung und hält die Ergebnisse fest."),
        Block("p", "Das Gremium bespricht, wie die Zusammenarbeit gelingt, wertet anonymisierte Fallverläufe "
                   "aus, schreibt die gemeinsame Arbeitshilfe für die Fachkräfte fort und plant gemeinsame "
                   "Fortbildungen."),
        Block("h2", "§ 5 Fallkonferenzen mit den Eltern"),
        Block("p", "Begleiten mehrere Partner dieselbe Familie, kann jeder von ihnen eine Fallkonferenz "
                   "anregen. Daran nehmen die beteiligten Fachkräfte und die Eltern teil, bei Bedarf auch das "
                   "Kind oder die bzw. der Jugendliche. In der Regel findet eine solche Konferenz ein- bis "
                   "zweimal im Jahr statt, bei Bedarf öfter."),
        Block("p", "Die Konferenz klärt, was das Kind und die Eltern brauchen, welcher Partner welche Aufgabe "
                   "übernimmt und wann die Absprachen überprüft werden. Persönliche Daten werden dabei nur mit "
                   "der Einwilligung der Eltern ausgetauscht (§ 7; Vorlage „Einwilligung und Entbindung von der "
                   "Schweigepflicht“)."),
        Block("h2", "§ 6 Schutz des Kindes"),
        Block("p", "Bestehen gewichtige Anhaltspunkte für eine Gefährdung des Kindeswohls, gelten die "
                   "gesetzlichen Verfahren, insbesondere § 8a SGB VIII und § 4 KKG, sowie die "
                   "Vereinbarungen der Partner mit dem Jugendamt nach § 8a Abs. 4 SGB VIII. Diese Vereinbarung "
                   "ersetzt sie nicht."),
        Block("h2", "§ 7 Datenschutz und Schweigepflicht"),
        Block("ul", items=[
            "Personenbezogene Daten, insbesondere Angaben zur Gesundheit, werden nur ausgetauscht, wenn die "
            "Betroffenen eingewilligt haben oder ein Gesetz es erlaubt. Die Einwilligung bedarf in der Regel "
            "der schriftlichen oder elektronischen Form (§ 67b SGB X) und nennt Zweck, Empfänger, Umfang "
            "und Dauer.",
            "Daten, die Fachkräften der Jugendhilfe zum Zweck persönlicher und erzieherischer Hilfe anvertraut "
            "wurden, geben sie nur unter den Voraussetzungen des § 65 SGB VIII weiter.",
            "Berufliche Schweigepflichten (§ 203 StGB) und die Datenschutz-Grundverordnung gelten unverändert.",
            "Ohne Einwilligung werden Fälle im Kooperationsgremium nur anonymisiert besprochen.",
            "Jeder Partner ist für die Rechtmäßigkeit der Verarbeitung in seinem Bereich selbst "
            "verantwortlich.",
        ]),
        Block("h2", "§ 8 Koordination"),
        Block("p", f"{office_cap} koordiniert das Netzwerk. Ansprechperson der Koordination: {PLACEHOLDER}."),
        Block("h2", "§ 9 Kosten"),
        Block("p", "Jeder Partner trägt die Kosten seiner Mitarbeit selbst. Gemeinsame Vorhaben, die Kosten "
                   "verursachen, werden gesondert vereinbart."),
        Block("h2", "§ 10 Laufzeit, Überprüfung, Beitritt und Austritt"),
        Block("ul", items=[
            "Die Vereinbarung gilt ab ihrer Unterzeichnung auf unbestimmte Zeit.",
            "Das Kooperationsgremium überprüft sie spätestens zwei Jahre nach Inkrafttreten und danach "
            "regelmäßig und schlägt Änderungen vor; Änderungen bedürfen der Schriftform.",
            "Weitere Einrichtungen und Dienste können durch schriftliche Erklärung gegenüber der Koordination "
            "beitreten.",
            "Jeder Partner kann die Mitarbeit mit einer Frist von drei Monaten schriftlich beenden; für die "
            "übrigen Partner gilt die Vereinbarung fort.",
        ]),
        Block("h2", "Unterschriften"),
    ]
    signers = [office_cap] + ([m.name] if not a.body.own_youth_office else [])
    signers += [p.name for p in a.partners[:PARTNERS_LISTED]]
    rows = [["Partner", "Ort, Datum", "Unterschrift"]] + [[name, "", ""] for name in signers]
    b.append(Block("table", rows=rows, widths=(2.6, 1.4, 2.0)))
    return b


def render_docx(agreement: Agreement) -> bytes:
    name = agreement.municipality.name
    document = word.new_document(footer=f"Entwurf – Kooperationsvereinbarung {name}")
    word.add_blocks(document, agreement.blocks)
    return word.save(document, title=agreement.title, author=name,
                     subject="Kooperationsvereinbarung für das Netzwerk Kinder psychisch und/oder suchtkranker "
                             "Eltern", keywords="Kooperationsvereinbarung; § 3 KKG; Netzwerk; Fallkonferenz")
