"""Shared fixtures: one user per role. Tests never reach the network."""

import socket

import pytest

from portal.core import roles
from tests.factories.accounts import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _no_outside_network(monkeypatch):
    """Refuse connections to anything but this machine (loopback, the local database)."""
    real_connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in {"127.0.0.1", "::1", "localhost"} and not host.startswith("/"):
            raise OSError(f"Tests must not reach the network (tried {address!r})")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def anonymous_user():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.fixture
def verwaltung_user(db):
    return UserFactory(username="t-verwaltung", roles=[roles.VERWALTUNG])


@pytest.fixture
def koordination_user(db):
    """A coordinator without municipality; tests attach the municipality they need."""
    return UserFactory(username="t-koordination", roles=[roles.KOORDINATION])


@pytest.fixture
def other_koordination_user(db):
    return UserFactory(username="t-koordination2", roles=[roles.KOORDINATION])


@pytest.fixture
def redaktion_user(db):
    return UserFactory(username="t-redaktion", roles=[roles.REDAKTION], is_staff=True)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="t-admin", is_staff=True, is_superuser=True)
