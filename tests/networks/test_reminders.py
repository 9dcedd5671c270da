"""The reminder of partners not verified for a year (issue 16): ``manage.py remind_unverified``, one
e-mail per coordinator listing their municipalities' unverified partners, at most once a week."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from portal.core import roles
from tests.factories.accounts import UserFactory
from tests.factories.networks import ActorFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://portal.example.org"


@pytest.fixture
def world():
    now = timezone.now()
    town = MunicipalityFactory(name="Musterstadt", slug="musterstadt")
    village = MunicipalityFactory(name="Beispieldorf", slug="beispieldorf")
    tidy = MunicipalityFactory(name="Ordnungshausen", slug="ordnungshausen")
    anna = UserFactory(username="anna", first_name="Anna", last_name="Koordinatorin", roles=[roles.KOORDINATION])
    ben = UserFactory(username="ben", roles=[roles.KOORDINATION])
    carla = UserFactory(username="carla", roles=[roles.KOORDINATION])  # only a tidy municipality
    gone = UserFactory(username="gone", roles=[roles.KOORDINATION], is_active=False)
    town.coordinators.add(anna, ben, gone)
    village.coordinators.add(anna)
    tidy.coordinators.add(carla)
    ActorFactory(name="Nie geprüft", municipality=town, verified_at=None)
    ActorFactory(name="Lange her", municipality=town, verified_at=now - timedelta(days=400))
    ActorFactory(name="Frisch geprüft", municipality=town, verified_at=now - timedelta(days=30))
    ActorFactory(name="Deaktiviert", municipality=town, verified_at=None, is_active=False)
    ActorFactory(name="Dorfverein", municipality=village, verified_at=now - timedelta(days=366))
    ActorFactory(name="Ordentlich", municipality=tidy, verified_at=now - timedelta(days=10))
    return {"anna": anna, "ben": ben, "carla": carla}


def run(*args):
    out = StringIO()
    call_command("remind_unverified", *args, stdout=out)
    return out.getvalue()


def test_each_coordinator_gets_one_mail_with_their_unverified_partners(world):
    output = run()
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.org", "ben@example.org"]
    anna = next(m for m in mail.outbox if m.to == ["anna@example.org"])
    assert "Anna Koordinatorin" in anna.body
    assert "Nie geprüft" in anna.body and "Lange her" in anna.body and "Dorfverein" in anna.body
    assert "Frisch geprüft" not in anna.body and "Deaktiviert" not in anna.body
    assert "https://portal.example.org/" in anna.body and "/musterstadt/" in anna.body
    assert "3" in anna.subject
    ben = next(m for m in mail.outbox if m.to == ["ben@example.org"])
    assert "Dorfverein" not in ben.body  # not his municipality
    assert "2 Erinnerung(en) verschickt" in output


def test_a_second_run_in_the_same_week_sends_nothing(world):
    run()
    mail.outbox.clear()
    output = run()
    assert mail.outbox == []
    assert "übersprungen" in output and "0 Erinnerung(en) verschickt" in output


def test_a_week_later_the_reminder_comes_again(world):
    from portal.core.models import SentNotice

    run()
    SentNotice.objects.update(sent_at=timezone.now() - timedelta(days=8))
    mail.outbox.clear()
    run()
    assert len(mail.outbox) == 2


def test_dry_run_sends_and_records_nothing(world):
    output = run("--dry-run")
    assert mail.outbox == []
    assert "anna@example.org: bekäme eine Erinnerung" in output
    run()
    assert len(mail.outbox) == 2  # the dry run did not count as a reminder


def test_the_period_of_unverified_can_be_chosen(world):
    run("--days", "20")
    carla = [m for m in mail.outbox if m.to == ["carla@example.org"]]
    assert carla == []  # verified ten days ago
    ben = next(m for m in mail.outbox if m.to == ["ben@example.org"])
    assert "Frisch geprüft" in ben.body


def test_nonsense_days_are_refused(world):
    with pytest.raises(CommandError, match="mindestens 1"):
        run("--days", "0")
    assert mail.outbox == []
