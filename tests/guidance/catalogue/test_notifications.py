"""The review workflow tells people (issue 16): the Redaktion hears of every submitted example, the
submitter hears whether it was published or sent back, and why. Mails leave after the commit."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from guidance.catalogue import services as svc
from portal.core import roles
from tests.factories.accounts import UserFactory
from tests.factories.catalogue import MunicipalityFactory, example_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://portal.example.org"


@pytest.fixture
def muni():
    return MunicipalityFactory(name="Kreis Beispiel", slug="kreis-beispiel", kind="kreis")


@pytest.fixture
def coordinator(koordination_user, muni):
    muni.coordinators.add(koordination_user)
    return koordination_user


@pytest.fixture
def editors(redaktion_user):
    second = UserFactory(username="t-redaktion-2", roles=[roles.REDAKTION])
    UserFactory(username="t-redaktion-alt", roles=[roles.REDAKTION], is_active=False)  # left: told nothing
    UserFactory(username="t-redaktion-ohne", roles=[roles.REDAKTION], email="")  # no address
    return [redaktion_user, second]


@pytest.fixture
def submitted(coordinator, muni, editors, django_capture_on_commit_callbacks):
    example = svc.example_create(user=coordinator, data=example_data(muni, title="Lotsen im Kreis"))
    with django_capture_on_commit_callbacks(execute=True):
        svc.example_submit(example=example, user=coordinator)
    return example


def test_the_redaktion_hears_of_a_submitted_example(submitted, editors, coordinator):
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.email for e in editors)
    message = mail.outbox[0]
    assert "Lotsen im Kreis" in message.subject
    assert "Lotsen im Kreis" in message.body and "Kreis Beispiel" in message.body
    assert coordinator.get_full_name() in message.body
    assert "https://portal.example.org/" in message.body and f"/{submitted.slug}/" in message.body
    assert coordinator.email not in [m.to[0] for m in mail.outbox]


def test_nothing_is_sent_before_the_commit(coordinator, muni, editors):
    example = svc.example_create(user=coordinator, data=example_data(muni))
    svc.example_submit(example=example, user=coordinator)  # the test's transaction never commits
    assert mail.outbox == []


def test_the_submitter_hears_of_the_publication(submitted, coordinator, redaktion_user,
                                                 django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        svc.example_publish(example=submitted, user=redaktion_user, comment="Sehr anschaulich.")
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    message = mail.outbox[0]
    assert "Lotsen im Kreis" in message.subject
    assert "Sehr anschaulich." in message.body
    assert "https://portal.example.org" + submitted.get_absolute_url() in message.body


@pytest.mark.parametrize("send_back", [svc.example_request_changes, svc.example_reject])
def test_the_submitter_hears_why_it_was_sent_back(submitted, coordinator, redaktion_user, send_back,
                                                  django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_back(example=submitted, user=redaktion_user, comment="Bitte die Finanzierung ergänzen.")
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "Bitte die Finanzierung ergänzen." in mail.outbox[0].body
    assert "Lotsen im Kreis" in mail.outbox[0].subject


def test_a_refused_step_sends_nothing(submitted, redaktion_user, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        svc.example_request_changes(example=submitted, user=redaktion_user, comment="  ")
    assert mail.outbox == []


def test_demo_content_written_by_the_system_tells_nobody(muni, editors, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        example = svc.example_create(user=None, data=example_data(muni))
        svc.example_submit(example=example, user=None)
        svc.example_publish(example=example, user=None)
    assert mail.outbox == []
