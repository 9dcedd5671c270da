"""The findings of the attack on a running copy (issue 17), each reproduced as the attacker tried it.

Every test here failed before its fix. ``koordination`` keeps Kreis Heinsberg ("own"), ``koordination2``
Stadt Eschweiler ("other"); the attacker is usually the other municipality's coordinator.
"""

import io
import json

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from networks.models import Actor, ActorType, ServiceArea

FAKE = "Scheinpartner Eschweiler"


def _client(world, username):
    client = Client()
    if username:
        client.force_login(world.users[username])
    return client


def _actor_post(world, **extra):
    kind = ActorType.objects.get(slug="suchtberatung")
    return {"name": FAKE, "actor_type": kind.pk, "traeger_kind": "free_welfare", **extra}


def _heinsberg_views(world) -> dict[str, str]:
    """Everything Heinsberg shows of its network, as text."""
    from guidance.resolution import build_draft

    heinsberg = world.own.municipality
    anonymous = Client()
    slug = heinsberg.slug
    workbook = openpyxl.load_workbook(io.BytesIO(anonymous.get(f"/register/kommunen/{slug}/export.xlsx").content))
    coordinator = _client(world, "koordination")
    return {
        "page": anonymous.get(heinsberg.get_absolute_url()).content.decode(),
        "graph": anonymous.get(f"/register/kommunen/{slug}/netzwerk/").content.decode(),
        "csv": anonymous.get(f"/register/kommunen/{slug}/export.csv").content.decode("utf-8-sig"),
        "xlsx": json.dumps([[cell.value for cell in row] for row in workbook.active.iter_rows()], ensure_ascii=False),
        "hsds": anonymous.get(f"/register/kommunen/{slug}/hsds.json").content.decode(),
        "cooperation form": coordinator.get(f"/register/kommunen/{slug}/kooperationen/neu/").content.decode(),
        "resolution": " ".join(block.text + " ".join(block.items) for block in build_draft(heinsberg).blocks),
    }


def _coverage(world) -> int:
    from networks.selectors import gap_analysis

    return gap_analysis(municipality=world.own.municipality).coverage_percent


# --- 1. Partners injected into another municipality's network ---------------------------------


def test_finding_1_the_partner_form_offers_no_other_municipality(in_world):
    attacker = _client(in_world, "koordination2")
    heinsberg = in_world.own.municipality
    url = reverse("networks:actor-create", args=[in_world.other.municipality.slug])
    form = attacker.get(url).context["form"]
    assert heinsberg not in form.fields["serves"].queryset
    response = attacker.post(url, _actor_post(in_world, serves=[heinsberg.pk]))
    assert response.status_code == 200 and "serves" in response.context["form"].errors
    assert not Actor.objects.filter(name=FAKE).exists()


def test_finding_1_an_injected_partner_counts_nowhere_until_heinsberg_confirms_it(in_world):
    coverage_before = _coverage(in_world)
    attacker = _client(in_world, "koordination2")
    heinsberg = in_world.own.municipality
    attacker.post(reverse("networks:actor-create", args=[in_world.other.municipality.slug]), _actor_post(in_world))
    fake = Actor.objects.get(name=FAKE)
    response = attacker.post(reverse("networks:service-area-request", args=[fake.pk]), {"municipality": heinsberg.pk})
    assert response.status_code == 302
    area = ServiceArea.objects.get(actor=fake, municipality=heinsberg)
    assert area.confirmed_at is None  # asked, not granted

    shown = {where: FAKE in text for where, text in _heinsberg_views(in_world).items()}
    assert not any(shown.values()), shown
    assert _coverage(in_world) == coverage_before
    # The attacker cannot confirm it for Heinsberg.
    assert attacker.post(reverse("networks:service-area-confirm", args=[area.pk])).status_code == 403

    # Heinsberg's coordinator sees the request, confirms it, and can end it again.
    keeper = _client(in_world, "koordination")
    assert FAKE in keeper.get(heinsberg.get_absolute_url()).content.decode()
    assert keeper.post(reverse("networks:service-area-confirm", args=[area.pk])).status_code == 302
    assert all(FAKE in text for where, text in _heinsberg_views(in_world).items() if where != "cooperation form")
    assert keeper.post(reverse("networks:service-area-end", args=[area.pk]), {"next": "municipality"}).status_code == 302
    assert not ServiceArea.objects.filter(pk=area.pk).exists()
    assert not any(FAKE in text for text in _heinsberg_views(in_world).values())


def test_finding_1_a_kreis_coordinator_declares_its_members_at_once(in_world):
    keeper = _client(in_world, "koordination")
    heinsberg = in_world.own.municipality
    member = heinsberg.members.order_by("name").last()
    actor = in_world.own.actor
    keeper.post(reverse("networks:service-area-request", args=[actor.pk]), {"municipality": member.pk})
    assert ServiceArea.objects.get(actor=actor, municipality=member).confirmed_at is not None


# --- 2. One control character breaks other municipalities' exports and documents --------------

VT = "Beratung\x0bStelle"  # a vertical tab, as pasted from a word processor


@pytest.mark.parametrize("field", ["name", "offer", "traeger_name", "accessibility"])
def test_finding_2_the_partner_form_refuses_control_characters(in_world, field):
    keeper = _client(in_world, "koordination")
    url = reverse("networks:actor-create", args=[in_world.own.municipality.slug])
    data = _actor_post(in_world)
    data[field] = VT  # inside the text: a form strips whitespace (and \x0b) only at the ends
    response = keeper.post(url, data)
    assert response.status_code == 200
    assert "unsichtbares Steuerzeichen" in response.content.decode()
    assert field in response.context["form"].errors
    assert not Actor.objects.filter(name__startswith=FAKE).exists() and not Actor.objects.filter(name=VT).exists()


def test_finding_2_the_catalogue_editor_and_the_import_refuse_them(in_world):
    from guidance.catalogue import services as catalogue
    from networks import importer
    from portal.core.locking import EditConflict  # noqa: F401 - the services' other refusal

    with pytest.raises(Exception) as refused:
        catalogue.example_create(user=None, data={"title": "Titel", "municipality": in_world.own.municipality.pk,
                                                  "lead_name": "Jugendamt",
                                                  "participants": [{"actor": None, "name": "Freier\x0bTräger"}]})
    assert "participant_names" in refused.value.message_dict
    content = b"Name;Typ\r\nStelle\x0bA;suchtberatung\r\n"
    result = importer.check_file(content, "partner.csv")
    assert not result.is_valid
    assert "Steuerzeichen" in " ".join(result.rows[0].errors)


def test_finding_2_old_records_with_control_characters_still_export(in_world):
    """A record stored before the check (or by a bulk path) must not take other pages down."""
    actor = in_world.own.actor
    Actor.objects.filter(pk=actor.pk).update(name="Alte\x0bStelle")  # bypasses validation, like old data
    anonymous = Client()
    heinsberg = in_world.own.municipality
    xlsx = anonymous.get(f"/register/kommunen/{heinsberg.slug}/export.xlsx")
    assert xlsx.status_code == 200
    cells = [cell.value for row in openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows() for cell in row]
    assert "AlteStelle" in cells
    coordinator = _client(in_world, "koordination")
    docx = coordinator.get(reverse("guidance:resolution-docx", args=[heinsberg.slug]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


# --- 4. Login throttling by address as well as by account ---------------------------------------


@pytest.mark.django_db
def test_finding_4_many_accounts_tried_from_one_address_lock_the_address(client, password):
    from tests.factories.accounts import UserFactory

    accounts = [UserFactory(username=f"konto-{n}") for n in range(6)]
    for account in accounts[:5]:
        for _ in range(4):  # one short of each account's limit
            client.post(reverse("login"), {"username": account.username, "password": "falsch-falsch"})
    response = client.post(reverse("login"), {"username": accounts[5].username, "password": password})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    other = Client(REMOTE_ADDR="192.0.2.44")
    assert other.post(reverse("login"), {"username": accounts[5].username, "password": password}).status_code == 302


@pytest.mark.django_db
def test_finding_4_the_old_password_of_the_password_change_is_throttled(client, password):
    from tests.factories.accounts import UserFactory

    user = UserFactory(username="wechsel")
    client.force_login(user)
    url = reverse("password_change")
    new = {"new_password1": "Ein-neues-Passwort-2026", "new_password2": "Ein-neues-Passwort-2026"}
    for _ in range(5):
        response = client.post(url, {"old_password": "geraten-123", **new})
    assert response.status_code == 429
    # Even the right old password is refused while the account is locked.
    response = client.post(url, {"old_password": password, **new})
    assert response.status_code == 429
    user.refresh_from_db()
    assert user.check_password(password)


# --- 5. A deleted contact person's data stays nowhere -------------------------------------------


def test_finding_5_deleting_a_contact_person_removes_their_data_from_the_history(in_world):
    from networks.models import ContactPerson

    keeper = _client(in_world, "koordination")
    contact = in_world.own.contact
    secrets = (contact.name, contact.email, contact.phone)
    response = keeper.post(reverse("networks:contact-edit", args=[contact.pk]), {"delete": "1"})
    assert response.status_code == 302
    assert not ContactPerson.objects.filter(pk=contact.pk).exists()
    stored = json.dumps(list(ContactPerson.history.filter(id=contact.pk).values()), default=str)
    assert not any(secret in stored for secret in secrets)
    assert ContactPerson.history.filter(id=contact.pk).count() >= 2  # the trail of what happened stays
    export = keeper.get(reverse("my-data-export")).content.decode()
    assert not any(secret in export for secret in secrets)


# --- 6. The duplicate check names only what the importer may see -------------------------------


def test_finding_6_a_duplicate_of_a_hidden_partner_is_reported_without_its_name(in_world):
    hidden = in_world.other.inactive_actor  # deactivated, of Stadt Eschweiler
    hidden.email = "schutz@demo.starkes-netz.invalid"
    hidden.save()
    importer_client = _client(in_world, "koordination")
    assert importer_client.get(hidden.get_absolute_url()).status_code == 404
    content = f"Name;Typ;E-Mail\r\nNeue Stelle;suchtberatung;{hidden.email}\r\n".encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = importer_client.post(reverse("networks:import"), {
        "municipality": in_world.own.municipality.pk, "file": SimpleUploadedFile("p.csv", content),
    })
    html = response.content.decode()
    assert "bereits vergeben" in html  # told that it exists ...
    assert hidden.name not in html  # ... but not what it is
    # Its own coordinator is told which partner it is.
    own = _client(in_world, "koordination2")
    response = own.post(reverse("networks:import"), {
        "municipality": in_world.other.municipality.pk, "file": SimpleUploadedFile("p.csv", content),
    })
    assert hidden.name in response.content.decode()


# --- 7. Ended cooperations are not public -------------------------------------------------------


@pytest.mark.parametrize("username,visible", [(None, False), ("verwaltung", False), ("koordination2", False),
                                              ("koordination", True), ("admin", True)])
def test_finding_7_an_ended_cooperation_is_read_only_by_its_coordinators(in_world, username, visible):
    from networks.rules import can_view_cooperation

    ended = in_world.own.extra["ended_cooperation"]
    response = _client(in_world, username).get(reverse("networks:cooperation-detail", args=[ended.pk]))
    assert response.status_code == (200 if visible else 404)
    user = in_world.users[username] if username else None
    if user is not None:
        assert can_view_cooperation(user, ended) is visible


# --- 9. A long text is a validation message, never an "outage" ----------------------------------


def test_finding_9_a_text_of_a_megabyte_gets_a_message(in_world):
    keeper = _client(in_world, "koordination")
    url = reverse("networks:actor-create", args=[in_world.own.municipality.slug])
    response = keeper.post(url, _actor_post(in_world, offer="Beratung " * 120_000))  # about 950 KB
    assert response.status_code == 200
    assert "offer" in response.context["form"].errors
    assert "höchstens 30000 Zeichen" in " ".join(response.context["form"].errors["offer"])
    assert not Actor.objects.filter(name=FAKE).exists()


@pytest.mark.parametrize("sqlstate,status", [(None, 503), ("08006", 503), ("57P01", 503), ("54000", 500), ("22001", 500)])
def test_finding_9_only_an_unreachable_database_is_reported_as_an_outage(rf, sqlstate, status):
    import sys

    from django.db import OperationalError

    from portal.views import error_500

    class Cause(Exception):
        pass

    cause = Cause("from the driver")
    cause.sqlstate = sqlstate
    try:
        try:
            raise cause
        except Cause as driver_error:
            raise OperationalError("database error") from driver_error
    except OperationalError:
        assert sys.exc_info()[1] is not None
        response = error_500(rf.get("/"))
    assert response.status_code == status


# --- 10. Decisions made explicit -----------------------------------------------------------------


def test_finding_10_four_eyes_nobody_publishes_their_own_example(in_world, settings):
    from django.core.exceptions import ValidationError

    from guidance.catalogue import services as catalogue
    from tests.factories.catalogue import example_data

    settings.CATALOGUE_FOUR_EYES = True
    editor = in_world.users["redaktion"]
    example = catalogue.example_create(user=editor, data=example_data(in_world.own.municipality, title="Eigenes"))
    catalogue.example_submit(example=example, user=editor)
    with pytest.raises(ValidationError, match="Vier-Augen-Prinzip"):
        catalogue.example_publish(example=example, user=editor)
    catalogue.example_publish(example=example, user=in_world.users["admin"])  # another person may
    example.refresh_from_db()
    assert example.status == "published"


def test_finding_10_four_eyes_is_on_in_production():
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.prod", "SECRET_KEY": "x" * 50,
           "ALLOWED_HOSTS": "example.org", "DATABASE_URL": "sqlite:////tmp/unused.sqlite3"}
    env.pop("CATALOGUE_FOUR_EYES", None)
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                               "print(settings.CATALOGUE_FOUR_EYES, settings.SESSION_COOKIE_AGE)"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert out.stdout.split() == ["True", str(9 * 60 * 60)], out.stderr[-500:]


@pytest.mark.parametrize("username,details", [("verwaltung", False), ("koordination2", False),
                                              ("koordination", True), ("redaktion", True), ("admin", True)])
def test_finding_10_internal_progress_notes_only_for_the_municipalitys_own_people(in_world, username, details):
    from guidance import services as guidance_services
    from guidance.models import RoadmapStep

    step = RoadmapStep.objects.order_by("number").first()
    heinsberg = in_world.own.municipality
    guidance_services.progress_update(
        municipality=heinsberg, step=step, by=None, version=_version(heinsberg, step), status="in_progress",
        responsible="Frau Interna, Jugendamt", notes="Interne Notiz zum Stand",
    )
    html = _client(in_world, username).get(reverse("guidance:progress", args=[heinsberg.slug])).content.decode()
    assert "In Arbeit" in html or "in Arbeit" in html  # the status stays visible to all staff
    assert ("Interne Notiz zum Stand" in html) is details
    assert ("Frau Interna" in html) is details
    draft = _client(in_world, username).get(reverse("guidance:resolution", args=[heinsberg.slug])).content.decode()
    assert ("Frau Interna" in draft) is details


def _version(municipality, step) -> int:
    from guidance.models import StepProgress

    progress = StepProgress.objects.filter(municipality=municipality, step=step).first()
    return progress.version if progress else 0


def test_finding_10_signed_in_pages_are_not_stored_by_browsers_or_proxies(in_world):
    staff = _client(in_world, "verwaltung")
    response = staff.get(in_world.own.actor.get_absolute_url())  # shows contact persons
    assert response["Cache-Control"] == "private, no-store"
    assert "private" not in Client().get(in_world.own.actor.get_absolute_url()).get("Cache-Control", "")


def test_finding_10_a_session_ends_after_a_working_day_without_activity(in_world, settings):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    staff = _client(in_world, "verwaltung")
    staff.get("/")
    session = Session.objects.get(session_key=staff.session.session_key)
    remaining = session.expire_date - timezone.now()
    assert timedelta(hours=8) < remaining <= timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_finding_10_working_moves_the_end_of_the_session_on(in_world, settings):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    staff = _client(in_world, "verwaltung")
    staff.get("/")
    Session.objects.filter(session_key=staff.session.session_key).update(
        expire_date=timezone.now() + timedelta(hours=1)  # as if signed in eight hours ago
    )
    staff.get("/")  # within the refresh interval: nothing is written
    session = Session.objects.get(session_key=staff.session.session_key)
    assert session.expire_date - timezone.now() < timedelta(hours=2)

    settings.SESSION_REFRESH_SECONDS = -1  # the interval has passed
    staff.get("/")
    session = Session.objects.get(session_key=staff.session.session_key)
    assert session.expire_date - timezone.now() > timedelta(hours=8)
