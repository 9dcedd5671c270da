"""A seeded world shared by a whole test module: the demo content plus the records the
permission and leak checks need (drafts, inactive partners, attachments) in two municipalities.

Kreis Heinsberg is coordinated by the demo user ``koordination`` ("own"), Stadt Eschweiler by
``koordination2`` ("other"). The world lives in one transaction that is rolled back at module end.
"""

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
FIGURES_FILE = ROOT / "test-artifacts" / "security-figures.json"
SECRET = "Geheimsache"  # appears only in records the public must never see

# Figures collected by the tests of this folder, written once at session end.
FIGURES: dict = {}


def record_figure(section: str, key: str, value) -> None:
    FIGURES.setdefault(section, {})[key] = value


def add_figure(section: str, key: str, amount: int = 1) -> None:
    FIGURES.setdefault(section, {})
    FIGURES[section][key] = FIGURES[section].get(key, 0) + amount


@pytest.fixture(scope="session", autouse=True)
def _write_figures():
    yield
    if FIGURES:
        FIGURES_FILE.parent.mkdir(exist_ok=True)
        old = {}
        if FIGURES_FILE.exists():
            try:
                old = json.loads(FIGURES_FILE.read_text())
            except ValueError:
                old = {}
        old.update(FIGURES)
        FIGURES_FILE.write_text(json.dumps(old, indent=2, ensure_ascii=False, sort_keys=True))


@dataclass
class Side:
    """The records of one municipality."""

    municipality: object = None
    actor: object = None
    inactive_actor: object = None
    contact: object = None
    cooperation: object = None
    published: object = None
    draft: object = None
    public_attachment: object = None
    draft_attachment: object = None
    extra: dict = field(default_factory=dict)


@dataclass
class World:
    own: Side
    other: Side
    users: dict
    media_root: Path


def _pdf(name: str) -> ContentFile:
    return ContentFile(b"%PDF-1.4\n% demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", name=name)


def _side(slug: str, label: str) -> Side:
    from guidance.catalogue import services as svc
    from networks.models import Actor, ContactPerson, Cooperation, Municipality
    from tests.factories.catalogue import make_example

    municipality = Municipality.objects.get(slug=slug)
    side = Side(municipality=municipality)
    side.actor = Actor.objects.filter(municipality=municipality, is_active=True).order_by("pk").first()
    side.inactive_actor = Actor.objects.create(
        municipality=municipality, name=f"Ruhender Partner {label} {SECRET}", actor_type=side.actor.actor_type,
        traeger_kind=side.actor.traeger_kind, offer=f"Stillgelegtes Angebot {SECRET}", is_active=False,
    )
    side.contact = ContactPerson.objects.filter(actor__municipality=municipality).order_by("pk").first()
    # Distinctive personal data, so that any leak of it can be found in a page or a file.
    side.contact.name = f"Vertrauliche Person {label}"
    side.contact.email = f"vertraulich.{label.lower()}@demo.starkes-netz.invalid"
    side.contact.phone = f"0000 {len(label)}9876543"
    side.contact.save()
    side.cooperation = Cooperation.objects.filter(municipality=municipality).order_by("pk").first()
    ended = Cooperation.objects.create(
        municipality=municipality, title=f"Beendeter Arbeitskreis {label} {SECRET}", kind="working_group",
        description=f"Interne Beschreibung {SECRET}", is_active=False,
    )
    ended.actors.set([side.actor])
    side.extra["ended_cooperation"] = ended
    side.published = make_example(municipality=municipality, title=f"Veröffentlicht {label}")
    side.public_attachment = svc.attachment_add(
        example=side.published, user=None, title="Öffentlicher Anhang", file=_pdf("oeffentlich.pdf")
    )
    svc.example_submit(example=side.published, user=None)
    svc.example_publish(example=side.published, user=None)
    side.draft = make_example(municipality=municipality, publish=False, title=f"Entwurf {label} {SECRET}")
    side.draft_attachment = svc.attachment_add(
        example=side.draft, user=None, title="Anhang im Entwurf", file=_pdf("entwurf.pdf")
    )
    from guidance.models import GuidancePage, RoadmapStep
    from networks.models import ServiceArea

    # A service area waiting for confirmation: a member of the Kreis, or (for a town) its region.
    served = Municipality.objects.filter(parent=municipality).order_by("name").first() or municipality.parent
    side.extra["area"] = ServiceArea.objects.update_or_create(
        actor=side.actor, municipality=served, defaults={"confirmed_at": None}
    )[0]
    side.extra["step"] = RoadmapStep.objects.order_by("number").values_list("slug", flat=True).first()
    side.extra["page"] = GuidancePage.objects.order_by("pk").values_list("slug", flat=True).first()
    from networks.models import AccessRequest

    side.extra["access_request"] = AccessRequest.objects.create(
        name=f"Anfragende Person {label}", email=f"anfrage.{label.lower()}@demo.starkes-netz.invalid",
        function="Jugendamt", municipality=municipality, justification="Ich koordiniere das Netzwerk vor Ort.",
    )
    return side


def build_world(media_root: Path) -> World:
    from django.contrib.auth import get_user_model

    call_command("seed_demo", stdout=io.StringIO())
    with override_settings(MEDIA_ROOT=media_root):
        own = _side("kreis-heinsberg", "Heinsberg")
        other = _side("stadt-eschweiler", "Eschweiler")
    users = {u.username: u for u in get_user_model().objects.all()}
    return World(own=own, other=other, users=users, media_root=media_root)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The seeded world for one module; rolled back when the module is done."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world(tmp_path_factory.mktemp("security-media"))
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def in_world(world, db, settings):
    """Use inside a test: the world's media files and an open test transaction."""
    settings.MEDIA_ROOT = world.media_root
    return world
