"""The draft council resolution: a real .docx with the municipality's own data, and its printable page."""

import io

import pytest
from django.urls import reverse
from docx import Document

from guidance import services
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
    assert "32.800" in text  # children under 18
    assert "rund 5.800 bis 5.900" in text  # 17.7-18 % of 32,800
    assert "18 %" in text and "Lenz & Brockmann 2013" in text  # rates with sources
    assert "Kreisjugendamt Heinsberg (Jugendamt)" in text  # partners already registered
    assert "Jobcenter" in text and "Sozialpsychiatrischer Dienst" in text  # still missing
    assert "Schritt 2: Schritt agenda-setzen (in Arbeit) – verantwortlich: Kreisjugendamt" in text  # next steps
    assert "Schritt 1:" not in text  # done steps are not "next"
    assert "Kreistag" in text  # a Kreis decides in its Kreistag
    public = docx_text(render_docx(build_draft(registry)))[1]
    assert "Schritt 2: Schritt agenda-setzen (in Arbeit)" in public
    assert "verantwortlich: Kreisjugendamt" not in public  # who is responsible stays internal
    assert "7.274" in text and "1:13" in text


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

    html = client.get(reverse("guidance:resolution"), {"municipality": registry.slug}).content.decode()
    for section in ("Sachverhalt", "Beschlussvorschlag", "Finanzielle Auswirkungen", "Begründung"):
        assert f"<h3>{section}</h3>" in html
    assert "Kreisjugendamt Heinsberg" in html
    assert reverse("guidance:resolution-docx", kwargs={"slug": registry.slug}) in html


def test_unknown_municipality_gets_a_message(client, verwaltung_user):
    client.force_login(verwaltung_user)
    response = client.get(reverse("guidance:resolution"), {"municipality": "nirgendwo"})
    assert response.status_code == 200
    assert "nicht im Register" in response.content.decode()
    assert client.get(reverse("guidance:resolution-docx", kwargs={"slug": "nirgendwo"})).status_code == 404


def test_anonymous_visitors_cannot_download(client, registry):
    response = client.get(reverse("guidance:resolution-docx", kwargs={"slug": registry.slug}))
    assert response.status_code == 302
