"""Two people edit the same record: the later save is refused, never a silent overwrite.

Every kind of record answers the same way (``portal.core.locking``): status 409, one German message, a
table of what the other person changed and who they are, the refused input kept in the form, and the
form now at the current version. Each test drives the real views with two signed-in clients that both
load the form before either saves. The last test races two threads against PostgreSQL (skipped on
SQLite, which serialises writers anyway).
"""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from guidance.catalogue.models import Example
from guidance.models import RoadmapStep, StepProgress
from networks.models import Actor
from tests.factories.catalogue import make_example
from tests.factories.guidance import eight_steps
from tests.factories.networks import ActorFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def form_data(form) -> dict:
    """What a browser submits for an unchanged form: every field's current value."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or getattr(field.widget, "input_type", "") == "file":
            continue
        if isinstance(value, list | tuple):
            data[name] = [getattr(item, "pk", item) for item in value]
        else:
            data[name] = getattr(value, "pk", value)
    return data


def two_clients(user_a, user_b=None):
    first, second = Client(), Client()
    first.force_login(user_a)
    second.force_login(user_b or user_a)
    return first, second


def german(html: str) -> str:
    return " ".join(html.split())


REFUSED = "Nicht gespeichert: Jemand anderes hat den Eintrag inzwischen geändert"


def assert_refused(response, *, theirs: str, by, field: str, mine: str) -> None:
    """The one answer to a later save: 409, the message, their change and name, my input kept."""
    assert response.status_code == 409
    html = german(response.content.decode())
    assert REFUSED in html
    assert theirs in html  # names what the other person changed ...
    assert by.get_full_name() in html  # ... and who did
    form = response.context["form"]
    assert form[field].value() == mine  # my input is still in the form


@pytest.fixture
def heinsberg(koordination_user):
    muni = MunicipalityFactory(name="Kreis Heinsberg", slug="kreis-heinsberg", kind="kreis", ags="05370000")
    muni.coordinators.add(koordination_user)
    return muni


def test_partner_later_save_is_refused(heinsberg, koordination_user, admin_user):
    actor = ActorFactory(municipality=heinsberg, name="Suchtberatung", offer="Beratung")
    url = reverse("networks:actor-edit", args=[actor.pk])
    first, second = two_clients(koordination_user, admin_user)
    data_a = form_data(first.get(url).context["form"])
    data_b = form_data(second.get(url).context["form"])

    assert first.post(url, {**data_a, "offer": "Gruppen für Kinder"}).status_code == 302
    response = second.post(url, {**data_b, "offer": "Einzelberatung"})

    assert_refused(response, theirs="Gruppen für Kinder", by=koordination_user, field="offer", mine="Einzelberatung")
    actor.refresh_from_db()
    assert actor.offer == "Gruppen für Kinder" and actor.version == 2
    assert actor.history.filter(offer="Einzelberatung").count() == 0


def test_contact_person_later_save_is_refused(heinsberg, koordination_user, admin_user):
    from networks.models import ContactPerson

    actor = ActorFactory(municipality=heinsberg, name="Suchtberatung")
    contact = ContactPerson.objects.create(actor=actor, name="Demo Person", function="Leitung")
    url = reverse("networks:contact-edit", args=[contact.pk])
    first, second = two_clients(koordination_user, admin_user)
    data_a = form_data(first.get(url).context["form"])
    data_b = form_data(second.get(url).context["form"])

    assert first.post(url, {**data_a, "function": "Fachberatung"}).status_code == 302
    response = second.post(url, {**data_b, "function": "Verwaltung"})

    assert_refused(response, theirs="Fachberatung", by=koordination_user, field="function", mine="Verwaltung")
    contact.refresh_from_db()
    assert contact.function == "Fachberatung" and contact.version == 2


def test_roadmap_step_later_save_is_refused(redaktion_user, admin_user):
    step = eight_steps()[0]
    url = reverse("guidance:step-edit", args=[step.slug])
    first, second = two_clients(redaktion_user, admin_user)
    data_a = form_data(first.get(url).context["form"])
    data_b = form_data(second.get(url).context["form"])

    assert first.post(url, {**data_a, "summary": "Fassung der Redaktion"}).status_code == 302
    response = second.post(url, {**data_b, "summary": "Fassung des Admins"})

    assert_refused(response, theirs="Fassung der Redaktion", by=redaktion_user, field="summary", mine="Fassung des Admins")
    step.refresh_from_db()
    assert step.summary == "Fassung der Redaktion"
    assert not RoadmapStep.history.filter(summary="Fassung des Admins").exists()


def test_progress_later_save_is_refused(heinsberg, koordination_user, admin_user):
    step = eight_steps()[0]
    url = reverse("guidance:progress-step-edit", args=[heinsberg.slug, step.slug])
    first, second = two_clients(koordination_user, admin_user)
    data_a = form_data(first.get(url).context["form"])
    data_b = form_data(second.get(url).context["form"])

    assert first.post(url, {**data_a, "status": "in_progress", "notes": "Erste Notiz"}).status_code == 302
    response = second.post(url, {**data_b, "status": "in_progress", "notes": "Zweite Notiz"})

    assert_refused(response, theirs="Erste Notiz", by=koordination_user, field="notes", mine="Zweite Notiz")
    assert StepProgress.objects.get(municipality=heinsberg, step=step).notes == "Erste Notiz"


def test_example_later_save_is_refused(heinsberg, koordination_user, redaktion_user):
    example = make_example(municipality=heinsberg, title="Start", publish=False)
    url = reverse("catalogue:edit", args=[example.slug])
    first, second = two_clients(koordination_user, redaktion_user)
    data_a = form_data(first.get(url).context["form"])
    data_b = form_data(second.get(url).context["form"])

    assert first.post(url, {**data_a, "title": "Titel der Koordination"}).status_code == 302
    response = second.post(url, {**data_b, "title": "Titel der Redaktion"})

    assert_refused(response, theirs="Titel der Koordination", by=koordination_user, field="title", mine="Titel der Redaktion")
    example.refresh_from_db()
    assert example.title == "Titel der Koordination"


@pytest.mark.parametrize("kind", ["partner", "step"])
def test_saving_again_after_reading_the_table_goes_through(kind, heinsberg, koordination_user, redaktion_user, admin_user):
    """The refused form carries the current version: a second, deliberate save applies the person's input."""
    if kind == "partner":
        record = ActorFactory(municipality=heinsberg, offer="Beratung")
        url, field, users = reverse("networks:actor-edit", args=[record.pk]), "offer", (koordination_user, admin_user)
    else:
        record = eight_steps()[0]
        url, field, users = reverse("guidance:step-edit", args=[record.slug]), "summary", (redaktion_user, admin_user)
    first, second = two_clients(*users)
    data_a = form_data(first.get(url).context["form"])
    data_b = form_data(second.get(url).context["form"])
    assert first.post(url, {**data_a, field: "Zuerst"}).status_code == 302
    refused = second.post(url, {**data_b, field: "Danach"})
    assert refused.status_code == 409
    assert second.post(url, form_data(refused.context["form"])).status_code == 302
    record.refresh_from_db()
    assert getattr(record, field) == "Danach"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
def test_two_threads_saving_the_same_partner_at_once(heinsberg, koordination_user, admin_user):
    actor = ActorFactory(municipality=heinsberg, name="Jugendamt", offer="Beratung")
    url = reverse("networks:actor-edit", args=[actor.pk])
    clients = two_clients(koordination_user, admin_user)
    loaded = [form_data(c.get(url).context["form"]) for c in clients]
    barrier = threading.Barrier(2)
    statuses = {}

    def save(index: int) -> None:
        with translation.override("de"):
            barrier.wait()
            response = clients[index].post(url, {**loaded[index], "offer": f"Fassung {index}"})
            statuses[index] = response.status_code
        connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(statuses.values()) == [302, 409]
    winner = next(i for i, status in statuses.items() if status == 302)
    actor.refresh_from_db()
    assert actor.offer == f"Fassung {winner}" and actor.version == 2
    assert Actor.history.filter(id=actor.pk, offer__startswith="Fassung").count() == 1
    assert Example.objects.count() == 0  # nothing else was written on the way
