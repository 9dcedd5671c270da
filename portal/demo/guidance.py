"""Base and demo content of the guide: the roadmap, the guidance pages and Kreis Heinsberg's way.

Idempotent: objects from the fixtures are created once (with their fixed primary keys, or a free
one when an editor's object holds it). An existing object is brought up to the fixture only while
nobody but the seed has written it (every history record is the seed's and the row still equals the
last of them), so corrected demo content reaches existing databases, edits by the editorial team
survive a re-run, and a second run writes nothing. Runs after the registry seed (actor types and
municipalities come from there).
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.db import transaction
from django.utils.translation import override

from guidance import facts
from guidance.models import ResolutionEvidence, RoadmapStep, StepProgress
from networks.models import ActorType, Municipality
from portal.core.history import Reason

FIXTURES = ("guidance_roadmap.json", "guidance_pages.json")
ACTOR_TYPES_FIXTURE = "guidance_step_actor_types.json"
DEMO_REASON = Reason.SEED.value


def fixtures_dir() -> Path:
    return Path(settings.BASE_DIR) / "fixtures"


def _content_fields(model) -> list:
    """The columns the seed writes: every concrete field but the key, timestamps and the lock version."""
    return [f for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in ("version", "updated_at", "updated_by")]


def written_by_seed_only(obj) -> bool:
    """True while only the seed has written ``obj``: all its history records carry the seed's reason and
    the row still equals the latest one (a change that bypassed the history counts as an edit)."""
    records = list(obj.history.order_by("-history_date", "-history_id"))
    if not records or any(r.history_change_reason != DEMO_REASON for r in records):
        return False
    latest = records[0]
    return all(getattr(latest, f.attname, None) == getattr(obj, f.attname)
               for f in _content_fields(type(obj)) if hasattr(latest, f.attname))


def _existing(obj):
    """The stored object the fixture object stands for: same key (and same slug, where there is one)."""
    model = type(obj)
    found = model.objects.filter(pk=obj.pk).first()
    slug = getattr(obj, "slug", None)
    if slug is not None and (found is None or found.slug != slug):
        found = model.objects.filter(slug=slug).first()
    return found


def _refresh(current, wanted) -> bool:
    """Copy the fixture's content onto an object only the seed has written; True when it changed."""
    fields = [f for f in _content_fields(type(current)) if getattr(current, f.attname) != getattr(wanted, f.attname)]
    if not fields or not written_by_seed_only(current):
        return False
    for field in fields:
        setattr(current, field.attname, getattr(wanted, field.attname))
    if hasattr(current, "version"):
        current.version += 1  # an editor's open form now meets the lock instead of overwriting silently
    current._change_reason = DEMO_REASON
    current.save()
    return True


def load_fixture(name: str) -> int:
    """Create the fixture's missing objects and refresh those only the seed has written; returns how many
    objects were created or refreshed."""
    written = 0
    with open(fixtures_dir() / name, encoding="utf-8") as handle:
        for deserialized in serializers.deserialize("json", handle):
            obj = deserialized.object
            current = _existing(obj)
            if current is not None:
                written += _refresh(current, obj)
                continue
            if type(obj).objects.filter(pk=obj.pk).exists():
                obj.pk = None  # the key is an editor's object: take the next free one
            obj._change_reason = DEMO_REASON
            obj.save()  # a normal save: the history gets its creation record
            for field, values in (deserialized.m2m_data or {}).items():
                getattr(obj, field).set(values)
            written += 1
    return written


def link_actor_types() -> int:
    """Link steps to the registry's actor types by slug (missing slugs are skipped)."""
    with open(fixtures_dir() / ACTOR_TYPES_FIXTURE, encoding="utf-8") as handle:
        mapping = json.load(handle)
    types = {t.slug: t for t in ActorType.objects.filter(slug__in={s for slugs in mapping.values() for s in slugs})}
    linked = 0
    for step in RoadmapStep.objects.filter(slug__in=mapping).prefetch_related("actor_types"):
        if step.actor_types.exists():
            continue  # linked before (or curated by the editorial team): leave it alone
        wanted = [types[s] for s in mapping[step.slug] if s in types]
        if wanted:
            step.actor_types.set(wanted)
            linked += 1
    return linked


# Kreis Heinsberg's way. A step is "done" only where a source says so, each note names its source, and
# only tasks a source documents are ticked. Month-precise facts are stored on the first of the month.
HEINSBERG_SLUG = "kreis-heinsberg"
ENTRY = ("Datenbank interkommunale Zusammenarbeit NRW (interkommunales.nrw), Eintrag des Kreises Heinsberg "
         "„Zusammenarbeit mit suchtmittelabhängigen Eltern und/oder Eltern in Substitutionsbehandlung“.")
SECOND_ENTRY = ("Datenbank interkommunale Zusammenarbeit NRW (interkommunales.nrw), zweiter Eintrag des Kreises "
                "Heinsberg: gemeinsame Koordinierungsstelle Frühe Hilfen und Familienhebammendienst.")
VORLAGE = "Kreis Heinsberg, Beschlussvorlage 0257/2015 (Sitzungsdienst des Kreises Heinsberg)."
VORLAGE_LINK = "https://sitzungsdienst.kreis-heinsberg.de/vo0050.asp?__kvonr=894&voselect=727"
MINUTES = "Stadt Geilenkirchen, Niederschrift zur Kooperationsvereinbarung (Ratsinformationssystem)."
MINUTES_LINK = "https://stadt-gk.de/bi/to0050.asp?__ktonr=8125"
PRESS = "Rheinische Post, „Neue fachübergreifende Hilfe für Kinder“."
PRESS_LINK = "http://www.rp-online.de/nrw/staedte/kreis-heinsberg/neue-fachuebergreifende-hilfe-fuer-kinder-aid-1.5985710"


def heinsberg_progress() -> dict:
    """The Kreis's steps with their sources; the share it quoted comes from guidance/facts.py, written in German."""
    with override("de"):
        share = facts.percent(facts.ADDICTED_PARENT_SHARE.value)
    return {
        "problem-erkennen": {
            "status": "done",
            "notes": f"Der Kreis begründet die Zusammenarbeit mit einer Schätzung: Den bundesweiten Anteil von {share} "
                     "der Kinder, die zeitweise mit einem suchtkranken Elternteil leben, hat er auf seine Kinder "
                     "übertragen (Zahl in der Schätzhilfe). Wann das geschah, nennt die Quelle nicht.",
            "evidence": ENTRY,
            "tasks": [2],
        },
        "agenda-setzen": {
            "status": "done",
            "started_on": datetime.date(2012, 10, 1),
            "completed_on": datetime.date(2015, 9, 1),
            "responsible": "Arbeitsgruppe aus Jugendämtern und Suchtberatungsstellen",
            "notes": "Eine Arbeitsgruppe aus Jugend- und Suchthilfe traf sich vom ersten Treffen im Oktober 2012 bis "
                     "September 2015 zu 12 Sitzungen; beraten und moderiert hat sie die Landeskoordinierungsstelle "
                     "„Frauen und Sucht NRW“. Daten monatsgenau (Tag nicht überliefert).",
            "evidence": MINUTES,
            "evidence_link": MINUTES_LINK,
            "tasks": [1],
        },
        "beschluss-fassen": {
            "status": "in_progress",
            "notes": "Belegt ist die Beschlussvorlage 0257/2015 des Kreises mit dem Vorschlag, dem Abschluss der "
                     "Vereinbarung zuzustimmen. Gremium, Sitzungsdatum und Ergebnis im Kreis nennen die Quellen nicht; "
                     "deshalb ist der Schritt hier nicht als erledigt markiert. Ein Ausschuss der Stadt Geilenkirchen hat "
                     "dem Abschluss zugestimmt (Niederschrift der Stadt).",
            "evidence": VORLAGE,
            "evidence_link": VORLAGE_LINK,
            "tasks": [1, 3],
            "resolution": {"committee": "", "reference": "0257/2015", "link": VORLAGE_LINK},
        },
        "koordination-einrichten": {
            "status": "done",
            "started_on": datetime.date(2014, 1, 1),
            "completed_on": datetime.date(2014, 1, 1),
            "notes": "Seit 2014 arbeiten die Koordinierungsstelle Frühe Hilfen und der Familienhebammendienst des "
                     "Kreises als gemeinsame Stelle. Datum jahresgenau.",
            "evidence": SECOND_ENTRY,
            "tasks": [],
        },
        "partner-gewinnen": {
            "status": "done",
            "notes": "Partner der Vereinbarung: aus der Suchthilfe die Suchtberatung des Kreisgesundheitsamtes und die "
                     "Suchtberatungsstellen von Caritas und Diakonie; aus der Jugendhilfe das Kreisjugendamt und die "
                     "Jugendämter von Erkelenz, Geilenkirchen, Heinsberg und Hückelhoven.",
            "evidence": ENTRY,
            "tasks": [],
        },
        "kooperation-vereinbaren": {
            "status": "done",
            "completed_on": datetime.date(2016, 5, 1),
            "notes": "Öffentlich-rechtliche Vereinbarung seit Mai 2016 (Tag nicht überliefert), laut Kreis ohne "
                     "finanzielle Auswirkungen. Ein Kooperationsgremium tagt zweimal im Jahr; zu Beteiligtenkonferenzen "
                     "kommen die Fachkräfte mit den Eltern etwa ein- bis zweimal im Jahr zusammen. Unterzeichnet haben "
                     "unter anderem der Landrat und der Caritasverband (Rheinische Post).",
            "evidence": f"{ENTRY} {PRESS}",
            "evidence_link": PRESS_LINK,
            "tasks": [2, 3, 4],
        },
        "umsetzen": {
            "status": "in_progress",
            "started_on": datetime.date(2016, 5, 1),
            "notes": "Die Vereinbarung soll den Fachkräften im ganzen Kreis als Leitfaden und Arbeitshilfe dienen. "
                     "Wie weit die Umsetzung ist, nennt die Quelle nicht (Stand der Angaben: 2016).",
            "evidence": ENTRY,
            "tasks": [],
        },
    }


def _progress_fields(data: dict) -> dict:
    return {
        "status": data["status"], "started_on": data.get("started_on"), "completed_on": data.get("completed_on"),
        "responsible": data.get("responsible", ""), "notes": data["notes"], "evidence": data["evidence"],
        "evidence_link": data.get("evidence_link", ""),
    }


def seed_heinsberg(*, stdout=None) -> int:
    """Kreis Heinsberg's way along the roadmap; skipped when the registry has no such municipality.

    An entry only the seed has written is brought up to date; one a coordinator has edited is left alone."""
    municipality = Municipality.objects.filter(slug=HEINSBERG_SLUG).first()
    if municipality is None:
        if stdout:
            stdout.write("guidance: Kreis Heinsberg not in the registry, its roadmap is skipped.")
        return 0
    written = 0
    steps = {s.slug: s for s in RoadmapStep.objects.prefetch_related("tasks")}
    for slug, data in heinsberg_progress().items():
        step = steps.get(slug)
        if step is None:
            continue
        tasks = list(step.tasks.all())
        wanted_tasks = {tasks[i - 1].pk for i in data["tasks"] if i <= len(tasks)}
        fields = _progress_fields(data)
        progress = StepProgress.objects.filter(municipality=municipality, step=step).first()
        if progress is None:
            progress = StepProgress(municipality=municipality, step=step, **fields)
        else:
            changed = [name for name, value in fields.items() if getattr(progress, name) != value]
            same_tasks = set(progress.done_tasks.values_list("pk", flat=True)) == wanted_tasks
            if (not changed and same_tasks) or not written_by_seed_only(progress):
                continue
            for name in changed:
                setattr(progress, name, fields[name])
            progress.version += 1
        progress._change_reason = DEMO_REASON
        progress.save()
        progress.done_tasks.set(sorted(wanted_tasks))
        if "resolution" in data and not ResolutionEvidence.objects.filter(progress=progress).exists():
            evidence = ResolutionEvidence(progress=progress, **data["resolution"])
            evidence._change_reason = DEMO_REASON
            evidence.save()
        written += 1
    return written


@transaction.atomic
def seed(*, stdout=None) -> None:
    created = sum(load_fixture(name) for name in FIXTURES)
    linked = link_actor_types()
    progress = seed_heinsberg(stdout=stdout)
    if stdout:
        stdout.write(f"guidance: {created} content objects created or refreshed, {linked} steps linked to actor "
                     f"types, {progress} progress entries for Kreis Heinsberg written.")
