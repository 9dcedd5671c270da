"""Browser journey through the good-practice catalogue, axe-checked on every page visited.

An anonymous visitor searches "Substitution", opens the Heinsberg example and follows a participant
into the registry; `koordination` submits an example, `redaktion` asks for a change, and after the
coordinator resubmits, publishes it.
"""

import re

from guidance.catalogue.models import Example, ExampleStatus
from networks.models import Actor, Municipality
from tests.browser.conftest import assert_accessible, login, screenshot

HEINSBERG = "kreis-heinsberg-suchthilfe-und-jugendhilfe"


def test_anonymous_finds_heinsberg_and_follows_a_participant(page, seeded):
    page.goto("/gute-praxis/")
    assert_accessible(page)
    page.locator("#catalogue-q").fill("Substitution")
    page.locator("form.catalogue-search button[type=submit]").click()
    page.wait_for_load_state()
    assert "q=Substitution" in page.url
    assert page.locator("mark").first.is_visible()
    assert_accessible(page)
    screenshot(page, "catalogue-search")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "list page scrolls sideways at 320 px"
    page.set_viewport_size({"width": 1280, "height": 900})

    page.locator(".catalogue-card h2 a", has_text="Substitutionsbehandlung").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/gute-praxis/{HEINSBERG}/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    screenshot(page, "catalogue-detail")

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "detail page scrolls sideways at 320 px"
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"/gute-praxis/{HEINSBERG}/steckbrief/")
    assert_accessible(page)
    screenshot(page, "catalogue-fact-sheet")
    page.emulate_media(media="print")
    screenshot(page, "catalogue-fact-sheet-print")
    page.emulate_media(media="screen")

    page.goto(f"/gute-praxis/{HEINSBERG}/")
    actor = Actor.objects.get(name="Kreisjugendamt Heinsberg")
    link = page.locator(".catalogue-participants a", has_text="Kreisjugendamt Heinsberg")
    assert link.get_attribute("href") == f"/register/partner/{actor.pk}/"
    link.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/register/partner/{actor.pk}/")
    assert "Kreisjugendamt Heinsberg" in page.locator("h1").inner_text()
    assert_accessible(page)


def _switch_user(page, username):
    page.context.clear_cookies()
    login(page, username)


def test_coordinator_submits_redaktion_asks_for_change_then_publishes(page, seeded):
    kreis = Municipality.objects.get(slug="kreis-heinsberg")
    if not kreis.coordinators.filter(username="koordination").exists():
        from django.contrib.auth import get_user_model

        kreis.coordinators.add(get_user_model().objects.get(username="koordination"))

    login(page, "koordination")
    page.goto("/gute-praxis/neu/")
    assert_accessible(page)
    screenshot(page, "catalogue-form")
    page.locator("#id_title").fill("Demodaten: Lotsen zwischen Klinik und Jugendamt")
    page.locator("#id_municipality").select_option(label="Kreis Heinsberg")
    page.locator("#id_lead_name").fill("Demodaten: Kreisjugendamt")
    page.locator("#id_goal").fill("Demodaten: Familien finden schneller passende Hilfe.")
    page.locator("form.catalogue-form button[type=submit]").click()
    page.wait_for_load_state()
    example = Example.objects.get(title__startswith="Demodaten: Lotsen")
    assert page.url.endswith(example.get_absolute_url())
    assert_accessible(page)
    page.locator("form[action$='/einreichen/'] button").click()
    page.wait_for_load_state()
    example.refresh_from_db()
    assert example.status == ExampleStatus.SUBMITTED

    # Anonymous visitors do not see it, not even by URL.
    page.context.clear_cookies()
    response = page.goto(example.get_absolute_url())
    assert response.status == 404
    assert_accessible(page)

    _switch_user(page, "redaktion")
    page.goto("/gute-praxis/verwalten/")
    assert_accessible(page)
    page.goto(f"/gute-praxis/{example.slug}/pruefen/")
    assert page.locator("table.catalogue-diff").is_visible()
    assert_accessible(page)
    screenshot(page, "catalogue-review")
    page.locator("#id_comment").fill("Bitte ergänzen Sie eine Quelle.")
    page.locator("button[value=request_changes]").click()
    page.wait_for_load_state()
    example.refresh_from_db()
    assert example.status == ExampleStatus.DRAFT
    assert_accessible(page)

    _switch_user(page, "koordination")
    page.goto(f"/gute-praxis/{example.slug}/verlauf/")
    assert "Bitte ergänzen Sie eine Quelle." in page.content()
    assert_accessible(page)
    page.goto(f"/gute-praxis/{example.slug}/bearbeiten/")
    page.locator("#id_links").fill("https://example.org/demodaten Demodaten-Quelle")
    page.locator("form.catalogue-form button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("form[action$='/einreichen/'] button").click()
    page.wait_for_load_state()

    _switch_user(page, "redaktion")
    page.goto(f"/gute-praxis/{example.slug}/pruefen/")
    page.locator("button[value=publish]").click()
    page.wait_for_load_state()
    example.refresh_from_db()
    assert example.status == ExampleStatus.PUBLISHED
    assert_accessible(page)

    page.context.clear_cookies()
    page.goto("/gute-praxis/?q=Lotsen")
    assert page.get_by_role("link", name=re.compile("Demodaten: Lotsen")).is_visible()
    assert_accessible(page)
