"""Pages of the registry: who may do what, what each page shows, and fixed query counts."""

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from networks.models import Actor, Cooperation
from portal.site_search import site_search
from tests.factories.networks import (
    ActorFactory,
    ActorTypeFactory,
    ContactPersonFactory,
    CooperationFactory,
    MunicipalityFactory,
    TargetGroupFactory,
)


@pytest.fixture
def heinsberg_actor(demo):
    return Actor.objects.get(name="Kreisjugendamt Heinsberg")


EDIT_URLS = [
    ("networks:actor-edit", "actor"),
    ("networks:actor-verify", "actor"),
    ("networks:actor-deactivate", "actor"),
    ("networks:actor-reactivate", "actor"),
    ("networks:contact-create", "actor"),
    ("networks:actor-create", "slug"),
    ("networks:cooperation-create", "slug"),
    ("networks:cooperation-edit", "coop"),
]


def _url(name, kind, actor, coop):
    if kind == "actor":
        return reverse(name, args=[actor.pk])
    if kind == "slug":
        return reverse(name, args=[actor.municipality.slug])
    return reverse(name, args=[coop.pk])


@pytest.mark.parametrize("name, kind", EDIT_URLS)
def test_other_coordinator_gets_403_for_get_and_post(client, demo, heinsberg_actor, other_koordination_user, name, kind):
    demo["eschweiler"].coordinators.add(other_koordination_user)
    client.force_login(other_koordination_user)
    coop = Cooperation.objects.get(title__startswith="Kooperationsvereinbarung")
    url = _url(name, kind, heinsberg_actor, coop)
    before = heinsberg_actor.version
    assert client.post(url, {"name": "Gekapert", "version": before}).status_code == 403
    if name not in ("networks:actor-verify", "networks:actor-reactivate"):
        assert client.get(url).status_code == 403
    heinsberg_actor.refresh_from_db()
    assert heinsberg_actor.name == "Kreisjugendamt Heinsberg" and heinsberg_actor.version == before


@pytest.mark.parametrize("name, kind", EDIT_URLS)
def test_anonymous_is_sent_to_login(client, demo, heinsberg_actor, name, kind):
    coop = Cooperation.objects.get(title__startswith="Kooperationsvereinbarung")
    response = client.post(_url(name, kind, heinsberg_actor, coop), {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("user_fixture", ["verwaltung_user", "redaktion_user"])
def test_other_staff_cannot_edit(request, client, heinsberg_actor, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("networks:actor-edit", args=[heinsberg_actor.pk])).status_code == 403


def test_coordinator_adds_partner_and_cooperation(client, demo, koordination_user):
    heinsberg = demo["heinsberg"]
    heinsberg.coordinators.add(koordination_user)
    client.force_login(koordination_user)
    from networks.models import ActorType

    spdi = ActorType.objects.get(slug="sozialpsychiatrischer-dienst")
    response = client.post(
        reverse("networks:actor-create", args=[heinsberg.slug]),
        {"name": "Sozialpsychiatrischer Dienst (Test)", "actor_type": spdi.pk, "traeger_kind": "public", "postal_code": "123"},
    )
    assert response.status_code == 200
    assert "Eine deutsche Postleitzahl hat genau fünf Ziffern." in response.content.decode()
    response = client.post(
        reverse("networks:actor-create", args=[heinsberg.slug]),
        {"name": "Sozialpsychiatrischer Dienst (Test)", "actor_type": spdi.pk, "traeger_kind": "public"},
    )
    actor = Actor.objects.get(name="Sozialpsychiatrischer Dienst (Test)")
    assert response.status_code == 302 and response["Location"] == actor.get_absolute_url()
    jugendamt = Actor.objects.get(name="Kreisjugendamt Heinsberg")
    response = client.post(
        reverse("networks:cooperation-create", args=[heinsberg.slug]),
        {"title": "Kooperation Psychiatrie und Jugendhilfe", "kind": "agreement", "actors": [actor.pk, jugendamt.pk],
         "is_active": "on"},
    )
    assert response.status_code == 302
    page = client.get(heinsberg.get_absolute_url())
    gap = page.context["gap"]
    assert "sozialpsychiatrischer-dienst" in {t.slug for t in gap.with_cooperation}


def test_contact_persons_only_for_signed_in_staff(client, heinsberg_actor, verwaltung_user):
    url = heinsberg_actor.get_absolute_url()
    anonymous = client.get(url).content.decode()
    assert "Erika Musterfrau" not in anonymous and "demo-koordination@example.org" not in anonymous
    client.force_login(verwaltung_user)
    staff = client.get(url).content.decode()
    assert "Erika Musterfrau" in staff


def test_history_visible_to_staff_only(client, heinsberg_actor, admin_user, verwaltung_user):
    from networks import services

    services.actor_update(actor=heinsberg_actor, data={"phone": "02452 131"}, version=heinsberg_actor.version, by=admin_user)
    html = client.get(heinsberg_actor.get_absolute_url()).content.decode()
    assert "02452 131" in html and 'id="history-title"' not in html
    client.force_login(verwaltung_user)
    response = client.get(heinsberg_actor.get_absolute_url())
    history = response.context["history"]
    assert history[0]["user"] == admin_user
    assert ("02452 130", "02452 131") in [(change.old, change.new) for change in history[0]["changes"]]


def test_verified_is_shown_apart_from_last_changed(client, heinsberg_actor, koordination_user, demo):
    demo["heinsberg"].coordinators.add(koordination_user)
    client.force_login(koordination_user)
    html = client.get(heinsberg_actor.get_absolute_url()).content.decode()
    assert "Noch nicht geprüft" in html
    client.post(reverse("networks:actor-verify", args=[heinsberg_actor.pk]), {"version": heinsberg_actor.version})
    heinsberg_actor.refresh_from_db()
    assert heinsberg_actor.verified_by == koordination_user
    html = client.get(heinsberg_actor.get_absolute_url()).content.decode()
    # The header names the signed-in user too: look for the checked line itself.
    checked_on = date_format(heinsberg_actor.verified_at, "j. F Y")
    assert f"Zuletzt geprüft am {checked_on} von {koordination_user.get_full_name()}" in " ".join(html.split())


def test_deactivated_partner_hidden_from_public(client, heinsberg_actor, koordination_user, demo):
    demo["heinsberg"].coordinators.add(koordination_user)
    client.force_login(koordination_user)
    client.post(reverse("networks:actor-deactivate", args=[heinsberg_actor.pk]), {"version": heinsberg_actor.version})
    assert client.get(heinsberg_actor.get_absolute_url()).status_code == 200  # its coordinator still sees it
    client.logout()
    assert client.get(heinsberg_actor.get_absolute_url()).status_code == 404
    assert "Kreisjugendamt Heinsberg" not in client.get("/register/partner/").content.decode()


def test_umlaut_insensitive_search_and_facets(client, demo):
    queries = ["Hückelhoven", "hückelhoven", "HÜCKELHOVEN", "hueckelhoven"]
    for query in queries:
        response = client.get("/register/partner/", {"q": query})
        assert [a.name for a in response.context["actors"]] == ["Jugendamt der Stadt Hückelhoven"], query
    response = client.get("/register/", {"type": "suchtberatung"})
    assert response.context["page_obj"].paginator.count == 3
    facets = {g["key"]: g["options"] for g in response.context["facet_groups"]}
    assert {value: count for value, _label, count in facets["traeger"]} == {"public": 1, "free_welfare": 2}
    assert {value: count for value, _label, count in facets["type"]} == {"suchtberatung": 3}
    response = client.get("/register/", {"sector": "jugendhilfe", "land": "05", "target": "kinder-0-3"})
    # Familienzentrum Eschweiler serves 0-3 year olds too, but is in the education sector.
    assert {a.name for a in response.context["actors"]} == {
        "Kreisjugendamt Heinsberg", "Koordinierungsstelle Frühe Hilfen Kreis Heinsberg",
    }


def test_site_search_provider_returns_partners_without_contacts(demo, anonymous_user):
    ContactPersonFactory(actor=Actor.objects.get(name="Kreisjugendamt Heinsberg"), name="Suchtbeauftragte Geheim")
    groups = {g.key: g for g in site_search("Sucht", anonymous_user)}
    group = groups["actors"]
    assert group.total >= 3 and group.more_url == "/register/partner/?q=Sucht"
    assert all("Geheim" not in hit.title + hit.excerpt for hit in group.hits)
    Actor.objects.filter(name__contains="Caritas").update(is_active=False)
    titles = [h.title for h in site_search("Caritas", anonymous_user)[-1].hits]
    assert titles == []


def test_municipality_page_shows_profile_gap_and_links(client, demo):
    html = client.get("/register/kommunen/kreis-heinsberg/").content.decode()
    for text in ["05370000", "255.555", "627,92", "Destatis, Gemeindeverzeichnis, Stand 31.12.2019",
                 "etwa 42.170 unter 18 Jahren", "Näherung",
                 "/register/kommunen/kreis-heinsberg/netzwerk/", "/register/kommunen/kreis-heinsberg/hsds.json",
                 "Kooperationsvereinbarung Suchthilfe und Jugendhilfe im Kreis Heinsberg"]:
        assert text in html, text


def test_network_graph_page_has_svg_and_table(client, demo):
    response = client.get("/register/kommunen/kreis-heinsberg/netzwerk/")
    html = response.content.decode()
    assert "<svg" in html and 'role="img"' in html and "<table" in html
    assert html.count("<circle") == len(response.context["graph"].nodes) == 9
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]


def _populate(size):
    kind = ActorTypeFactory()
    group = TargetGroupFactory()
    muni = MunicipalityFactory(kind="kreis")
    actors = [ActorFactory(municipality=muni, actor_type=kind, target_groups=[group]) for _ in range(size)]
    for actor in actors[:3]:
        ContactPersonFactory(actor=actor)
    CooperationFactory(municipality=muni, actors=actors[:2])
    return muni


@pytest.mark.parametrize("size", [3, 45])
@pytest.mark.parametrize(
    "url", ["/register/", "/register/partner/?q=Beratung", "/register/kommunen/", "{muni}", "{muni}netzwerk/", "/register/partner/{actor}/"]
)
def test_pages_have_a_fixed_query_count(client, db, django_assert_max_num_queries, size, url, admin_user):
    muni = _populate(size)
    for _ in range(size // 3):
        MunicipalityFactory()
    client.force_login(admin_user)
    url = url.format(muni=muni.get_absolute_url(), actor=muni.actors.first().pk)
    with django_assert_max_num_queries(22):
        response = client.get(url)
    assert response.status_code == 200


def test_query_count_does_not_grow_with_the_number_of_partners(client, db, admin_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, large = _populate(3), _populate(60)
    client.force_login(admin_user)
    for template in ["{muni}", "{muni}netzwerk/", "/register/?municipality={slug}"]:
        counts = []
        for muni in (small, large):
            with CaptureQueriesContext(connection) as ctx:
                client.get(template.format(muni=muni.get_absolute_url(), slug=muni.slug))
            counts.append(len(ctx.captured_queries))
        assert counts[0] == counts[1], template


def test_contact_persons_are_managed_by_the_coordinator_only(client, demo, koordination_user, other_koordination_user):
    from networks.models import ContactPerson

    heinsberg_actor = Actor.objects.get(name="Kreisjugendamt Heinsberg")
    contact = ContactPerson.objects.get(actor=heinsberg_actor)
    demo["eschweiler"].coordinators.add(other_koordination_user)
    client.force_login(other_koordination_user)
    url = reverse("networks:contact-edit", args=[contact.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"delete": "1"}).status_code == 403
    assert ContactPerson.objects.filter(pk=contact.pk).exists()

    demo["heinsberg"].coordinators.add(koordination_user)
    client.force_login(koordination_user)
    response = client.post(url, {"name": "", "function": "x"})
    assert response.status_code == 200 and response.context["form"].errors["name"]
    client.post(url, {"name": "Erika Musterfrau (Demodaten)", "function": "Leitung (Demodaten)", "email": "demo@example.org", "version": contact.version})
    contact.refresh_from_db()
    assert contact.function == "Leitung (Demodaten)"
    assert contact.history.first().history_user == koordination_user
    client.post(reverse("networks:contact-create", args=[heinsberg_actor.pk]), {"name": "Neue Person (Demodaten)"})
    assert heinsberg_actor.contacts.count() == 2
    client.post(url, {"delete": "1"})
    assert not ContactPerson.objects.filter(pk=contact.pk).exists()


def test_concurrent_cooperation_edit_is_refused(client, demo, koordination_user, admin_user):
    from networks import services

    demo["heinsberg"].coordinators.add(koordination_user)
    coop = Cooperation.objects.get(title="Beteiligtenkonferenz")
    loaded = coop.version
    partner_ids = list(coop.actors.values_list("pk", flat=True))
    services.cooperation_update(
        cooperation=coop, data={"meeting_frequency": "vierteljährlich", "actors": coop.actors.all()}, version=loaded, by=admin_user
    )
    client.force_login(koordination_user)
    response = client.post(
        reverse("networks:cooperation-edit", args=[coop.pk]),
        {"title": "Beteiligtenkonferenz neu", "kind": "case_conference", "actors": partner_ids, "version": loaded,
         "meeting_frequency": "monatlich", "is_active": "on"},
    )
    assert response.status_code == 409
    assert "vierteljährlich" in response.content.decode()
    coop.refresh_from_db()
    assert coop.title == "Beteiligtenkonferenz" and coop.meeting_frequency == "vierteljährlich"


def test_network_graph_has_no_fixed_text_colour(client, demo):
    """Issue 16, forced colours: names and separators follow the text colour (CanvasText)."""
    html = client.get("/register/kommunen/kreis-heinsberg/netzwerk/").content.decode()
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'fill="#212529"' not in svg and 'stroke="#212529"' not in svg
    assert 'fill="currentColor"' in svg


def test_partner_page_in_english_marks_german_name(client, demo):
    """Issue 16, WCAG 3.1.2: partner names and offers are German content."""
    from django.conf import settings

    from networks.models import Actor

    actor = Actor.objects.filter(is_active=True).exclude(offer="").first() or Actor.objects.filter(is_active=True).first()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(actor.get_absolute_url()).content.decode()
    assert '<html lang="en">' in html
    assert '<h1 lang="de">' in html
    assert html.count("The content of this page is available in German only.") == 1
