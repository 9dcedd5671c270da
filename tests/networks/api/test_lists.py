"""Harvesting: paging through everything, changes since a moment, a municipality's partners, bad
parameters refused in German, and a fixed number of queries per page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from networks.models import Actor
from tests.factories.networks import ActorFactory
from tests.networks.api.conftest import all_pages


def test_paging_through_the_registry_gets_every_service_exactly_once(client, registry):
    ActorFactory.create_batch(17, municipality=registry["village"])
    expected = Actor.objects.count()
    for per_page in (1, 5, 7, 500):
        services, last = all_pages(client, "/api/hsds/services", per_page)
        ids = [s["id"] for s in services]
        assert len(ids) == len(set(ids)) == expected == last["total_items"]
        assert last["total_pages"] == -(-expected // per_page)
    first = client.get("/api/hsds/services", {"per_page": 5}).json()
    assert (first["page_number"], first["size"], first["first_page"], first["last_page"], first["empty"]) == (
        1, 5, True, False, False)
    beyond = client.get("/api/hsds/services", {"per_page": 5, "page": 99}).json()
    assert beyond["empty"] is True and beyond["contents"] == [] and beyond["last_page"] is True


def test_modified_after_returns_only_what_changed(client, registry):
    since = timezone.now() - timedelta(minutes=1)
    actor = registry["actors"]["dorf"]
    actor.offer = "Neu: offene Sprechstunde"
    actor.save()
    for path in ("services", "organizations"):
        body = client.get(f"/api/hsds/{path}", {"modified_after": since.isoformat()}).json()
        assert [record["name"] for record in body["contents"]] == ["Familienzentrum Beispieldorf"], path
    # A date alone means its beginning, German time; every partner changed within the last 31 days.
    day = (timezone.localdate() - timedelta(days=31)).isoformat()
    assert client.get("/api/hsds/services", {"modified_after": day}).json()["total_items"] == 6
    future = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
    assert client.get("/api/hsds/services", {"modified_after": future}).json()["empty"] is True


def test_a_kreis_includes_its_member_municipalities_and_partners_serving_them(client, registry):
    def names(key):
        services, _last = all_pages(client, "/api/hsds/services", 50, municipality=key)
        return sorted(s["name"] for s in services)

    everything_in_the_kreis = ["Alte Beratung", "Fachstelle Anderswo", "Familienzentrum Beispieldorf",
                               "Kreisjugendamt Beispiel", "Suchtberatung Beispielstadt"]
    assert names("09100000") == everything_in_the_kreis
    assert names("091000000000") == everything_in_the_kreis  # the Regionalschlüssel
    assert names("09100222") == ["Fachstelle Anderswo", "Familienzentrum Beispieldorf"]
    assert names("08200333") == ["Fachstelle Anderswo", "Ferne Stelle"]
    organizations, _last = all_pages(client, "/api/hsds/organizations", 50, municipality="09100222")
    assert len(organizations) == 2


@pytest.mark.parametrize(("params", "message"), [
    ({"page": "0"}, "„page“ muss eine ganze Zahl ab 1 sein"),
    ({"page": "zwei"}, "„page“ muss eine ganze Zahl ab 1 sein"),
    ({"per_page": "501"}, "„per_page“ darf höchstens 500 sein"),
    ({"per_page": "-3"}, "„per_page“ muss eine ganze Zahl ab 1 sein"),
    ({"modified_after": "gestern"}, "„modified_after“ muss ein Datum oder Zeitpunkt nach ISO 8601 sein"),
    ({"modified_after": "2025-13-45"}, "„modified_after“ muss ein Datum oder Zeitpunkt nach ISO 8601 sein"),
    ({"municipality": "0537"}, "„municipality“ muss ein Amtlicher Gemeindeschlüssel"),
    ({"municipality": "99999999"}, "Keine Kommune mit dem Schlüssel 99999999 bekannt"),
    ({"full": "vielleicht"}, "„full“ muss true oder false sein"),
    ({"format": "xml"}, "„format“ muss json oder ndjson sein"),
    ({"taxonomy_term_id": "abc"}, "„taxonomy_term_id“ muss eine UUID sein"),
    ({"search": "a\x00b"}, "„search“ enthält ein unzulässiges Zeichen"),
])
def test_bad_parameters_are_refused_with_a_german_message(client, registry, params, message):
    response = client.get("/api/hsds/services", params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert message in response.json()["detail"]


def test_bad_parameters_of_the_other_lists(client, registry):
    assert client.get("/api/hsds/service_at_locations", {"postcode": "123"}).status_code == 400
    assert "nicht unterstützt" in client.get("/api/hsds/service_at_locations", {"proximity": "500"}).json()["detail"]
    assert client.get("/api/hsds/taxonomy_terms", {"parent_id": "x"}).status_code == 400
    assert client.get("/api/hsds/organizations", {"full_service": "2"}).status_code == 400


def test_writes_are_refused(client, registry):
    for method in (client.post, client.put, client.patch, client.delete):
        assert method("/api/hsds/services").status_code == 405


@pytest.mark.parametrize("extra", [0, 60])
def test_queries_per_page_do_not_grow_with_the_page(client, registry, django_assert_max_num_queries, extra):
    """Small and larger registries: the same few queries for a page of full records."""
    groups = list(registry["groups"].values())
    for index in range(extra):
        ActorFactory(municipality=registry["village"], serves=[registry["town"]], target_groups=groups,
                     street=f"Weg {index}", postal_code="91000", city="Beispieldorf")
    for url in ("/api/hsds/services?full=true&per_page=500", "/api/hsds/organizations?full=true&full_service=true",
                "/api/hsds/service_at_locations?full=true&per_page=500", "/api/hsds/services?municipality=09100000",
                "/api/hsds/taxonomy_terms?per_page=500"):
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200


def test_search_finds_services_organizations_and_terms(client, registry):
    body = client.get("/api/hsds/services", {"search": "Beispieldorf"}).json()
    assert [s["name"] for s in body["contents"]] == ["Familienzentrum Beispieldorf"]
    # The municipality is searched too: both partners at home in Anderswo.
    body = client.get("/api/hsds/organizations", {"search": "Anderswo"}).json()
    assert sorted(o["name"] for o in body["contents"]) == ["Fachstelle Anderswo", "Ferne Stelle"]
    terms = client.get("/api/hsds/taxonomy_terms", {"search": "säuglingen"}).json()["contents"]
    assert [t["code"] for t in terms] == ["familien-mit-saeuglingen"]
