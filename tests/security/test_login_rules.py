"""Login throttling and password rules beyond tests/portal/test_accounts.py: no account enumeration
through the lock, the lock ends after the cool-off, the admin login is throttled too, and each
password rule refuses with a German message."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories.accounts import UserFactory

WRONG = "falsch-falsch"


def _fail(client, url, username, times=5):
    for _ in range(times):
        client.post(url, {"username": username, "password": WRONG})


@pytest.mark.django_db
def test_unknown_accounts_are_locked_like_real_ones(client):
    """The lock page must not reveal whether an account exists."""
    UserFactory(username="echt")
    _fail(client, reverse("login"), "echt")
    _fail(client, reverse("login"), "gibt-es-nicht")
    real = client.post(reverse("login"), {"username": "echt", "password": WRONG})
    unknown = client.post(reverse("login"), {"username": "gibt-es-nicht", "password": WRONG})
    assert real.status_code == unknown.status_code == 429
    assert "vorübergehend gesperrt" in unknown.content.decode()


@pytest.mark.django_db
def test_lock_ends_after_the_cool_off(client, password, settings):
    UserFactory(username="geduldig")
    _fail(client, reverse("login"), "geduldig")
    assert client.post(reverse("login"), {"username": "geduldig", "password": password}).status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    assert client.post(reverse("login"), {"username": "geduldig", "password": password}).status_code == 302


@pytest.mark.django_db
def test_four_failures_do_not_lock(client, password):
    UserFactory(username="vertipper")
    _fail(client, reverse("login"), "vertipper", times=4)
    assert client.post(reverse("login"), {"username": "vertipper", "password": password}).status_code == 302


@pytest.mark.django_db
def test_admin_login_is_throttled_too(client, password):
    UserFactory(username="chefin", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    _fail(client, url, "chefin")
    response = client.post(url, {"username": "chefin", "password": password})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("Kurz-1a", "zu kurz"),
        ("password1234", "zu üblich"),
        ("839274619283", "komplett numerisch"),
        ("t-verwaltung-x", "zu ähnlich"),
    ],
)
def test_each_password_rule_refuses_with_a_german_message(client, verwaltung_user, password, new_password, message):
    client.force_login(verwaltung_user)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    verwaltung_user.refresh_from_db()
    assert verwaltung_user.check_password(password)


@pytest.mark.django_db
def test_a_strong_password_is_accepted(client, verwaltung_user, password):
    client.force_login(verwaltung_user)
    new = "Fahrplan-Netzwerk-2026!"
    response = client.post(
        reverse("password_change"), {"old_password": password, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    verwaltung_user.refresh_from_db()
    assert verwaltung_user.check_password(new)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "https:evil.example"]
)
def test_no_open_redirect_after_login_or_language_change(client, password, target):
    UserFactory(username="weiterleitung")
    response = client.post(reverse("login") + "?next=" + target, {"username": "weiterleitung", "password": password})
    assert response.status_code == 302 and response.headers["Location"] == reverse("home")
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302 and not response.headers["Location"].startswith(("http", "//", "/\\", "javascript"))


@pytest.mark.django_db
def test_password_reset_does_not_reveal_whether_an_address_is_registered(client):
    from django.core import mail

    UserFactory(username="bekannt", email="bekannt@example.org")
    known = client.post(reverse("password_reset"), {"email": "bekannt@example.org"})
    unknown = client.post(reverse("password_reset"), {"email": "unbekannt@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_overlong_user_names_are_refused_before_authentication(client, url_name):
    """Found by fuzzing on PostgreSQL: an overlong name reached django-axes' log (varchar 255) -> 500."""
    from axes.models import AccessAttempt

    response = client.post(reverse(url_name), {"username": "x" * 300, "password": "egal"})
    assert response.status_code == 200
    assert AccessAttempt.objects.count() == 0


@pytest.mark.django_db
def test_admin_login_still_accepts_staff(client, password):
    UserFactory(username="chef", is_staff=True, is_superuser=True)
    response = client.post(reverse("admin:login"), {"username": "chef", "password": password, "next": "/admin/"})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
