"""What every document for a municipality needs to know: which body decides, who organises the network
(its own Jugendamt or the Kreis's), whether a resolution is already recorded, and the figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format

from guidance import facts, selectors, tools
from guidance.models import StepStatus

PLACEHOLDER = "[bitte ergänzen]"
KREIS_KINDS = ("kreis", "region")

_ARTICLES = (("Kreis ", "im"), ("Landkreis ", "im"), ("Stadt ", "in der"), ("Städteregion ", "in der"),
             ("Gemeinde ", "in der"), ("Region ", "in der"), ("Hansestadt ", "in der"))


def in_place(name: str) -> str:
    """German "in" with the article a municipality's name needs: "im Kreis Heinsberg", "in der Stadt …"."""
    for prefix, article in _ARTICLES:
        if name.startswith(prefix):
            return f"{article} {name}"
    return f"in {name}"


def n(value: Any) -> str:
    """A whole number with German thousands separators ("32.800"); call inside ``override("de")``."""
    return number_format(value, force_grouping=True)


def pct(value: Any) -> str:
    return number_format(value * 100, decimal_pos=1 if (value * 1000) % 10 else 0) + "\u00a0%"  # never split


def estimate_text(e: tools.Estimate) -> str:
    """An estimate as the documents write it: "rund 1.200 bis 1.500", or "rund 900" if both ends round alike."""
    if e.low == e.high or e.rounded_low == e.rounded_high:
        return f"rund {n(e.rounded_low)}"
    return f"rund {n(e.rounded_low)} bis {n(e.rounded_high)}"


def rate_text(rate: tools.Rate) -> str:
    return pct(rate.low) if not rate.is_range else f"{pct(rate.low)} bis {pct(rate.high)}"


OVERLAP_NOTE = ("Die Gruppen überschneiden sich: Eine psychische Erkrankung schließt Suchterkrankungen ein, und "
                "die Kinder unter 3 Jahren sind in den Kindern unter 18 Jahren enthalten. Die Zahlen dürfen "
                "deshalb nicht zusammengezählt werden.")


@dataclass(frozen=True)
class Body:
    """Who decides and who organises the network (§ 3 Abs. 3 KKG: the local Jugendamt)."""

    variant: str  # "kreistag", "rat_kreisfrei", "rat_jugendamt" (kreisangehörig, own Jugendamt), "rat_gemeinde"
    council: str  # "Kreistag", "Rat"
    own_youth_office: bool
    youth_office: str  # "das Jugendamt des Kreises Heinsberg", "das Jugendamt der Stadt Aachen", ...
    kreis: str = ""  # the Kreis whose Jugendamt serves a Gemeinde without its own

    @property
    def the_council(self) -> str:
        return f"der {self.council}"


def _genitive(name: str) -> str:
    """ "des Kreises Heinsberg", "der Stadt Eschweiler", "der Gemeinde X"; plain names get "von"."""
    for prefix, genitive in (("Kreis ", "des Kreises "), ("Landkreis ", "des Landkreises "),
                             ("Stadt ", "der Stadt "), ("Städteregion ", "der Städteregion "),
                             ("Region ", "der Region "), ("Gemeinde ", "der Gemeinde "),
                             ("Hansestadt ", "der Hansestadt ")):
        if name.startswith(prefix):
            return genitive + name[len(prefix):]
    return f"von {name}"


def body_for(municipality: Any) -> Body:
    """The body that adopts the resolution, and whose Jugendamt organises the network: Kreise and
    kreisfreie Städte always have their own; a kreisangehörige Gemeinde only if recorded, otherwise its
    Kreis's Jugendamt is responsible and the Gemeinde takes part."""
    name = municipality.name
    if municipality.kind in KREIS_KINDS:
        return Body("kreistag", "Kreistag", True, f"das Jugendamt {_genitive(name)}")
    if municipality.kind == "kreisfreie_stadt":
        return Body("rat_kreisfrei", "Rat", True, f"das Jugendamt {_genitive(name)}")
    if municipality.has_youth_office:
        return Body("rat_jugendamt", "Rat", True, f"das Jugendamt {_genitive(name)}")
    parent = getattr(municipality, "parent", None)
    kreis = parent.name if parent is not None else ""
    office = f"das Jugendamt {_genitive(kreis)}" if kreis else "das zuständige Kreisjugendamt"
    return Body("rat_gemeinde", "Rat", False, office, kreis=kreis)


def proposal_items(*, municipality: Any, body: Body, follow_up: bool, missing: list[str]) -> list[str]:
    """The numbered points the council is asked to adopt, by body and by whether a resolution is already
    recorded (then a follow-up: review and extension). ``missing``: the kinds of partners still lacking."""
    where = in_place(municipality.name)
    council = "Kreistag" if body.variant == "kreistag" else "Rat"
    missing_text = ", ".join(missing[:8])
    if follow_up:
        return [
            "Der Bericht der Verwaltung über die Umsetzung des bisherigen Beschlusses wird zur Kenntnis genommen.",
            f"Das Hilfenetzwerk für Kinder psychisch und/oder suchtkranker Eltern {where} wird fortgeführt; "
            + ("die Netzwerkkoordination beim Jugendamt wird dauerhaft gesichert (Stellenanteil: "
               f"{PLACEHOLDER})." if body.own_youth_office else
               f"die Gemeinde bleibt mit einer festen Ansprechperson im Netzwerk, das {body.youth_office} "
               "koordiniert."),
            "Das Netzwerk wird erweitert" + (f", insbesondere um: {missing_text}." if missing_text else
                                             " um weitere Partner, die für die Familien wichtig sind."),
            "Die Kooperationsvereinbarung wird gemeinsam mit den Partnern überprüft und fortgeschrieben.",
            f"Die Verwaltung berichtet dem {council} bzw. dem zuständigen Ausschuss in zwei Jahren erneut über "
            "Wirkung und Weiterentwicklung des Netzwerks.",
        ]
    if not body.own_youth_office:
        return [
            "Der Rat unterstützt den Aufbau eines koordinierten Hilfenetzwerks für Kinder psychisch und/oder "
            f"suchtkranker Eltern und Frühe Hilfen, das {body.youth_office} nach § 3 Abs. 3 KKG organisiert.",
            f"Die Verwaltung wird beauftragt, sich mit {_dative(body.youth_office)} über die Beteiligung "
            f"{_genitive(municipality.name)} abzustimmen und die Einrichtungen der Gemeinde (Kindertagesstätten, "
            "Schulen, Familienzentren) in das Netzwerk einzubringen.",
            "Die Verwaltung benennt eine Ansprechperson für das Netzwerk; dafür wird ein Stellenanteil von "
            f"{PLACEHOLDER} bereitgestellt.",
            "Die Verwaltung wirbt bei den Partnern vor Ort für die Mitarbeit und den Beitritt zur "
            "Kooperationsvereinbarung des Netzwerks" + (f", insbesondere: {missing_text}." if missing_text else "."),
            "Die Verwaltung berichtet dem Rat nach zwölf Monaten über den Stand und schlägt die nächsten "
            "Schritte vor.",
        ]
    return [
        f"Die Verwaltung wird beauftragt, {where} ein koordiniertes Hilfenetzwerk für Kinder psychisch "
        "und/oder suchtkranker Eltern aufzubauen bzw. das bestehende Netzwerk Frühe Hilfen dafür zu erweitern.",
        "Die Koordination des Netzwerks wird beim Jugendamt angesiedelt (§ 3 Abs. 3 KKG); dafür wird "
        f"ein Stellenanteil von {PLACEHOLDER} bereitgestellt.",
        "Die Verwaltung gewinnt die Partner aus Jugendhilfe, Gesundheitswesen, Suchthilfe, Psychiatrie, "
        "Jobcenter und Schule für eine schriftliche Kooperationsvereinbarung"
        + (f", insbesondere: {missing_text}." if missing_text else "."),
        f"Die Verwaltung berichtet dem {council} bzw. dem zuständigen Ausschuss nach zwölf Monaten über den "
        "Stand und schlägt die nächsten Schritte vor.",
    ]


def _dative(phrase: str) -> str:
    """ "das Jugendamt des Kreises X" → "dem Jugendamt des Kreises X"."""
    return "dem " + phrase[4:] if phrase.startswith("das ") else phrase


@dataclass(frozen=True)
class RecordedResolution:
    """A resolution the municipality has recorded on its roadmap. The session, reference and body are
    evidence, internal to those who may see the details: empty for everyone else."""

    committee: str = ""
    session_date: Any = None
    reference: str = ""
    link: str = ""

    @property
    def when(self) -> str:
        return self.session_date.strftime("%d.%m.%Y") if self.session_date else ""


def recorded_resolution(*, views: list[selectors.StepProgressView], internal: bool) -> RecordedResolution | None:
    """The resolution already passed: the roadmap's resolution step is done, or its record says the
    council adopted it (as the map's stage "resolution passed")."""
    for view in views:
        if view.step.slug != selectors.RESOLUTION_STEP_SLUG:
            continue
        evidence = view.resolution
        adopted = evidence is not None and evidence.result in selectors.ADOPTED_RESULTS
        if view.status != StepStatus.DONE and not adopted:
            return None
        if not internal or evidence is None:
            return RecordedResolution()
        return RecordedResolution(committee=evidence.committee, session_date=evidence.session_date,
                                  reference=evidence.reference, link=evidence.link)
    return None


def progress_prose(*, views: list[selectors.StepProgressView]) -> str:
    """Where the municipality stands, in plain sentences (no counters of the portal's roadmap)."""
    done = [f"„{v.step.title}“" for v in views if v.status == StepStatus.DONE]
    doing = [f"„{v.step.title}“" for v in views if v.status == StepStatus.IN_PROGRESS]

    def listing(items: list[str]) -> str:
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " und " + items[-1]

    sentences = []
    if done:
        sentences.append(f"Abgeschlossen {'ist' if len(done) == 1 else 'sind'} bereits "
                         f"{'der Arbeitsschritt' if len(done) == 1 else 'die Arbeitsschritte'} {listing(done)}.")
    if doing:
        sentences.append(f"Begonnen {'wurde' if len(doing) == 1 else 'wurden'} {listing(doing)}.")
    if not sentences:
        sentences.append("Mit dem Aufbau des Netzwerks wird mit dieser Vorlage begonnen.")
    return " ".join(sentences)


@dataclass(frozen=True)
class Figures:
    """The municipality's children and the estimates, read from :mod:`guidance.tools`."""

    children: tools.ChildFigures
    estimates: list[tools.Estimate]

    def source_text(self, municipality: Any) -> str:
        """Where the child figures come from, in one line (German; call inside ``override("de")``)."""
        f = self.children
        if f.estimated:
            return (f"Näherung: {n(f.population or 0)} Einwohnerinnen und Einwohner "
                    f"({municipality.population_source or 'Gemeindeverzeichnis'}) × bundesweite Anteile der "
                    f"Kinder unter 18 Jahren ({pct(facts.SHARE_UNDER_18.value)}) und unter 3 Jahren "
                    f"({pct(facts.SHARE_UNDER_3.value)}; {facts.AGE_SHARES_SOURCE})")
        text = f.source or "Angabe im Netzwerkregister"
        if f.date:
            text += f", Stand {f.date.strftime('%d.%m.%Y') if hasattr(f.date, 'strftime') else f.date}"
        return text


def figures_for(municipality: Any) -> Figures:
    children = tools.child_figures(municipality)
    return Figures(children=children, estimates=tools.estimate(
        children_under_18=children.under_18, children_under_3=children.under_3))
