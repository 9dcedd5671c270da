"""Requests for access ("Zugang beantragen"): the public form, its limits, the review by the editorial
team and admins, approval (new or upgraded account), decline, conflicts and the deletion of old requests."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from networks import services
from networks.models import AccessRequest, AccessRequestStatus
from portal.core import roles
from portal.core.locking import EditConflict
from tests.factories.accounts import UserFactory
from tests.factories.networks import MunicipalityFactory
from tests.german import de

User = get_user_model()
NEW_PASSWORD = "Neues-Koordinationspasswort-2025"


@pytest.fixture(autouse=True)
def _fresh_limits():
    """The limits count in the cache, which outlives a test in the same process."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kreis(db):
    return MunicipalityFactory(name="Kreis Beispiel", slug="kreis-beispiel", kind="kreis", ags="09111000")


@pytest.fixture
def town(kreis):
    return MunicipalityFactory(name="Beispielstadt", slug="beispielstadt", kind="stadt", ags="09111001", parent=kreis)


@pytest.fixture
def reviewers(redaktion_user, admin_user):
    return [redaktion_user, admin_user]


def _data(town, **overrides):
    data = {
        "name": "Frieda Fröhlich",
        "email": "frieda.froehlich@beispielstadt.de",
        "function": "Koordination Frühe Hilfen",
        "municipality": f"{town.name} ({town.ags})",
        "justification": "Ich koordiniere im Auftrag des Jugendamts das Netzwerk Frühe Hilfen der Stadt.",
        "privacy": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _submit(client, town, capture, **overrides):
    with capture(execute=True):
        return client.post(reverse("networks:access-request"), _data(town, **overrides))


def _pending(town, **fields):
    values = {
        "name": "Frieda Fröhlich", "email": "frieda.froehlich@beispielstadt.de", "function": "Koordination",
        "municipality": town, "justification": "Ich koordiniere das Netzwerk Frühe Hilfen der Stadt.",
    }
    values.update(fields)
    return AccessRequest.objects.create(**values)


def _decide(client, access_request, capture, *, action, reason="", version=None):
    with capture(execute=True):
        return client.post(
            reverse("networks:access-request-detail", args=[access_request.pk]),
            {"action": action, "reason": reason, "version": access_request.version if version is None else version},
        )


def _link_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/reset/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


# --- The public form ---------------------------------------------------------------------


def test_the_form_is_public_german_and_explains_what_is_stored(client, db, settings):
    settings.ACCESS_REQUEST_RETENTION_DAYS = 30
    response = client.get(reverse("networks:access-request"))
    assert response.status_code == 200
    html = response.content.decode()
    assert de("Request access") in html
    assert de("Privacy note") in html
    assert de("Who sees it: only the portal's editorial team and administrators. Nothing of it is published.") in html
    assert "30 Tage nach der Entscheidung gelöscht" in html
    # The municipality is a picker with suggestions, not a list of every municipality.
    assert 'data-suggest-url="/register/kommunen/vorschlaege/"' in html
    assert "<select" not in html


def test_the_municipality_page_and_the_login_page_link_to_the_form(client, town):
    form_url = reverse("networks:access-request")
    page = client.get(town.get_absolute_url()).content.decode()
    assert f'href="{form_url}?kommune={town.slug}"' in page
    assert form_url in client.get(reverse("login")).content.decode()
    # The link on the municipality page prefills the picker.
    html = client.get(f"{form_url}?kommune={town.slug}").content.decode()
    assert f'value="{town.name} ({town.ags})"' in html


def test_signed_in_people_do_not_see_the_request_link_on_municipality_pages(client, town, verwaltung_user):
    client.force_login(verwaltung_user)
    assert reverse("networks:access-request") not in client.get(town.get_absolute_url()).content.decode()


def test_a_request_is_stored_without_an_account_and_both_sides_are_told(
    client, town, reviewers, django_capture_on_commit_callbacks
):
    response = _submit(client, town, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == reverse("networks:access-request-done")
    request = AccessRequest.objects.get()
    assert request.status == AccessRequestStatus.PENDING and request.municipality == town
    assert request.user is None and request.decided_at is None
    # No account exists before approval.
    assert not User.objects.filter(email__iexact="frieda.froehlich@beispielstadt.de").exists()
    assert not User.objects.filter(username__icontains="frieda").exists()
    to_requester = [m for m in mail.outbox if m.to == ["frieda.froehlich@beispielstadt.de"]]
    assert len(to_requester) == 1
    assert to_requester[0].subject == de("Your request for access to Starkes Netz")
    assert "Guten Tag Frieda Fröhlich," in to_requester[0].body
    assert "Beispielstadt" in to_requester[0].body
    to_reviewers = [m for m in mail.outbox if m.to != ["frieda.froehlich@beispielstadt.de"]]
    assert sorted(m.to[0] for m in to_reviewers) == sorted(u.email for u in reviewers)
    assert all(reverse("networks:access-request-detail", args=[request.pk]) in m.body for m in to_reviewers)
    # The justification stays in the portal, not in the reviewers' mailboxes.
    assert all("im Auftrag des Jugendamts" not in m.body for m in to_reviewers)
    done = client.get(response["Location"]).content.decode()
    assert de("Thank you: your request was received") in done


def test_the_editorial_mailbox_is_told_when_it_is_configured(
    client, town, reviewers, settings, django_capture_on_commit_callbacks
):
    settings.ACCESS_REQUEST_NOTIFY = ["redaktion@starkes-netz.example"]
    _submit(client, town, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["frieda.froehlich@beispielstadt.de", "redaktion@starkes-netz.example"]


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"name": ""}, "name", "Please enter your name."),
        ({"name": "12345"}, "name", "Please enter your name."),
        ({"name": "Spam www.beispiel.de"}, "name", "Please enter your name, without a web address."),
        ({"email": ""}, "email", "Please enter your e-mail address."),
        ({"email": "frieda@"}, "email", "Please enter a valid e-mail address, e.g. name@kommune.de."),
        ({"function": " "}, "function", "Please enter your function."),
        ({"municipality": ""}, "municipality", "Please name the municipality whose network you want to coordinate."),
        ({"justification": ""}, "justification", "Please explain briefly why you request access."),
        ({"justification": "Bitte."}, "justification",
         "Please explain in a few words (at least 20 characters) why you request access."),
        ({"privacy": None}, "privacy", "Please confirm that you have read the privacy note."),
    ],
)
def test_bad_input_is_refused_in_german_and_changes_nothing(
    client, town, reviewers, django_capture_on_commit_callbacks, overrides, field, message
):
    response = _submit(client, town, django_capture_on_commit_callbacks, **overrides)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert de(message) in response.content.decode()
    assert AccessRequest.objects.count() == 0
    assert mail.outbox == []
    assert not User.objects.filter(email__iexact="frieda.froehlich@beispielstadt.de").exists()


def test_an_unknown_municipality_or_an_overlong_justification_is_refused(
    client, town, django_capture_on_commit_callbacks
):
    unknown = _submit(client, town, django_capture_on_commit_callbacks, municipality="Nirgendwohausen an der See")
    assert unknown.status_code == 200 and "municipality" in unknown.context["form"].errors
    overlong = _submit(client, town, django_capture_on_commit_callbacks, justification="x" * 2001)
    assert overlong.status_code == 200 and "justification" in overlong.context["form"].errors
    with_nul = _submit(client, town, django_capture_on_commit_callbacks, name="Frieda\x00")
    assert with_nul.status_code == 200 and "name" in with_nul.context["form"].errors
    assert AccessRequest.objects.count() == 0 and mail.outbox == []


def test_the_honeypot_pretends_success_and_stores_nothing(client, town, reviewers, django_capture_on_commit_callbacks):
    response = _submit(client, town, django_capture_on_commit_callbacks, contact_hp="http://spam.example")
    assert response.status_code == 302 and response["Location"] == reverse("networks:access-request-done")
    assert AccessRequest.objects.count() == 0 and mail.outbox == []


def test_a_second_identical_request_while_the_first_waits_is_not_stored_again(
    client, town, reviewers, django_capture_on_commit_callbacks
):
    _submit(client, town, django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    second = _submit(client, town, django_capture_on_commit_callbacks, email="Frieda.Froehlich@Beispielstadt.de")
    assert second.status_code == 302
    assert AccessRequest.objects.count() == 1 and len(mail.outbox) == sent


def test_too_many_requests_from_one_address_are_refused_with_429(
    client, town, kreis, settings, django_capture_on_commit_callbacks
):
    settings.ACCESS_REQUEST_LIMIT_PER_ADDRESS = 2
    for number in range(2):
        assert _submit(client, town, django_capture_on_commit_callbacks, email=f"person{number}@example.org").status_code == 302
    refused = _submit(client, town, django_capture_on_commit_callbacks, email="person3@example.org")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert de("Too many requests") in html
    assert 'value="person3@example.org"' in html  # the input stays in the form
    assert AccessRequest.objects.count() == 2
    assert not any(m.to == ["person3@example.org"] for m in mail.outbox)
    # Another address is not affected.
    from django.test import Client

    other = Client(REMOTE_ADDR="198.51.100.23")
    assert _submit(other, town, django_capture_on_commit_callbacks, email="person4@example.org").status_code == 302


def test_too_many_requests_for_one_email_address_are_refused_with_429(
    town, kreis, settings, django_capture_on_commit_callbacks
):
    from django.test import Client

    settings.ACCESS_REQUEST_LIMIT_PER_EMAIL = 1
    first = Client(REMOTE_ADDR="198.51.100.1")
    assert _submit(first, town, django_capture_on_commit_callbacks).status_code == 302
    second = Client(REMOTE_ADDR="198.51.100.2")
    refused = _submit(second, kreis, django_capture_on_commit_callbacks)
    assert refused.status_code == 429
    assert AccessRequest.objects.count() == 1


def test_while_the_shared_cache_is_down_a_request_is_refused_with_a_message_and_nothing_saved(
    client, town, kreis, monkeypatch, django_capture_on_commit_callbacks
):
    """The limits cannot be counted without the cache: closed, with a German message, not a 500."""
    from django.core.cache.backends.redis import RedisCache

    from portal.core import throttle

    # Production's backend, on a port of the loopback where nothing listens: every call fails at once.
    monkeypatch.setattr(throttle, "cache", RedisCache("redis://127.0.0.1:1/0", {}))
    refused = _submit(client, town, django_capture_on_commit_callbacks)
    assert refused.status_code == 503
    html = refused.content.decode()
    assert de("Request not possible right now") in html and "Störung" in html
    assert AccessRequest.objects.count() == 0 and mail.outbox == []


# --- Who reviews -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "user_fixture, expected",
    [("anonymous_user", "login"), ("verwaltung_user", 403), ("koordination_user", 403),
     ("redaktion_user", 200), ("admin_user", 200)],
)
def test_only_the_editorial_team_and_admins_see_and_decide_requests(
    request, client, town, user_fixture, expected, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(user_fixture)
    town.coordinators.add(request.getfixturevalue("koordination_user"))
    access_request = _pending(town)
    if user.is_authenticated:
        client.force_login(user)
    urls = [reverse("networks:access-request-list"), reverse("networks:access-request-detail", args=[access_request.pk])]
    for url in urls:
        response = client.get(url)
        if expected == "login":
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        else:
            assert response.status_code == expected
            if expected == 200:
                assert "Frieda Fröhlich" in response.content.decode()
    decided = _decide(client, access_request, django_capture_on_commit_callbacks, action="approve")
    access_request.refresh_from_db()
    if expected == 200:
        assert decided.status_code == 302 and access_request.status == AccessRequestStatus.APPROVED
    else:
        assert decided.status_code in (302, 403) and access_request.status == AccessRequestStatus.PENDING
        assert access_request.version == 1 and mail.outbox == []
        assert not User.objects.filter(email__iexact=access_request.email).exists()


def test_the_navigation_links_to_the_requests_only_for_reviewers(client, db, redaktion_user, koordination_user):
    url = reverse("networks:access-request-list")
    client.force_login(koordination_user)
    assert url not in client.get("/").content.decode()
    client.force_login(redaktion_user)
    html = client.get("/").content.decode()
    assert url in html and de("Access requests") in html


def test_services_ask_the_rule_too(town, koordination_user, verwaltung_user):
    access_request = _pending(town)
    for user in (koordination_user, verwaltung_user):
        with pytest.raises(PermissionDenied):
            services.access_request_approve(access_request=access_request, version=1, by=user, site_url="")
        with pytest.raises(PermissionDenied):
            services.access_request_decline(access_request=access_request, version=1, reason="Nein", by=user, site_url="")
    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.PENDING


def test_the_list_shows_waiting_requests_first_with_a_fixed_query_count(
    client, town, kreis, redaktion_user, admin_user, django_assert_max_num_queries
):
    now = timezone.now()
    for number in range(30):
        decided = number % 3 == 0
        AccessRequest.objects.create(
            name=f"Person {number}", email=f"p{number}@example.org", function="Koordination",
            municipality=town if number % 2 else kreis, justification="Begründung " * 3,
            status=AccessRequestStatus.DECLINED if decided else AccessRequestStatus.PENDING,
            decided_by=admin_user if decided else None, decided_at=now - timedelta(hours=number) if decided else None,
            reason="Nicht zuständig" if decided else "",
        )
    client.force_login(redaktion_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("networks:access-request-list"))
    shown = response.context["access_requests"]
    assert len(shown) == 25  # paginated
    statuses = [item.status for item in shown]
    waiting = statuses.count(AccessRequestStatus.PENDING)
    assert waiting == 20 and statuses[:waiting] == [AccessRequestStatus.PENDING] * waiting
    assert [item.created_at for item in shown[:waiting]] == sorted(item.created_at for item in shown[:waiting])
    second = client.get(reverse("networks:access-request-list") + "?page=2").context["access_requests"]
    assert len(second) == 5 and all(item.status == AccessRequestStatus.DECLINED for item in second)


# --- Approval ----------------------------------------------------------------------------


def test_approval_creates_a_working_coordinator_account(
    client, town, reviewers, redaktion_user, django_capture_on_commit_callbacks
):
    from django.test import Client

    requester = Client()
    _submit(requester, town, django_capture_on_commit_callbacks)
    access_request = AccessRequest.objects.get()
    mail.outbox.clear()

    client.force_login(redaktion_user)
    response = _decide(client, access_request, django_capture_on_commit_callbacks, action="approve",
                       reason="Willkommen im Netzwerk!")
    assert response.status_code == 302
    access_request.refresh_from_db()
    account = access_request.user
    assert access_request.status == AccessRequestStatus.APPROVED
    assert access_request.decided_by == redaktion_user and access_request.decided_at is not None
    assert access_request.version == 2
    assert account.username == "frieda.froehlich@beispielstadt.de" and account.email == access_request.email
    assert (account.first_name, account.last_name) == ("Frieda", "Fröhlich")
    assert not account.has_usable_password()
    assert account.groups.filter(name=roles.KOORDINATION).exists()
    assert town.coordinators.filter(pk=account.pk).exists()

    to_requester = [m for m in mail.outbox if m.to == [access_request.email]]
    assert len(to_requester) == 1
    message = to_requester[0]
    assert message.subject == de("Your access to Starkes Netz was approved")
    assert de("An account was created for you. Your user name: %(username)s", username=account.username) in message.body
    assert "Willkommen im Netzwerk!" in message.body
    # The other reviewer is told; the one who decided is not.
    assert sorted(m.to[0] for m in mail.outbox if m is not message) == [u.email for u in reviewers if u != redaktion_user]

    # The requester sets a password through the link and signs in for real.
    link = requester.get(_link_path(message))
    assert link.status_code == 302
    set_password = requester.post(link["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert set_password.status_code == 302 and set_password["Location"] == reverse("password_reset_complete")
    signed_in = requester.post(reverse("login"), {"username": account.username, "password": NEW_PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("home")
    assert requester.get(reverse("networks:actor-create", args=[town.slug])).status_code == 200
    # The link works only once.
    assert requester.get(_link_path(message)).status_code == 200
    assert "set-password" not in requester.get(_link_path(message)).get("Location", "")


def test_approval_upgrades_an_existing_account_with_that_address(
    client, town, verwaltung_user, admin_user, django_capture_on_commit_callbacks
):
    verwaltung_user.email = "Frieda.Froehlich@Beispielstadt.de"
    verwaltung_user.save()
    access_request = _pending(town)
    accounts_before = User.objects.count()
    client.force_login(admin_user)
    assert _decide(client, access_request, django_capture_on_commit_callbacks, action="approve").status_code == 302
    access_request.refresh_from_db()
    assert access_request.user == verwaltung_user
    assert User.objects.count() == accounts_before
    verwaltung_user.refresh_from_db()
    assert verwaltung_user.check_password("Test-Passwort-123")  # the password is kept
    assert set(verwaltung_user.groups.values_list("name", flat=True)) == {roles.VERWALTUNG, roles.KOORDINATION}
    assert list(town.coordinators.all()) == [verwaltung_user]
    message = next(m for m in mail.outbox if m.to == [access_request.email])
    assert de("Your existing account (%(username)s) now holds the coordinator role for this municipality. "
              "Sign in as usual.", username=verwaltung_user.username) in message.body
    assert "/accounts/reset/" not in message.body


def test_a_municipality_may_have_several_coordinators(
    client, town, koordination_user, admin_user, django_capture_on_commit_callbacks
):
    town.coordinators.add(koordination_user)
    access_request = _pending(town)
    client.force_login(admin_user)
    _decide(client, access_request, django_capture_on_commit_callbacks, action="approve")
    access_request.refresh_from_db()
    assert set(town.coordinators.all()) == {koordination_user, access_request.user}


def test_a_new_link_can_be_sent_while_no_password_is_set(
    client, town, redaktion_user, django_capture_on_commit_callbacks
):
    access_request = _pending(town)
    client.force_login(redaktion_user)
    _decide(client, access_request, django_capture_on_commit_callbacks, action="approve")
    mail.outbox.clear()
    url = reverse("networks:access-request-resend", args=[access_request.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert [m.to for m in mail.outbox] == [[access_request.email]]
    assert "/accounts/reset/" in mail.outbox[0].body
    access_request.refresh_from_db()
    access_request.user.set_password(NEW_PASSWORD)
    access_request.user.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert mail.outbox == []


# --- Decline -----------------------------------------------------------------------------


def test_declining_needs_a_reason_which_the_requester_receives(
    client, town, redaktion_user, django_capture_on_commit_callbacks
):
    access_request = _pending(town)
    client.force_login(redaktion_user)
    refused = _decide(client, access_request, django_capture_on_commit_callbacks, action="decline", reason="  ")
    assert refused.status_code == 200
    assert de("Please give a reason: the requester receives it by e-mail.") in refused.content.decode()
    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.PENDING and mail.outbox == []

    reason = "Für Beispielstadt ist bereits eine Koordination benannt."
    assert _decide(client, access_request, django_capture_on_commit_callbacks, action="decline",
                   reason=reason).status_code == 302
    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.DECLINED and access_request.reason == reason
    assert access_request.decided_by == redaktion_user and access_request.decided_at is not None
    assert access_request.user is None
    assert not User.objects.filter(email__iexact=access_request.email).exists()
    message = next(m for m in mail.outbox if m.to == [access_request.email])
    assert message.subject == de("Decision on your request for access to Starkes Netz")
    assert reason in message.body and "abgelehnt" in message.body


def test_an_empty_decision_names_no_action(client, town, redaktion_user):
    access_request = _pending(town)
    client.force_login(redaktion_user)
    response = client.post(reverse("networks:access-request-detail", args=[access_request.pk]),
                           {"version": access_request.version})
    assert response.status_code == 200
    assert de("Please choose whether to approve or decline the request.") in response.content.decode()


# --- Two reviewers at once ---------------------------------------------------------------


def test_the_second_of_two_reviewers_gets_the_conflict_answer_and_changes_nothing(
    town, redaktion_user, admin_user, django_capture_on_commit_callbacks
):
    from django.test import Client

    access_request = _pending(town)
    first, second = Client(), Client()
    first.force_login(redaktion_user)
    second.force_login(admin_user)
    # Both opened the request at version 1.
    assert first.get(reverse("networks:access-request-detail", args=[access_request.pk])).status_code == 200
    assert second.get(reverse("networks:access-request-detail", args=[access_request.pk])).status_code == 200
    assert _decide(first, access_request, django_capture_on_commit_callbacks, action="approve",
                   version=1).status_code == 302
    sent = len(mail.outbox)
    late = _decide(second, access_request, django_capture_on_commit_callbacks, action="decline",
                   reason="Unbekannte Person", version=1)
    assert late.status_code == 409
    html = late.content.decode()
    assert de("Not saved: someone else changed this entry in the meantime") in html
    assert "Unbekannte Person" in html  # the late reviewer's input is shown, not lost
    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.APPROVED and access_request.decided_by == redaktion_user
    assert access_request.reason == "" and access_request.version == 2
    assert len(mail.outbox) == sent


def test_a_decided_request_cannot_be_decided_again(town, admin_user, redaktion_user):
    access_request = _pending(town)
    services.access_request_decline(access_request=access_request, version=1, reason="Nein", by=admin_user,
                                    site_url="")
    with pytest.raises(EditConflict):
        services.access_request_approve(access_request=access_request, version=1, by=redaktion_user, site_url="")
    current = AccessRequest.objects.get()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.access_request_approve(access_request=current, version=current.version, by=redaktion_user,
                                        site_url="")
    current.refresh_from_db()
    assert current.status == AccessRequestStatus.DECLINED and current.user is None and current.version == 2
    assert not User.objects.filter(email__iexact=current.email).exists()


def test_a_decided_request_shows_no_decision_form(client, town, admin_user, redaktion_user):
    access_request = _pending(town)
    services.access_request_decline(access_request=access_request, version=1, reason="Nein", by=admin_user,
                                    site_url="")
    client.force_login(redaktion_user)
    url = reverse("networks:access-request-detail", args=[access_request.pk])
    assert 'value="approve"' not in client.get(url).content.decode()
    response = client.post(url, {"action": "approve", "version": 2})
    assert de("This request has been decided already.") in response.content.decode()
    access_request.refresh_from_db()
    assert access_request.status == AccessRequestStatus.DECLINED


# --- Personal data -----------------------------------------------------------------------


def test_declined_requests_are_deleted_after_the_retention_period(town, admin_user, settings):
    settings.ACCESS_REQUEST_RETENTION_DAYS = 30
    now = timezone.now()
    old_declined = _pending(town, email="alt@example.org", status=AccessRequestStatus.DECLINED,
                            decided_at=now - timedelta(days=31), reason="Nein")
    young_declined = _pending(town, email="jung@example.org", status=AccessRequestStatus.DECLINED,
                              decided_at=now - timedelta(days=29), reason="Nein")
    old_approved = _pending(town, email="ok@example.org", status=AccessRequestStatus.APPROVED,
                            decided_at=now - timedelta(days=400))
    waiting = _pending(town, email="wartet@example.org")
    call_command("erase_personal_data", "--expired-access-requests", stdout=__import__("io").StringIO())
    assert set(AccessRequest.objects.values_list("pk", flat=True)) == {young_declined.pk, old_approved.pk, waiting.pk}
    assert not AccessRequest.objects.filter(pk=old_declined.pk).exists()


def test_erasing_an_account_deletes_its_requests(town, admin_user):
    from portal.accounts.services import erase_user

    person = UserFactory(username="frieda", email="frieda.froehlich@beispielstadt.de")
    linked = _pending(town, email="frieda.froehlich@beispielstadt.de", status=AccessRequestStatus.APPROVED, user=person)
    by_address = _pending(town, email="FRIEDA.froehlich@beispielstadt.de")
    someone_else = _pending(town, email="jemand@example.org")
    erase_user(user=person, by=admin_user)
    remaining = set(AccessRequest.objects.values_list("pk", flat=True))
    assert remaining == {someone_else.pk}
    assert linked.pk not in remaining and by_address.pk not in remaining
