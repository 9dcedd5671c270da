"""Accounts and roles: demo users log in, lockout after five failures, password reset by e-mail."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from portal.core import roles
from portal.core.rules import is_koordination, is_portal_staff, is_redaktion, is_verwaltung
from portal.demo.accounts import DEMO_PASSWORD, DEMO_USERS, ensure_demo_users


@pytest.mark.django_db
def test_demo_users_are_created_once_with_their_roles():
    assert set(ensure_demo_users()) == set(DEMO_USERS)
    assert ensure_demo_users() == []  # idempotent
    users = {u.username: u for u in get_user_model().objects.prefetch_related("groups")}
    assert {g.name for g in users["verwaltung"].groups.all()} == {roles.VERWALTUNG}
    assert {g.name for g in users["koordination"].groups.all()} == {roles.KOORDINATION}
    assert {g.name for g in users["redaktion"].groups.all()} == {roles.REDAKTION}
    assert users["admin"].is_superuser
    assert not users["verwaltung"].is_staff


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing(capsys):
    call_command("seed_demo")
    from django.apps import apps

    def snapshot():
        return {m._meta.label: m.objects.count() for m in apps.get_models()}

    before = snapshot()
    call_command("seed_demo")
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("username", list(DEMO_USERS))
def test_each_demo_user_can_log_in(client, username):
    ensure_demo_users()
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get("/").content.decode()
    assert f"Angemeldet als {username}" in html


@pytest.mark.django_db
def test_wrong_password_gets_a_clear_german_message(client):
    ensure_demo_users()
    response = client.post(reverse("login"), {"username": "verwaltung", "password": "falsch"})
    assert response.status_code == 200
    assert "Benutzername oder Passwort ist nicht korrekt" in response.content.decode()


@pytest.mark.django_db
def test_account_is_locked_after_five_failed_attempts(client):
    ensure_demo_users()
    for _ in range(5):
        client.post(reverse("login"), {"username": "koordination", "password": "falsch"})
    response = client.post(reverse("login"), {"username": "koordination", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    html = response.content.decode()
    assert "vorübergehend gesperrt" in html
    # The lock holds for this account and this address: another account elsewhere still logs in.
    elsewhere = {"REMOTE_ADDR": "198.51.100.7"}
    assert Client(**elsewhere).post(reverse("login"), {"username": "verwaltung", "password": DEMO_PASSWORD}).status_code == 302
    locked = Client(**elsewhere).post(reverse("login"), {"username": "koordination", "password": DEMO_PASSWORD})
    assert locked.status_code == 429


@pytest.mark.django_db
def test_password_reset_sends_a_link_by_email(client):
    ensure_demo_users()
    response = client.post(reverse("password_reset"), {"email": "verwaltung@demo.starkes-netz.invalid"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


@pytest.mark.django_db
def test_logout_is_a_post(client):
    ensure_demo_users()
    client.post(reverse("login"), {"username": "redaktion", "password": DEMO_PASSWORD})
    assert client.post(reverse("logout")).status_code == 302
    assert "Angemeldet als" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_role_predicates(verwaltung_user, koordination_user, redaktion_user, admin_user, anonymous_user):
    assert is_verwaltung(verwaltung_user) and not is_verwaltung(koordination_user)
    assert is_koordination(koordination_user) and not is_koordination(redaktion_user)
    assert is_redaktion(redaktion_user) and not is_redaktion(verwaltung_user)
    assert all(is_portal_staff(u) for u in (verwaltung_user, koordination_user, redaktion_user, admin_user))
    assert not is_portal_staff(anonymous_user)


@pytest.mark.django_db
def test_password_rules_reject_a_weak_password(client, verwaltung_user, password):
    client.force_login(verwaltung_user)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dieses Passwort ist zu kurz. Es muss mindestens 12 Zeichen enthalten." in html
