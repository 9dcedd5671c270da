"""Issue 16, WCAG 1.4.11: the borders of inputs, selects, text areas, checkboxes and radio buttons
have at least 3:1 contrast against white (also unchecked checkboxes)."""

import re
from pathlib import Path

from django.conf import settings

CSS = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text()
# Forced colours use system colours (the user's theme); the 3:1 rule is checked for the normal colours.
NORMAL_CSS = re.sub(r"@media \(forced-colors: active\) \{.*?\n\}", "", CSS, flags=re.S)


def _luminance(hex_colour: str) -> float:
    hex_colour = hex_colour.lstrip("#")
    if len(hex_colour) == 3:
        hex_colour = "".join(c * 2 for c in hex_colour)
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _resolve(value: str) -> str:
    var = re.fullmatch(r"var\((--[\w-]+)\)", value.strip())
    if var:
        return re.search(rf"{var.group(1)}:\s*(#[0-9a-fA-F]{{3,6}})", CSS).group(1)
    return value.strip()


def test_contrast_helper():
    assert round(contrast("#000", "#fff"), 1) == 21.0
    assert contrast("#ced4da", "#fff") < 3  # Bootstrap's default border fails


def test_form_control_borders_have_3_to_1_against_white():
    wanted = {".form-control", ".form-select", ".form-check-input", ".form-check-input:not(:checked)"}
    covered = set()
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*(?<![\w-])border-color:[^{}]*)\}", NORMAL_CSS):
        names = {s.strip() for s in selectors.split(",")} & wanted
        if not names:
            continue
        colour = _resolve(re.search(r"(?<![\w-])border-color:\s*([^;]+);", body).group(1))
        assert contrast(colour, "#ffffff") >= 3, (selectors, colour)
        covered |= names
    assert covered == wanted


def test_focus_is_visible_on_form_controls():
    focus_rule = re.search(r"([^{}]*\.form-control:focus[^{}]*)\{([^{}]*)\}", CSS)
    assert focus_rule and "outline: 3px solid" in focus_rule.group(2)
    assert contrast(re.search(r"outline: 3px solid (#[0-9a-fA-F]{6})", focus_rule.group(2)).group(1), "#ffffff") >= 3
