"""The OpenAPI document, the self-hosted documentation page under the portal's CSP, and the
per-municipality HSDS download."""

import json
import re

from django.contrib.staticfiles import finders

from networks import hsds
from tests.networks.api.conftest import validator


def test_the_openapi_document_lists_the_reference_paths_and_parameters(client, db):
    response = client.get("/api/hsds/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    document = json.loads(response.content)
    paths = document["paths"]
    for path in ("/api/hsds/", "/api/hsds/services", "/api/hsds/services/{id}", "/api/hsds/organizations",
                 "/api/hsds/organizations/{id}", "/api/hsds/service_at_locations",
                 "/api/hsds/service_at_locations/{id}", "/api/hsds/taxonomies", "/api/hsds/taxonomies/{id}",
                 "/api/hsds/taxonomy_terms", "/api/hsds/taxonomy_terms/{id}"):
        assert path in paths, path
    services = {p["name"] for p in paths["/api/hsds/services"]["get"]["parameters"]}
    assert services == {"search", "page", "per_page", "format", "taxonomy_term_id", "taxonomy_id",
                        "organization_id", "modified_after", "minimal", "full", "municipality"}
    assert paths["/api/hsds/services"]["get"]["operationId"] == "getPaginatedListOfServices"
    page = paths["/api/hsds/services"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(page["properties"]) == {"total_items", "total_pages", "page_number", "size", "first_page",
                                       "last_page", "empty", "contents"}


def test_the_documentation_page_uses_only_the_portals_own_files(client, db):
    response = client.get("/api/hsds/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "http" not in policy
    # No inline script or style (the policy forbids them) and nothing from another host.
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "<style" not in html and "style=" not in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(src.startswith("/") for src in sources), sources
    for src in sources:
        if src.startswith("/static/"):
            assert finders.find(src.removeprefix("/static/")), src
    script = client.get(next(src for src in sources if "script" in src))
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "/api/hsds/schema/" in script.content.decode()


def test_the_docs_are_linked_from_every_page(client, db):
    assert 'href="/api/hsds/docs/"' in client.get("/impressum/").content.decode()


def test_the_municipality_download_is_a_list_of_full_hsds_services(client, registry):
    response = client.get("/register/kommunen/kreis-beispiel/hsds.json?download=1")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="hsds-kreis-beispiel.json"'
    services = response.json()
    full = validator("service")
    for record in services:
        full.validate(record)
    # The current network of the Kreis: its members' partners and those serving them, active ones only.
    assert sorted(s["name"] for s in services) == ["Fachstelle Anderswo", "Familienzentrum Beispieldorf",
                                                    "Kreisjugendamt Beispiel", "Suchtberatung Beispielstadt"]
    # Each record as the API returns it.
    actor = registry["actors"]["beratung"]
    record = next(s for s in services if s["id"] == hsds.service_id(actor))
    assert record == client.get(f"/api/hsds/services/{record['id']}").json()


def test_the_demo_kreis_download_validates_and_dates_come_from_verification(client, demo, koordination_user):
    from networks import services
    from networks.models import Actor

    heinsberg = demo["heinsberg"]
    actor = Actor.objects.get(name="Kreisjugendamt Heinsberg")
    heinsberg.coordinators.add(koordination_user)
    services.actor_verify(actor=actor, by=koordination_user)
    actor.refresh_from_db()
    records = client.get(f"/register/kommunen/{heinsberg.slug}/hsds.json").json()
    assert len(records) >= 9
    full = validator("service")
    for record in records:
        full.validate(record)
    kreisjugendamt = next(s for s in records if s["organization_id"] == str(actor.uuid))
    assert kreisjugendamt["assured_date"] == actor.verified_at.date().isoformat()
    assert kreisjugendamt["phones"][0]["number"] == "02452 130"
    assert "assured_date" not in next(s for s in records if s["name"] == "Jugendamt der Stadt Erkelenz")
    text = json.dumps(records, ensure_ascii=False)
    assert "Erika Musterfrau" not in text  # the demo's contact person
    codes = {a["taxonomy_term"]["code"] for s in records for a in s["attributes"]}
    assert codes >= {"jugendamt", "suchtberatung", "koordinierungsstelle-fruehe-hilfen"}
