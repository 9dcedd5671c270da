"""The tool pages and the figures page show the figures of guidance/facts.py, formatted as the reader sees
them, with their sources and qualifiers, and none of the wrong values they once showed."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import override

from guidance import facts

pytestmark = pytest.mark.django_db

def page_text(client, url, params=None) -> str:
    """The main part of a page as text, without tags, with single spaces."""
    html = client.get(url, params or {}).content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def de(function, *args) -> str:
    """A figure formatted as the German page writes it, escaped as in the HTML."""
    with override("de"):
        return escape(str(function(*args)))


def costs_page(client) -> str:
    return page_text(client, reverse("guidance:costs"), {"families": "100"})


def estimator_page(client) -> str:
    return page_text(client, reverse("guidance:estimator"), {"children_under_18": "10000", "children_under_3": "1000"})


def figures_page(client) -> str:
    return page_text(client, reverse("guidance:figures"))


# Values the pages once showed and that are wrong: the question instead of the answer that holds the figure,
# the multiple of early help written beside the study's ratio, the cost of help multiplied by the ratio,
# a national base worked backwards from 18 % (about 14.9 million) and the rates derived from it, and the
# KiD 0-3 value of 2015 mixed into a range with 2022.
WRONG = {
    "costs": ["59,5", "159,5", "9.456.200", "24.731.600", "18/11848"],
    "estimator": ["18/11848", "14,9 Millionen", "14,94", "17,7 %", "20 % bis 27 %", "15,7 % bis 21,5 %"],
    "figures": ["18/11848", "59,5", "159,5"],
}


def test_the_cost_calculator_shows_each_ratio_with_its_own_base(client):
    text = costs_page(client)
    expected = [
        de(facts.grouped, facts.COST_PER_FAMILY.value),
        de(facts.grouped, facts.LATER_COSTS_MODERATE.value),
        de(facts.millions, facts.LATER_COSTS_PESSIMISTIC.value),
        "1:" + de(facts.grouped, facts.RATIO_MODERATE.value),
        "1:" + de(facts.grouped, facts.RATIO_PESSIMISTIC.value),
        de(facts.grouped, facts.PREVENTION_COSTS_MODERATE.value),
        de(facts.grouped, facts.PREVENTION_COSTS_PESSIMISTIC.value),
        "das " + de(facts.grouped, facts.LATER_COSTS_MULTIPLE_MODERATE.value) + "-Fache",
        "das " + de(facts.grouped, facts.LATER_COSTS_MULTIPLE_PESSIMISTIC.value) + "-Fache",
        de(facts.grouped, facts.COST_PER_FAMILY.value * 100),  # the cost of help for the 100 families entered
        str(facts.COST_PER_FAMILY.year),
    ]
    missing = [value for value in expected if value not in text]
    assert not missing, missing
    # The ratio's base is the prevention over the life course, the multiple's base the early help.
    assert f"1:{facts.RATIO_MODERATE.value} (Basis: rund {de(facts.grouped, facts.PREVENTION_COSTS_MODERATE.value)} €" \
        in text
    assert f"(Basis: {de(facts.grouped, facts.COST_PER_FAMILY.value)} €)" in text
    shown = [value for value in WRONG["costs"] if value in text]
    assert not shown, shown


def test_the_derived_cost_figures_follow_from_the_study():
    # 432,950 / 13 ≈ 33,300 and 1.16 million / 34 ≈ 34,100 € of prevention per child over the life course;
    # against the 7,274 € of early help the later costs are about 60 and 159 times as high.
    assert facts.PREVENTION_COSTS_MODERATE.value == 33_300
    assert facts.PREVENTION_COSTS_PESSIMISTIC.value == 34_100
    assert facts.LATER_COSTS_MULTIPLE_MODERATE.value == 60
    assert facts.LATER_COSTS_MULTIPLE_PESSIMISTIC.value == 159


def test_the_estimator_shows_the_rates_of_facts_and_what_they_rest_on(client):
    text = estimator_page(client)
    base = facts.POPULATION_GERMANY_2019.value * facts.SHARE_UNDER_18.value
    mental = facts.CHILDREN_MENTALLY_ILL_PARENT_RANGE
    expected = [
        de(facts.percent, (mental.value / base).quantize(Decimal("0.001"))),
        de(facts.percent, ((mental.high or mental.value) / base).quantize(Decimal("0.001"))),
        "rund " + de(facts.millions, Decimal("13700000")) + " Millionen Kinder unter 18",  # Destatis, not 2.69 ÷ 18 %
        de(facts.percent, facts.ADDICTED_PARENT_SHARE.value),
        de(facts.percent, facts.KID_STRAIN_2022.value),
        escape(str(facts.KID_STRAIN_2022.year)),
        "Zählen Sie die Zeilen nicht zusammen.",
        "Setzung des Kreises Heinsberg",  # the 18 % for under-3s is a convention, and says so
        "Beleg: von der Quelle veröffentlichter Anteil",
        de(facts.grouped, facts.HEINSBERG_POPULATION.value),  # the worked example starts from official figures
    ]
    with override("de"):
        expected.append(escape(str(facts.ADDICTION_RESEARCH_SOURCE)))
    missing = [value for value in expected if value not in text]
    assert not missing, missing
    assert de(facts.percent, facts.KID_STRAIN_2015.value) not in text
    shown = [value for value in WRONG["estimator"] if value in text]
    assert not shown, shown


def test_the_figures_page_shows_the_figures_with_sources_years_and_qualifiers(client):
    text = figures_page(client)
    with override("de"):
        mental = facts.CHILDREN_MENTALLY_ILL_PARENT
        expected = [
            f"rund {facts.millions(mental.value)} Millionen",
            escape(str(mental.source)),
            f"({facts.IN_THE_COURSE_OF_A_YEAR})",  # wherever the 3.8 million is shown
            f"{facts.millions(facts.CHILDREN_ADDICTED_PARENT.value)} Millionen "
            f"({facts.percent(facts.ADDICTED_PARENT_SHARE.value)}) {escape(str(facts.CHILDREN_ADDICTED_PARENT.source))} "
            f"{facts.CHILDREN_ADDICTED_PARENT.year}",
            facts.millions(facts.CHILDREN_ALCOHOL_DISORDER_PARENT.value),
            facts.grouped(facts.CHILDREN_ILLEGAL_DRUGS_PARENT.value),
            facts.grouped(facts.CHILDREN_GAMBLING_PARENT.high or 0),
            facts.percent(facts.KID_STRAIN_2022.value),
            facts.percent(facts.KID_MULTIPLE_STRESSORS_2022.value),
            facts.grouped(facts.COST_PER_FAMILY.value),
            facts.grouped(facts.LATER_COSTS_MODERATE.value),
            f"1:{facts.RATIO_MODERATE.value} und 1:{facts.RATIO_PESSIMISTIC.value}",
            facts.grouped(facts.PREVENTION_COSTS_MODERATE.value),
            facts.grouped(facts.MUNICIPALITIES_WITH_FH_NETWORK.value),
        ]
    missing = [value for value in expected if value not in text]
    assert not missing, missing
    assert "BT-Drs. 18/12247" in text
    assert "Kreis Heinsberg" not in text  # a district's database entry is no national source
    shown = [value for value in WRONG["figures"] if value in text]
    assert not shown, shown


@pytest.mark.parametrize("page", [costs_page, figures_page])
def test_the_pages_follow_a_changed_figure(client, monkeypatch, page):
    """Change the figure in facts.py: the page shows the new value and no longer the old one."""
    old = facts.LATER_COSTS_MODERATE
    monkeypatch.setattr(facts, "LATER_COSTS_MODERATE", facts.Fact(Decimal("444440"), old.source, old.year))
    text = page(client)
    assert "444.440" in text
    assert de(facts.grouped, old.value) not in text


def test_the_estimator_follows_a_changed_rate(client, monkeypatch):
    old = facts.KID_STRAIN_2022
    monkeypatch.setattr(facts, "KID_STRAIN_2022", facts.Fact(Decimal("0.25"), old.source, old.year))
    text = estimator_page(client)
    assert "25 %" in text and "rund 250" in text
    assert de(facts.percent, old.value) not in text
