"""Every municipality gets an estimate: from recorded local figures where they exist, otherwise from its
official population and the national age shares, clearly marked as an approximation; the estimator, the
municipality's page, its progress page and the draft resolution all show the same numbers."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document

from guidance import facts, tools
from guidance.resolution import build_draft, render_docx
from tests.factories.guidance import GMunicipalityFactory

pytestmark = pytest.mark.django_db

REGISTER = {"population_source": "Destatis, Gemeindeverzeichnis, Stand 31.12.2019"}


@pytest.fixture
def kreis():
    return GMunicipalityFactory(name="Kreis Heinsberg", slug="kreis-heinsberg", kind="kreis", ags="05370000",
                                population=255_555, area_km2=Decimal("627.92"), has_youth_office=True, **REGISTER)


@pytest.fixture
def gemeinde(kreis):
    return GMunicipalityFactory(name="Gangelt", slug="gangelt", kind="gemeinde", ags="05370008", parent=kreis,
                                population=12_451, postcode="52538", regional_key="053700008008", **REGISTER)


@pytest.fixture
def kreisfreie_stadt():
    return GMunicipalityFactory(name="Hamburg, Freie und Hansestadt", slug="hamburg", kind="kreisfreie_stadt",
                                ags="02000000", bundesland="02", population=1_847_253, postcode="20038", **REGISTER)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    return "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for r in t.rows for c in r.cells])


@pytest.mark.parametrize(("fixture", "under_18", "under_3"), [
    ("gemeinde", 2_050, 360),  # 12,451 × 16.5 % = 2,054; × 2.9 % = 361
    ("kreis", 42_170, 7_410),  # 255,555 × 16.5 % = 42,167; × 2.9 % = 7,411
    ("kreisfreie_stadt", 304_800, 53_570),  # 1,847,253 × 16.5 % = 304,797; × 2.9 % = 53,570
])
def test_the_approximation_from_the_population(request, fixture, under_18, under_3):
    figures = tools.child_figures(request.getfixturevalue(fixture))
    assert (figures.under_18, figures.under_3, figures.estimated) == (under_18, under_3, True)
    assert "Destatis, Gemeindeverzeichnis" in figures.source and str(facts.AGE_SHARES_SOURCE) in figures.source


@pytest.mark.parametrize("fixture", ["gemeinde", "kreis", "kreisfreie_stadt"])
def test_the_estimator_answers_for_any_municipality_by_name_postcode_or_ags(client, request, fixture):
    municipality = request.getfixturevalue(fixture)
    figures = tools.child_figures(municipality)
    for typed in (municipality.name, municipality.ags, f"{municipality.name} ({municipality.ags})"):
        html = client.get(reverse("guidance:estimator"), {"municipality": typed}).content.decode()
        assert "Bitte geben Sie eine Kommune" not in html, typed
        assert f'value="{figures.under_18}"' in html
        assert "Näherung" in html and "Destatis, Fortschreibung des Bevölkerungsstandes" in html
        # the affected children: 18 % of the approximated children is the addiction rate's upper bound
        addiction = next(e for e in tools.estimate(children_under_18=figures.under_18, children_under_3=None)
                         if e.rate.key == "addiction")
        assert f"{addiction.high:,}".replace(",", ".") in html
    html = client.get(reverse("guidance:estimator"), {"municipality": "52538"}).content.decode()
    assert fixture != "gemeinde" or 'value="2050"' in html


def test_recorded_local_figures_take_precedence(client, gemeinde):
    gemeinde.children_under_18, gemeinde.children_under_3 = 2_200, 340
    gemeinde.figures_source = "IT.NRW, Regionalstatistik 12411, 31.12.2023"
    gemeinde.save()
    html = client.get(reverse("guidance:estimator"), {"municipality": "gangelt"}).content.decode()
    assert 'value="2200"' in html and 'value="340"' in html
    assert "IT.NRW, Regionalstatistik 12411" in html and "Näherung:" not in html


def test_a_name_many_municipalities_share_asks_which_one(client, kreis):
    GMunicipalityFactory(name="Neustadt", slug="neustadt-a", ags="07000001", population=1000)
    GMunicipalityFactory(name="Neustadt", slug="neustadt-b", ags="09000001", population=2000)
    html = client.get(reverse("guidance:estimator"), {"municipality": "Neustadt"}).content.decode()
    assert "Mehrere Kommunen passen" in html
    assert "Neustadt (07000001)" in html and "Neustadt (09000001)" in html
    html = client.get(reverse("guidance:estimator"), {"municipality": "Neustadt (09000001)"}).content.decode()
    assert 'value="330"' in html  # 2,000 × 16.5 %


def test_the_draft_resolution_has_the_core_figure_for_a_gemeinde(gemeinde, steps):
    text = docx_text(render_docx(build_draft(gemeinde)))
    assert "Kinderzahlen: Näherung" in text and "12.451" in text and "2.050" in text
    assert "noch keine Kinderzahlen" not in text
    assert "Destatis" in text


def test_municipality_page_and_progress_page_show_the_same_estimate(client, gemeinde, steps, verwaltung_user):
    page = client.get(gemeinde.get_absolute_url()).content.decode()
    assert "etwa 2.050 unter 18 Jahren" in page and "Näherung" in page
    # The register's figures name their source and licence, as the licence asks.
    assert "Statistisches Bundesamt (Destatis)" in page and "https://www.govdata.de/dl-de/by-2-0" in page
    client.force_login(verwaltung_user)
    progress = client.get(reverse("guidance:progress", kwargs={"slug": gemeinde.slug})).content.decode()
    assert "2.050" in progress and "Näherung" in progress


def test_suggestions_find_a_village_by_name_postcode_and_ags(client, gemeinde):
    for query in ("Gang", "5253", "053700"):
        results = client.get(reverse("networks:municipality-suggest"), {"q": query}).json()["results"]
        assert {"value": "Gangelt (05370008)", "label": "Gangelt (05370008) – Kreis Heinsberg – 52538"} in results
    assert client.get(reverse("networks:municipality-suggest"), {"q": "G"}).json()["results"] == []
