"""Base and demo content of the guide: the roadmap, the guidance pages and Kreis Heinsberg's way.

Idempotent: objects from the fixtures are created once (with their fixed primary keys) and
never overwritten, so edits by the editorial team survive a re-run and no duplicate history
rows appear. Runs after the registry seed (actor types and municipalities come from there).
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


def load_fixture(name: str) -> int:
    """Create the objects of a fixture that do not exist yet; returns how many were created."""
    created = 0
    with open(fixtures_dir() / name, encoding="utf-8") as handle:
        for deserialized in serializers.deserialize("json", handle):
            obj = deserialized.object
            if type(obj).objects.filter(pk=obj.pk).exists():
                continue
            obj._change_reason = DEMO_REASON
            obj.save()  # a normal save: the history gets its creation record
            for field, values in (deserialized.m2m_data or {}).items():
                getattr(obj, field).set(values)
            created += 1
    return created


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


# Kreis Heinsberg's way (interkommunales.nrw, seed 004). Month-precise facts are stored on the first
# of the month; the notes say so.
HEINSBERG_SLUG = "kreis-heinsberg"
HEINSBERG_SOURCE = "Quelle: Datenbank interkommunale Zusammenarbeit NRW (interkommunales.nrw), Eintrag des Kreises Heinsberg."


def heinsberg_progress() -> dict:
    """The Kreis's steps; the figures it quoted come from guidance/facts.py, written in German."""
    with override("de"):
        share = facts.percent(facts.ADDICTED_PARENT_SHARE.value)
        addicted = facts.millions(facts.CHILDREN_ADDICTED_PARENT.value)
        affected = facts.grouped(facts.HEINSBERG_AFFECTED.high or facts.HEINSBERG_AFFECTED.value)
    return {
        "problem-erkennen": {
            "status": "done",
            "notes": f"Anlass laut Kreis: {share} der Kinder in Deutschland ({addicted} Mio.) leben zeitweise bei "
                     f"einem suchtbelasteten Elternteil; übertragen auf den Kreis Heinsberg sind etwa {affected} Kinder "
                     "betroffen. Datum nicht überliefert.",
            "evidence": HEINSBERG_SOURCE,
            "tasks": [1, 2],
        },
        "agenda-setzen": {
            "status": "done",
            "started_on": datetime.date(2012, 10, 1),
            "completed_on": datetime.date(2015, 9, 1),
            "responsible": "Kreis Heinsberg (Kreisjugendamt) mit der Suchtberatung des Kreisgesundheitsamtes",
            "notes": "Arbeitsgruppe von Oktober 2012 bis September 2015 mit 12 Sitzungen, moderiert von der "
                     "Landeskoordinierungsstelle „Frauen und Sucht NRW“. Daten monatsgenau (Tag nicht überliefert).",
            "evidence": HEINSBERG_SOURCE,
            "tasks": [1, 4],
        },
        "beschluss-fassen": {
            "status": "done",
            "notes": "Beschlussvorlage 0257/2015 des Kreises Heinsberg. Gremium, Sitzungsdatum und Ergebnis sind in "
                     "der Quelle nicht angegeben.",
            "evidence": HEINSBERG_SOURCE,
            "tasks": [1, 3],
            "resolution": {
                "committee": "",
                "reference": "0257/2015",
                "link": "https://sitzungsdienst.kreis-heinsberg.de/vo0050.asp?__kvonr=894&voselect=727",
            },
        },
        "koordination-einrichten": {
            "status": "done",
            "started_on": datetime.date(2014, 1, 1),
            "completed_on": datetime.date(2014, 1, 1),
            "notes": "Gemeinsame Koordinierungsstelle Frühe Hilfen und Familienhebammendienst seit 2014 (zweiter "
                     "Eintrag des Kreises in derselben Datenbank). Datum jahresgenau.",
            "evidence": HEINSBERG_SOURCE,
            "tasks": [3],
        },
        "partner-gewinnen": {
            "status": "done",
            "notes": "Beteiligt: Suchtberatungsstelle des Kreisgesundheitsamtes, Beratungsstellen für Suchtfragen von "
                     "Caritasverband und Diakonischem Werk, Kreisjugendamt, Jugendämter der Städte Erkelenz, "
                     "Geilenkirchen, Heinsberg und Hückelhoven.",
            "evidence": HEINSBERG_SOURCE,
            "tasks": [],
        },
        "kooperation-vereinbaren": {
            "status": "done",
            "completed_on": datetime.date(2016, 5, 1),
            "notes": "Öffentlich-rechtliche Vereinbarung seit Mai 2016 (Tag nicht überliefert); keine finanziellen "
                     "Auswirkungen. Kooperationsgremium halbjährlich, Beteiligtenkonferenzen mit den Eltern etwa "
                     "ein- bis zweimal im Jahr.",
            "evidence": HEINSBERG_SOURCE,
            "tasks": [1, 2, 3, 4],
        },
        "umsetzen": {
            "status": "in_progress",
            "started_on": datetime.date(2016, 5, 1),
            "notes": "Arbeitshilfe und Leitfaden für die Fachkräfte der beteiligten Institutionen.",
            "evidence": HEINSBERG_SOURCE,
            "tasks": [3],
        },
    }


def seed_heinsberg(*, stdout=None) -> int:
    """Kreis Heinsberg's way along the roadmap; skipped when the registry has no such municipality."""
    municipality = Municipality.objects.filter(slug=HEINSBERG_SLUG).first()
    if municipality is None:
        if stdout:
            stdout.write("guidance: Kreis Heinsberg not in the registry, its roadmap is skipped.")
        return 0
    created = 0
    steps = {s.slug: s for s in RoadmapStep.objects.prefetch_related("tasks")}
    for slug, data in heinsberg_progress().items():
        step = steps.get(slug)
        if step is None or StepProgress.objects.filter(municipality=municipality, step=step).exists():
            continue
        progress = StepProgress(
            municipality=municipality, step=step, status=data["status"],
            started_on=data.get("started_on"), completed_on=data.get("completed_on"),
            responsible=data.get("responsible", ""), notes=data["notes"], evidence=data["evidence"],
        )
        progress._change_reason = DEMO_REASON
        progress.save()
        tasks = list(step.tasks.all())
        progress.done_tasks.set([tasks[i - 1] for i in data["tasks"] if i <= len(tasks)])
        if "resolution" in data:
            evidence = ResolutionEvidence(progress=progress, **data["resolution"])
            evidence._change_reason = DEMO_REASON
            evidence.save()
        created += 1
    return created


@transaction.atomic
def seed(*, stdout=None) -> None:
    created = sum(load_fixture(name) for name in FIXTURES)
    linked = link_actor_types()
    progress = seed_heinsberg(stdout=stdout)
    if stdout:
        stdout.write(f"guidance: {created} content objects, {linked} steps linked to actor types, "
                     f"{progress} progress entries for Kreis Heinsberg.")
