"""The documents ready to use (draft resolution, cooperation agreement, consent form, committee slides):
each one parsed back from its file: A4 or 16:9, German for proofing on styles and runs, its metadata, the
municipality's figures equal to what the tools compute, the variants by body and no template artefacts."""

import datetime
import io
import re
import zipfile
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pptx import Presentation

from guidance import services, tools
from guidance.documents import agreement, consent, slides
from guidance.resolution import build_draft, render_docx
from tests.factories.guidance import GActorFactory, GActorTypeFactory, GMunicipalityFactory

pytestmark = pytest.mark.django_db

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def grouped(value: int) -> str:
    """German thousands grouping, written independently of the code under test."""
    return f"{value:,}".replace(",", ".")


def recent(created: datetime.datetime) -> bool:
    if created.tzinfo is None:
        created = created.replace(tzinfo=datetime.UTC)
    return abs(created - timezone.now()) < datetime.timedelta(minutes=5)


def expected_estimate(e: tools.Estimate) -> str:
    if e.low == e.high or e.rounded_low == e.rounded_high:
        return f"rund {grouped(e.rounded_low)}"
    return f"rund {grouped(e.rounded_low)} bis {grouped(e.rounded_high)}"


@pytest.fixture
def partners(heinsberg):
    jugendamt = GActorTypeFactory(name="Jugendamt", slug="jugendamt", order=1)
    sucht = GActorTypeFactory(name="Suchtberatung", slug="suchtberatung", order=2)
    GActorTypeFactory(name="Jobcenter", slug="jobcenter", order=3)
    GActorFactory(name="Kreisjugendamt Heinsberg", actor_type=jugendamt, municipality=heinsberg, city="Heinsberg")
    GActorFactory(name="Suchtberatung des Kreisgesundheitsamtes", actor_type=sucht, municipality=heinsberg)
    return heinsberg


@pytest.fixture
def kreisfreie_stadt(db):
    return GMunicipalityFactory(name="Stadt Mönchengladbach", slug="stadt-moenchengladbach", kind="kreisfreie_stadt",
                                ags="05116000", population=261034)


@pytest.fixture
def gemeinde(heinsberg):
    return GMunicipalityFactory(name="Gemeinde Gangelt", slug="gemeinde-gangelt", kind="gemeinde", ags="05370008",
                                parent=heinsberg, has_youth_office=False, population=12345)


# --- Reading the files back -----------------------------------------------------------------------------
def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    return text + "\n" + cells


def check_word_file(data: bytes, *, municipality) -> None:
    """A4, German on every style and run, tables with widths and a repeated header, metadata, no thumbnail."""
    package = zipfile.ZipFile(io.BytesIO(data))
    names = package.namelist()
    assert not [name for name in names if "thumbnail" in name]
    assert "word/stylesWithEffects.xml" not in names
    document = Document(io.BytesIO(data))
    for section in document.sections:
        assert section.page_width.cm == pytest.approx(21.0, abs=0.01)
        assert section.page_height.cm == pytest.approx(29.7, abs=0.01)
        assert 1.5 <= section.left_margin.cm <= 3 and 1.5 <= section.right_margin.cm <= 3
    styles = ElementTree.fromstring(package.read("word/styles.xml"))
    for style in styles.iter(f"{W}style"):
        assert style.find(f"{W}rPr/{W}lang").get(f"{W}val") == "de-DE", style.get(f"{W}styleId")
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert defaults.get(f"{W}val") == "de-DE"
    for part in [n for n in names if re.match(r"word/(document|footer\d*|header\d*)\.xml", n)]:
        root = ElementTree.fromstring(package.read(part))
        for run in root.iter(f"{W}r"):
            assert run.find(f"{W}rPr/{W}lang").get(f"{W}val") == "de-DE", part
    for name in names:
        if name.endswith(".xml"):
            assert b"en-US" not in package.read(name), name
    body = ElementTree.fromstring(package.read("word/document.xml"))
    for table in body.iter(f"{W}tbl"):
        rows = table.findall(f"{W}tr")
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None  # the header repeats on each page
        assert [e.get(f"{W}type") for e in table.findall(f"{W}tblPr/{W}tblLayout")] == ["fixed"]
        widths = [int(col.get(f"{W}w")) for col in table.iter(f"{W}gridCol")]
        assert sum(widths) == pytest.approx(16 / 2.54 * 1440, rel=0.01)  # the text width, 16 cm
        assert min(widths) > 1000  # no column squeezed to nothing
    core = document.core_properties
    assert municipality.name in core.title
    assert core.author == municipality.name
    assert core.language == "de-DE"
    assert recent(core.created)
    assert "python-docx" not in (core.comments + core.author + core.last_modified_by)
    text = docx_text(data)
    assert "{{" not in text and "{%" not in text and "None" not in text


# --- The draft resolution -------------------------------------------------------------------------------
def test_resolution_is_a4_german_with_metadata_and_the_tools_figures(partners, steps):
    data = render_docx(build_draft(partners, internal=True))
    check_word_file(data, municipality=partners)
    text = docx_text(data)
    figures = tools.child_figures(partners)
    estimates = tools.estimate(children_under_18=figures.under_18, children_under_3=figures.under_3)
    assert len(estimates) == 4
    document = Document(io.BytesIO(data))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Gruppe")
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert [row[1] for row in rows] == [grouped(e.children) for e in estimates]
    assert [row[3] for row in rows] == [expected_estimate(e) for e in estimates]
    assert grouped(figures.under_18) in text and grouped(figures.under_3) in text
    assert "nicht zusammengezählt" in text  # the groups overlap
    assert "Der Kreistag beschließt" in text
    assert "[bitte ergänzen]" not in "\n".join(" ".join(r) for r in rows)
    assert "noch keine Kinderzahlen" not in text
    assert "Stand auf dem Fahrplan" not in text and " erledigt und " not in text  # no portal jargon


def test_resolution_for_a_kreisfreie_stadt_with_estimated_figures(kreisfreie_stadt, steps):
    data = render_docx(build_draft(kreisfreie_stadt))
    check_word_file(data, municipality=kreisfreie_stadt)
    text = docx_text(data)
    figures = tools.child_figures(kreisfreie_stadt)
    assert figures.estimated
    assert f"rund {grouped(figures.under_18)} bzw. {grouped(figures.under_3)} Kinder" in text
    for e in tools.estimate(children_under_18=figures.under_18, children_under_3=figures.under_3):
        assert expected_estimate(e) in text
    assert "Der Rat beschließt" in text and "Kreistag" not in text
    assert "beim Jugendamt angesiedelt" in text
    assert "kein eigenes Jugendamt" not in text


def test_resolution_for_a_gemeinde_without_its_own_jugendamt(gemeinde, steps):
    text = docx_text(render_docx(build_draft(gemeinde)))
    assert "Gemeinde Gangelt hat kein eigenes Jugendamt" in text
    assert "das Jugendamt des Kreises Heinsberg" in text
    assert "mit dem Jugendamt des Kreises Heinsberg über die Beteiligung der Gemeinde Gangelt abzustimmen" in text
    assert "Der Rat beschließt" in text
    assert "beim Jugendamt angesiedelt" not in text  # it cannot host the network itself
    assert "Kreistag" not in text


def test_a_recorded_resolution_turns_the_draft_into_a_follow_up(partners, steps, coordinator):
    services.progress_update(
        municipality=partners, step=steps[2], by=coordinator, version=0, status="done",
        resolution={"committee": "Kreistag", "session_date": datetime.date(2015, 12, 10), "reference": "0257/2015",
                    "result": "adopted", "link": ""},
    )
    internal = build_draft(partners, internal=True)
    assert internal.follow_up
    text = docx_text(render_docx(internal))
    assert "Fortschreibung" in text
    assert "Mit Beschluss vom 10.12.2015 (Vorlage 0257/2015, Kreistag)" in text
    assert "wird fortgeführt" in text and "überprüft und fortgeschrieben" in text
    assert "ein koordiniertes Hilfenetzwerk für Kinder psychisch und/oder suchtkranker Eltern aufzubauen" not in text
    public = docx_text(render_docx(build_draft(partners)))
    assert "Fortschreibung" in public
    assert "0257/2015" not in public  # the evidence stays internal


def test_an_adopted_result_counts_even_before_the_step_is_done(partners, steps, coordinator):
    services.progress_update(
        municipality=partners, step=steps[2], by=coordinator, version=0, status="in_progress",
        resolution={"committee": "Kreistag", "session_date": datetime.date(2024, 3, 1), "reference": "12/2024",
                    "result": "adopted_amended", "link": ""},
    )
    assert build_draft(partners).follow_up
    services.progress_update(
        municipality=partners, step=steps[2], by=coordinator, version=1, status="in_progress",
        resolution={"committee": "Kreistag", "session_date": datetime.date(2024, 3, 1), "reference": "12/2024",
                    "result": "deferred", "link": ""},
    )
    assert not build_draft(partners).follow_up


# --- The cooperation agreement --------------------------------------------------------------------------
def test_agreement_lists_the_registered_partners_and_the_heinsberg_structure(partners, steps):
    data = agreement.render_docx(agreement.build_agreement(partners))
    check_word_file(data, municipality=partners)
    text = docx_text(data)
    assert "Kreisjugendamt Heinsberg" in text and "Suchtberatung des Kreisgesundheitsamtes" in text
    for part in ("Partner der Vereinbarung", "Ziele", "Kooperationsgremium", "zweimal im Jahr",
                 "Fallkonferenzen mit den Eltern", "Datenschutz und Schweigepflicht", "Überprüfung"):
        assert part in text
    assert "§ 65 SGB VIII" in text and "§ 67b SGB X" in text
    assert "noch keine Partner erfasst" not in text


def test_agreement_of_a_gemeinde_names_the_kreis_jugendamt(gemeinde, steps):
    text = docx_text(agreement.render_docx(agreement.build_agreement(gemeinde)))
    assert "das Jugendamt des Kreises Heinsberg, das das Netzwerk nach § 3 Abs. 3 KKG organisiert" in text


# --- The consent form -----------------------------------------------------------------------------------
def test_consent_form_is_worded_after_the_law(partners):
    data = consent.render_docx(consent.build_consent(partners))
    check_word_file(data, municipality=partners)
    text = docx_text(data)
    for part in ("§ 65", "SGB VIII", "§ 67b Abs. 2 SGB X", "schriftlicher oder elektronischer Form", "Zweck",
                 "Beteiligte Stellen", "Umfang", "Dauer", "jederzeit", "widerrufen", "freiwillig",
                 "Art. 7 Abs. 3 DSGVO"):
        assert part in text, part
    assert "Kreis Heinsberg" in text


# --- The committee slides -------------------------------------------------------------------------------
def pptx_text(prs) -> str:
    return "\n".join(shape.text_frame.text for slide in prs.slides for shape in slide.shapes if shape.has_text_frame)


def test_slides_are_16_9_german_with_the_tools_figures(partners, steps):
    data = slides.render_pptx(slides.build_deck(partners))
    package = zipfile.ZipFile(io.BytesIO(data))
    assert not [name for name in package.namelist() if "thumbnail" in name or "printerSettings" in name]
    prs = Presentation(io.BytesIO(data))
    assert prs.slide_width * 9 == pytest.approx(prs.slide_height * 16, rel=0.001)
    assert 5 <= len(prs.slides) <= 8
    for name in package.namelist():
        if re.match(r"ppt/(slides/slide\d+|charts/chart\d+)\.xml", name):
            root = ElementTree.fromstring(package.read(name))
            for run in root.iter(f"{A}r"):
                assert run.find(f"{A}rPr").get("lang") == "de-DE", name
            assert b"en-US" not in package.read(name)
    core = prs.core_properties
    assert partners.name in core.title and core.author == partners.name and core.language == "de-DE"
    assert recent(core.created)
    assert "Steve Canny" not in core.last_modified_by
    figures = tools.child_figures(partners)
    estimates = tools.estimate(children_under_18=figures.under_18, children_under_3=figures.under_3)
    charts = [shape.chart for slide in prs.slides for shape in slide.shapes if shape.has_chart]
    estimate_chart = charts[0]
    assert list(estimate_chart.plots[0].categories) == [str(e.rate.label) for e in estimates]
    low, high = estimate_chart.plots[0].series
    assert list(low.values) == [e.rounded_low for e in estimates]
    assert list(high.values) == [e.rounded_high for e in estimates]
    costs = tools.costs(families=1)
    assert charts[1].plots[0].series[0].values[0] == costs.cost_of_help
    text = pptx_text(prs)
    assert grouped(figures.under_18) in text and "nicht zusammengezählt" in text
    for e in estimates:
        assert expected_estimate(e) in text
    assert "Der Kreistag beschließt" in text and "Jobcenter" in text  # the proposal and the gap
    assert "{{" not in text and "None" not in text


def test_slides_for_a_follow_up_and_for_a_gemeinde(partners, gemeinde, steps, coordinator):
    services.progress_update(
        municipality=partners, step=steps[2], by=coordinator, version=0, status="done",
        resolution={"committee": "Kreistag", "session_date": datetime.date(2015, 12, 10), "reference": "0257/2015",
                    "result": "adopted", "link": ""},
    )
    text = pptx_text(Presentation(io.BytesIO(slides.render_pptx(slides.build_deck(partners)))))
    assert "den Beschluss fortschreiben" in text and "wird fortgeführt" in text
    text = pptx_text(Presentation(io.BytesIO(slides.render_pptx(slides.build_deck(gemeinde)))))
    assert "Der Rat beschließt" in text and "Jugendamt des Kreises Heinsberg" in text


# --- Downloads and links --------------------------------------------------------------------------------
DOCUMENTS = {
    "resolution-docx": ("wordprocessingml", "Beschlussvorlage-Entwurf-kreis-heinsberg.docx"),
    "agreement-docx": ("wordprocessingml", "Kooperationsvereinbarung-Entwurf-kreis-heinsberg.docx"),
    "consent-docx": ("wordprocessingml", "Schweigepflichtentbindung-Fallkonferenz-kreis-heinsberg.docx"),
    "slides-pptx": ("presentationml", "Praesentation-Ausschuss-kreis-heinsberg.pptx"),
}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_document_downloads_for_staff_only(client, partners, steps, verwaltung_user, name):
    url = reverse(f"guidance:{name}", kwargs={"slug": partners.slug})
    assert client.get(url).status_code == 302  # anonymous: to the login
    client.force_login(verwaltung_user)
    response = client.get(url)
    assert response.status_code == 200
    kind, filename = DOCUMENTS[name]
    assert kind in response["Content-Type"]
    assert f'filename="{filename}"' in response["Content-Disposition"]
    assert client.get(reverse(f"guidance:{name}", kwargs={"slug": "nirgendwo"})).status_code == 404


def test_public_slides_leave_out_the_internal_evidence(client, partners, steps, coordinator, verwaltung_user):
    services.progress_update(
        municipality=partners, step=steps[2], by=coordinator, version=0, status="done",
        resolution={"committee": "Kreistag", "session_date": datetime.date(2015, 12, 10), "reference": "0257/2015",
                    "result": "adopted", "link": ""},
    )
    client.force_login(verwaltung_user)
    for name in ("resolution-docx", "slides-pptx"):
        content = client.get(reverse(f"guidance:{name}", kwargs={"slug": partners.slug})).content
        text = docx_text(content) if name.endswith("docx") else pptx_text(Presentation(io.BytesIO(content)))
        assert "0257/2015" not in text
    client.force_login(coordinator)
    content = client.get(reverse("guidance:resolution-docx", kwargs={"slug": partners.slug})).content
    assert "0257/2015" in docx_text(content)
    html = client.get(reverse("guidance:resolution", kwargs={"slug": partners.slug})).content.decode()
    assert "Folgebeschluss" in html


def test_documents_are_german_whatever_the_readers_language(partners, steps):
    from django.utils import translation

    with translation.override("en"):
        text = pptx_text(Presentation(io.BytesIO(slides.render_pptx(slides.build_deck(partners)))))
        resolution_text = docx_text(render_docx(build_draft(partners)))
    with translation.override("de"):
        labels = [str(rate.label) for rate in tools.rates()]
    for label in labels:
        assert label in text and label in resolution_text


def test_the_resolution_page_and_the_roadmap_link_every_document(client, partners, steps, verwaltung_user):
    client.force_login(verwaltung_user)
    for page in ("guidance:resolution", "guidance:progress"):
        html = client.get(reverse(page, kwargs={"slug": partners.slug})).content.decode()
        for name in DOCUMENTS:
            assert reverse(f"guidance:{name}", kwargs={"slug": partners.slug}) in html, (page, name)


# --- The figures page's charts as files -----------------------------------------------------------------
def test_every_chart_downloads_as_svg_and_png(client):
    from PIL import Image

    from guidance import charts

    html = client.get(reverse("guidance:figures")).content.decode()
    for figure in charts.figures():
        svg_url = reverse("guidance:figure-download", kwargs={"key": figure.key, "extension": "svg"})
        png_url = reverse("guidance:figure-download", kwargs={"key": figure.key, "extension": "png"})
        assert svg_url in html and png_url in html
        response = client.get(svg_url)
        assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
        assert f"{figure.filename}.svg" in response["Content-Disposition"]
        root = ElementTree.fromstring(response.content)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        assert str(figure.title) in texts
        assert all(bar.display in texts for bar in figure.bars)
        response = client.get(png_url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        image = Image.open(io.BytesIO(response.content))
        assert image.format == "PNG" and image.width >= 1000
    assert client.get(reverse("guidance:figure-download", kwargs={"key": "children", "extension": "gif"})
                      ).status_code == 404
    assert client.get(reverse("guidance:figure-download", kwargs={"key": "nothing", "extension": "svg"})
                      ).status_code == 404
