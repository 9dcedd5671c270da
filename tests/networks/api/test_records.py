"""What a harvester reads: lists and records valid against the HSDS 3.0 schemas, the mapping of the
registry's fields (languages, service areas, attributes, coordinates, status), no personal data."""

import json
import uuid

import pytest

from networks import hsds
from tests.networks.api.conftest import all_pages, validator


def _service(client, actor):
    return client.get(f"/api/hsds/services/{hsds.service_id(actor)}").json()


def test_lists_and_records_validate_against_the_hsds_schemas(client, registry):
    services, page = all_pages(client, "/api/hsds/services", 4)
    assert set(page) == {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty",
                         "contents"}
    listed = validator("service_list")
    full = validator("service")
    for record in services:
        listed.validate(record)
        full.validate(client.get(f"/api/hsds/services/{record['id']}").json())
    for record in all_pages(client, "/api/hsds/services", 4, full="true")[0]:
        full.validate(record)

    organizations, _page = all_pages(client, "/api/hsds/organizations", 4)
    assert len(organizations) == len(services) == 6
    for record in organizations:
        validator("organization_list").validate(record)
        detail = client.get(f"/api/hsds/organizations/{record['id']}", {"full_service": "true"}).json()
        validator("organization").validate(detail)

    at_locations, _page = all_pages(client, "/api/hsds/service_at_locations", 4)
    assert at_locations
    for record in at_locations:
        validator("service_at_location_list").validate(record)
        validator("service_at_location").validate(client.get(f"/api/hsds/service_at_locations/{record['id']}").json())


def test_root_names_version_and_openapi_document(client, db):
    body = client.get("/api/hsds/").json()
    assert body["version"] == "3.0"
    assert body["openapi_url"].endswith("/api/hsds/schema/")
    assert body["publisher"]["name"] == "Starkes Netz"
    assert client.get(body["openapi_url"]).status_code == 200


def test_languages_become_iso_codes_and_unknown_names_are_left_out():
    assert hsds.languages("Deutsch, Türkisch und Arabisch, Persisch/Farsi, Klingonisch, DGS") == [
        ("de", "Deutsch"), ("tr", "Türkisch"), ("ar", "Arabisch"), ("fa", "Persisch (Farsi)"),
        ("gsg", "Deutsche Gebärdensprache"),
    ]
    assert [code for code, _name in hsds.languages(
        "Englisch; Russisch; Polnisch; Ukrainisch; Französisch; Italienisch; Spanisch; Kurdisch; Rumänisch; "
        "Bulgarisch; Serbisch; Kroatisch; Albanisch; Gebärdensprache"
    )] == ["en", "ru", "pl", "uk", "fr", "it", "es", "ku", "ro", "bg", "sr", "hr", "sq", "gsg"]
    assert hsds.languages("") == []


def test_a_service_carries_languages_areas_attributes_and_a_located_place(client, registry):
    actor = registry["actors"]["beratung"]
    record = _service(client, actor)
    assert [language["code"] for language in record["languages"]] == ["de", "tr", "ar", "fa", "gsg"]
    assert [(area["name"], area["ags"]) for area in record["service_areas"]] == [("Beispielstadt", "09100111")]
    attributes = {(a["link_type"], a["taxonomy_term"]["code"]): a for a in record["attributes"]}
    assert set(attributes) == {
        ("service_type", "suchtberatung"), ("audience", "kinder-psychisch-kranker-eltern"),
        ("audience", "familien-mit-saeuglingen"), ("accessibility", "barrierefreiheit"),
    }
    assert attributes[("accessibility", "barrierefreiheit")]["value"] == "Rollstuhlgerecht, Aufzug"
    place = record["service_at_locations"][0]["location"]
    assert place["addresses"][0]["address_1"] == "Hauptstraße 1"
    # Partners have no coordinates: those of their municipality from the register.
    assert (place["latitude"], place["longitude"]) == (49.51, 11.01)
    assert record["organization"]["id"] == str(actor.uuid)


def test_service_areas_list_home_and_confirmed_areas_with_their_ags(client, registry):
    record = _service(client, registry["actors"]["aussen"])
    assert [(a["name"], a["ags"]) for a in record["service_areas"]] == [("Anderswo", "08200333"),
                                                                        ("Beispieldorf", "09100222")]
    assert record["service_areas"][1]["uri"].endswith("/register/kommunen/beispieldorf/")


def test_a_partner_without_coordinates_or_address_has_no_location(client, registry):
    record = _service(client, registry["actors"]["fern"])
    assert record["service_at_locations"] == []


def test_the_partner_types_are_a_published_taxonomy_served_by_the_portal(client, registry):
    record = _service(client, registry["actors"]["jugendamt"])
    term = record["attributes"][0]["taxonomy_term"]
    served = client.get(term["term_uri"])
    assert served.status_code == 200 and served.json()["code"] == "jugendamt"
    taxonomy = client.get(f"/api/hsds/taxonomies/{term['taxonomy_id']}").json()
    assert taxonomy["name"] == "Starkes Netz: Partnertypen"
    terms = client.get("/api/hsds/taxonomy_terms", {"taxonomy_id": term["taxonomy_id"], "per_page": 100}).json()
    assert {t["code"] for t in terms["contents"]} >= {"jugendamt", "suchtberatung"}
    assert {t["taxonomy_id"] for t in terms["contents"]} == {term["taxonomy_id"]}


def test_taxonomy_filters_select_services(client, registry):
    kinder = hsds.target_group_term(registry["groups"]["kinder"]).id
    names = [s["name"] for s in client.get("/api/hsds/services", {"taxonomy_term_id": kinder}).json()["contents"]]
    assert names == ["Suchtberatung Beispielstadt"]
    jugendamt = hsds.actor_type_term(registry["types"]["jugendamt"]).id
    names = [s["name"] for s in client.get("/api/hsds/services", {"taxonomy_term_id": jugendamt}).json()["contents"]]
    assert names == ["Familienzentrum Beispieldorf", "Kreisjugendamt Beispiel"]
    body = client.get("/api/hsds/services", {"taxonomy_id": hsds.FEATURES.id}).json()
    assert [s["name"] for s in body["contents"]] == ["Suchtberatung Beispielstadt"]
    assert client.get("/api/hsds/services", {"taxonomy_term_id": str(uuid.uuid4())}).json()["empty"] is True
    actor = registry["actors"]["dorf"]
    body = client.get("/api/hsds/services", {"organization_id": str(actor.uuid)}).json()
    assert [s["id"] for s in body["contents"]] == [hsds.service_id(actor)]


def test_deactivated_partners_stay_in_the_feed_marked_inactive(client, registry):
    services, _page = all_pages(client, "/api/hsds/services", 50)
    status = {s["name"]: s["status"] for s in services}
    assert status["Alte Beratung"] == "inactive"
    assert status["Suchtberatung Beispielstadt"] == "active"


def test_no_contact_person_appears_anywhere(client, registry):
    urls = ["/api/hsds/services?full=true", "/api/hsds/organizations?full=true&full_service=true",
            "/api/hsds/service_at_locations?full=true", "/api/hsds/services?format=ndjson",
            "/register/kommunen/beispielstadt/hsds.json"]
    actor = registry["actors"]["beratung"]
    urls += [f"/api/hsds/services/{hsds.service_id(actor)}", f"/api/hsds/organizations/{actor.uuid}?full_service=1",
             f"/api/hsds/service_at_locations/{hsds.service_at_location_id(actor)}"]
    for url in urls:
        response = client.get(url)
        text = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
        assert response.status_code == 200, url
        assert "Beratung" in text, url
        for secret in ("Geheime Kontaktperson", "geheim@example.org", "0170 999"):
            assert secret not in text, (url, secret)
    # The organisation's general contact is its own public address, not a person.
    organization = client.get(f"/api/hsds/organizations/{actor.uuid}").json()
    assert [(c["name"], c["email"]) for c in organization["contacts"]] == [(hsds.GENERAL_CONTACT, "beratung@example.org")]


def test_ids_are_stable_and_distinct_per_record_type(client, registry):
    actor = registry["actors"]["beratung"]
    first = client.get("/api/hsds/services", {"full": "true", "per_page": 100}).json()
    second = client.get("/api/hsds/services", {"full": "true", "per_page": 100}).json()
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    ids = {hsds.service_id(actor), hsds.service_at_location_id(actor), str(actor.uuid)}
    assert len(ids) == 3
    assert all(uuid.UUID(i).version == 4 for i in ids)
    assert hsds.actor_uuid_of_service(uuid.UUID(hsds.service_id(actor))) == actor.uuid


@pytest.mark.parametrize("path", ["services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms"])
def test_unknown_ids_are_404_in_german(client, registry, path):
    for record_id in (str(uuid.uuid4()), "kein-uuid"):
        response = client.get(f"/api/hsds/{path}/{record_id}")
        assert response.status_code == 404
        assert "gibt es nicht" in response.json()["detail"]


def test_record_links_lead_to_the_portals_pages_and_terms(client, registry):
    """The links are built from each page's path resolved once: they must be the pages' own addresses."""
    from django.urls import reverse

    actor = registry["actors"]["beratung"]
    record = _service(client, actor)
    base = "http://testserver"
    assert record["organization"]["uri"] == base + actor.get_absolute_url()
    area_uris = {area["name"]: area["uri"] for area in record["service_areas"]}
    assert area_uris[actor.municipality.name] == base + actor.municipality.get_absolute_url()
    term = record["attributes"][0]["taxonomy_term"]
    assert term["term_uri"] == base + reverse("hsds-api:taxonomy-term-detail", kwargs={"pk": term["id"]})
    assert client.get(term["term_uri"]).status_code == 200
