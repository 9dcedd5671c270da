"""The draft council resolution: a real .docx with the municipality's own data, and its printable page."""

import io

import pytest
from django.urls import reverse
from docx import Document

from guidance import facts, services, tools
from guidance.resolution import build_draft, render_docx
from tests.factories.guidance import GActorFactory, GActorTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(heinsberg):
    jugendamt = GActorTypeFactory(name="Jugendamt", slug="jugendamt", order=1)
    sucht = GActorTypeFactory(name="Suchtberatung", slug="suchtberatung", order=2)
    GActorTypeFactory(name="Jobcenter", slug="jobcenter", order=3)
    GActorTypeFactory(name="Sozialpsychiatrischer Dienst", slug="sozialpsychiatrischer-dienst", order=4)
    GActorFactory(name="Kreisjugendamt Heinsberg", actor_type=jugendamt, municipality=heinsberg)
    GActorFactory(name="Suchtberatung des Kreisgesundheitsamtes", actor_type=sucht, municipality=heinsberg)
    return heinsberg


def docx_text(data: bytes):
    document = Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    return headings, text + "\n" + cells


def test_docx_has_the_sections_and_the_municipalitys_figures(registry, steps, coordinator):
    services.progress_update(municipality=registry, step=steps[0], by=coordinator, version=0, status="done")
    services.progress_update(municipality=registry, step=steps[1], by=coordinator, version=0, status="in_progress",
                             responsible="Kreisjugendamt")
    headings, text = docx_text(render_docx(build_draft(registry, internal=True)))
    for section in ("Sachverhalt", "Beschlussvorschlag", "Finanzielle Auswirkungen", "Begründung"):
        assert section in headings
    assert any("Kreis Heinsberg" in h for h in headings)
    figures = tools.child_figures(registry)
    assert f"{figures.under_18:,}".replace(",", ".") in text  # children under 18, as the tools count them
    for e in tools.estimate(children_under_18=figures.under_18, children_under_3=figures.under_3):
        low, high = (f"{v:,}".replace(",", ".") for v in (e.rounded_low, e.rounded_high))
        assert (f"rund {low} bis {high}" if low != high else f"rund {low}") in text
        assert str(e.rate.source) in text  # each rate with its source
    assert "Kreisjugendamt Heinsberg (Jugendamt)" in text  # partners already registered
    assert "Jobcenter" in text and "Sozialpsychiatrischer Dienst" in text  # still missing
    # Where the municipality stands, in plain sentences, and the next steps with who is responsible.
    assert "Abgeschlossen ist bereits der Arbeitsschritt „Schritt problem-erkennen“." in text
    assert "Begonnen wurde „Schritt agenda-setzen“." in text
    assert "Schritt agenda-setzen (bereits begonnen) – verantwortlich: Kreisjugendamt" in text  # next steps
    assert "Schritt problem-erkennen (" not in text  # done steps are not "next"
    assert "Der Kreistag beschließt" in text  # a Kreis decides in its Kreistag
    public = docx_text(render_docx(build_draft(registry)))[1]
    assert "Schritt agenda-setzen (bereits begonnen)" in public
    assert "verantwortlich: Kreisjugendamt" not in public  # who is responsible stays internal
    cost = f"{int(facts.COST_PER_FAMILY.value):,}".replace(",", ".")
    assert cost in text and f"1:{int(facts.RATIO_MODERATE.value)}" in text


def test_docx_without_child_figures_asks_for_them(eschweiler, steps):
    headings, text = docx_text(render_docx(build_draft(eschweiler)))
    assert "Sachverhalt" in headings
    assert "noch keine Kinderzahlen" in text
    assert "Rat beschließt" in text


def test_download_and_printable_page(client, registry, steps, verwaltung_user):
    client.force_login(verwaltung_user)
    response = client.get(reverse("guidance:resolution-docx", kwargs={"slug": registry.slug}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "Beschlussvorlage-Entwurf-kreis-heinsberg.docx" in response["Content-Disposition"]
    headings, _text = docx_text(response.content)
    assert "Beschlussvorschlag" in headings

    # Any way of naming the municipality leads to the draft's own address.
    response = client.get(reverse("guidance:resolution"), {"municipality": "05370000"})
    assert response.status_code == 302
    assert response["Location"] == reverse("guidance:resolution", kwargs={"slug": registry.slug})
    html = client.get(response["Location"]).content.decode()
    for section in ("Sachverhalt", "Beschlussvorschlag", "Finanzielle Auswirkungen", "Begründung"):
        assert f"<h3>{section}</h3>" in html
    assert "Kreisjugendamt Heinsberg" in html
    assert reverse("guidance:resolution-docx", kwargs={"slug": registry.slug}) in html


def test_unknown_municipality_gets_a_message(client, verwaltung_user):
    client.force_login(verwaltung_user)
    response = client.get(reverse("guidance:resolution"), {"municipality": "nirgendwo"})
    assert response.status_code == 200
    assert "Keine Kommune passt zu „nirgendwo“" in response.content.decode()
    assert client.get(reverse("guidance:resolution-docx", kwargs={"slug": "nirgendwo"})).status_code == 404


def test_anonymous_visitors_cannot_download(client, registry):
    response = client.get(reverse("guidance:resolution-docx", kwargs={"slug": registry.slug}))
    assert response.status_code == 302
