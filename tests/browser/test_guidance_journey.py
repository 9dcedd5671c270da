"""Guidance journey: a coordinator opens the roadmap, ticks tasks of step 3, records the council
resolution with date and Drucksache number and downloads the draft resolution. axe-core checks
every page visited; the public guide pages are checked too."""

import io

from docx import Document

from tests.browser.conftest import assert_accessible, login, screenshot


def test_public_guide_pages_are_accessible(page, seeded):
    for url, name in [
        ("/leitfaden/", "guidance-index"),
        ("/leitfaden/fahrplan/", "guidance-roadmap"),
        ("/leitfaden/themen/datenschutz/", "guidance-page"),
        ("/leitfaden/grafiken/", "guidance-figures"),
        ("/leitfaden/werkzeuge/kosten-und-nutzen/?families=100", "guidance-costs"),
        ("/leitfaden/werkzeuge/betroffene-kinder/?municipality=kreis-heinsberg", "guidance-estimator"),
        ("/leitfaden/werkzeuge/betroffene-kinder/?children_under_18=-3", "guidance-estimator-error"),
    ]:
        page.goto(url)
        assert page.locator("h1").count() == 1
        assert_accessible(page)
        screenshot(page, name)
    page.goto("/leitfaden/werkzeuge/betroffene-kinder/?municipality=kreis-heinsberg")
    # 255,555 inhabitants × 16.5 % ≈ 42,170 children under 18; 18 % of them ≈ 7,591
    assert page.get_by_text("7.591").first.is_visible()
    assert page.get_by_text("Setzung des Kreises Heinsberg").first.is_visible()  # the under-3 rate is no evidence
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/leitfaden/fahrplan/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    screenshot(page, "guidance-roadmap-320")



def test_any_municipality_is_found_by_keyboard_with_suggestions(page, seeded):
    from networks.models import Municipality

    Municipality.objects.create(
        name="Altrich", slug="altrich", kind="gemeinde", ags="07231001", bundesland="07", population=1709,
        postcode="54518", population_source="Destatis, Gemeindeverzeichnis, Stand 31.12.2019",
    )
    page.goto("/leitfaden/werkzeuge/betroffene-kinder/")
    field = page.get_by_label("Kommune", exact=True)
    field.focus()
    page.keyboard.type("Altr", delay=30)
    suggestions = page.locator(f"#{field.get_attribute('list')} option")
    suggestions.first.wait_for(state="attached")
    options = [suggestions.nth(i).get_attribute("value") for i in range(suggestions.count())]
    assert options == ["Altrich (07231001)"]
    field.fill(options[0])
    page.keyboard.press("Escape")  # close the suggestions, then on to the button with the keyboard
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Schätzen"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", name="Schätzung für Altrich").is_visible()
    assert page.get_by_text("Näherung:").is_visible()  # marked as an approximation, with its sources
    assert_accessible(page)
    screenshot(page, "guidance-estimator-village")
    # Without suggestions the typed postcode works as well.
    page.goto("/leitfaden/werkzeuge/betroffene-kinder/?municipality=54518")
    assert page.get_by_role("heading", name="Schätzung für Altrich").is_visible()

def test_coordinator_records_the_resolution_and_downloads_the_draft(page, seeded):
    from guidance.models import ResolutionEvidence, StepProgress

    login(page, "koordination2")  # coordinates Stadt Eschweiler, which has no progress yet

    page.goto("/leitfaden/")
    assert_accessible(page)
    page.get_by_role("link", name="Alle Schritte mit ihren Checklisten").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("heading", level=2, name="3. Beschluss fassen").get_by_role("link").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1, name="Beschluss fassen").is_visible()
    assert_accessible(page)
    screenshot(page, "guidance-step-3")

    page.get_by_role("link", name="Fortschritt für Stadt Eschweiler eintragen").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("in Arbeit").check()
    page.get_by_label("Eine Beschlussvorlage entwerfen").check()
    page.get_by_label("Die finanziellen Auswirkungen mit der Kämmerei klären").check()
    page.get_by_label("verantwortliche Person oder Stelle").fill("Jugendamt, Jugendhilfeplanung")
    page.get_by_label("Ausschuss oder Rat").fill("Jugendhilfeausschuss")
    page.get_by_label("Sitzungsdatum").fill("2025-03-12")
    page.get_by_label("Drucksachen- / Vorlagen-Nummer").fill("<script>")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_load_state()
    assert page.get_by_text("nur Buchstaben, Ziffern").first.is_visible()  # German validation message
    assert_accessible(page)
    page.get_by_label("Drucksachen- / Vorlagen-Nummer").fill("V/2025/041")
    page.get_by_label("Ergebnis").select_option("adopted")
    page.get_by_label("erledigt", exact=True).check()
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", level=1, name="Unser Fahrplan: Stadt Eschweiler").is_visible()
    step3 = page.locator("#step-3")
    assert "V/2025/041" in step3.inner_text()
    assert "Jugendhilfeausschuss" in step3.inner_text()
    assert "2 von 4 Aufgaben abgehakt" in step3.inner_text()
    assert_accessible(page)
    screenshot(page, "guidance-progress")
    progress = StepProgress.objects.get(municipality__slug="stadt-eschweiler", step__slug="beschluss-fassen")
    assert progress.status == "done" and progress.done_tasks.count() == 2
    evidence = ResolutionEvidence.objects.get(progress=progress)
    assert (evidence.reference, evidence.session_date.isoformat()) == ("V/2025/041", "2025-03-12")

    page.get_by_role("link", name="Beschlussvorlage mit diesen Daten entwerfen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Sachverhalt").is_visible()
    assert_accessible(page)
    screenshot(page, "guidance-resolution")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Als Word-Dokument herunterladen (.docx)").click()
    download = download_info.value
    assert download.suggested_filename == "Beschlussvorlage-Entwurf-stadt-eschweiler.docx"
    document = Document(io.BytesIO(open(download.path(), "rb").read()))
    text = "\n".join(p.text for p in document.paragraphs)
    for section in ("Sachverhalt", "Beschlussvorschlag", "Finanzielle Auswirkungen", "Begründung"):
        assert section in text
    assert "Stadt Eschweiler" in text


def test_heinsberg_way_overview_and_editing_pages(page, seeded):
    login(page, "verwaltung")
    page.goto("/leitfaden/kommunen/")
    assert_accessible(page)
    page.get_by_role("link", name="Kreis Heinsberg").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1, name="Unser Fahrplan: Kreis Heinsberg").is_visible()
    assert "0257/2015" in page.locator("#step-3").inner_text()  # the council's decision is public record
    # Verwaltung reads the status only: the Kreis's internal notes stay with its own people.
    assert "erledigt" in page.locator("#step-2").inner_text()
    assert "Frauen und Sucht NRW" not in page.locator("#step-2").inner_text()
    assert page.get_by_role("link", name="Schritt 3 bearbeiten").count() == 0  # Verwaltung reads only
    assert_accessible(page)
    screenshot(page, "guidance-progress-heinsberg")
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_load_state()

    login(page, "redaktion")
    page.goto("/leitfaden/kommunen/uebersicht/")
    assert page.get_by_role("row", name="Kreis Heinsberg").is_visible()
    assert_accessible(page)
    screenshot(page, "guidance-overview")
    page.goto("/leitfaden/fahrplan/umsetzen/")
    page.get_by_role("link", name="Diesen Schritt bearbeiten").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Zusammenfassung").fill("Vereinbarung in den Alltag bringen: Lotsen, Fortbildung, Fallarbeit.")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_load_state()
    assert page.get_by_text("Ihre Änderungen wurden gespeichert.").is_visible()
    page.get_by_role("link", name="Änderungsverlauf").click()
    page.wait_for_load_state()
    assert page.get_by_text("Rita Redaktion").first.is_visible()
    assert_accessible(page)
    screenshot(page, "guidance-history")
