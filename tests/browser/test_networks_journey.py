"""Registry journey: a coordinator adds a partner, links a cooperation and sees the gap shrink;
another coordinator is refused on Heinsberg's partner. axe-core checks every page visited."""

import re

from tests.browser.conftest import assert_accessible, login, screenshot


def coverage(page) -> int:
    text = page.locator(".gap-coverage").inner_text()
    return int(re.search(r"\((\d+)\s*%\)", text).group(1))


def test_coordinator_journey(page, seeded):
    from networks.models import Actor

    page.goto("/register/")
    assert_accessible(page)
    page.get_by_label("Stichwort").fill("hückelhoven")
    page.get_by_role("button", name="Ergebnisse anzeigen").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Jugendamt der Stadt Hückelhoven").is_visible()
    assert_accessible(page)

    login(page, "koordination")
    page.goto("/register/kommunen/kreis-heinsberg/")
    assert_accessible(page)
    before = coverage(page)
    screenshot(page, "networks-municipality-before")

    page.get_by_role("link", name="Partner hinzufügen").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Name der Organisation").fill("Sozialpsychiatrischer Dienst des Kreises (Test)")
    page.locator("#id_actor_type").select_option(label="Sozialpsychiatrischer Dienst")
    page.get_by_label("Art des Trägers").select_option("public")
    page.get_by_label("Postleitzahl").fill("123")
    page.get_by_role("button", name="Partner speichern").click()
    page.wait_for_load_state()
    assert page.get_by_text("genau fünf Ziffern").first.is_visible()  # German validation message
    assert_accessible(page)
    page.get_by_label("Postleitzahl").fill("52525")
    page.get_by_role("button", name="Partner speichern").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1, name="Sozialpsychiatrischer Dienst des Kreises (Test)").is_visible()
    assert_accessible(page)
    new_partner = Actor.objects.get(name="Sozialpsychiatrischer Dienst des Kreises (Test)")

    page.goto("/register/kommunen/kreis-heinsberg/")
    after_partner = coverage(page)
    assert after_partner > before
    without = page.locator(".gap-partial")
    assert "Sozialpsychiatrischer Dienst" in without.inner_text()

    page.get_by_role("link", name="Kooperation hinzufügen").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Titel").fill("Kooperation Sozialpsychiatrie und Jugendhilfe")
    page.locator("#id_kind").select_option("agreement")
    page.get_by_label("Sozialpsychiatrischer Dienst des Kreises (Test) (Sozialpsychiatrischer Dienst)", exact=True).check()
    page.get_by_label("Kreisjugendamt Heinsberg (Jugendamt)", exact=True).check()
    page.get_by_role("button", name="Kooperation speichern").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1, name="Kooperation Sozialpsychiatrie und Jugendhilfe").is_visible()
    assert_accessible(page)

    page.goto("/register/kommunen/kreis-heinsberg/")
    assert "Sozialpsychiatrischer Dienst" in page.locator(".gap-ok").inner_text()
    assert "Sozialpsychiatrischer Dienst" not in page.locator(".gap-partial").inner_text()
    assert_accessible(page)
    screenshot(page, "networks-municipality-after")

    page.goto("/register/kommunen/kreis-heinsberg/netzwerk/")
    assert page.locator("svg circle").count() == 10
    assert_accessible(page)
    screenshot(page, "networks-graph")

    page.goto(new_partner.get_absolute_url())
    screenshot(page, "networks-partner")
    assert page.get_by_role("heading", name="Änderungsverlauf").is_visible()
    assert_accessible(page)


def test_other_coordinator_is_refused(page, seeded):
    from networks.models import Actor

    actor = Actor.objects.get(name="Kreisjugendamt Heinsberg")
    login(page, "koordination2")
    page.goto(actor.get_absolute_url())
    assert page.get_by_role("link", name="Bearbeiten").count() == 0
    assert_accessible(page)
    response = page.goto(f"/register/partner/{actor.pk}/bearbeiten/")
    assert response.status == 403
    assert_accessible(page)
    page.goto("/register/kommunen/stadt-eschweiler/")
    assert page.get_by_role("link", name="Partner hinzufügen").is_visible()
    assert_accessible(page)
    page.goto("/register/import/")
    assert_accessible(page)


def test_registry_pages_are_accessible(page, seeded):
    from networks.models import Actor, Cooperation

    page.set_viewport_size({"width": 320, "height": 800})
    for path in ["/register/kommunen/", "/register/?sector=suchthilfe", "/register/kommunen/stadt-eschweiler/"]:
        page.goto(path)
        assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 330  # no horizontal scrolling at 320px
    screenshot(page, "networks-eschweiler-320")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/register/?q=sucht")
    screenshot(page, "networks-list")

    login(page, "koordination")
    actor = Actor.objects.get(name="Kreisjugendamt Heinsberg")
    coop = Cooperation.objects.get(title="Beteiligtenkonferenz")
    for path in [
        f"/register/kooperationen/{coop.pk}/",
        f"/register/kooperationen/{coop.pk}/bearbeiten/",
        f"/register/partner/{actor.pk}/deaktivieren/",
        f"/register/partner/{actor.pk}/ansprechpersonen/neu/",
    ]:
        page.goto(path)
        assert_accessible(page)

    # Import with errors: the per-row error table.
    page.goto("/register/import/")
    page.locator("#id_municipality").select_option(label="Kreis Heinsberg")
    csv_text = "Name;Typ;E-Mail\r\nStelle A;gibt-es-nicht;a@example.org\r\nStelle B;kita;kaputt@\r\n"
    page.locator("#id_file").set_input_files(
        files=[{"name": "partner.csv", "mimeType": "text/csv", "buffer": csv_text.encode("cp1252")}]
    )
    page.get_by_role("button", name="Datei prüfen").click()
    page.wait_for_load_state()
    assert page.get_by_text("Es wurde nichts importiert.").is_visible()
    assert_accessible(page)
    screenshot(page, "networks-import-errors")

    # Stale edit: the refusal with the field-level diff.
    page.goto(f"/register/partner/{actor.pk}/bearbeiten/")
    from networks import services

    services.actor_update(actor=actor, data={"phone": "02452 999"}, version=actor.version, by=None)
    page.get_by_label("Angebot für betroffene Familien").fill("Geändert im Browser")
    page.get_by_role("button", name="Partner speichern").click()
    page.wait_for_load_state()
    assert page.get_by_text("Nicht gespeichert: Jemand anderes hat den Eintrag inzwischen geändert").is_visible()
    assert page.get_by_label("Angebot für betroffene Familien").input_value() == "Geändert im Browser"
    assert page.evaluate("document.activeElement.id") == "conflict"  # the explanation is read first
    assert page.get_by_role("cell", name="02452 999").is_visible()
    assert_accessible(page)
    screenshot(page, "networks-stale-edit")
