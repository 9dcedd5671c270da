"""Issue 16: the accessibility statement's feedback mechanism works from the first start on: a report
goes by e-mail to the configured address, else the operator, else the Redaktion; bad input, too many
reports and an unreachable cache send nothing and say so in German."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from portal.core import roles
from tests.factories.accounts import UserFactory
from tests.german import de

REPORT = {"page": "/register/partner/", "description": "Der Filter lässt sich mit der Tastatur nicht öffnen.",
          "name": "Erika Muster", "email": "erika@example.org"}


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def statement(settings):
    settings.PORTAL_OPERATOR = {"name": "", "address": "", "email": "", "phone": ""}
    settings.ACCESSIBILITY_FEEDBACK_EMAIL = ""
    return settings


@pytest.mark.django_db
def test_the_statement_offers_a_working_form_and_names_the_enforcement_body_without_placeholders(client, statement):
    html = client.get(reverse("barrierefreiheit")).content.decode()
    assert f'href="{reverse("barrier-report")}"' in html
    assert "Mauerstraße 53" in html and 'href="https://www.schlichtungsstelle-bgg.de"' in html
    assert "PORTAL_OPERATOR" not in html and "ACCESSIBILITY_" not in html  # nothing asks the reader to configure


@pytest.mark.django_db
def test_a_configured_land_body_replaces_the_federal_one(client, settings):
    settings.ACCESSIBILITY_ENFORCEMENT = {
        "name": "Landesschlichtungsstelle Musterland", "address": "Amtsweg 1\n12345 Musterstadt",
        "url": "https://schlichtung.musterland.example", "email": "schlichtung@musterland.example",
        "phone": "0123 4567", "configured": True,
    }
    html = client.get(reverse("barrierefreiheit")).content.decode()
    assert "Landesschlichtungsstelle Musterland" in html and 'href="mailto:schlichtung@musterland.example"' in html
    assert "Mauerstraße 53" not in html


@pytest.mark.django_db
def test_without_any_address_the_report_reaches_the_redaktion(client, statement, django_capture_on_commit_callbacks):
    UserFactory(username="r1", email="redaktion@example.org", roles=[roles.REDAKTION])
    UserFactory(username="r2", email="weg@example.org", roles=[roles.REDAKTION], is_active=False)
    UserFactory(username="k1", email="koordination@example.org", roles=[roles.KOORDINATION])
    page = client.get(reverse("barrier-report") + "?seite=/register/partner/")
    assert 'value="/register/partner/"' in page.content.decode()
    response = client.post(reverse("barrier-report"), REPORT)
    assert response.status_code == 302 and response["Location"] == reverse("barrier-report-done")
    assert [m.to for m in mail.outbox] == [["redaktion@example.org"]]
    message = mail.outbox[0]
    assert "Barriere" in message.subject
    assert REPORT["description"] in message.body and "/register/partner/" in message.body
    assert message.reply_to == ["erika@example.org"]


@pytest.mark.django_db
def test_the_configured_address_comes_first(client, statement):
    statement.ACCESSIBILITY_FEEDBACK_EMAIL = "barrieren@kreis.example"
    statement.PORTAL_OPERATOR = {"name": "Kreis", "address": "", "email": "info@kreis.example", "phone": ""}
    client.post(reverse("barrier-report"), REPORT)
    assert [m.to for m in mail.outbox] == [["barrieren@kreis.example"]]


@pytest.mark.django_db
def test_bad_input_sends_nothing_and_says_what_is_missing(client, statement):
    UserFactory(username="r1", email="redaktion@example.org", roles=[roles.REDAKTION])
    response = client.post(reverse("barrier-report"), {**REPORT, "description": "", "email": "kein-at"})
    assert response.status_code == 200
    html = response.content.decode()
    assert de("Please describe the barrier.") in html
    assert "gültige E-Mail-Adresse" in html
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_honeypot_pretends_success_and_sends_nothing(client, statement):
    UserFactory(username="r1", email="redaktion@example.org", roles=[roles.REDAKTION])
    response = client.post(reverse("barrier-report"), {**REPORT, "contact_hp": "http://spam.example"})
    assert response.status_code == 302 and mail.outbox == []


@pytest.mark.django_db
def test_too_many_reports_from_one_address_are_refused(client, statement):
    statement.ACCESSIBILITY_FEEDBACK_EMAIL = "barrieren@kreis.example"
    statement.ACCESSIBILITY_FEEDBACK_LIMIT_PER_ADDRESS = 2
    for _ in range(2):
        assert client.post(reverse("barrier-report"), REPORT).status_code == 302
    refused = client.post(reverse("barrier-report"), REPORT)
    assert refused.status_code == 429 and de("Too many reports") in refused.content.decode()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_an_unreachable_cache_refuses_with_503_and_sends_nothing(client, statement, monkeypatch):
    from django.core.cache.backends.redis import RedisCache

    from portal.core import throttle

    statement.ACCESSIBILITY_FEEDBACK_EMAIL = "barrieren@kreis.example"
    monkeypatch.setattr(throttle, "cache", RedisCache("redis://127.0.0.1:1/0", {}))
    refused = client.post(reverse("barrier-report"), REPORT)
    assert refused.status_code == 503 and de("Report not possible right now") in refused.content.decode()
    assert mail.outbox == []
