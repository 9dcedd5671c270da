"""The network graph: nothing drawn over anything else, full names, the table first on a phone."""

import itertools

import pytest

from networks import selectors
from networks.graph import Box, layout
from networks.models import Municipality
from tests.factories.networks import ActorFactory, ActorTypeFactory, CooperationFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def assert_readable(graph, actors):
    edges = [tuple(edge) for edge in graph.edges]
    assert len(edges) == len(set(edges)), "two lines drawn on top of each other"
    boxes = [("node", n.number, n.box) for n in graph.nodes] + [("hub", h.label, h.box) for h in graph.hubs]
    for (kind_a, a, box_a), (kind_b, b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), f"{kind_a} {a} covers {kind_b} {b}"
    for node in graph.nodes:
        assert node.label == node.actor.name  # the whole name, wrapped, never cut off
        assert "…" not in node.label
    for a, b in itertools.combinations(graph.nodes, 2):
        assert not a.label_box.overlaps(b.label_box), f"the names of {a.number} and {b.number} overlap"
    for label in graph.sector_labels:
        half = len(label["text"]) * 9.5 / 2
        box = Box(label["x"] - half, label["y"] - 16, label["x"] + half, label["y"] + 4)
        assert not any(box.overlaps(n.box) for n in graph.nodes), label["text"]
        assert not any(box.overlaps(h.box) for h in graph.hubs), label["text"]
    assert {n.actor.pk for n in graph.nodes} == {a.pk for a in actors}


def graph_of(municipality):
    actors = list(selectors.active_actors_for(municipality=municipality))
    cooperations = list(selectors.cooperations_for(municipality=municipality))
    return layout(actors, cooperations), actors


def test_demo_networks_are_drawn_without_overlaps_and_with_full_names(demo):
    for municipality in Municipality.objects.filter(actors__isnull=False).distinct():
        graph, actors = graph_of(municipality)
        assert_readable(graph, actors)


def test_cooperations_of_the_same_partners_each_stay_visible():
    """A new cooperation of the same partners as older ones used to disappear under them."""
    municipality = MunicipalityFactory(kind="kreis")
    kinds = [ActorTypeFactory(sector=sector) for sector in ("jugendhilfe", "suchthilfe", "gesundheit")]
    actors = [ActorFactory(municipality=municipality, actor_type=kinds[i % 3],
                           name=f"Beratungsstelle für Familien mit suchtkranken Eltern Nummer {i}")
              for i in range(24)]
    for n in range(6):
        CooperationFactory(municipality=municipality, actors=actors[:3], title=f"Gleiche Runde {n}")
    for n in range(6):
        CooperationFactory(municipality=municipality, actors=actors[n::4], title=f"Runde {n}")
    graph, listed = graph_of(municipality)
    assert len(graph.hubs) == 12
    assert_readable(graph, listed)


def test_on_a_small_screen_the_tables_come_first(client, demo):
    html = client.get("/register/kommunen/kreis-heinsberg/netzwerk/").content.decode()
    assert '<a href="#network-partners">' in html.split("<svg", 1)[0]
    figure = html.index('<figure class="network-graph order-2 order-sm-1"')
    tables = html.index('<div class="order-1 order-sm-2">')
    assert figure < tables  # the graph leads on a wide screen, the tables on a narrow one (Bootstrap order)
    assert "<tspan" in html and "…" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
