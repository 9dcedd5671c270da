"""The map of Germany the guide draws itself: an inline SVG from the register's coordinates.

No tiles, no scripts and no request to anyone else: every point is a shape at its projected place.
The projection is equirectangular, with the longitudes shortened by cos(51°) (the middle of
Germany), so distances in the middle of the country are true in both directions and Germany looks
like Germany. A stage has its own colour and its own shape (circle, triangle, square, diamond), so it
never depends on colour alone; the page lists the same places in a table. SVG uses presentation
attributes only (the Content-Security-Policy forbids inline styles).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guidance.selectors import PlaceStage, ProgressMap, Stage

REFERENCE_LATITUDE = 51.0
X_FACTOR = math.cos(math.radians(REFERENCE_LATITUDE))
KM_PER_DEGREE = math.pi * 6371.0088 / 180
WIDTH = 560  # the drawing's width in SVG units; the page scales it with the viewBox
MARGIN = 14
KREIS_SIZE = 6.0
GEMEINDE_SIZE = 3.4
SVG_TEXT = "currentColor"  # follows the page colour, and CanvasText in forced colours
OUTLINE = "currentColor"
CONTEXT_COLOUR = "#c4cbd2"

# Okabe-Ito colours (told apart with every common colour vision deficiency), each with its own shape.
STAGE_STYLE: dict[Stage, tuple[str, str]] = {
    Stage.NONE: ("#ffffff", "#5c636a"),
    Stage.STARTED: ("#e69f00", OUTLINE),
    Stage.RESOLUTION: ("#0072b2", OUTLINE),
    Stage.WORKING: ("#009e73", OUTLINE),
}


@dataclass(frozen=True)
class Bounds:
    west: float
    east: float
    south: float
    north: float


GERMANY = Bounds(west=5.75, east=15.15, south=47.2, north=55.1)
MIN_SPAN = 1.3  # degrees of latitude a Land's map spans at least (Berlin, Hamburg, Bremen)
LAND_PADDING = 0.2


class Frame:
    """Projects WGS84 coordinates into the drawing: x grows east, y grows south."""

    def __init__(self, bounds: Bounds) -> None:
        self.bounds = bounds
        self.scale = (WIDTH - 2 * MARGIN) / ((bounds.east - bounds.west) * X_FACTOR)
        self.height = round((bounds.north - bounds.south) * self.scale + 2 * MARGIN)

    def xy(self, latitude: float, longitude: float) -> tuple[float, float]:
        x = MARGIN + (longitude - self.bounds.west) * X_FACTOR * self.scale
        y = MARGIN + (self.bounds.north - latitude) * self.scale
        return x, y

    def contains(self, latitude: float, longitude: float) -> bool:
        b = self.bounds
        return b.south <= latitude <= b.north and b.west <= longitude <= b.east

    @property
    def units_per_km(self) -> float:
        return self.scale / KM_PER_DEGREE


def bounds_around(points: Iterable[PlaceStage]) -> Bounds:
    """The box around ``points`` with a margin, at least :data:`MIN_SPAN` high and as wide (Germany's box
    if there are none)."""
    located = [(p.place.latitude, p.place.longitude) for p in points
               if p.place.latitude is not None and p.place.longitude is not None]
    if not located:
        return GERMANY
    lats = [lat for lat, _lon in located]
    lons = [lon for _lat, lon in located]
    south, north = min(lats) - LAND_PADDING, max(lats) + LAND_PADDING
    west, east = min(lons) - LAND_PADDING / X_FACTOR, max(lons) + LAND_PADDING / X_FACTOR
    if north - south < MIN_SPAN:
        middle = (north + south) / 2
        south, north = middle - MIN_SPAN / 2, middle + MIN_SPAN / 2
    if (east - west) * X_FACTOR < MIN_SPAN:
        middle = (east + west) / 2
        west, east = middle - MIN_SPAN / X_FACTOR / 2, middle + MIN_SPAN / X_FACTOR / 2
    return Bounds(west=west, east=east, south=south, north=north)


def _shape(stage: Stage, x: float, y: float, size: float) -> str:
    """The stage's shape centred on (x, y): circle, triangle, square or diamond of about equal area."""
    if stage == Stage.STARTED:
        r = size * 1.3
        return (f'<path d="M{x:.1f} {y - r:.1f}L{x + r * 0.87:.1f} {y + r * 0.5:.1f}'
                f'L{x - r * 0.87:.1f} {y + r * 0.5:.1f}Z"')
    if stage == Stage.RESOLUTION:
        r = size * 0.9
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}"'
    if stage == Stage.WORKING:
        r = size * 1.25
        return f'<path d="M{x:.1f} {y - r:.1f}L{x + r:.1f} {y:.1f}L{x:.1f} {y + r:.1f}L{x - r:.1f} {y:.1f}Z"'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size * 0.95:.1f}"'


def legend_symbol(stage: Stage) -> SafeString:
    """The stage's shape for the legend, decorative beside its text."""
    fill, stroke = STAGE_STYLE[stage]
    return mark_safe(  # noqa: S308 - no text from outside
        f'<svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false" '
        f'class="guidance-map-symbol">{_shape(stage, 10, 10.5, 6.5)} fill="{fill}" stroke="{stroke}" '
        f'stroke-width="1.5"/></svg>'
    )


def legend() -> list[tuple[Stage, SafeString]]:
    return [(stage, legend_symbol(stage)) for stage in Stage]


def _scale_bar(frame: Frame) -> str:
    width = WIDTH - 2 * MARGIN
    km = next((k for k in (200, 100, 50, 25, 10) if k * frame.units_per_km <= width / 4), 10)
    length = km * frame.units_per_km
    x, y = MARGIN, frame.height - MARGIN
    return (
        f'<g aria-hidden="true"><path d="M{x:.1f} {y - 5:.1f}V{y:.1f}H{x + length:.1f}V{y - 5:.1f}" fill="none" '
        f'stroke="{SVG_TEXT}" stroke-width="1.5"/><text x="{x + length + 5:.1f}" y="{y:.1f}" font-size="14" '
        f'fill="{SVG_TEXT}">{km} km</text></g>'
    )


def description(data: ProgressMap) -> str:
    counts = dict.fromkeys(Stage, 0)
    for point in data.points:
        counts[point.stage] += 1
    total = ngettext("The map shows %(count)s place.", "The map shows %(count)s places.", len(data.points)) % {
        "count": len(data.points)}
    stages = "; ".join(f"{stage.label}: {counts[stage]}" for stage in Stage)
    return f"{total} {stages}. " + _("The table below the map lists the same places with their stage.")


def map_svg(data: ProgressMap) -> SafeString:
    """The map of ``data``: the chosen Land (or Germany) with every located point, the other Länder's
    points faint and without names."""
    frame = Frame(bounds_around(data.points) if data.land else GERMANY)
    if data.land:
        title = _("Map of %(land)s: how far the Kreise and kreisfreie Städte have come") % {"land": data.land_name}
    else:
        title = _("Map of Germany: how far the Kreise and kreisfreie Städte have come")
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {frame.height}" width="100%" role="img" '
        f'aria-labelledby="map-title map-desc" class="guidance-map" preserveAspectRatio="xMidYMid meet" '
        f'focusable="false">',
        f'<title id="map-title">{escape(title)}</title>',
        f'<desc id="map-desc">{escape(description(data))}</desc>',
    ]
    context = [p for p in data.context if frame.contains(p.place.latitude or 0, p.place.longitude or 0)]
    if context:
        parts.append(f'<g fill="{CONTEXT_COLOUR}" aria-hidden="true">')
        for point in context:
            x, y = frame.xy(point.place.latitude or 0, point.place.longitude or 0)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2"/>')
        parts.append("</g>")
    # Further stages are drawn last, so they stay visible where points crowd; Gemeinden above Kreise.
    for stage in Stage:
        fill, stroke = STAGE_STYLE[stage]
        group = [p for p in data.points if p.stage == stage]
        if not group:
            continue
        parts.append(f'<g class="guidance-map-{stage.key}" fill="{fill}" stroke="{stroke}" stroke-width="1.2">')
        for point in sorted(group, key=lambda p: not p.place.is_kreis_level):
            x, y = frame.xy(point.place.latitude or 0, point.place.longitude or 0)
            size = KREIS_SIZE if point.place.is_kreis_level else GEMEINDE_SIZE
            name = f"{point.place.name} – {point.stage.label}"
            parts.append(f"{_shape(stage, x, y, size)}><title>{escape(name)}</title></{_tag(stage)}>")
        parts.append("</g>")
    parts.append(_scale_bar(frame))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def _tag(stage: Stage) -> str:
    return {Stage.STARTED: "path", Stage.RESOLUTION: "rect", Stage.WORKING: "path"}.get(stage, "circle")
