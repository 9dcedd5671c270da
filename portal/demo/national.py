"""A synthetic country for load tests: municipalities, partners, cooperations, examples, progress.

Everything here is invented and marked so: names end in ``(synthetisch)``, slugs start with
``synth-``, sources say "Synthetische Testdaten". Nothing is copied from a real municipality.
Deterministic: the same seed on the same demo content gives the same rows. Rows are written
with ``bulk_create`` in batches; history rows are created in bulk (``bulk_history_create``)
for municipalities, partners, contact persons and cooperations, never one by one.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from guidance.catalogue import content
from guidance.catalogue.models import (
    Example,
    ExampleCriterion,
    ExampleEvent,
    ExampleLink,
    ExampleParticipant,
    ExampleRevision,
    ExampleStatus,
    Keyword,
    LegalForm,
    RevisionStatus,
)
from guidance.models import RoadmapStep, StepProgress, StepStatus
from networks.models import (
    Actor,
    ActorType,
    ContactPerson,
    Cooperation,
    CooperationKind,
    Municipality,
    MunicipalityKind,
    TargetGroup,
)
from portal.core import pagecache, search
from portal.core.db import analyze
from portal.core.history import Reason

SYNTH = "(synthetisch)"
SLUG_PREFIX = "synth-"
SOURCE = "Synthetische Testdaten (generate_national_data), keine echten Angaben"
BATCH = 5000

FULL_MUNICIPALITIES = 11_000
FULL_ACTORS = 250_000
FULL_COOPERATIONS = 400_000
FULL_EXAMPLES = 5_000

# State key -> (share of all municipalities, Kreise incl. kreisfreie Städte, kreisfreie Städte,
# Regierungsbezirke). Shapes follow the real federal structure; the figures are rounded.
STATES = {
    "01": (1106, 15, 4, 0),
    "02": (1, 1, 1, 0),
    "03": (941, 45, 8, 0),
    "04": (2, 2, 2, 0),
    "05": (396, 53, 22, 5),
    "06": (421, 26, 5, 3),
    "07": (2301, 36, 12, 0),
    "08": (1101, 44, 9, 4),
    "09": (2056, 96, 25, 7),
    "10": (52, 6, 0, 0),
    "11": (1, 1, 1, 0),
    "12": (413, 18, 4, 0),
    "13": (726, 8, 2, 0),
    "14": (418, 13, 3, 0),
    "15": (218, 14, 3, 0),
    "16": (605, 22, 5, 0),
}
CITY_STATES = {"02", "04", "11"}

PREFIXES = [
    "Alt", "Neu", "Ober", "Nieder", "Groß", "Klein", "Hohen", "Schön", "Grün", "Kirch", "Wald", "Berg",
    "Bad ", "Sankt ", "Mittel", "Unter", "Lang", "Breit", "Hoch", "Rot", "Weiß", "Sonnen", "Eich", "Linden",
]
STEMS = [
    "bach", "berg", "dorf", "feld", "hausen", "heim", "ingen", "stadt", "au", "brück", "hagen", "kirchen",
    "rode", "stein", "tal", "wald", "weiler", "wiese", "burg", "born", "furt", "horst", "mühle", "see",
]
FIRST_NAMES = [
    "Anna", "Ben", "Clara", "David", "Elif", "Finn", "Greta", "Hannes", "Ida", "Jonas", "Katrin", "Lukas",
    "Mara", "Nils", "Olga", "Paul", "Rana", "Sven", "Tanja", "Umut", "Vera", "Wiebke", "Yusuf", "Zoe",
]
LAST_NAMES = [
    "Becker", "Schmidt", "Yilmaz", "Wagner", "Hoffmann", "Kowalski", "Neumann", "Schulz", "Krüger",
    "Weber", "Fischer", "Meyer", "Arslan", "Lange", "Vogel", "Brandt", "Jansen", "Peters", "Haas", "Roth",
]
TRAEGER = [
    ("public", "Kreisverwaltung"), ("public", "Stadtverwaltung"), ("free_welfare", "Wohlfahrtsverband"),
    ("free_welfare", "Diakonisches Werk"), ("free_welfare", "Caritasverband"), ("private", "Praxisgemeinschaft"),
    ("other", "Förderverein"), ("other", "Selbsthilfeverein"),
]
OFFER_PHRASES = [
    "Beratung für Eltern mit einer psychischen Erkrankung und ihre Kinder",
    "offene Sprechstunde ohne Termin",
    "Gruppenangebot für Kinder im Grundschulalter",
    "aufsuchende Unterstützung in der Familie",
    "Begleitung in der Schwangerschaft und im ersten Lebensjahr",
    "Vermittlung in weiterführende Hilfen",
    "Elternkurs zu Erziehungsfragen im Alltag",
    "Beratung bei riskantem Konsum von Alkohol oder anderen Suchtmitteln",
    "Krisenplan gemeinsam mit der Familie",
    "Patenschaften für Kinder aus belasteten Familien",
    "Fallberatung für Fachkräfte anderer Einrichtungen",
    "Informationsabende für pädagogische Fachkräfte",
    "Unterstützung beim Antrag auf Leistungen",
    "Angebot in einfacher Sprache",
    "Hausbesuche durch Familienhebammen",
    "Freizeitangebote in den Ferien",
]
COOP_TITLES = [
    "Arbeitskreis Kinder psychisch kranker Eltern", "Kooperationsvereinbarung Frühe Hilfen",
    "Steuerungsgruppe Netzwerk", "Fallkonferenz Kinderschutz", "Netzwerktreffen Suchthilfe und Jugendhilfe",
    "Runder Tisch Familie", "Qualitätszirkel Geburtskliniken", "Arbeitsgruppe Übergänge Kita und Schule",
]
EXAMPLE_TITLES = [
    "Lotsendienst für Familien", "Gemeinsame Sprechstunde von Jugendhilfe und Psychiatrie",
    "Patenschaftsprojekt für Kinder", "Netzwerk Frühe Hilfen im ländlichen Raum",
    "Kooperationsvereinbarung Sucht- und Jugendhilfe", "Gruppenangebot für Kinder suchtkranker Eltern",
    "Fortbildungsreihe für Fachkräfte", "Familienbüro im Stadtteil", "Krisendienst mit Kinderblick",
    "Elterncafé mit Beratung",
]
SENTENCES = [
    "Die beteiligten Stellen haben ihre Zuständigkeiten schriftlich geklärt und treffen sich regelmäßig.",
    "Kinder aus Familien mit einer psychischen Erkrankung eines Elternteils wurden bisher oft zu spät erreicht.",
    "Im Mittelpunkt steht ein niedrigschwelliger Zugang, der ohne Antrag und ohne Wartezeit auskommt.",
    "Die Fachkräfte der Erwachsenenpsychiatrie fragen bei der Aufnahme gezielt nach minderjährigen Kindern.",
    "Eine Koordinierungsstelle hält das Netzwerk zusammen und pflegt die Übersicht der Angebote.",
    "Die Finanzierung stützt sich auf kommunale Mittel und eine befristete Förderung des Landes.",
    "Eltern werden von Anfang an beteiligt und bewerten die Angebote in einer jährlichen Befragung.",
    "Die Suchtberatung und das Jugendamt haben gemeinsame Abläufe für die Fallberatung vereinbart.",
    "Für Kinder im Grundschulalter gibt es eine feste Gruppe, die sich wöchentlich trifft.",
    "Die Zusammenarbeit ist in einer Vereinbarung festgehalten, die alle zwei Jahre überprüft wird.",
    "Familienhebammen begleiten Schwangere mit einer Suchterkrankung bis zum ersten Geburtstag des Kindes.",
    "Schulen und Kindertageseinrichtungen erhalten Fortbildungen zum Umgang mit belasteten Familien.",
    "Eine Patin oder ein Pate verbringt verlässlich Zeit mit dem Kind, auch in Krisenzeiten der Eltern.",
    "Die Dokumentation erfolgt anonymisiert und dient der jährlichen Auswertung im Netzwerk.",
    "Der Jugendhilfeausschuss hat das Vorhaben beschlossen und die Stelle dauerhaft abgesichert.",
    "Ein Krisenplan legt fest, wer das Kind betreut, wenn ein Elternteil stationär behandelt wird.",
    "Die Angebote sind in mehreren Sprachen beschrieben und werden in den Stadtteilen bekannt gemacht.",
    "Fachkräfte aus Gesundheitswesen und Jugendhilfe lernen in gemeinsamen Fallwerkstätten voneinander.",
]


@dataclass
class Plan:
    municipalities: int
    actors: int
    cooperations: int
    examples: int


def plan_for(scale: float) -> Plan:
    return Plan(
        municipalities=max(len(STATES) * 2, round(FULL_MUNICIPALITIES * scale)),
        actors=max(20, round(FULL_ACTORS * scale)),
        cooperations=max(10, round(FULL_COOPERATIONS * scale)),
        examples=max(5, round(FULL_EXAMPLES * scale)),
    )


def _place_name(rng: random.Random) -> str:
    return f"{rng.choice(PREFIXES)}{rng.choice(STEMS)}"


def _paragraph(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.sample(SENTENCES, rng.randint(low, high)))


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _batches(items, size=BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Generator:
    def __init__(self, *, seed: int, scale: float, stdout):
        self.rng = random.Random(seed)
        self.plan = plan_for(scale)
        self.out = stdout
        self.now = timezone.now()

    def log(self, message: str) -> None:
        self.out.write(f"[{timezone.now() - self.now}] {message}")
        if hasattr(self.out, "flush"):
            self.out.flush()

    def bulk(self, model, objects, *, label: str, history: bool = False) -> list:
        created = []
        for batch in _batches(objects):
            created.extend(model.objects.bulk_create(batch, batch_size=BATCH))
            if history:
                model.history.bulk_history_create(batch, default_change_reason=Reason.SYNTHETIC.value, batch_size=BATCH)
            self.log(f"{label}: {len(created):,}/{len(objects):,}")
        return created

    # --- municipalities -------------------------------------------------------------------

    def municipalities(self):

        rng = self.rng
        total_weight = sum(v[0] for v in STATES.values())
        existing = set(Municipality.objects.values_list("ags", flat=True))
        used_slugs = set(Municipality.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True))
        rows: list[Municipality] = []
        parents: list[tuple[Municipality, Municipality]] = []  # (member, kreis)

        def make(name, kind, ags, land, rb, population, parent=None):
            slug = f"{SLUG_PREFIX}{ags}"
            assert slug not in used_slugs  # noqa: S101
            under_18 = round(population * rng.uniform(0.14, 0.19))
            m = Municipality(
                name=f"{name} {SYNTH}", slug=slug, kind=kind, ags=ags, bundesland=land,
                regierungsbezirk=f"Regierungsbezirk {rb} {SYNTH}" if rb else "", seat=name,
                population=population, area_km2=round(rng.uniform(5, 900 if kind == "kreis" else 120), 2),
                children_under_18=under_18, children_under_3=round(population * rng.uniform(0.024, 0.032)),
                figures_date=dt.date(2023, 12, 31), figures_source=SOURCE, population_source=SOURCE,
                notes="Demodaten: synthetisch erzeugt, keine echte Kommune.",
                has_youth_office=kind in ("kreis", "kreisfreie_stadt") or population > 20_000,
            )
            rows.append(m)
            if parent is not None:
                parents.append((m, parent))
            return m

        for land, (weight, kreise, kreisfrei, rbs) in STATES.items():
            target = max(1 if land in CITY_STATES else 2, round(self.plan.municipalities * weight / total_weight))
            if land in CITY_STATES:
                for n in range(target):
                    ags = self._free_ags(existing, f"{land}0{n + 1:02d}000")
                    make(f"{_place_name(rng)}stadt", MunicipalityKind.KREISFREIE_STADT, ags, land, 0,
                         rng.randint(100_000, 900_000))
                continue
            ratio = kreise / weight
            n_kreise = max(1, min(target - 1, round(target * ratio)))
            n_free = min(n_kreise - 1, round(n_kreise * kreisfrei / kreise)) if kreise else 0
            landkreise = []
            for k in range(n_kreise):
                rb = (k % rbs) + 1 if rbs else 0
                ags = self._free_ags(existing, f"{land}{rb}{(k // max(rbs, 1)) + 1:02d}000")
                if k < n_free:
                    make(f"{_place_name(rng)}", MunicipalityKind.KREISFREIE_STADT, ags, land, rb,
                         rng.randint(40_000, 600_000))
                else:
                    kreis = make(f"Landkreis {_place_name(rng)}", MunicipalityKind.KREIS, ags, land, rb,
                                 rng.randint(80_000, 400_000))
                    landkreise.append(kreis)
            counters = defaultdict(int)
            for g in range(target - n_kreise):
                kreis = landkreise[g % len(landkreise)]
                counters[kreis.ags] += 1
                ags = self._free_ags(existing, f"{kreis.ags[:5]}{counters[kreis.ags]:03d}")
                kind = MunicipalityKind.STADT if rng.random() < 0.2 else MunicipalityKind.GEMEINDE
                population = int(rng.lognormvariate(8.3, 1.1)) + 200
                make(_place_name(rng), kind, ags, land, int(kreis.ags[2]), population, parent=kreis)
        created = self.bulk(Municipality, rows, label="municipalities", history=True)
        updates = []
        for member, kreis in parents:
            member.parent_id = kreis.pk
            updates.append(member)
        for batch in _batches(updates):
            Municipality.objects.bulk_update(batch, ["parent"])
        self.log(f"municipalities: {len(updates):,} linked to their Kreis")
        return created

    @staticmethod
    def _free_ags(existing: set, ags: str) -> str:
        """The AGS itself, or the next free Gemeinde key in the same Kreis."""
        candidate = ags
        number = int(ags[5:])
        while candidate in existing:
            number += 1
            candidate = f"{ags[:5]}{number:03d}"
            if number > 999:
                raise RuntimeError(f"No free AGS in Kreis {ags[:5]}")
        existing.add(candidate)
        return candidate

    # --- actors ---------------------------------------------------------------------------

    def actors(self, municipalities):

        rng = self.rng
        types = list(ActorType.objects.order_by("pk"))
        groups = list(TargetGroup.objects.order_by("pk").values_list("pk", flat=True))
        weights = [max(m.population or 1, 1) ** 0.6 for m in municipalities]
        homes = rng.choices(municipalities, weights=weights, k=self.plan.actors)
        rows = []
        for n, home in enumerate(homes):
            actor_type = rng.choice(types)
            kind, traeger = rng.choice(TRAEGER)
            rows.append(Actor(
                uuid=_uuid(rng), name=f"{actor_type.name} {home.seat} {n + 1} {SYNTH}", actor_type=actor_type,
                traeger_kind=kind, traeger_name=f"{traeger} {home.seat} {SYNTH}", municipality=home,
                city=home.seat, email=f"partner-{n + 1}@synthetisch.invalid",
                offer="; ".join(rng.sample(OFFER_PHRASES, rng.randint(1, 4))) + ".",
                languages=rng.choice(["Deutsch", "Deutsch, Englisch", "Deutsch, Türkisch", "Deutsch, Arabisch"]),
                is_active=rng.random() > 0.03,
            ))
        actors = self.bulk(Actor, rows, label="partners", history=True)
        search.refresh(Actor, missing_only=True)
        self.log("partners: search vectors set in one statement")
        through = Actor.target_groups.through
        links = []
        for actor in actors:
            for group in rng.sample(groups, rng.randint(1, min(3, len(groups)))) if groups else []:
                links.append(through(actor_id=actor.pk, targetgroup_id=group))
        self.bulk(through, links, label="partner target groups")
        # Partners of a Kreis often serve some of its member municipalities.
        members = defaultdict(list)
        for m in municipalities:
            if m.parent_id:
                members[m.parent_id].append(m.pk)
        serves_through = Actor.serves.through
        serves = []
        for actor in actors:
            pool = members.get(actor.municipality_id)
            if pool and rng.random() < 0.5:
                for muni_id in rng.sample(pool, min(len(pool), rng.randint(1, 4))):
                    # Declared by the Kreis for its own members: confirmed at once.
                    serves.append(serves_through(actor_id=actor.pk, municipality_id=muni_id, requested_at=self.now,
                                                 confirmed_at=self.now))
        self.bulk(serves_through, serves, label="served municipalities")
        contacts = []
        for actor in actors:
            for _ in range(rng.choice((0, 1, 1, 2))):
                contacts.append(ContactPerson(
                    actor_id=actor.pk, name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {SYNTH}",
                    function=rng.choice(["Leitung", "Fachberatung", "Koordination", "Sozialarbeit"]),
                    email=f"person-{len(contacts) + 1}@synthetisch.invalid",
                ))
        self.bulk(ContactPerson, contacts, label="contact persons", history=True)
        return actors

    # --- cooperations ---------------------------------------------------------------------

    def cooperations(self, municipalities, actors):

        rng = self.rng
        by_home = defaultdict(list)
        for actor in actors:
            by_home[actor.municipality_id].append(actor.pk)
        candidates = [m for m in municipalities if len(by_home[m.pk]) >= 2]
        weights = [len(by_home[m.pk]) for m in candidates]
        places = rng.choices(candidates, weights=weights, k=self.plan.cooperations)
        kinds = CooperationKind.values
        rows = []
        for n, place in enumerate(places):
            rows.append(Cooperation(
                uuid=_uuid(rng), title=f"{rng.choice(COOP_TITLES)} {place.seat} {n + 1} {SYNTH}",
                kind=rng.choice(kinds), municipality=place,
                since=dt.date(rng.randint(2008, 2025), rng.randint(1, 12), 1),
                meeting_frequency=rng.choice(["monatlich", "vierteljährlich", "halbjährlich", "bei Bedarf"]),
                description=_paragraph(rng, 1, 3), is_active=rng.random() > 0.05,
            ))
        cooperations = self.bulk(Cooperation, rows, label="cooperations", history=True)
        through = Cooperation.actors.through
        links = []
        for cooperation in cooperations:
            pool = by_home[cooperation.municipality_id]
            for actor_id in rng.sample(pool, min(len(pool), rng.randint(2, 5))):
                links.append(through(cooperation_id=cooperation.pk, actor_id=actor_id))
        self.bulk(through, links, label="cooperation partners")
        return cooperations

    # --- roadmap progress -----------------------------------------------------------------

    def progress(self, municipalities):

        rng = self.rng
        steps = list(RoadmapStep.objects.order_by("number"))
        if not steps:
            self.log("progress: no roadmap steps, skipped")
            return
        rows = []
        for m in municipalities:
            reached = rng.randint(1, len(steps) + 1)  # steps before `reached` are done
            for step in steps[: min(reached, len(steps))]:
                done = step.number < steps[min(reached, len(steps)) - 1].number or reached > len(steps)
                started = dt.date(rng.randint(2015, 2024), rng.randint(1, 12), 1)
                rows.append(StepProgress(
                    municipality=m, step=step, status=StepStatus.DONE if done else StepStatus.IN_PROGRESS,
                    started_on=started, completed_on=started + dt.timedelta(days=rng.randint(30, 400)) if done else None,
                    responsible=f"Koordinierungsstelle {SYNTH}",
                ))
        self.bulk(StepProgress, rows, label="roadmap progress")

    # --- catalogue ------------------------------------------------------------------------

    def examples(self, municipalities):

        rng = self.rng
        keywords = list(Keyword.objects.order_by("pk"))
        groups = list(TargetGroup.objects.order_by("pk").values_list("pk", flat=True))
        steps = list(RoadmapStep.objects.order_by("pk").values_list("pk", flat=True))
        leads = [m for m in municipalities if m.kind in ("kreis", "kreisfreie_stadt", "stadt")] or municipalities
        rows, chosen = [], []
        for n in range(self.plan.examples):
            m = rng.choice(leads)
            title = f"{rng.choice(EXAMPLE_TITLES)} in {m.seat} {n + 1} {SYNTH}"
            kw = rng.sample(keywords, min(len(keywords), rng.randint(1, 3)))
            published = self.now - dt.timedelta(days=rng.randint(0, 2000))
            rows.append(Example(
                slug=f"{SLUG_PREFIX}beispiel-{n + 1}", status=ExampleStatus.PUBLISHED, municipality=m, title=title,
                free_tags="synthetisch, Testdaten", lead_name=f"Jugendamt {m.seat} {SYNTH}",
                occasion=_paragraph(rng, 2, 4), goal=_paragraph(rng, 2, 3), implementation=_paragraph(rng, 4, 8),
                financing=_paragraph(rng, 1, 2), legal_form=rng.choice(LegalForm.values),
                since_year=rng.randint(2005, 2025), since_month=rng.randint(1, 12),
                contact_organisation=f"Koordinierungsstelle {m.seat} {SYNTH}",
                contact_email=f"beispiel-{n + 1}@synthetisch.invalid",
                figures_note="Demodaten: synthetisch erzeugtes Beispiel, kein echtes Projekt.",
                keywords_text=" ".join(k.name for k in kw) + " synthetisch Testdaten",
                published_at=published, last_published_at=published,
            ))
            chosen.append((kw, rng.sample(groups, min(len(groups), rng.randint(1, 3))),
                           rng.sample(steps, min(len(steps), rng.randint(1, 2)))))
        examples = self.bulk(Example, rows, label="examples")
        kw_through, tg_through, st_through = (
            Example.keywords.through, Example.target_groups.through, Example.steps.through,
        )
        kw_rows, tg_rows, st_rows, revisions = [], [], [], []
        for example, (kw, tg, st) in zip(examples, chosen, strict=True):
            kw_rows += [kw_through(example_id=example.pk, keyword_id=k.pk) for k in kw]
            tg_rows += [tg_through(example_id=example.pk, targetgroup_id=t) for t in tg]
            st_rows += [st_through(example_id=example.pk, roadmapstep_id=s) for s in st]
            data = {name: getattr(example, name) for name in content.COLUMNS}
            data.update(municipality=example.municipality_id, keywords=[k.pk for k in kw], target_groups=tg,
                        steps=st)
            revisions.append(ExampleRevision(
                example_id=example.pk, number=1, status=RevisionStatus.PUBLISHED, data=content.normalise(data),
                reviewed_at=example.published_at,
            ))
        self.bulk(kw_through, kw_rows, label="example keywords")
        self.bulk(tg_through, tg_rows, label="example target groups")
        self.bulk(st_through, st_rows, label="example steps")
        self.bulk(ExampleRevision, revisions, label="example revisions")
        search.refresh(Example, where={"slug__startswith": SLUG_PREFIX})
        self.log("examples: search vectors set in one statement")
        return examples

    def run(self):
        with transaction.atomic():
            munis = self.municipalities()
            actors = self.actors(munis)
            self.cooperations(munis, actors)
            self.progress(munis)
            self.examples(munis)
            pagecache.bump()  # bulk inserts send no signals
        analyze()
        self.log("ANALYZE done")


def synthetic_present() -> bool:

    return Municipality.objects.filter(slug__startswith=SLUG_PREFIX).exists()


def reset(*, stdout) -> None:
    """Delete every synthetic row (and its history) with a few set-based statements."""

    synth_munis = Municipality.objects.filter(slug__startswith=SLUG_PREFIX)
    synth_actors = Actor.objects.filter(municipality__in=synth_munis)
    synth_coops = Cooperation.objects.filter(municipality__in=synth_munis)
    synth_examples = Example.objects.filter(slug__startswith=SLUG_PREFIX)

    def raw_delete(qs) -> int:
        return qs._raw_delete(qs.db)

    with transaction.atomic():
        for model in (Example.keywords.through, Example.target_groups.through, Example.steps.through,
                      Example.municipalities.through):
            raw_delete(model.objects.filter(example__in=synth_examples))
        for model in (ExampleEvent, ExampleRevision, ExampleCriterion, ExampleLink, ExampleParticipant):
            raw_delete(model.objects.filter(example__in=synth_examples))
        raw_delete(Example.history.model.objects.filter(slug__startswith=SLUG_PREFIX))
        raw_delete(Example.objects.filter(slug__startswith=SLUG_PREFIX))
        raw_delete(StepProgress.done_tasks.through.objects.filter(stepprogress__municipality__in=synth_munis))
        raw_delete(StepProgress.objects.filter(municipality__in=synth_munis))
        raw_delete(Cooperation.actors.through.objects.filter(cooperation__in=synth_coops))
        raw_delete(Cooperation.history.model.objects.filter(municipality_id__in=synth_munis.values("pk")))
        raw_delete(synth_coops)
        raw_delete(Actor.target_groups.through.objects.filter(actor__in=synth_actors))
        raw_delete(Actor.serves.through.objects.filter(actor__in=synth_actors))
        raw_delete(ContactPerson.history.model.objects.filter(actor_id__in=synth_actors.values("pk")))
        raw_delete(ContactPerson.objects.filter(actor__in=synth_actors))
        raw_delete(Actor.history.model.objects.filter(municipality_id__in=synth_munis.values("pk")))
        raw_delete(synth_actors)
        raw_delete(Municipality.coordinators.through.objects.filter(municipality__in=synth_munis))
        raw_delete(Municipality.history.model.objects.filter(slug__startswith=SLUG_PREFIX))
        Municipality.objects.filter(slug__startswith=SLUG_PREFIX).update(parent=None)
        count = raw_delete(Municipality.objects.filter(slug__startswith=SLUG_PREFIX))
        pagecache.bump()  # raw deletes send no signals
    stdout.write(f"Removed the synthetic country ({count:,} municipalities and everything attached).")
