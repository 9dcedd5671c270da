"""Writes: history with the acting user, soft deactivation, refused concurrent edits."""

import pytest
from django.core.exceptions import ValidationError

from networks import services
from networks.models import Actor
from portal.core.locking import EditConflict
from tests.factories.networks import ActorFactory, ActorTypeFactory, MunicipalityFactory


@pytest.fixture
def coordinated(db, koordination_user):
    muni = MunicipalityFactory()
    muni.coordinators.add(koordination_user)
    return muni


def form_data(actor, **changes):
    data = {
        "name": actor.name, "actor_type": actor.actor_type.pk, "traeger_kind": actor.traeger_kind,
        "traeger_name": actor.traeger_name, "street": actor.street, "postal_code": actor.postal_code,
        "city": actor.city, "phone": actor.phone, "email": actor.email, "website": actor.website,
        "offer": actor.offer, "languages": actor.languages, "accessibility": actor.accessibility,
        "version": actor.version,
    }
    data.update(changes)
    return data


def test_create_records_history_with_the_user(coordinated, koordination_user):
    kind = ActorTypeFactory()
    actor = services.actor_create(
        municipality=coordinated, data={"name": "Suchtberatung Nord", "actor_type": kind, "traeger_kind": "public"},
        by=koordination_user,
    )
    record = actor.history.get()
    assert record.history_user == koordination_user
    assert record.history_type == "+"


def test_create_validates(coordinated, koordination_user):
    with pytest.raises(ValidationError):
        services.actor_create(municipality=coordinated, data={"name": "", "traeger_kind": "public"}, by=koordination_user)
    assert not Actor.objects.exists()


def test_second_save_with_stale_version_is_refused_with_field_diff(coordinated, koordination_user, admin_user):
    actor = ActorFactory(municipality=coordinated, phone="02452 1")
    loaded_version = actor.version
    services.actor_update(actor=actor, data={"phone": "02452 2", "city": "Heinsberg"}, version=loaded_version, by=admin_user)
    with pytest.raises(EditConflict) as exc:
        services.actor_update(actor=actor, data={"phone": "02452 3"}, version=loaded_version, by=koordination_user)
    changes = {c.label: (c.before, c.after) for c in exc.value.changes}
    label = lambda name: str(Actor._meta.get_field(name).verbose_name)  # noqa: E731
    assert changes == {label("phone"): ("02452 1", "02452 2"), label("city"): ("", "Heinsberg")}
    assert {c.by for c in exc.value.changes} == {admin_user.get_full_name()}
    actor.refresh_from_db()
    assert actor.phone == "02452 2"  # never silently overwritten


def test_concurrent_edit_through_the_form_is_refused(client, coordinated, koordination_user, admin_user):
    actor = ActorFactory(municipality=coordinated, name="Beratungsstelle Alt")
    client.force_login(koordination_user)
    client.get(f"/register/partner/{actor.pk}/bearbeiten/")
    services.actor_update(actor=actor, data={"name": "Beratungsstelle Neu"}, version=actor.version, by=admin_user)
    response = client.post(f"/register/partner/{actor.pk}/bearbeiten/", form_data(actor, name="Beratungsstelle Mein Name"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Beratungsstelle Alt" in html and "Beratungsstelle Neu" in html
    assert "Nicht gespeichert: Jemand anderes hat den Eintrag inzwischen geändert" in html
    actor.refresh_from_db()
    assert actor.name == "Beratungsstelle Neu"
    # With the current version the save goes through.
    response = client.post(f"/register/partner/{actor.pk}/bearbeiten/", form_data(actor, name="Beratungsstelle Mein Name"))
    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.name == "Beratungsstelle Mein Name"
    assert actor.history.first().history_user == koordination_user


def test_deactivate_is_soft_and_recorded(coordinated, koordination_user):
    actor = ActorFactory(municipality=coordinated)
    services.actor_deactivate(actor=actor, by=koordination_user)
    actor.refresh_from_db()
    assert actor.is_active is False
    assert Actor.objects.filter(pk=actor.pk).exists()
    assert actor.history.first().history_change_reason == "deactivated"


def test_verify_sets_date_and_user_distinct_from_last_changed(coordinated, koordination_user):
    actor = ActorFactory(municipality=coordinated)
    assert actor.verified_at is None
    changed = actor.updated_at
    services.actor_verify(actor=actor, by=koordination_user)
    actor.refresh_from_db()
    assert actor.verified_by == koordination_user and actor.verified_at is not None
    assert actor.updated_at == changed  # checking is not changing
    assert actor.history.first().history_user == koordination_user


def test_cooperation_needs_two_partners(coordinated, koordination_user):
    actor = ActorFactory(municipality=coordinated)
    with pytest.raises(ValidationError):
        services.cooperation_create(
            municipality=coordinated, data={"title": "AK", "kind": "working_group", "actors": [actor]}, by=koordination_user
        )
