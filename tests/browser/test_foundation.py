"""Browser journeys of the frame: German home page, navigation, skip link, language switch, narrow screens.

Every demo role signs in through the login form in the crawl (``test_crawl_axe``), which checks the
user menu after signing in and on every page it visits."""

from tests.browser.conftest import assert_accessible, screenshot


def test_home_page_is_german_and_leads_to_the_three_areas(page, seeded):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("heading", level=1).count() == 1
    assert_accessible(page)
    screenshot(page, "home")
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    for label, path in (
        ("Fahrplan & Leitfaden", "/leitfaden/"),
        ("Netzwerkregister", "/register/"),
        ("Gute Praxis", "/gute-praxis/"),
    ):
        nav.get_by_role("link", name=label).click()
        page.wait_for_url(f"**{path}")
        assert page.get_by_role("heading", level=1).count() == 1
        assert_accessible(page)


def test_skip_link_moves_focus_to_the_content(page, seeded):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url("**/#main", timeout=5000)  # the fragment navigation is not synchronous with the key press
    assert page.url.endswith("#main")


def test_language_switch_to_english_and_back(page, seeded):
    page.goto("/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Network registry").first.is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Deutsch").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "de"


def test_narrow_screen_has_no_horizontal_scrolling(page, seeded):
    page.set_viewport_size({"width": 320, "height": 800})
    for path in ("/", "/leitfaden/", "/register/", "/gute-praxis/"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls horizontally by {overflow}px at 320px"
    screenshot(page, "home-320")
