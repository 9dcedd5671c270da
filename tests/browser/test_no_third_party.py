"""No page loads anything from a third-party host (visitors' addresses stay with the operator).

The ``page`` fixture aborts and records every request that does not go to the live server; here the key
pages are visited as an anonymous visitor and per signed-in role, and every ``src``/``href`` of the
elements that load something (link, script, img, iframe, source, video, audio) must be same-origin.
"""

import pytest

from tests.browser.conftest import assert_accessible, login, screenshot

pytestmark = pytest.mark.browser

LOADING_ELEMENTS = """() => {
  const urls = [];
  for (const el of document.querySelectorAll('link[href], script[src], img[src], iframe[src], source[src], video[src], audio[src], embed[src], object[data]')) {
    urls.push(el.href || el.src || el.data);
  }
  return urls;
}"""


def public_paths() -> list[str]:
    from guidance.catalogue.models import Example
    from guidance.models import GuidancePage, RoadmapStep
    from networks.models import Actor, Municipality

    step = RoadmapStep.objects.order_by("number").first()
    guide = GuidancePage.objects.order_by("pk").first()
    example = Example.objects.filter(published_at__isnull=False).order_by("pk").first()
    actor = Actor.objects.filter(is_active=True, municipality__slug="kreis-heinsberg").order_by("pk").first()
    municipality = Municipality.objects.get(slug="kreis-heinsberg")
    return [
        "/", "/leitfaden/", "/leitfaden/fahrplan/", f"/leitfaden/fahrplan/{step.slug}/",
        f"/leitfaden/themen/{guide.slug}/", "/leitfaden/grafiken/", "/leitfaden/werkzeuge/betroffene-kinder/",
        "/leitfaden/werkzeuge/kosten-und-nutzen/", "/gute-praxis/", "/gute-praxis/?q=Sucht",
        f"/gute-praxis/{example.slug}/", f"/gute-praxis/{example.slug}/steckbrief/", "/register/partner/",
        "/register/kommunen/", f"/register/kommunen/{municipality.slug}/",
        f"/register/kommunen/{municipality.slug}/netzwerk/", f"/register/partner/{actor.pk}/",
        "/suche/?q=Sucht", "/impressum/", "/datenschutz/", "/accounts/login/",
    ]


def signed_in_paths() -> list[str]:
    from guidance.models import RoadmapStep
    from networks.models import Actor

    step = RoadmapStep.objects.order_by("number").first()
    actor = Actor.objects.filter(is_active=True, municipality__slug="kreis-heinsberg").order_by("pk").first()
    return [
        "/accounts/meine-daten/", f"/register/partner/{actor.pk}/", f"/register/partner/{actor.pk}/bearbeiten/",
        "/leitfaden/kommunen/kreis-heinsberg/", f"/leitfaden/kommunen/kreis-heinsberg/{step.slug}/",
        "/gute-praxis/neu/", "/suche/?q=Heinsberg",
    ]


def visit_and_check(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    origin = page.evaluate("() => location.origin")
    foreign = [url for url in page.evaluate(LOADING_ELEMENTS)
               if not url.startswith(origin + "/") and not url.startswith("data:")]
    assert foreign == [], f"{path} refers to other hosts: {foreign}"
    assert page.foreign_requests == [], f"{path} requested: {page.foreign_requests}"
    assert_accessible(page)


def test_public_pages_load_nothing_from_third_parties(page, seeded):
    for path in public_paths():
        visit_and_check(page, path)


def test_signed_in_pages_load_nothing_from_third_parties(page, seeded):
    login(page, "koordination")
    for path in signed_in_paths():
        visit_and_check(page, path)
        if path == "/accounts/meine-daten/":
            screenshot(page, "my-data")
