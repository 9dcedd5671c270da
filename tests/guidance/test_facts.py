"""Every figure comes from guidance/facts.py with its source and year, and is written nowhere else."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from guidance import facts

ROOT = Path(__file__).resolve().parents[2]
FACTS = {name: value for name, value in vars(facts).items() if isinstance(value, facts.Fact)}
# Where figures may appear as text: the facts module itself, and content the editorial team keeps
# (fixtures, the translation catalogue that renders messages with placeholders).
SEARCHED = [*ROOT.glob("portal/**/*.py"), *ROOT.glob("networks/**/*.py"), *ROOT.glob("guidance/**/*.py"),
            *ROOT.glob("templates/**/*.html")]
EXEMPT = {ROOT / "guidance" / "facts.py"}


def spellings(value: Decimal) -> set[str]:
    """How a distinctive figure would be written by hand, in English or German. Round thousands below
    100,000 (5,000, 6,000) are left out: they are too common in code (batch sizes) to tell apart."""
    number = int(value)
    if value != number or number < 1000 or (number % 1000 == 0 and number < 100_000):
        return set()
    grouped = f"{number:,}"
    written = {str(number), grouped, grouped.replace(",", ".")}
    if number >= 1_000_000:
        millions = f"{number / 1_000_000:g}"
        written |= {f"{millions} million", f"{millions.replace('.', ',')} Mio", f"{millions.replace('.', ',')} Millionen"}
    return written


@pytest.mark.parametrize("name", sorted(FACTS))
def test_every_figure_has_a_source_and_a_year(name):
    fact = FACTS[name]
    assert str(fact.source).strip() and str(fact.year).strip(), name
    assert fact.high is None or fact.high >= fact.value, name


def test_no_figure_is_written_anywhere_else():
    found = []
    for path in SEARCHED:
        if path in EXEMPT or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for name, fact in FACTS.items():
            for value in filter(None, (fact.value, fact.high)):
                for spelling in spellings(value):
                    if re.search(rf"(?<![\d.,]){re.escape(spelling)}(?![\d])", text):
                        found.append(f"{path.relative_to(ROOT)}: {spelling} ({name})")
    assert not found, "figures written outside guidance/facts.py:\n" + "\n".join(found)


def test_the_tools_and_the_resolution_read_the_figures(monkeypatch):
    """Change a figure in the one place: the cost calculator and the figures page follow."""
    from guidance import charts, tools

    monkeypatch.setattr(facts, "COST_PER_FAMILY", facts.Fact(Decimal("8000"), "Test", "2026"))
    assert tools.costs(families=2).cost_of_help == 16000
    costs_chart = next(f for f in charts.figures() if f.key == "costs")
    assert costs_chart.bars[0].value == 8000
