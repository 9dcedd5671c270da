"""HTTP behaviour: conditional requests (304), anonymous throttling (429), the streamed download."""

import json
import tracemalloc
import uuid

import pytest
from django.http import StreamingHttpResponse

from networks import hsds, services
from networks.models import Actor
from tests.factories.networks import ActorTypeFactory, MunicipalityFactory

LISTS = ["/api/hsds/services", "/api/hsds/organizations", "/api/hsds/service_at_locations",
         "/api/hsds/taxonomies", "/api/hsds/taxonomy_terms"]


def _details(registry):
    actor = registry["actors"]["beratung"]
    term = hsds.actor_type_term(actor.actor_type)
    return [f"/api/hsds/services/{hsds.service_id(actor)}", f"/api/hsds/organizations/{actor.uuid}",
            f"/api/hsds/service_at_locations/{hsds.service_at_location_id(actor)}",
            f"/api/hsds/taxonomies/{hsds.PARTNER_TYPES.id}", f"/api/hsds/taxonomy_terms/{term.id}"]


def test_lists_and_records_answer_a_conditional_request_with_304(client, registry):
    for url in [*LISTS, *_details(registry)]:
        first = client.get(url)
        assert first.status_code == 200 and first["ETag"], url
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b"", url
        assert again["ETag"] == first["ETag"]
        if "taxonom" not in url:
            assert first["Last-Modified"], url
            assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304, url
        assert client.get(url, HTTP_IF_NONE_MATCH='"anders"').status_code == 200
    # Another query is another answer.
    assert client.get("/api/hsds/services?per_page=2")["ETag"] != client.get("/api/hsds/services")["ETag"]


def test_an_edit_is_never_answered_with_304(client, registry, koordination_user):
    url = f"/api/hsds/services/{hsds.service_id(registry['actors']['dorf'])}"
    first = client.get(url)
    listed = client.get("/api/hsds/services?municipality=09100222")
    actor = registry["actors"]["dorf"]
    registry["village"].coordinators.add(koordination_user)
    services.actor_update(actor=actor, data={"offer": "Neues Angebot"}, version=actor.version, by=koordination_user)
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert changed.status_code == 200 and changed.json()["description"] == "Neues Angebot"
    assert client.get("/api/hsds/services?municipality=09100222",
                      HTTP_IF_NONE_MATCH=listed["ETag"]).status_code == 200


def test_a_service_area_confirmed_or_ended_changes_the_etag(client, registry, admin_user,
                                                             django_capture_on_commit_callbacks):
    """A confirmed or ended service area changes the published record: the ETag (the registry's scope
    version changes once the write commits), ``Last-Modified`` and ``modified_after`` see it."""
    from datetime import timedelta

    from django.utils import timezone

    from networks.models import ServiceArea

    actor = registry["actors"]["fern"]
    url = f"/api/hsds/services/{hsds.service_id(actor)}"
    area = ServiceArea.objects.create(actor=actor, municipality=registry["town"])
    before = client.get(url)
    assert [a["name"] for a in before.json()["service_areas"]] == ["Anderswo"]
    Actor.objects.filter(pk=actor.pk).update(updated_at=timezone.now() - timedelta(hours=2))
    since = (timezone.now() - timedelta(hours=1)).isoformat()
    assert client.get("/api/hsds/services", {"modified_after": since}).json()["total_items"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.service_area_confirm(area=area, by=admin_user)
    changed_since = client.get("/api/hsds/services", {"modified_after": since}).json()
    assert [record["name"] for record in changed_since["contents"]] == [actor.name]
    confirmed = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert confirmed.status_code == 200
    assert [a["name"] for a in confirmed.json()["service_areas"]] == ["Anderswo", "Beispielstadt"]
    with django_capture_on_commit_callbacks(execute=True):
        services.service_area_end(area=area, by=admin_user)
    ended = client.get(url, HTTP_IF_NONE_MATCH=confirmed["ETag"])
    assert ended.status_code == 200 and len(ended.json()["service_areas"]) == 1
    Actor.objects.filter(pk=actor.pk).update(updated_at=timezone.now() - timedelta(hours=2))
    area = ServiceArea.objects.create(actor=actor, municipality=registry["town"], confirmed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        services.service_area_end(area=area, by=admin_user)
    assert client.get("/api/hsds/services", {"modified_after": since}).json()["total_items"] == 1


@pytest.fixture
def low_limit(settings):
    settings.HSDS_API_ANON_RATE = "3/min"


def test_anonymous_clients_are_throttled(client, registry, low_limit):
    for _ in range(3):
        assert client.get("/api/hsds/services").status_code == 200
    response = client.get("/api/hsds/organizations")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"]
    # Another address has its own allowance.
    assert client.get("/api/hsds/services", REMOTE_ADDR="192.0.2.7").status_code == 200
    # A made-up X-Forwarded-For (no proxy is configured) is no new address.
    assert client.get("/api/hsds/services", HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 429


def _stream(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("application/x-ndjson")
    return [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]


def test_the_whole_registry_streams_as_ndjson_of_full_services(client, registry):
    records = _stream(client, "/api/hsds/services?format=ndjson")
    assert len(records) == 6 and all("service_areas" in record for record in records)
    assert {r["status"] for r in records} == {"active", "inactive"}
    minimal = _stream(client, "/api/hsds/services?format=ndjson&minimal=true")
    assert all(set(record) == {"id", "last_modified"} for record in minimal)
    assert len(_stream(client, "/api/hsds/services?format=ndjson&municipality=09100222")) == 2
    assert len(_stream(client, "/api/hsds/taxonomy_terms?format=ndjson")) >= 5


def test_the_stream_reads_the_database_in_chunks(client, registry, monkeypatch):
    from django.db.models.query import QuerySet

    chunks = []
    real_iterator = QuerySet.iterator

    def iterator(self, chunk_size=None):
        chunks.append(chunk_size)
        return real_iterator(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", iterator)
    _stream(client, "/api/hsds/services?format=ndjson")
    assert chunks == [hsds.STREAM_CHUNK]


def _add_partners(count, municipality, actor_type):
    Actor.objects.bulk_create(
        Actor(name=f"Stelle {uuid.uuid4()}", actor_type=actor_type, municipality=municipality, traeger_kind="public",
              offer="Beratung " * 40, languages="Deutsch, Englisch")
        for _ in range(count)
    )


def _peak_while_streaming(client):
    response = client.get("/api/hsds/services?format=ndjson")
    tracemalloc.start()
    lines = 0
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return lines, peak


def test_streaming_memory_does_not_grow_with_the_registry(client, db, monkeypatch):
    """Chunks of 20 rows: the peak while streaming 300 records is about that of 60 (it would be about five
    times as high if the records, or the rows of earlier chunks, were held)."""
    monkeypatch.setattr(hsds.stream_ndjson, "__kwdefaults__", {"chunk_size": 20})
    place, actor_type = MunicipalityFactory(), ActorTypeFactory()
    _add_partners(60, place, actor_type)
    _peak_while_streaming(client)  # the first request fills Django's and Python's caches
    small_lines, small = _peak_while_streaming(client)
    _add_partners(240, place, actor_type)
    large_lines, large = _peak_while_streaming(client)
    assert (small_lines, large_lines) == (60, 300)
    assert large < small * 1.5, (small, large)
