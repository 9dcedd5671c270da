"""The consent form for a case conference: parents release the professionals from confidentiality
(Einwilligung und Schweigepflichtentbindung).

Worded after § 65 SGB VIII and § 67b SGB X: in written or electronic form, for a stated purpose,
named recipients, a defined scope and duration, voluntary and revocable at any time. It is a template:
the network's data protection officer should check it before it is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import override

from guidance.documents import word
from guidance.documents.blocks import Block
from guidance.documents.context import Body, body_for

BOX = "☐"


@dataclass
class ConsentForm:
    municipality: Any
    body: Body
    blocks: list[Block]

    @property
    def filename(self) -> str:
        return f"Schweigepflichtentbindung-Fallkonferenz-{self.municipality.slug}.docx"

    @property
    def title(self) -> str:
        return f"Einwilligung und Entbindung von der Schweigepflicht für eine Fallkonferenz – {self.municipality.name}"


def build_consent(municipality: Any) -> ConsentForm:
    with override("de"):
        form = ConsentForm(municipality=municipality, body=body_for(municipality), blocks=[])
        form.blocks = _blocks(form)
    return form


def _blocks(f: ConsentForm) -> list[Block]:
    office = f.body.youth_office
    office_cap = office[0].upper() + office[1:]
    return [
        Block("h1", "Einwilligung in den Austausch von Informationen und Entbindung von der Schweigepflicht"),
        Block("p", f"für eine Fallkonferenz im Netzwerk für Kinder psychisch und/oder suchtkranker Eltern "
                   f"({f.municipality.name})"),
        Block("note", "Vorlage des Portals „Starkes Netz“. Bitte lassen Sie sie vor dem Einsatz von Ihrer oder "
                      "Ihrem Datenschutzbeauftragten prüfen und tragen Sie die Stellen der Fallkonferenz ein. "
                      "Die Erklärung ist freiwillig; bitte besprechen Sie sie mit der Familie in Ruhe und in einer "
                      "Sprache, die sie versteht."),
        Block("h2", "1. Wer erklärt die Einwilligung?"),
        Block("field", "Name, Vorname (Elternteil 1):"),
        Block("field", "Name, Vorname (Elternteil 2 / weitere sorgeberechtigte Person):"),
        Block("field", "Anschrift:"),
        Block("p", "für mich selbst und für mein Kind bzw. meine Kinder:"),
        Block("field", "Name, Vorname, Geburtsdatum des Kindes:"),
        Block("field", "Name, Vorname, Geburtsdatum des Kindes:"),
        Block("h2", "2. Wozu? (Zweck)"),
        Block("p", "Die Fachkräfte, die meine Familie begleiten, sollen sich in einer gemeinsamen Fallkonferenz "
                   "mit mir beraten dürfen: welche Unterstützung mein Kind und ich brauchen, wer welche Aufgabe "
                   "übernimmt und wie die Hilfen abgestimmt werden. Die Informationen dürfen nur zu diesem "
                   "Zweck verwendet werden, nicht für andere Zwecke."),
        Block("field", "Fallkonferenz am (Datum) bzw. Zeitraum der Zusammenarbeit:"),
        Block("h2", "3. Zwischen wem? (Beteiligte Stellen)"),
        Block("p", "Ich entbinde die folgenden Stellen und ihre Fachkräfte gegenseitig von der Schweigepflicht. "
                   "Sie dürfen einander die unter 4. angekreuzten Informationen geben und von einander erhalten:"),
        Block("table", rows=[["Stelle / Einrichtung", "Fachkraft", "Telefon / E-Mail"]] + [["", "", ""]] * 6,
              widths=(2.4, 1.8, 1.8)),
        Block("h2", "4. Welche Informationen? (Umfang)"),
        Block("ul", items=[
            f"{BOX} die Lebenssituation der Familie (Wohnen, Einkommen, Betreuung der Kinder)",
            f"{BOX} die Gesundheit der Eltern, auch eine psychische Erkrankung oder Suchterkrankung und ihre "
            "Behandlung",
            f"{BOX} die Entwicklung, Gesundheit und Betreuung des Kindes bzw. der Kinder (Kita, Schule)",
            f"{BOX} bisherige und laufende Hilfen und Absprachen",
            f"{BOX} Sonstiges: ______________________________________________",
        ]),
        Block("p", "Ausdrücklich ausgenommen sind: ______________________________________________"),
        Block("h2", "5. Wie lange? (Dauer)"),
        Block("p", "Die Einwilligung gilt ab der Unterschrift bis zum ________________ (Datum), längstens bis "
                   "zum Ende der gemeinsamen Begleitung. Danach dürfen keine neuen Informationen mehr "
                   "ausgetauscht werden."),
        Block("h2", "6. Freiwillig und jederzeit widerrufbar"),
        Block("ul", items=[
            "Die Einwilligung ist freiwillig. Wenn ich sie nicht erteile oder widerrufe, entstehen mir daraus "
            "keine Nachteile; Hilfen, auf die ich einen Anspruch habe, bleiben davon unberührt.",
            "Ich kann die Einwilligung jederzeit ganz oder für einzelne Stellen oder Informationen widerrufen, "
            "schriftlich, elektronisch oder mündlich bei einer der beteiligten Stellen. Der Widerruf gilt für "
            "die Zukunft; was bis dahin ausgetauscht wurde, bleibt rechtmäßig.",
            "Gesetzliche Pflichten und Befugnisse zum Schutz von Kindern (§ 8a SGB VIII, § 4 KKG) gelten "
            "unabhängig von dieser Erklärung.",
        ]),
        Block("h2", "7. Rechtsgrundlagen und Hinweise zum Datenschutz"),
        Block("p", "Die Einwilligung erfolgt nach § 67b Abs. 2 SGB X in schriftlicher oder elektronischer Form; "
                   "für Daten, die der Jugendhilfe anvertraut wurden, gilt § 65 Abs. 1 Satz 1 Nr. 1 SGB VIII. "
                   "Für Angaben zur Gesundheit gilt Art. 9 Abs. 2 Buchst. a DSGVO, für den Widerruf Art. 7 "
                   "Abs. 3 DSGVO. Berufliche Schweigepflichten (§ 203 StGB) werden nur im angekreuzten Umfang "
                   "aufgehoben. Ich habe das Recht auf Auskunft, Berichtigung und Löschung meiner Daten (Art. 15 "
                   "bis 17 DSGVO) bei jeder beteiligten Stelle."),
        Block("p", f"Koordination des Netzwerks: {office_cap}."),
        Block("field", "Ansprechperson und Datenschutzbeauftragte der einladenden Stelle:"),
        Block("h2", "8. Unterschriften"),
        Block("p", f"{BOX} Ich habe die Erklärung gelesen, Fragen konnte ich stellen. Eine Kopie habe ich erhalten."),
        Block("table", rows=[["", "Ort, Datum", "Unterschrift"],
                             ["Elternteil 1", "", ""],
                             ["Elternteil 2 / weitere sorgeberechtigte Person", "", ""],
                             ["Kind bzw. Jugendliche/r (wenn alt genug, um die Bedeutung zu verstehen)", "", ""],
                             ["Fachkraft, die die Erklärung entgegennimmt", "", ""]],
              widths=(2.6, 1.4, 2.0)),
    ]


def render_docx(form: ConsentForm) -> bytes:
    name = form.municipality.name
    document = word.new_document(footer=f"Einwilligung und Schweigepflichtentbindung – {name}")
    word.add_blocks(document, form.blocks)
    return word.save(document, title=form.title, author=name,
                     subject="Schweigepflichtentbindung für eine Fallkonferenz (§ 65 SGB VIII, § 67b SGB X)",
                     keywords="Einwilligung; Schweigepflichtentbindung; Fallkonferenz; Datenschutz")
