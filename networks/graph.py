"""Layout of the network graph: partners on a circle grouped by sector, cooperations as hubs.

The view renders the result as server-side SVG; a table beside it carries the same data, so the
graph is never the only way to read it. Sectors are told apart by position and text labels; the
colours only repeat that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from networks.models import Sector

# Colour per sector (presentation only; every sector is also labelled in text).
SECTOR_COLOURS = {
    "jugendhilfe": "#0b4a7d",
    "gesundheit": "#1b6e3a",
    "suchthilfe": "#8a3b00",
    "psychiatrie": "#6a2c91",
    "eingliederung": "#005f66",
    "arbeit": "#5c4b00",
    "soziales": "#7a1f3d",
    "bildung": "#3d4f8a",
    "justiz": "#4a4a4a",
    "selbsthilfe": "#8a1f1f",
}
SIZE = 760
CENTRE = SIZE / 2
RADIUS = 250


@dataclass
class Node:
    number: int
    actor: object
    x: float
    y: float
    sector: str
    colour: str
    label_x: float = 0.0
    label_y: float = 0.0
    label_anchor: str = "start"
    short_name: str = ""
    cooperations: list = field(default_factory=list)


@dataclass
class Hub:
    label: str
    cooperation: object
    x: float
    y: float


@dataclass
class Graph:
    size: int
    nodes: list[Node]
    hubs: list[Hub]
    edges: list[tuple[float, float, float, float]]
    sector_labels: list[dict]
    sectors: list[tuple[str, str, str, list[Node]]]
    separators: list[tuple[float, float, float, float]] = field(default_factory=list)


def _shorten(name: str, limit: int = 34) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def layout(actors, cooperations) -> Graph:
    """``actors`` with actor_type selected; ``cooperations`` with their actors prefetched."""
    order = {value: index for index, (value, _label) in enumerate(Sector.choices)}
    actors = sorted(actors, key=lambda a: (order.get(a.actor_type.sector, 99), a.actor_type.order, a.name))
    count = max(len(actors), 1)
    nodes, by_pk = [], {}
    for index, actor in enumerate(actors):
        angle = 2 * math.pi * index / count - math.pi / 2
        sector = actor.actor_type.sector
        cos, sin = math.cos(angle), math.sin(angle)
        node = Node(
            number=index + 1,
            actor=actor,
            x=round(CENTRE + RADIUS * cos, 1),
            y=round(CENTRE + RADIUS * sin, 1),
            sector=sector,
            colour=SECTOR_COLOURS.get(sector, "#333333"),
            label_x=round(CENTRE + (RADIUS + 26) * cos, 1),
            label_y=round(CENTRE + (RADIUS + 26) * sin + 5, 1),
            label_anchor="middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end"),
            short_name=_shorten(actor.name),
        )
        nodes.append(node)
        by_pk[actor.pk] = node
    hubs, edges = [], []
    for index, cooperation in enumerate(cooperations, start=1):
        members = [by_pk[a.pk] for a in cooperation.actors.all() if a.pk in by_pk]
        if not members:
            continue
        cx = sum(n.x for n in members) / len(members)
        cy = sum(n.y for n in members) / len(members)
        # Pull hubs towards the centre and spread them a little so they do not overlap.
        spread = 30 * (index - 1)
        hx = round(CENTRE + (cx - CENTRE) * 0.3 + spread * math.cos(index), 1)
        hy = round(CENTRE + (cy - CENTRE) * 0.3 + spread * math.sin(index), 1)
        hub = Hub(label=f"K{index}", cooperation=cooperation, x=hx, y=hy)
        hubs.append(hub)
        for node in members:
            edges.append((hub.x, hub.y, node.x, node.y))
            node.cooperations.append(hub.label)
    sector_labels, sectors, separators = [], [], []
    for value, label in Sector.choices:
        members = [n for n in nodes if n.sector == value]
        if not members:
            continue
        first = nodes.index(members[0])
        last = nodes.index(members[-1])
        mid = (first + last) / 2
        angle = 2 * math.pi * mid / count - math.pi / 2
        # Sector names sit inside the circle, next to their group of partners.
        x = CENTRE + (RADIUS - 75) * math.cos(angle)
        y = CENTRE + (RADIUS - 75) * math.sin(angle) + 5
        anchor = "middle"
        # A short radial line marks where one sector ends and the next begins.
        boundary = 2 * math.pi * (first - 0.5) / count - math.pi / 2
        separators.append(tuple(
            round(v, 1) for v in (
                CENTRE + (RADIUS - 30) * math.cos(boundary), CENTRE + (RADIUS - 30) * math.sin(boundary),
                CENTRE + (RADIUS + 30) * math.cos(boundary), CENTRE + (RADIUS + 30) * math.sin(boundary),
            )
        ))
        sector_labels.append({"x": round(x, 1), "y": round(y, 1), "text": str(label).split(" (")[0], "anchor": anchor,
                              "colour": SECTOR_COLOURS.get(value, "#333333")})
        sectors.append((value, str(label), SECTOR_COLOURS.get(value, "#333333"), members))
    if len(sectors) < 2:
        separators = []
    return Graph(size=SIZE, nodes=nodes, hubs=hubs, edges=edges, sector_labels=sector_labels, sectors=sectors,
                 separators=separators)
