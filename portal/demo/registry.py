"""Demo content of the registry: the actor-type taxonomy, target groups, Kreis Heinsberg with its
towns and the partners of the 2016 agreement, and Stadt Eschweiler with demo partners (``Demodaten``).

Idempotent: fixtures carry fixed primary keys and timestamps; a second run changes nothing.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from networks import register, services
from networks.models import Actor, ActorType, ContactPerson, Cooperation, Municipality, ServiceArea
from portal.core import search
from portal.core.history import Reason

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
FIXTURE_FILES = ("networks_taxonomy.json", "networks_demo.json")
HISTORY_MODELS = (ActorType, Municipality, Actor, ContactPerson, Cooperation)
DEMO_COORDINATORS = {"koordination": "kreis-heinsberg", "koordination2": "stadt-eschweiler"}


def _confirm_service_areas_within_the_kreis() -> None:
    """The demo partners of Kreis Heinsberg serve the Kreis's towns, declared by the Kreis itself."""
    from django.db.models import F
    from django.utils import timezone

    ServiceArea.objects.filter(
        confirmed_at__isnull=True, municipality__parent_id=F("actor__municipality_id")
    ).update(confirmed_at=timezone.now())


def _ensure_initial_history(model) -> int:
    """Give records loaded from fixtures (raw saves create no history) one initial history row."""
    history = model.history.model
    with_history = set(history.objects.values_list("id", flat=True).distinct())
    missing = [obj for obj in model.objects.all() if obj.pk not in with_history]
    if missing:
        model.history.bulk_history_create(missing, default_change_reason=Reason.SEED.value)
    return len(missing)


@transaction.atomic
def seed(*, stdout) -> None:
    register_loaded = Municipality.objects.exclude(regional_key="").exists()
    for name in FIXTURE_FILES:
        call_command("loaddata", str(FIXTURES / name), verbosity=0)
    if register_loaded:
        # The fixtures name their municipalities by AGS and rewrite them whole: give the demo ones back
        # the register's figures, keys and locations.
        services.register_load(data=register.read())
    search.refresh(Actor, missing_only=True)  # fixtures load raw: their partners need vectors
    _confirm_service_areas_within_the_kreis()
    created = sum(_ensure_initial_history(model) for model in HISTORY_MODELS)
    stdout.write(
        f"Registry: {ActorType.objects.count()} actor types, {Municipality.objects.count()} municipalities, "
        f"{Actor.objects.count()} partners, {Cooperation.objects.count()} cooperations"
        + (f" ({created} initial history rows)" if created else "")
    )


def assign_demo_roles(*, stdout) -> None:
    User = get_user_model()
    for username, slug in DEMO_COORDINATORS.items():
        user = User.objects.filter(username=username).first()
        municipality = Municipality.objects.filter(slug=slug).first()
        if user and municipality and not municipality.coordinators.filter(pk=user.pk).exists():
            municipality.coordinators.add(user)
            stdout.write(f"{username} coordinates {municipality.name}")
