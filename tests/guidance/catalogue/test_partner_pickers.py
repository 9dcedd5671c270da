"""The catalogue's editor names registry partners in text fields resolved against the active partners
(suggestions from ``networks:partner-suggest``), never in a <select> of the whole registry."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guidance.catalogue.forms import ExampleForm
from guidance.catalogue.models import Example
from networks import selectors
from tests.factories.catalogue import ActorFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db
_SELECT = re.compile(r"<select\b.*?</select>", re.S)


@pytest.fixture
def muni():
    return MunicipalityFactory(name="Kreis Beispiel", slug="kreis-beispiel", kind="kreis")


@pytest.mark.parametrize("partners", [3, 150])
def test_create_form_lists_no_partners_and_has_a_fixed_query_count(client, muni, redaktion_user, partners):
    ActorFactory.create_batch(partners, municipality=muni)
    client.force_login(redaktion_user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("catalogue:create"))
    html = response.content.decode()
    assert response.status_code == 200 and len(ctx.captured_queries) <= 12
    assert max((b.count("<option") for b in _SELECT.findall(html)), default=0) <= 100
    suggest = reverse("networks:partner-suggest")
    assert html.count(f'data-suggest-url="{suggest}"') == 2  # the lead and the other participants


def test_partners_are_resolved_by_label_and_kept_in_the_snapshot_format(muni):
    lead, first, second = ActorFactory.create_batch(3, municipality=muni)
    inactive = ActorFactory(municipality=muni, is_active=False)
    label = lambda actor: selectors.partner_label(actor=actor)  # noqa: E731
    data = {"title": "Lotsen", "municipality": muni.pk, "lead_actor": label(lead),
            "participant_actors": f"{label(first)}; {label(second)}", "participant_names": "Freier Träger"}
    form = ExampleForm(data)
    assert form.is_valid(), form.errors
    snapshot = form.snapshot()
    assert snapshot["lead_name"] == lead.name
    assert snapshot["participants"] == [
        {"actor": first.pk, "name": first.name}, {"actor": second.pk, "name": second.name},
        {"actor": None, "name": "Freier Träger"},
    ]
    # A deactivated partner or an unknown name is refused with a message, never guessed.
    form = ExampleForm({**data, "participant_actors": f"{label(inactive)}; Gibt es nicht"})
    assert not form.is_valid() and len(form.errors["participant_actors"]) == 2


def test_the_editor_shows_stored_participants_as_labels(muni):
    first = ActorFactory(municipality=muni)
    initial = ExampleForm.initial_from_snapshot(
        {"title": "X", "lead_actor": first.pk, "participants": [{"actor": first.pk, "name": first.name}]},
        version=1,
    )
    form = ExampleForm(initial=initial)
    html = str(form["participant_actors"]) + str(form["lead_actor"])
    assert html.count(f"#{first.pk})") == 2


def test_create_through_the_page_with_partners(client, muni, redaktion_user):
    lead = ActorFactory(municipality=muni)
    client.force_login(redaktion_user)
    response = client.post(reverse("catalogue:create"), {
        "title": "Lotsen im Kreis", "municipality": muni.pk,
        "lead_actor": selectors.partner_label(actor=lead), "goal": "Familien finden Hilfe.",
    })
    assert response.status_code == 302, response.context["form"].errors
    assert Example.objects.get(title="Lotsen im Kreis").lead_actor == lead
