"""A way in: an official of a municipality asks for access from the municipality's page, the Redaktion
approves it, the official sets a password through the e-mailed link, signs in and keeps the partners."""

import re

from django.core import mail

from tests.browser.conftest import assert_accessible, login, screenshot


def test_requested_access_becomes_a_working_coordinator_account(page, seeded):
    from networks.models import AccessRequest

    page.goto("/register/kommunen/gemeinde-gangelt/")
    page.get_by_role("link", name="Zugang beantragen").click()
    page.wait_for_load_state()
    assert page.locator("#id_municipality").input_value() == "Gemeinde Gangelt (05370008)"
    assert_accessible(page)
    page.get_by_label("Ihr Name").fill("Frieda Fröhlich")
    page.get_by_label("Ihre E-Mail-Adresse").fill("frieda@gangelt.example")
    page.get_by_label("Ihre Funktion").fill("Fachbereich Jugend und Familie")
    page.get_by_label("Warum beantragen Sie den Zugang?").fill(
        "Ich koordiniere ab Januar das Netzwerk Frühe Hilfen der Gemeinde Gangelt im Auftrag der Bürgermeisterin."
    )
    page.get_by_label("Ich habe den Datenschutzhinweis gelesen.").check()
    screenshot(page, "access-request-form")
    page.get_by_role("button", name="Anfrage senden").click()
    page.wait_for_load_state()
    assert_accessible(page)
    access_request = AccessRequest.objects.get()
    assert access_request.user is None  # no account before approval

    login(page, "redaktion")
    page.get_by_role("link", name="Zugangsanfragen").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Frieda Fröhlich")).click()
    page.wait_for_load_state()
    assert_accessible(page)
    screenshot(page, "access-request-review")
    mail.outbox.clear()
    page.get_by_role("button", name=re.compile("Bewilligen|bewilligen")).click()
    page.wait_for_load_state()
    access_request.refresh_from_db()
    assert access_request.status == "approved" and access_request.user is not None

    body = next(m.body for m in mail.outbox if m.to == ["frieda@gangelt.example"])
    link = re.search(r"https?://\S+/accounts/reset/\S+", body).group(0)
    page.get_by_role("button", name="Abmelden").click()
    page.goto(link)
    page.wait_for_load_state()
    page.locator("#id_new_password1").fill("Ein-langes-Gangelt-Passwort-2026")
    page.locator("#id_new_password2").fill("Ein-langes-Gangelt-Passwort-2026")
    page.get_by_role("button", name=re.compile("Passwort")).click()
    page.wait_for_load_state()
    assert_accessible(page)

    login(page, "frieda@gangelt.example", "Ein-langes-Gangelt-Passwort-2026")
    page.goto("/register/kommunen/gemeinde-gangelt/")
    page.get_by_role("link", name="Partner hinzufügen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Partner in Gemeinde Gangelt hinzufügen"
    assert_accessible(page)
