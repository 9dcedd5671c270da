"""Curation workflow of the good-practice catalogue: transitions per role, revisions, history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guidance.catalogue import services as svc
from guidance.catalogue.models import ExampleEvent, ExampleStatus, RevisionStatus
from guidance.catalogue.rules import examples_visible_to
from guidance.catalogue.selectors import changes_for_review, open_revision
from portal.core.locking import EditConflict
from tests.factories.catalogue import MunicipalityFactory, example_data, make_example

pytestmark = pytest.mark.django_db


@pytest.fixture
def muni():
    return MunicipalityFactory(name="Kreis Beispiel", slug="kreis-beispiel", kind="kreis")


@pytest.fixture
def coordinator(koordination_user, muni):
    muni.coordinators.add(koordination_user)
    return koordination_user


def test_coordinator_writes_and_submits_for_own_municipality(coordinator, muni):
    example = svc.example_create(user=coordinator, data=example_data(muni, title="Lotsen im Kreis"))
    assert example.status == ExampleStatus.DRAFT
    assert open_revision(example=example).number == 1
    svc.example_submit(example=example, user=coordinator)
    example.refresh_from_db()
    assert example.status == ExampleStatus.SUBMITTED
    assert list(example.events.values_list("action", flat=True)) == ["submitted", "created"]


def test_coordinator_cannot_write_for_another_municipality(coordinator):
    other = MunicipalityFactory(name="Anderswo", slug="anderswo")
    with pytest.raises(PermissionDenied):
        svc.example_create(user=coordinator, data=example_data(other))


def test_verwaltung_cannot_write(verwaltung_user, muni):
    with pytest.raises(PermissionDenied):
        svc.example_create(user=verwaltung_user, data=example_data(muni))


def test_coordinator_cannot_publish_or_review(coordinator, muni):
    example = svc.example_create(user=coordinator, data=example_data(muni))
    svc.example_submit(example=example, user=coordinator)
    for transition in (svc.example_publish, svc.example_start_review):
        with pytest.raises(PermissionDenied):
            transition(example=example, user=coordinator)
    with pytest.raises(PermissionDenied):
        svc.example_request_changes(example=example, user=coordinator, comment="bitte ändern")
    example.refresh_from_db()
    assert example.status == ExampleStatus.SUBMITTED


def test_redaktion_asks_for_changes_with_a_comment_then_publishes(coordinator, redaktion_user, muni, anonymous_user):
    example = svc.example_create(user=coordinator, data=example_data(muni))
    svc.example_submit(example=example, user=coordinator)
    svc.example_start_review(example=example, user=redaktion_user)
    example.refresh_from_db()
    assert example.status == ExampleStatus.IN_REVIEW
    with pytest.raises(ValidationError):
        svc.example_request_changes(example=example, user=redaktion_user, comment="  ")
    svc.example_request_changes(example=example, user=redaktion_user, comment="Bitte Quelle ergänzen.")
    example.refresh_from_db()
    assert example.status == ExampleStatus.DRAFT
    event = example.events.get(action=ExampleEvent.Action.CHANGES_REQUESTED)
    assert event.comment == "Bitte Quelle ergänzen." and event.user == redaktion_user
    assert not examples_visible_to(anonymous_user).filter(pk=example.pk).exists()

    svc.example_save(example=example, user=coordinator, version=example.version,
                     data=example_data(muni, links=[{"url": "https://example.org/quelle", "label": "Quelle"}]))
    svc.example_submit(example=example, user=coordinator)
    svc.example_publish(example=example, user=redaktion_user)
    example.refresh_from_db()
    assert example.status == ExampleStatus.PUBLISHED
    assert examples_visible_to(anonymous_user).filter(pk=example.pk).exists()
    assert [link.url for link in example.links.all()] == ["https://example.org/quelle"]


def test_cannot_publish_a_draft_that_was_not_submitted(coordinator, redaktion_user, muni):
    example = svc.example_create(user=coordinator, data=example_data(muni))
    with pytest.raises(ValidationError):
        svc.example_publish(example=example, user=redaktion_user)


def test_change_to_published_example_waits_for_review(coordinator, redaktion_user, muni, anonymous_user):
    example = make_example(municipality=muni, title="Alter Titel", goal="Altes Ziel")
    svc.example_save(example=example, user=coordinator, version=example.version,
                     data=example_data(muni, title="Neuer Titel", goal="Altes Ziel"))
    example.refresh_from_db()
    # The published text stays visible, the change waits in revision 2.
    assert example.title == "Alter Titel" and example.status == ExampleStatus.PUBLISHED
    revision, changes = changes_for_review(example=example)
    assert revision.number == 2 and revision.status == RevisionStatus.DRAFT
    assert [(c.field, c.before, c.after) for c in changes] == [("title", "Alter Titel", "Neuer Titel")]
    svc.example_submit(example=example, user=coordinator)
    example.refresh_from_db()
    assert example.status == ExampleStatus.PUBLISHED and example.title == "Alter Titel"
    svc.example_publish(example=example, user=redaktion_user)
    example.refresh_from_db()
    assert example.title == "Neuer Titel"
    assert list(example.revisions.values_list("number", "status")) == [(2, "published"), (1, "published")]


def test_rejecting_a_change_keeps_the_published_text(coordinator, redaktion_user, muni):
    example = make_example(municipality=muni, title="Bleibt")
    svc.example_save(example=example, user=coordinator, version=example.version, data=example_data(muni, title="Weg"))
    svc.example_submit(example=example, user=coordinator)
    svc.example_reject(example=example, user=redaktion_user, comment="Nicht belegt.")
    example.refresh_from_db()
    assert example.title == "Bleibt" and example.status == ExampleStatus.PUBLISHED
    assert open_revision(example=example) is None


def test_rejecting_a_new_example_archives_it(coordinator, redaktion_user, muni, anonymous_user):
    example = svc.example_create(user=coordinator, data=example_data(muni))
    svc.example_submit(example=example, user=coordinator)
    svc.example_reject(example=example, user=redaktion_user, comment="Kein Praxisbeispiel.")
    example.refresh_from_db()
    assert example.status == ExampleStatus.ARCHIVED
    assert not examples_visible_to(anonymous_user).filter(pk=example.pk).exists()


def test_no_edit_while_under_review(coordinator, muni):
    example = svc.example_create(user=coordinator, data=example_data(muni))
    svc.example_submit(example=example, user=coordinator)
    example.refresh_from_db()
    with pytest.raises(ValidationError):
        svc.example_save(example=example, user=coordinator, version=example.version, data=example_data(muni, title="X"))


def test_stale_version_is_refused_with_what_the_other_person_changed(coordinator, redaktion_user, muni):
    example = svc.example_create(user=coordinator, data=example_data(muni, goal="Ziel A"))
    loaded_version = example.version
    svc.example_save(example=example, user=redaktion_user, version=loaded_version, data=example_data(muni, goal="Ziel B"))
    with pytest.raises(EditConflict) as stale:
        svc.example_save(example=example, user=coordinator, version=loaded_version, data=example_data(muni, goal="Ziel C"))
    assert [(c.field, c.before, c.after) for c in stale.value.changes] == [("goal", "Ziel A", "Ziel B")]
    assert stale.value.changes[0].by == redaktion_user.get_full_name()
    example.refresh_from_db()
    assert example.goal == "Ziel B"


def test_history_records_who_did_what(coordinator, redaktion_user, muni):
    example = svc.example_create(user=coordinator, data=example_data(muni))
    svc.example_save(example=example, user=coordinator, version=example.version, data=example_data(muni, goal="Neu"))
    svc.example_submit(example=example, user=coordinator)
    svc.example_publish(example=example, user=redaktion_user)
    events = list(example.events.order_by("pk").values_list("action", "user__username", "changed_fields"))
    assert events[0][0] == "created"
    assert events[1] == ("saved", coordinator.username, ["goal"])
    assert [e[:2] for e in events[2:]] == [("submitted", coordinator.username), ("published", redaktion_user.username)]


def test_archive_only_by_redaktion(coordinator, redaktion_user, muni, anonymous_user):
    example = make_example(municipality=muni)
    with pytest.raises(PermissionDenied):
        svc.example_archive(example=example, user=coordinator)
    svc.example_archive(example=example, user=redaktion_user, comment="veraltet")
    example.refresh_from_db()
    assert example.status == ExampleStatus.ARCHIVED
    assert not examples_visible_to(anonymous_user).filter(pk=example.pk).exists()
