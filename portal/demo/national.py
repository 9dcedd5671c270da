"""Synthetic networks on the real country, for load tests: partners, contacts, cooperations, progress, examples.

The municipalities are the official register (Destatis Gemeindeverzeichnis, ``networks.register``,
written by ``networks.services.register_load``): 11,090 Kreise, kreisfreie Städte and Gemeinden with
their real population, from Berlin's 3.7 million down to villages of a few dozen. Only what their
networks hold is invented, and marked so:

- partners: the name ends in ``(synthetisch)`` and the e-mail address is ``…@synthetisch.invalid``
  (a reserved domain no real address can have); their contact persons and history go with them;
- cooperations: the title ends in ``(synthetisch)``;
- roadmap progress: the responsible office is ``Koordinierungsstelle (synthetisch)``;
- good-practice examples: the slug starts with ``synth-`` and the title ends in ``(synthetisch)``.

:func:`remove` deletes exactly these rows (and municipalities with a ``synth-`` slug, the invented
country of earlier versions), never a register municipality or the demo content. Municipalities whose
Kreis already holds curated content (the demo's Kreis Heinsberg and Städteregion Aachen) are left as
they are, with all their members.

Shape: every Kreis, region and kreisfreie Stadt has the offices of a Jugendamt district (Jugendamt,
Frühe Hilfen, Gesundheitsamt, Sozialpsychiatrischer Dienst, Jobcenter); the other partners are spread
by population, a village's share damped so that most villages have none; cooperations follow the
partners; roadmap progress exists for most Kreise and kreisfreie Städte, some towns and few villages.
Deterministic: the same seed on the same database gives the same rows. Rows are written in batches
(COPY on PostgreSQL, ``bulk_create`` elsewhere), each partner, contact person and cooperation with one
initial history row written in bulk, never one by one.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Q, QuerySet
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
from guidance.models import ResolutionEvidence, RoadmapStep, StepProgress, StepStatus
from networks import register, services
from networks.models import (
    AccessRequest,
    Actor,
    ActorType,
    ContactPerson,
    Cooperation,
    CooperationKind,
    Municipality,
    MunicipalityKind,
    Region,
    ServiceArea,
    TargetGroup,
)
from portal.core import pagecache, search
from portal.core.db import analyze, bulk_insert
from portal.core.history import Reason

SYNTH = "(synthetisch)"
MAIL_DOMAIN = "synthetisch.invalid"
SLUG_PREFIX = "synth-"  # examples; municipalities of the invented country of earlier versions
RESPONSIBLE = f"Koordinierungsstelle {SYNTH}"
BATCH = 5000

# At --scale 1.0. The offices of each Jugendamt district (about 2,000 partners) come on top.
FULL_ACTORS = 250_000
FULL_COOPERATIONS = 400_000
FULL_EXAMPLES = 5_000

# The register counts as loaded from this many municipalities with a Regionalschlüssel (it has 11,090).
REGISTER_LOADED = 10_000

# Kinds of the Jugendamt districts: each carries the offices in CORE_TYPES.
DISTRICT_KINDS = (MunicipalityKind.KREIS, MunicipalityKind.REGION, MunicipalityKind.KREISFREIE_STADT)
KREIS_KINDS = (MunicipalityKind.KREIS, MunicipalityKind.REGION)
CORE_TYPES = ("jugendamt", "koordinierungsstelle-fruehe-hilfen", "gesundheitsamt", "sozialpsychiatrischer-dienst",
              "jobcenter")
# What a small place has, if anything: day care, a school, a paediatrician, a midwife, a self-help group.
LOCAL_TYPES = ("kita", "schule", "kinder-jugendaerzte", "familienhebammen", "freie-jugendhilfe", "familienbildung",
               "mehrgenerationenhaus", "selbsthilfe")
TOWN = 10_000  # from this population on a place has partners of every type
# A place's weight for the partners spread by population is population × p / (p + VILLAGE): a town
# of 20,000 counts 91 % of its inhabitants, a village of 500 only 20 %, so most villages get none.
VILLAGE = 2_000
# Kreis-wide services (counselling centres, Frühförderung …) sit at the Kreis itself: its weight is
# this share of its inhabitants, on top of its Gemeinden's own partners.
KREIS_SHARE = 0.15
# Who has started the roadmap: most Jugendamt districts, some towns, few villages with partners.
PROGRESS_SHARE = {"district": 0.85, MunicipalityKind.STADT: 0.3, "other": 0.05}

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


# --- What is synthetic ----------------------------------------------------------------------


# The markers, each in one place; ``remove`` and the queries below use them.
SYNTHETIC_ACTOR = Q(name__endswith=SYNTH, email__endswith=f"@{MAIL_DOMAIN}")
SYNTHETIC_COOPERATION = Q(title__endswith=SYNTH)
SYNTHETIC_PROGRESS = Q(responsible=RESPONSIBLE)


def synthetic_actors() -> QuerySet[Actor]:
    return Actor.objects.filter(SYNTHETIC_ACTOR)


def synthetic_cooperations() -> QuerySet[Cooperation]:
    return Cooperation.objects.filter(SYNTHETIC_COOPERATION)


def synthetic_progress() -> QuerySet[StepProgress]:
    return StepProgress.objects.filter(SYNTHETIC_PROGRESS)


def synthetic_examples() -> QuerySet[Example]:
    return Example.objects.filter(slug__startswith=SLUG_PREFIX)


def legacy_municipalities() -> QuerySet[Municipality]:
    """The invented municipalities of earlier versions of this generator (their AGS may be real ones)."""
    return Municipality.objects.filter(slug__startswith=SLUG_PREFIX)


def synthetic_present() -> bool:
    return synthetic_actors().exists() or legacy_municipalities().exists()


def register_municipalities() -> QuerySet[Municipality]:
    """The municipalities of the official register (loaded ones carry their Regionalschlüssel)."""
    return Municipality.objects.exclude(regional_key="")


def benchmark_kreis() -> Municipality | None:
    """The Landkreis the benchmark and the query-count test show: the first of Nordrhein-Westfalen
    (by AGS) with synthetic partners (Kreis Kleve with the whole register)."""
    return (
        Municipality.objects.filter(kind=MunicipalityKind.KREIS, bundesland="05",
                                    pk__in=synthetic_actors().values("municipality_id"))
        .order_by("ags").first()
    )


def largest_city() -> Municipality | None:
    """The most populous kreisfreie Stadt with synthetic partners (Berlin with the whole register)."""
    return (
        Municipality.objects.filter(kind=MunicipalityKind.KREISFREIE_STADT,
                                    pk__in=synthetic_actors().values("municipality_id"))
        .order_by("-population", "ags").first()
    )


# --- The register -----------------------------------------------------------------------------


def ensure_register(*, path: Path | None = None, force: bool = False, stdout) -> None:
    """Load the official register unless it is there: always when ``path`` is given or ``force``d
    (idempotent, matched by AGS), else when fewer than REGISTER_LOADED municipalities come from it."""
    loaded = register_municipalities().count()
    if path is None and not force and loaded >= REGISTER_LOADED:
        stdout.write(f"Register present: {loaded:,} municipalities.")
        return
    started = timezone.now()
    result = services.register_load(data=register.read(path))
    pagecache.bump()  # bulk writes send no signals
    stdout.write(
        f"Register loaded in {(timezone.now() - started).total_seconds():.1f} s: {result.places:,} Kreise and "
        f"Gemeinden ({result.created:,} new, {result.updated:,} updated), {result.areas:,} areas."
    )


# --- The generator ----------------------------------------------------------------------------


@dataclass
class Plan:
    actors: int  # spread by population; the offices of each Jugendamt district come on top
    cooperations: int
    examples: int


def plan_for(scale: float) -> Plan:
    return Plan(
        actors=max(20, round(FULL_ACTORS * scale)),
        cooperations=max(10, round(FULL_COOPERATIONS * scale)),
        examples=max(5, round(FULL_EXAMPLES * scale)),
    )


def short_name(municipality: Municipality) -> str:
    """The name as it is said: "Köln, Stadt" → "Köln"; "Kreis Kleve" stays."""
    return municipality.name.split(",")[0].strip()


def weight(municipality: Municipality) -> float:
    """A municipality's share of the partners spread by population (see VILLAGE and KREIS_SHARE)."""
    population = municipality.population or 0
    if municipality.kind in KREIS_KINDS:
        return KREIS_SHARE * population
    return population * population / (population + VILLAGE)


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
        """Insert in batches (COPY on PostgreSQL), with one initial history row per record if asked."""
        created = []
        for batch in _batches(objects):
            created.extend(bulk_insert(model, batch, batch_size=BATCH))
            if history:
                historical = model.history.model
                bulk_insert(historical, [
                    historical(
                        history_date=self.now, history_user=None, history_change_reason=Reason.SYNTHETIC.value,
                        history_type="+", **{f.attname: getattr(obj, f.attname) for f in historical.tracked_fields},
                    )
                    for obj in batch
                ], batch_size=BATCH)
            self.log(f"{label}: {len(created):,}/{len(objects):,}")
        return created

    # --- where -----------------------------------------------------------------------------

    @staticmethod
    def curated() -> set[int]:
        """Municipalities whose Kreis holds curated content (partners, cooperations, service areas or
        progress, e.g. the demo's), with all members of that Kreis: their networks stay as they are."""
        own = (
            set(Actor.objects.values_list("municipality_id", flat=True).distinct())
            | set(Cooperation.objects.values_list("municipality_id", flat=True).distinct())
            | set(ServiceArea.objects.values_list("municipality_id", flat=True).distinct())
            | set(StepProgress.objects.values_list("municipality_id", flat=True).distinct())
        )
        roots = {parent or pk for pk, parent in Municipality.objects.filter(pk__in=own).values_list("pk", "parent_id")}
        return roots | set(Municipality.objects.filter(parent_id__in=roots).values_list("pk", flat=True))

    def places(self) -> list[Municipality]:
        curated = self.curated()
        places = list(
            register_municipalities().exclude(pk__in=curated)
            .only("pk", "ags", "name", "kind", "bundesland", "population", "parent").order_by("ags")
        )
        self.log(f"municipalities: {len(places):,} of the register ({len(curated):,} with curated content left alone)")
        return places

    # --- partners --------------------------------------------------------------------------

    def actors(self, places):

        rng = self.rng
        types = {t.slug: t for t in ActorType.objects.order_by("pk")}
        core = [types[slug] for slug in CORE_TYPES if slug in types]
        others = [t for t in types.values() if t not in core] or list(types.values())
        local = [types[slug] for slug in LOCAL_TYPES if slug in types] or others
        groups = list(TargetGroup.objects.order_by("pk").values_list("pk", flat=True))
        rows = []

        def partner(home, actor_type, kind, traeger, *, name, active=True):
            short = short_name(home)
            rows.append(Actor(
                uuid=_uuid(rng), name=f"{name} {SYNTH}", actor_type=actor_type, traeger_kind=kind,
                traeger_name=f"{traeger} {short} {SYNTH}", municipality=home, city=short,
                email=f"partner-{len(rows) + 1}@{MAIL_DOMAIN}",
                offer="; ".join(rng.sample(OFFER_PHRASES, rng.randint(1, 4))) + ".",
                languages=rng.choice(["Deutsch", "Deutsch, Englisch", "Deutsch, Türkisch", "Deutsch, Arabisch"]),
                is_active=active,
            ))

        # The offices of every Jugendamt district.
        for home in places:
            if home.kind in DISTRICT_KINDS:
                office = "Stadtverwaltung" if home.kind == MunicipalityKind.KREISFREIE_STADT else "Kreisverwaltung"
                for actor_type in core:
                    partner(home, actor_type, "public", office, name=f"{actor_type.name} {short_name(home)}")
        offices = len(rows)
        # The others by population.
        weights = [weight(m) for m in places]
        homes = rng.choices(places, weights=weights, k=self.plan.actors) if sum(weights) > 0 else []
        for n, home in enumerate(homes, start=1):
            small = home.kind not in KREIS_KINDS and (home.population or 0) < TOWN
            actor_type = rng.choice(local if small else others)
            kind, traeger = rng.choice(TRAEGER)
            partner(home, actor_type, kind, traeger, name=f"{actor_type.name} {short_name(home)} {n}",
                    active=rng.random() > 0.03)
        self.log(f"partners: {offices:,} offices of {offices // max(len(core), 1):,} Jugendamt districts, "
                 f"{len(homes):,} spread by population")
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
        for m in places:
            if m.parent_id:
                members[m.parent_id].append(m.pk)
        serves = []
        for actor in actors:
            pool = members.get(actor.municipality_id)
            if pool and rng.random() < 0.5:
                for muni_id in rng.sample(pool, min(len(pool), rng.randint(1, 4))):
                    # Declared by the Kreis for its own members: confirmed at once.
                    serves.append(ServiceArea(actor_id=actor.pk, municipality_id=muni_id, requested_at=self.now,
                                              confirmed_at=self.now))
        self.bulk(ServiceArea, serves, label="served municipalities")
        contacts = []
        for actor in actors:
            for _ in range(rng.choice((0, 1, 1, 2))):
                contacts.append(ContactPerson(
                    actor_id=actor.pk, name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {SYNTH}",
                    function=rng.choice(["Leitung", "Fachberatung", "Koordination", "Sozialarbeit"]),
                    email=f"person-{len(contacts) + 1}@{MAIL_DOMAIN}",
                ))
        self.bulk(ContactPerson, contacts, label="contact persons", history=True)
        return actors

    # --- cooperations ---------------------------------------------------------------------

    def cooperations(self, places, actors):

        rng = self.rng
        by_home = defaultdict(list)
        for actor in actors:
            by_home[actor.municipality_id].append(actor.pk)
        candidates = [m for m in places if len(by_home[m.pk]) >= 2]
        if not candidates:
            self.log("cooperations: no municipality with two partners, skipped")
            return []
        weights = [len(by_home[m.pk]) for m in candidates]
        homes = rng.choices(candidates, weights=weights, k=self.plan.cooperations)
        kinds = CooperationKind.values
        rows = []
        for n, home in enumerate(homes, start=1):
            rows.append(Cooperation(
                uuid=_uuid(rng), title=f"{rng.choice(COOP_TITLES)} {short_name(home)} {n} {SYNTH}",
                kind=rng.choice(kinds), municipality=home,
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

    def progress(self, places, actors):

        rng = self.rng
        steps = list(RoadmapStep.objects.order_by("number"))
        if not steps:
            self.log("progress: no roadmap steps, skipped")
            return
        with_partners = {actor.municipality_id for actor in actors}
        rows = []
        for m in places:
            if m.kind in DISTRICT_KINDS:
                share = PROGRESS_SHARE["district"]
            elif m.pk not in with_partners:
                continue
            else:
                share = PROGRESS_SHARE.get(m.kind, PROGRESS_SHARE["other"])
            if rng.random() >= share:
                continue
            reached = rng.randint(1, len(steps) + 1)  # steps before `reached` are done
            for step in steps[: min(reached, len(steps))]:
                done = step.number < steps[min(reached, len(steps)) - 1].number or reached > len(steps)
                started = dt.date(rng.randint(2015, 2024), rng.randint(1, 12), 1)
                rows.append(StepProgress(
                    municipality=m, step=step, status=StepStatus.DONE if done else StepStatus.IN_PROGRESS,
                    started_on=started, completed_on=started + dt.timedelta(days=rng.randint(30, 400)) if done else None,
                    responsible=RESPONSIBLE,
                ))
        self.bulk(StepProgress, rows, label="roadmap progress")

    # --- catalogue ------------------------------------------------------------------------

    def examples(self, places):

        rng = self.rng
        keywords = list(Keyword.objects.order_by("pk"))
        groups = list(TargetGroup.objects.order_by("pk").values_list("pk", flat=True))
        steps = list(RoadmapStep.objects.order_by("pk").values_list("pk", flat=True))
        leads = [m for m in places if m.kind in (*DISTRICT_KINDS, MunicipalityKind.STADT)] or places
        if not leads:
            self.log("examples: no municipality, skipped")
            return []
        chosen_leads = rng.choices(leads, weights=[math.sqrt(m.population or 1) for m in leads], k=self.plan.examples)
        rows, chosen = [], []
        for n, m in enumerate(chosen_leads, start=1):
            short = short_name(m)
            title = f"{rng.choice(EXAMPLE_TITLES)} in {short} {n} {SYNTH}"
            kw = rng.sample(keywords, min(len(keywords), rng.randint(1, 3)))
            published = self.now - dt.timedelta(days=rng.randint(0, 2000))
            rows.append(Example(
                slug=f"{SLUG_PREFIX}beispiel-{n}", status=ExampleStatus.PUBLISHED, municipality=m, title=title,
                free_tags="synthetisch, Testdaten", lead_name=f"Jugendamt {short} {SYNTH}",
                occasion=_paragraph(rng, 2, 4), goal=_paragraph(rng, 2, 3), implementation=_paragraph(rng, 4, 8),
                financing=_paragraph(rng, 1, 2), legal_form=rng.choice(LegalForm.values),
                since_year=rng.randint(2005, 2025), since_month=rng.randint(1, 12),
                contact_organisation=f"Koordinierungsstelle {short} {SYNTH}",
                contact_email=f"beispiel-{n}@{MAIL_DOMAIN}",
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
        places = self.places()
        with transaction.atomic():
            actors = self.actors(places)
            self.cooperations(places, actors)
            self.progress(places, actors)
            self.examples(places)
            pagecache.bump()  # bulk inserts send no signals
        analyze()
        self.log("ANALYZE done")


# --- Removal ----------------------------------------------------------------------------------


def _raw_delete(qs) -> int:
    return qs._raw_delete(qs.db)


def remove(*, stdout) -> None:
    """Delete every synthetic row and its history with a few set-based statements: the partners,
    contact persons, cooperations, progress and examples marked as synthetic, and the invented
    municipalities of earlier versions. Register municipalities and the demo content stay."""

    actors = synthetic_actors()
    cooperations = synthetic_cooperations()
    progress = synthetic_progress()
    examples = synthetic_examples()
    legacy = legacy_municipalities()
    counts = {
        "partners": actors.count(), "cooperations": cooperations.count(), "progress": progress.count(),
        "examples": examples.count(), "invented municipalities": legacy.count(),
    }
    coop_history = Cooperation.history.model
    coop_history_actors = coop_history._meta.get_field("historicalcooperation_actors").related_model
    progress_history = StepProgress.history.model
    progress_history_tasks = progress_history._meta.get_field("historicalstepprogress_done_tasks").related_model

    with transaction.atomic():
        # Examples.
        for model in (Example.keywords.through, Example.target_groups.through, Example.steps.through,
                      Example.municipalities.through):
            _raw_delete(model.objects.filter(example__in=examples))
        for model in (ExampleEvent, ExampleRevision, ExampleCriterion, ExampleLink, ExampleParticipant):
            _raw_delete(model.objects.filter(example__in=examples))
        _raw_delete(Example.history.model.objects.filter(slug__startswith=SLUG_PREFIX))
        _raw_delete(examples)
        # Roadmap progress: the synthetic rows and everything on the invented municipalities.
        progress = StepProgress.objects.filter(SYNTHETIC_PROGRESS | Q(municipality__in=legacy))
        _raw_delete(ResolutionEvidence.history.model.objects.filter(progress_id__in=progress.values("pk")))
        _raw_delete(ResolutionEvidence.objects.filter(progress__in=progress))
        _raw_delete(progress_history_tasks.objects.filter(history__id__in=progress.values("pk")))
        _raw_delete(progress_history.objects.filter(id__in=progress.values("pk")))
        _raw_delete(StepProgress.done_tasks.through.objects.filter(stepprogress__in=progress))
        _raw_delete(progress)
        # Cooperations, and any link of another cooperation to a synthetic partner.
        cooperations = Cooperation.objects.filter(SYNTHETIC_COOPERATION | Q(municipality__in=legacy))
        actors = Actor.objects.filter(SYNTHETIC_ACTOR | Q(municipality__in=legacy))
        _raw_delete(Cooperation.actors.through.objects.filter(cooperation__in=cooperations))
        _raw_delete(Cooperation.actors.through.objects.filter(actor__in=actors))
        _raw_delete(coop_history_actors.objects.filter(history__id__in=cooperations.values("pk")))
        _raw_delete(coop_history.objects.filter(id__in=cooperations.values("pk")))
        _raw_delete(cooperations)
        # Partners.
        ExampleParticipant.objects.filter(actor__in=actors).update(actor=None)
        _raw_delete(Actor.target_groups.through.objects.filter(actor__in=actors))
        _raw_delete(ServiceArea.objects.filter(actor__in=actors))
        _raw_delete(ContactPerson.history.model.objects.filter(actor_id__in=actors.values("pk")))
        _raw_delete(ContactPerson.objects.filter(actor__in=actors))
        _raw_delete(Actor.history.model.objects.filter(id__in=actors.values("pk")))
        _raw_delete(actors)
        # The invented municipalities of earlier versions. Should the register have been loaded over
        # them (matched by their AGS), links to them are cut; loading the register again restores them.
        if counts["invented municipalities"]:
            Municipality.objects.filter(parent__in=legacy).update(parent=None)
            Region.objects.filter(kreis__in=legacy).update(kreis=None)
            _raw_delete(ServiceArea.objects.filter(municipality__in=legacy))
            _raw_delete(AccessRequest.objects.filter(municipality__in=legacy))
            _raw_delete(Municipality.coordinators.through.objects.filter(municipality__in=legacy))
            _raw_delete(Example.municipalities.through.objects.filter(municipality__in=legacy))
            _raw_delete(Municipality.history.model.objects.filter(slug__startswith=SLUG_PREFIX))
            _raw_delete(legacy)
        pagecache.bump()  # raw deletes send no signals
    stdout.write("Removed the synthetic data: " + ", ".join(f"{n:,} {label}" for label, n in counts.items()) + ".")
