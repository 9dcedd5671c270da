"""Personal data (DSGVO): see and export one's own data, erasure on request with anonymised history,
no personal data in the logs."""

import json
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import path, reverse

from guidance import services as guidance_services
from guidance.models import RoadmapStep
from networks import services as network_services
from networks.models import ContactPerson
from portal import urls as portal_urls
from portal.accounts.services import ANONYMISED
from tests.factories.guidance import eight_steps
from tests.factories.networks import ActorFactory, ContactPersonFactory, MunicipalityFactory
from tests.german import de

pytestmark = pytest.mark.django_db


@pytest.fixture
def heinsberg(koordination_user):
    muni = MunicipalityFactory(name="Kreis Heinsberg", slug="kreis-heinsberg", kind="kreis", ags="05370000")
    muni.coordinators.add(koordination_user)
    return muni


@pytest.fixture
def named_coordinator(koordination_user, heinsberg):
    koordination_user.first_name, koordination_user.last_name = "Konrad", "Kordes"
    koordination_user.email = "konrad.kordes@example.org"
    koordination_user.save()
    actor = ActorFactory(municipality=heinsberg, name="Erziehungsberatung Nord")
    network_services.actor_update(actor=actor, data={"offer": "Neu"}, version=actor.version, by=koordination_user)
    return koordination_user


def test_my_data_needs_login(client):
    for name in ("my-data", "my-data-export"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_my_data_page_shows_own_account_roles_municipalities_and_changes(client, named_coordinator, verwaltung_user):
    client.force_login(named_coordinator)
    html = client.get(reverse("my-data")).content.decode()
    assert de("My data") in html and "konrad.kordes@example.org" in html and "Konrad Kordes" in html
    assert "Kreis Heinsberg" in html and "Koordination" in html
    assert "Erziehungsberatung Nord" in html  # the history entry they authored
    assert verwaltung_user.get_username() not in html
    # The header links to the page.
    assert reverse("my-data") in client.get(reverse("home")).content.decode()


def test_my_data_export_is_a_json_download_of_own_data(client, named_coordinator):
    client.force_login(named_coordinator)
    response = client.get(reverse("my-data-export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "konrad.kordes@example.org"
    assert data["municipalities"] == ["Kreis Heinsberg"]
    assert data["history_total"] >= 1
    assert any(entry["object"] == "Erziehungsberatung Nord" for entry in data["history"])


def test_erasing_a_user_keeps_history_entries_but_anonymised(client, redaktion_user, admin_user, password):
    redaktion_user.first_name, redaktion_user.last_name, redaktion_user.email = "Rita", "Redlich", "rita@example.org"
    redaktion_user.save()
    step = eight_steps()[0]
    guidance_services.step_update(step=step, data={"summary": "Neu gefasst"}, version=step.version, by=redaktion_user)
    history_before = RoadmapStep.history.filter(history_user=redaktion_user).count()

    call_command("erase_personal_data", user=redaktion_user.get_username(), stdout=open("/dev/null", "w"))

    user = get_user_model().objects.get(pk=redaktion_user.pk)
    assert user.first_name == ANONYMISED and user.email == "" and "Redlich" not in user.get_full_name()
    assert not user.is_active and not user.has_usable_password() and not user.groups.exists()
    assert RoadmapStep.history.filter(history_user=user).count() == history_before
    for username in (redaktion_user.get_username(), user.get_username()):
        response = Client().post(reverse("login"), {"username": username, "password": password})
        assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    client.force_login(admin_user)
    response = client.get(reverse("guidance:step-history", args=[step.slug]))
    html = response.content.decode()
    assert response.status_code == 200 and ANONYMISED in html and "Rita" not in html and "Redlich" not in html


def test_admin_action_erases_a_user(client, verwaltung_user, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_changelist")
    response = client.post(url, {"action": "erase_users", "_selected_action": [verwaltung_user.pk]})
    assert response.status_code == 302
    verwaltung_user.refresh_from_db()
    assert verwaltung_user.username == f"geloescht-{verwaltung_user.pk}" and not verwaltung_user.is_active


def test_admin_action_erases_a_contact_person_and_anonymises_its_history(client, heinsberg, koordination_user,
                                                                        admin_user):
    actor = ActorFactory(municipality=heinsberg)
    contact = network_services.contact_create(
        actor=actor, data={"name": "Petra Privat", "function": "Leitung", "phone": "0123 456", "email": "petra@example.org"},
        by=koordination_user,
    )
    network_services.contact_update(contact=contact, data={"name": "Petra Privat-Neu", "function": "Leitung",
                                                           "phone": "0123 456", "email": "petra@example.org"},
                                    by=koordination_user)
    client.force_login(admin_user)
    # An edit through the admin also names the person in the admin's own log.
    client.post(reverse("admin:networks_contactperson_change", args=[contact.pk]),
                {"actor": actor.pk, "name": "Petra Privat-Admin", "function": "Leitung", "phone": "",
                 "email": "petra@example.org"})
    from django.contrib.admin.models import LogEntry

    assert LogEntry.objects.filter(object_repr="Petra Privat-Admin").exists()
    response = client.post(reverse("admin:networks_contactperson_changelist"),
                           {"action": "erase_contacts", "_selected_action": [contact.pk]})
    assert response.status_code == 302

    assert not ContactPerson.objects.filter(pk=contact.pk).exists()
    rows = list(ContactPerson.history.filter(id=contact.pk).values("name", "function", "phone", "email"))
    assert len(rows) >= 3  # created, changed, erased: the trail stays
    assert all(row == {"name": ANONYMISED, "function": "", "phone": "", "email": ""} for row in rows)
    assert not LogEntry.objects.filter(object_repr__contains="Petra").exists()
    # Pages that show the partner and its history still render.
    assert client.get(reverse("networks:actor-detail", args=[actor.pk])).status_code == 200
    history = client.get(reverse("admin:networks_contactperson_history", args=[contact.pk]))
    assert history.status_code == 200 and "Petra" not in history.content.decode()


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(logging.Formatter("%(name)s %(levelname)s %(message)s").format(record))


@pytest.fixture
def captured_logs():
    """Every log line of every logger (also those that do not propagate to the root logger)."""
    handler = _Capture()
    loggers = [logging.getLogger()] + [
        logging.getLogger(name) for name in list(logging.Logger.manager.loggerDict) if not name.startswith("faker")
    ]
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler.lines
    for logger in loggers:
        logger.removeHandler(handler)
        logger.setLevel(levels[logger])


def _broken(request, pk):
    ContactPerson.objects.get(pk=pk)
    raise RuntimeError("simulated failure")


urlpatterns = [path("kaputt/<int:pk>/", _broken), *portal_urls.urlpatterns]
handler500 = portal_urls.handler500


def test_no_personal_data_in_logs(client, settings, named_coordinator, heinsberg, captured_logs):
    contact = ContactPersonFactory(actor=ActorFactory(municipality=heinsberg), name="Gerda Geheim",
                                   email="gerda.geheim@example.org")
    # A failed login with the person's user name, then with their e-mail address.
    for username in (named_coordinator.get_username(), named_coordinator.email):
        Client().post(reverse("login"), {"username": username, "password": "falsch-falsch-falsch"})
    # A 404 and a 500 while signed in.
    client.force_login(named_coordinator)
    assert client.get("/register/partner/987654/").status_code == 404

    settings.ROOT_URLCONF = __name__  # the portal's URLs plus one view that fails
    client.raise_request_exception = False
    response = client.get(f"/kaputt/{contact.pk}/")
    log_text = "\n".join(captured_logs)

    assert response.status_code == 500
    assert "simulated failure" in log_text and "Not Found" in log_text  # the logs were captured
    for secret in (named_coordinator.get_username(), named_coordinator.email, "Konrad", "Kordes",
                   "Gerda Geheim", "gerda.geheim@example.org"):
        assert secret not in log_text, secret


def test_partner_history_names_an_erased_coordinator_as_anonymised(client, named_coordinator, heinsberg, admin_user):
    from portal.accounts.services import erase_user

    erase_user(user=named_coordinator, by=admin_user)
    client.force_login(admin_user)
    actor = heinsberg.actors.get(name="Erziehungsberatung Nord")
    html = client.get(reverse("networks:actor-detail", args=[actor.pk])).content.decode()
    assert ANONYMISED in html
    for secret in ("Konrad", "Kordes", "konrad.kordes@example.org"):
        assert secret not in html


def test_only_administrators_erase_accounts_and_contacts(verwaltung_user, redaktion_user, admin_user):
    from django.core.exceptions import PermissionDenied

    from portal.accounts.services import erase_user

    contact = ContactPersonFactory(actor=ActorFactory())
    for user in (verwaltung_user, redaktion_user):
        with pytest.raises(PermissionDenied):
            erase_user(user=admin_user, by=user)
        with pytest.raises(PermissionDenied):
            network_services.contact_erase(contact=contact, by=user)
    assert ContactPerson.objects.filter(pk=contact.pk).exists()
    assert get_user_model().objects.get(pk=admin_user.pk).is_active
