"""Pages that must not grow with the data: a municipality's page lists one page of its network, the
registry offers no <select> of whole tables, and pickers suggest a few partners from a small endpoint."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.models import Cooperation
from networks.views.public import MUNICIPALITY_PAGE_SIZE
from tests.factories.networks import (
    ActorFactory,
    ActorTypeFactory,
    CooperationFactory,
    MunicipalityFactory,
)

pytestmark = pytest.mark.django_db
MAX_QUERIES = 12
MAX_OPTIONS = 100
_SELECT = re.compile(r"<select\b.*?</select>", re.S)


def largest_select(html: str) -> int:
    return max((block.count("<option") for block in _SELECT.findall(html)), default=0)


def network(size: int, *, cooperations: int = 2):
    kinds = [ActorTypeFactory(recommended=True), ActorTypeFactory(recommended=False)]
    muni = MunicipalityFactory(kind="kreisfreie_stadt")
    actors = [ActorFactory(municipality=muni, actor_type=kinds[i % 2]) for i in range(size)]
    for i in range(cooperations):
        CooperationFactory(municipality=muni, actors=actors[i % size: i % size + 2] or actors[:2])
    return muni, kinds


def count_queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize("signed_in", [False, True])
def test_municipality_page_lists_one_page_of_partners_with_a_fixed_query_count(client, admin_user, signed_in):
    if signed_in:
        client.force_login(admin_user)
    small, _kinds = network(3)
    large, kinds = network(60, cooperations=60)
    small_count, _html = count_queries(client, small.get_absolute_url())
    large_count, html = count_queries(client, large.get_absolute_url())
    assert large_count == small_count <= MAX_QUERIES
    listed = re.findall(r'<li><a href="/register/partner/\d+/">', html)
    assert len(listed) == MUNICIPALITY_PAGE_SIZE
    assert "?page=2#partners" in html and "?page=3#partners" in html and "?page=4#" not in html
    assert "?coop_page=2#cooperations" in html and "?coop_page=3#cooperations" in html
    assert "60 Netzwerkpartner" in html  # the count of the whole network, per type too
    assert f"{kinds[0].name}</a>: 30" in html
    # The last page holds the rest; each page costs the same.
    last_count, last = count_queries(client, large.get_absolute_url() + "?page=3&coop_page=3")
    assert last_count == large_count
    assert len(re.findall(r'<li><a href="/register/partner/\d+/">', last)) == 60 - 2 * MUNICIPALITY_PAGE_SIZE
    assert len(re.findall(r'<li><a href="/register/kooperationen/\d+/">', last)) == 60 - 2 * MUNICIPALITY_PAGE_SIZE


def test_municipality_page_lists_the_partners_of_one_type(client):
    muni, kinds = network(60)
    html = client.get(muni.get_absolute_url() + f"?type={kinds[1].slug}").content.decode()
    listed = re.findall(r'<li><a href="/register/partner/(\d+)/">', html)
    assert len(listed) == MUNICIPALITY_PAGE_SIZE
    assert {a.actor_type_id for a in muni.actors.filter(pk__in=listed)} == {kinds[1].pk}
    assert "?type=" in html and "page=2" in html


def test_municipality_page_keeps_the_gap_analysis(client):
    muni, kinds = network(60)
    response = client.get(muni.get_absolute_url())
    gap = response.context["gap"]
    assert [t.pk for t in gap.present] == [kinds[0].pk]
    assert not gap.without_cooperation  # its partners cooperate
    Cooperation.objects.update(is_active=False)
    assert client.get(muni.get_absolute_url()).context["gap"].without_cooperation == gap.present


def test_registry_front_page_offers_no_select_of_whole_tables(client):
    kind = ActorTypeFactory()
    for _ in range(MAX_OPTIONS + 20):
        ActorFactory(actor_type=kind)  # each in a municipality of its own
    for url in ["/register/", "/register/partner/", "/register/partner/?q=Beratung", "/register/kommunen/"]:
        count, html = count_queries(client, url)
        assert count <= MAX_QUERIES, url
        assert largest_select(html) <= MAX_OPTIONS, url
        if url.startswith("/register/partner") or url == "/register/":
            assert 'data-suggest-url="/register/kommunen/vorschlaege/"' in html


def test_registry_filters_by_a_typed_municipality(client):
    kind = ActorTypeFactory()
    muni = MunicipalityFactory(name="Musterstadt")
    ActorFactory(municipality=muni, actor_type=kind, name="Hier")
    ActorFactory(actor_type=kind, name="Anderswo")
    for value in [muni.slug, muni.ags, f"Musterstadt ({muni.ags})", "Musterstadt"]:
        html = client.get("/register/", {"municipality": value}).content.decode()
        assert ">Hier</a>" in html and ">Anderswo</a>" not in html, value
    html = client.get("/register/", {"municipality": "Nirgendwo"}).content.decode()
    assert ">Hier</a>" not in html


def test_registry_facet_counts_are_read_only_for_narrow_selections(client, settings):
    from networks import selectors
    from networks.models import Actor

    kind = ActorTypeFactory()
    ActorFactory.create_batch(3, actor_type=kind)
    facets = selectors.actor_facets(queryset=Actor.objects.all(), total=3)
    assert (kind.slug, kind.name, 3) in facets["type"]
    broad = selectors.actor_facets(queryset=Actor.objects.all(), total=3, limit=2)
    assert (kind.slug, kind.name, None) in broad["type"]


def test_partner_suggestions_are_few_active_partners_as_json(client):
    kind = ActorTypeFactory()
    home = MunicipalityFactory(name="Heimstadt")
    for i in range(15):
        ActorFactory(name=f"Suchtberatung {i}", actor_type=kind, municipality=home)
    ActorFactory(name="Suchtberatung alt", actor_type=kind, is_active=False)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("networks:partner-suggest"), {"q": "Suchtber"})
    assert len(ctx.captured_queries) <= 2
    results = response.json()["results"]
    assert len(results) == 10
    assert all(re.fullmatch(r"Suchtberatung \d+ \(Heimstadt, #\d+\)", r["value"]) for r in results)
    assert client.get(reverse("networks:partner-suggest"), {"q": "x"}).json() == {"results": []}
    other = MunicipalityFactory()
    ActorFactory(name="Fernberatung", actor_type=kind, municipality=other)
    url = reverse("networks:partner-suggest")
    assert len(client.get(url, {"q": "Fernberatung"}).json()["results"]) == 1
    assert client.get(url, {"q": "Fernberatung", "kommune": home.slug}).json() == {"results": []}
    assert len(client.get(url, {"q": "Fernberatung", "kommune": other.slug}).json()["results"]) == 1
    assert client.get(reverse("networks:partner-suggest"), {"q": "a", "kommune": "gibt-es-nicht"}).status_code in (
        200, 404)


def test_partner_lookup_resolves_labels_names_and_reports_candidates():
    from networks import selectors

    kind = ActorTypeFactory()
    first = ActorFactory(name="Jugendamt Musterstadt", actor_type=kind)
    twin = ActorFactory(name="Jugendamt Musterstadt", actor_type=kind)
    assert selectors.partner_lookup(text=selectors.partner_label(actor=first)) == (first, [])
    found, candidates = selectors.partner_lookup(text="Jugendamt Musterstadt")
    assert found is None and {c.pk for c in candidates} == {first.pk, twin.pk}
    twin.is_active = False
    twin.save()
    assert selectors.partner_lookup(text="jugendamt musterstadt") == (first, [])
    assert selectors.partner_lookup(text=selectors.partner_label(actor=twin)) == (None, [])


def test_network_graph_of_a_large_network_shows_a_page_of_cooperations(client):
    from networks.views.public import GRAPH_COOPERATIONS, GRAPH_LIMIT

    small, _kinds = network(5, cooperations=3)
    response = client.get(small.get_absolute_url() + "netzwerk/")
    assert len(response.context["graph"].nodes) == 5 and response.context["page_obj"] is None
    large, _kinds = network(GRAPH_LIMIT + 10, cooperations=GRAPH_COOPERATIONS + 5)
    small_count, _html = count_queries(client, small.get_absolute_url() + "netzwerk/")
    large_count, html = count_queries(client, large.get_absolute_url() + "netzwerk/")
    assert small_count <= large_count <= MAX_QUERIES
    response = client.get(large.get_absolute_url() + "netzwerk/")
    assert len(response.context["graph"].hubs) == GRAPH_COOPERATIONS
    assert len(response.context["graph"].nodes) <= 2 * GRAPH_COOPERATIONS
    assert "?page=2" in html
    last = client.get(large.get_absolute_url() + "netzwerk/?page=2")
    assert len(last.context["graph"].hubs) == 5
