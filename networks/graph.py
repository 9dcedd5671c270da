"""Layout of the network graph: partners on a circle grouped by sector, cooperations as hubs.

The view renders the result as server-side SVG; a table beside it carries the same data, so the
graph is never the only way to read it (on a small screen the table comes first). Sectors are told apart by position and text labels; the
colours only repeat that.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

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
NODE_RADIUS = 17
HUB_WIDTH, HUB_HEIGHT = 34, 26
FONT_SIZE = 13
CHAR_WIDTH = 7.4  # a generous average width of a character at FONT_SIZE (sans-serif)
LINE_HEIGHT = 16
LABEL_GAP = 8  # between a node's circle and its name
MIN_RADIUS = 250
MAX_RADIUS = 1400
MARGIN = 12


@dataclass(frozen=True)
class Box:
    """An axis-parallel rectangle: what a node, hub or name covers on the drawing."""

    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        return not (self.right + gap <= other.left or other.right + gap <= self.left
                    or self.bottom + gap <= other.top or other.bottom + gap <= self.top)


@dataclass
class Node:
    number: int
    actor: Any
    x: float
    y: float
    sector: str
    colour: str
    label_x: float = 0.0
    label_y: float = 0.0
    label_anchor: str = "start"
    label_lines: list[str] = field(default_factory=list)
    cooperations: list = field(default_factory=list)

    @property
    def box(self) -> Box:
        return Box(self.x - NODE_RADIUS, self.y - NODE_RADIUS, self.x + NODE_RADIUS, self.y + NODE_RADIUS)

    @property
    def label_box(self) -> Box:
        width = max((len(line) for line in self.label_lines), default=0) * CHAR_WIDTH
        left = {"start": self.label_x, "end": self.label_x - width}.get(self.label_anchor, self.label_x - width / 2)
        top = self.label_y - FONT_SIZE
        return Box(left, top, left + width, top + LINE_HEIGHT * len(self.label_lines))

    @property
    def label(self) -> str:
        return " ".join(self.label_lines)


@dataclass
class Hub:
    label: str
    cooperation: Any
    x: float
    y: float

    @property
    def box(self) -> Box:
        return Box(self.x - HUB_WIDTH / 2, self.y - HUB_HEIGHT / 2, self.x + HUB_WIDTH / 2, self.y + HUB_HEIGHT / 2)


@dataclass
class Graph:
    size: int
    nodes: list[Node]
    hubs: list[Hub]
    edges: list[tuple[float, float, float, float]]
    sector_labels: list[dict]
    sectors: list[tuple[str, str, str, list[Node]]]
    separators: list[tuple[float, ...]] = field(default_factory=list)
    viewbox: str = ""


def wrap(name: str, width: int) -> list[str]:
    """``name`` in lines of about ``width`` characters, broken between words; nothing is cut off."""
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [name]


def _place_nodes(actors: list, radius: float, centre: float) -> list[Node]:
    count = max(len(actors), 1)
    nodes = []
    for index, actor in enumerate(actors):
        angle = 2 * math.pi * index / count - math.pi / 2
        sector = actor.actor_type.sector
        cos, sin = math.cos(angle), math.sin(angle)
        vertical = abs(cos) < 0.35  # near the top or the bottom: the name above or below, narrow
        lines = wrap(actor.name, 16 if vertical else 26)
        x, y = centre + radius * cos, centre + radius * sin
        offset = NODE_RADIUS + LABEL_GAP
        if vertical:
            anchor = "middle"
            # the block of lines above a node at the top, below one at the bottom
            label_x = x
            label_y = y - offset - (len(lines) - 1) * LINE_HEIGHT - 3 if sin < 0 else y + offset + FONT_SIZE
        else:
            anchor = "start" if cos > 0 else "end"
            label_x = x + offset if cos > 0 else x - offset
            label_y = y - (len(lines) * LINE_HEIGHT) / 2 + FONT_SIZE
        nodes.append(Node(
            number=index + 1, actor=actor, x=round(x, 1), y=round(y, 1),
            sector=sector, colour=SECTOR_COLOURS.get(sector, "#333333"), label_x=round(label_x, 1),
            label_y=round(label_y, 1),
            label_anchor=anchor, label_lines=lines,
        ))
    return nodes


def _labels_overlap(nodes: list[Node]) -> bool:
    """Whether a name covers another name or another partner's circle."""
    for i, node in enumerate(nodes):
        label = node.label_box
        if any(label.overlaps(other.label_box, gap=2) for other in nodes[i + 1:]):
            return True
        if any(label.overlaps(other.box, gap=2) for other in nodes if other is not node):
            return True
    return False


def _segment_distance(px: float, py: float, x1: float, y1: float, x2: float, y2: float) -> float:
    dx, dy = x2 - x1, y2 - y1
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - x1) * dx + (py - y1) * dy) / length))
    return math.hypot(px - (x1 + t * dx), py - (y1 + t * dy))


def _conflicts(x: float, y: float, members: list[Node], *, nodes: list[Node], hubs: list[Hub],
               edges: list[tuple[float, float, float, float]], obstacles: list[Box]) -> int:
    """How badly a hub at (x, y) would cover or be covered: boxes it overlaps, lines it sits on, and
    hubs and partners its own lines would cross."""
    box = Box(x - HUB_WIDTH / 2, y - HUB_HEIGHT / 2, x + HUB_WIDTH / 2, y + HUB_HEIGHT / 2)
    count = sum(box.overlaps(other, gap=6) for other in [*(n.box for n in nodes), *(h.box for h in hubs), *obstacles])
    count += sum(_segment_distance(x, y, *edge) < HUB_HEIGHT for edge in edges)
    for member in members:
        count += sum(_segment_distance(h.x, h.y, x, y, member.x, member.y) < HUB_HEIGHT for h in hubs)
        count += sum(_segment_distance(n.x, n.y, x, y, member.x, member.y) < NODE_RADIUS + 3
                     for n in nodes if n is not member)
    return count


def _place_hub(members: list[Node], *, centre: float, radius: float, nodes: list[Node], hubs: list[Hub],
               edges: list[tuple[float, float, float, float]], obstacles: list[Box]) -> tuple[float, float]:
    """The free place nearest to where the cooperation's partners pull its hub (a deterministic search
    on rings around that point): the first without conflicts, else the one with the fewest."""
    cx = sum(n.x for n in members) / len(members)
    cy = sum(n.y for n in members) / len(members)
    ideal_x, ideal_y = centre + (cx - centre) * 0.45, centre + (cy - centre) * 0.45
    best, best_score = (ideal_x, ideal_y), None
    step = HUB_WIDTH + 4
    for ring in range(int(radius // step) + 1):
        points = 1 if ring == 0 else 8 * ring
        for k in range(points):
            angle = 2 * math.pi * k / points
            x, y = ideal_x + ring * step * math.cos(angle), ideal_y + ring * step * math.sin(angle)
            if math.hypot(x - centre, y - centre) > radius - NODE_RADIUS - HUB_WIDTH:
                continue
            score = _conflicts(x, y, members, nodes=nodes, hubs=hubs, edges=edges, obstacles=obstacles)
            if score == 0:
                return round(x, 1), round(y, 1)
            if best_score is None or score < best_score:
                best, best_score = (x, y), score
    return round(best[0], 1), round(best[1], 1)


def layout(actors: Iterable[Any], cooperations: Iterable[Any]) -> Graph:
    """``actors`` with actor_type selected; ``cooperations`` with their actors prefetched.

    The partners sit on a circle large enough that neither they nor their full names (wrapped onto
    lines) overlap; each cooperation's hub takes the free place nearest to its partners, so that no hub
    hides another or sits on another's lines, however many cooperations share the same partners."""
    order = {value: index for index, (value, _label) in enumerate(Sector.choices)}
    actors = sorted(actors, key=lambda a: (order.get(a.actor_type.sector, 99), a.actor_type.order, a.name))
    count = max(len(actors), 1)
    radius = max(MIN_RADIUS, count * (2 * NODE_RADIUS + 12) / (2 * math.pi))
    while True:
        centre = radius + NODE_RADIUS + LABEL_GAP + 26 * CHAR_WIDTH
        nodes = _place_nodes(actors, radius, centre)
        if radius >= MAX_RADIUS or not _labels_overlap(nodes):
            break
        radius *= 1.1
    by_pk = {node.actor.pk: node for node in nodes}
    sector_labels, sectors, separators, obstacles = [], [], [], []
    for value, label in Sector.choices:
        members = [n for n in nodes if n.sector == value]
        if not members:
            continue
        first = nodes.index(members[0])
        last = nodes.index(members[-1])
        mid = (first + last) / 2
        angle = 2 * math.pi * mid / count - math.pi / 2
        # Sector names sit inside the circle, next to their group of partners.
        text = str(label).split(" (")[0]
        half_width = len(text) * 9.5 / 2
        # far enough inside that the name clears the partners' circles
        inset = NODE_RADIUS + 30 + half_width * abs(math.cos(angle)) + 12 * abs(math.sin(angle))
        x = centre + (radius - inset) * math.cos(angle)
        y = centre + (radius - inset) * math.sin(angle) + 5
        obstacles.append(Box(x - half_width, y - 16, x + half_width, y + 4))
        # A short radial line marks where one sector ends and the next begins.
        boundary = 2 * math.pi * (first - 0.5) / count - math.pi / 2
        separators.append(tuple(
            round(v, 1) for v in (
                centre + (radius - 30) * math.cos(boundary), centre + (radius - 30) * math.sin(boundary),
                centre + (radius + 30) * math.cos(boundary), centre + (radius + 30) * math.sin(boundary),
            )
        ))
        sector_labels.append({"x": round(x, 1), "y": round(y, 1), "text": text, "anchor": "middle",
                              "colour": SECTOR_COLOURS.get(value, "#333333")})
        sectors.append((value, str(label), SECTOR_COLOURS.get(value, "#333333"), members))
    if len(sectors) < 2:
        separators = []
    hubs: list[Hub] = []
    edges: list[tuple[float, float, float, float]] = []
    for index, cooperation in enumerate(cooperations, start=1):
        members = [by_pk[a.pk] for a in cooperation.actors.all() if a.pk in by_pk]
        if not members:
            continue
        x, y = _place_hub(members, centre=centre, radius=radius, nodes=nodes, hubs=hubs, edges=edges,
                          obstacles=obstacles)
        hub = Hub(label=f"K{index}", cooperation=cooperation, x=x, y=y)
        hubs.append(hub)
        for node in members:
            edges.append((hub.x, hub.y, node.x, node.y))
            node.cooperations.append(hub.label)
    boxes = [n.box for n in nodes] + [n.label_box for n in nodes] + [h.box for h in hubs]
    left = min((b.left for b in boxes), default=0) - MARGIN
    top = min((b.top for b in boxes), default=0) - MARGIN
    right = max((b.right for b in boxes), default=2 * centre) + MARGIN
    bottom = max((b.bottom for b in boxes), default=2 * centre) + MARGIN
    viewbox = " ".join(str(round(v)) for v in (left, top, right - left, bottom - top))
    return Graph(size=round(2 * centre), nodes=nodes, hubs=hubs, edges=edges, sector_labels=sector_labels,
                 sectors=sectors, separators=separators, viewbox=viewbox)
