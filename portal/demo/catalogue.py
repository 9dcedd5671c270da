"""Demo content of the good-practice catalogue (``seed_demo`` loads it after the guide).

The keyword vocabulary comes from ``fixtures/catalogue_keywords.json``; the examples from
``fixtures/catalogue_examples.json`` (only sourced facts). Municipalities, actors, roadmap steps
and target groups are resolved by slug or exact name; a missing one is skipped with a warning.
Idempotent: an example whose published content already equals the fixture is left alone, so a
second run writes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from guidance.catalogue import content
from guidance.catalogue import services as svc
from guidance.catalogue.content import Kind
from guidance.catalogue.models import Example, ExampleStatus, Keyword
from guidance.catalogue.selectors import open_revision
from guidance.models import RoadmapStep
from networks.models import Actor, Municipality, TargetGroup

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
PLAIN = (Kind.TEXT, Kind.NUMBER, Kind.LINKS, Kind.CRITERIA)


def _resolve(model, field: str, values, stdout, what: str) -> list[int]:
    found = dict(model.objects.filter(**{f"{field}__in": values}).values_list(field, "pk"))
    for value in values:
        if value not in found:
            stdout.write(f"  warning: {what} {value!r} not found; link skipped")
    return [found[value] for value in values if value in found]


def _data(entry: dict, stdout) -> dict | None:
    municipality = Municipality.objects.filter(slug=entry["municipality"]).first()
    if municipality is None:
        stdout.write(f"  warning: municipality {entry['municipality']!r} missing; example {entry['slug']!r} skipped")
        return None
    actors = {a.name: a.pk for a in Actor.objects.filter(name__in=entry["participants"])}
    for name in entry["participants"]:
        if name not in actors:
            stdout.write(f"  note: participant {name!r} has no registry entry; kept as text")
    lead_actor = None
    if entry.get("lead_actor"):
        lead_actor = Actor.objects.filter(name=entry["lead_actor"]).values_list("pk", flat=True).first()
    return content.normalise({
        # The fixture writes the plain parts as they are; references by slug or name, resolved here.
        **{field.name: entry.get(field.name) for field in content.FIELDS if field.kind in PLAIN},
        "municipality": municipality.pk,
        "lead_actor": lead_actor,
        "municipalities": _resolve(Municipality, "slug", entry["municipalities"], stdout, "municipality"),
        "keywords": _resolve(Keyword, "slug", entry["keywords"], stdout, "keyword"),
        "steps": _resolve(RoadmapStep, "slug", entry["steps"], stdout, "roadmap step"),
        "target_groups": _resolve(TargetGroup, "slug", entry["target_groups"], stdout, "target group"),
        "participants": [{"actor": actors.get(name), "name": name} for name in entry["participants"]],
    })


@transaction.atomic
def _seed_example(entry: dict, stdout) -> str:
    data = _data(entry, stdout)
    if data is None:
        return "skipped"
    example = Example.objects.filter(slug=entry["slug"]).first()
    if example is None:
        example = svc.example_create(user=None, data=data, slug=entry["slug"])
    elif (example.status == ExampleStatus.PUBLISHED and open_revision(example=example) is None
          and content.snapshot_of(example) == data):
        return "unchanged"
    else:
        revision = open_revision(example=example)
        if revision is not None and revision.status != "draft":
            svc.example_request_changes(example=example, user=None, comment="Demo-Seed: Inhalt neu geladen")
        svc.example_save(example=example, user=None, data=data, version=example.version)
        example.refresh_from_db()
    if open_revision(example=example) is None:
        return "unchanged"
    svc.example_submit(example=example, user=None)
    svc.example_publish(example=example, user=None, comment="Demo-Seed")
    return "published"


def seed(*, stdout) -> None:
    call_command("loaddata", str(FIXTURES / "catalogue_keywords.json"), verbosity=0)
    entries = json.loads((FIXTURES / "catalogue_examples.json").read_text(encoding="utf-8"))["examples"]
    for entry in entries:
        result = _seed_example(entry, stdout)
        stdout.write(f"  good practice: {entry['slug']} {result}")
