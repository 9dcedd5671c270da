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


# Values that were corrected (issue 14) and must not come back in code or templates: the question of
# 2017 cited instead of the Federal Government's answer that holds the 3.8 million, and the multiple of
# early help (59.5) shown as if it were the study's cost-benefit ratio.
WITHDRAWN = ("18/11848", "59,5", "159,5")


def test_corrected_values_are_written_nowhere():
    found = [f"{path.relative_to(ROOT)}: {value}" for path in SEARCHED if "migrations" not in path.parts
             for value in WITHDRAWN if value in path.read_text(encoding="utf-8")]
    assert not found, found


def test_the_cost_calculator_keeps_the_ratio_and_the_multiple_apart(monkeypatch):
    """The study's ratio and its base come from facts.py; the cost of help is never multiplied by it."""
    from guidance import tools

    monkeypatch.setattr(facts, "RATIO_MODERATE", facts.Fact(Decimal("20"), "Test", "2026"))
    moderate = tools.costs(families=1).scenarios[0]
    assert moderate.ratio == 20
    assert moderate.multiple_of_help == facts.LATER_COSTS_MULTIPLE_MODERATE.value  # another base: unchanged


def test_the_national_base_is_official_statistics_not_a_back_calculation():
    base = facts.NATIONAL_CHILDREN_BASE
    assert base.value == (facts.POPULATION_GERMANY_2019.value * facts.SHARE_UNDER_18.value).quantize(Decimal("1"))
    assert base.value != (facts.CHILDREN_ADDICTED_PARENT.value / facts.ADDICTED_PARENT_SHARE.value).quantize(
        Decimal("1"))
