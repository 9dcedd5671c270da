"""Issue 16 (forced colours, WCAG 1.4.11): the SVG charts and the map draw text and lines in
currentColor (CanvasText in a contrast theme) instead of a fixed dark grey, and the CSS maps the
charts, the graph and the current navigation item to system colours."""

import re
from pathlib import Path

from django.conf import settings

from guidance import geo
from guidance.charts import Bar, bar_chart, figures, svg_file

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text()


def test_chart_svg_has_no_fixed_text_colour():
    svg = str(bar_chart(chart_id="c", title="T", description="D", bars=[Bar("A", 1, "1"), Bar("B", 2, "2", high=3)]))
    assert 'fill="#212529"' not in svg and 'stroke="#212529"' not in svg
    assert 'fill="currentColor"' in svg
    for figure in figures():
        assert 'fill="#212529"' not in str(figure.svg)
        assert b'fill="#212529"' not in svg_file(figure)


def test_map_svg_has_no_fixed_text_colour():
    parts = "".join(str(symbol) for _stage, symbol in geo.legend()) + geo._scale_bar(geo.Frame(geo.GERMANY))
    assert "#212529" not in parts
    assert 'fill="currentColor"' in parts


def _forced_colours_block() -> str:
    blocks = re.findall(r"@media \(forced-colors: active\) \{(.*?)\n\}", CSS, re.S)
    return "\n".join(blocks)


def test_css_has_system_colours_for_navigation_and_svg_text():
    block = _forced_colours_block()
    current = re.search(r"\.main-nav \.nav-link\.active \{([^}]*)\}", block)
    assert current and re.search(r"border-bottom: \d+px solid (Highlight|CanvasText|LinkText)", current.group(1))
    assert re.search(r"\.guidance-chart text[^{]*\{[^}]*fill: CanvasText", block)
    assert re.search(r"\.network-graph svg text[^{]*\{[^}]*fill: CanvasText", block)
