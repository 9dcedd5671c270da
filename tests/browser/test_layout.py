"""Issue 16 in a browser: the portal on a phone (390 × 844 px) and on a desktop.

A compact header whose menu button opens the menu by keyboard, with and without JavaScript; in the
catalogue the keyboard reaches a result before the filters; the registry shows a result without
scrolling; charts scroll in a labelled, focusable region; the roadmap's arrows are silent and stay
clear of the titles."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _axe, assert_accessible

PHONE = {"width": 390, "height": 844}


def _context(browser, live_server, *, viewport, javascript=True):
    context = browser.new_context(base_url=live_server.url, locale="de-DE", viewport=viewport,
                                  java_script_enabled=javascript)
    context.set_default_timeout(15_000)
    foreign = []

    def guard(route):
        if route.request.url.startswith(live_server.url) or route.request.url.startswith("data:"):
            return route.continue_()
        foreign.append(route.request.url)
        return route.abort()

    context.route("**/*", guard)
    if javascript:
        context.add_init_script(script=_axe().axe_script)
    return context, foreign


@pytest.fixture
def phone(browser, live_server, settings):
    from portal.core import pagecache

    settings.PAGE_CACHE_ENABLED = True
    pagecache.clear()
    context, foreign = _context(browser, live_server, viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()
    assert not foreign, f"pages requested third-party hosts: {foreign}"


@pytest.fixture
def phone_without_js(browser, live_server):
    context, foreign = _context(browser, live_server, viewport=PHONE, javascript=False)
    page = context.new_page()
    yield page
    context.close()
    assert not foreign, f"pages requested third-party hosts: {foreign}"


def _focused(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || '').trim().slice(0, 80),
                inFacets: !!el.closest('.catalogue-facets'), inResult: !!el.closest('.catalogue-card'),
                inMenu: !!el.closest('.site-menu'), summary: el.tagName === 'SUMMARY'};
    }""")


def _tab_to_menu_button(page) -> None:
    for _ in range(5):
        page.keyboard.press("Tab")
        if _focused(page)["summary"]:
            return
    raise AssertionError("the menu button is not reached by Tab")


def test_phone_header_is_compact_and_its_menu_opens_by_keyboard(seeded, phone):
    phone.goto("/")
    header = phone.locator("header.site-header")
    assert header.bounding_box()["height"] <= 120
    navigation = phone.get_by_role("navigation", name="Hauptnavigation")
    expect(navigation).to_be_hidden()
    _tab_to_menu_button(phone)
    toggle = phone.locator("summary.site-menu__toggle")
    expect(toggle).to_be_focused()
    # The focus is visible: the portal's outline, not the browser's faint default.
    outline = toggle.evaluate("el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth")
    assert outline == "solid 3px"
    phone.keyboard.press("Enter")
    expect(navigation).to_be_visible()
    expect(navigation.get_by_role("link", name="Netzwerkregister")).to_be_visible()
    expect(phone.get_by_role("search").get_by_role("searchbox")).to_be_visible()
    expect(phone.get_by_role("link", name="Anmelden")).to_be_visible()
    assert_accessible(phone)
    phone.keyboard.press("Tab")
    assert _focused(phone)["inMenu"]  # into the opened menu, in order
    phone.keyboard.press("Escape")  # with JavaScript: closes and returns to the button
    expect(navigation).to_be_hidden()
    expect(toggle).to_be_focused()
    phone.keyboard.press(" ")
    expect(navigation).to_be_visible()
    navigation.get_by_role("link", name="Gute Praxis").click()
    phone.wait_for_load_state()
    assert phone.url.endswith("/gute-praxis/")
    assert phone.locator("header.site-header").bounding_box()["height"] <= 120


@pytest.mark.parametrize("width", [320, 390, 768])
def test_brand_and_menu_button_never_overlap(seeded, phone, width):
    phone.set_viewport_size({"width": width, "height": 700})
    phone.goto("/")
    brand = phone.locator("header .brand").bounding_box()
    toggle = phone.locator("summary.site-menu__toggle").bounding_box()
    assert brand["x"] + brand["width"] <= toggle["x"]
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_phone_menu_works_without_javascript(seeded, phone_without_js):
    page = phone_without_js
    page.goto("/leitfaden/")
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    expect(navigation).to_be_hidden()
    _tab_to_menu_button(page)
    page.keyboard.press("Enter")
    expect(navigation).to_be_visible()
    navigation.get_by_role("link", name="Netzwerkregister").click()
    page.wait_for_load_state()
    assert page.url.endswith("/register/")


def test_desktop_shows_the_menu_without_a_button(seeded, page):
    page.goto("/")
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_be_visible()
    expect(page.locator("summary.site-menu__toggle")).to_be_hidden()
    expect(page.get_by_role("link", name="Anmelden")).to_be_visible()
    assert page.locator("header.site-header").bounding_box()["height"] <= 130


def test_catalogue_on_a_phone_reaches_a_result_before_the_filters(seeded, phone):
    phone.goto("/gute-praxis/")
    phone.get_by_label("Beispiele durchsuchen").focus()
    stops = []
    for _ in range(8):
        phone.keyboard.press("Tab")
        stops.append(_focused(phone))
        if stops[-1]["inResult"] or stops[-1]["inFacets"]:
            break
    assert stops[-1]["inResult"], f"after the search the focus went to {stops}"
    assert len(stops) <= 4  # sort, search button, then the first example
    # The filters are folded per group, below the results; opening one works by keyboard.
    group = phone.locator(".catalogue-facets details").first
    assert group.get_attribute("open") is None
    group.locator("summary").focus()
    phone.keyboard.press("Enter")
    assert group.get_attribute("open") is not None
    expect(group.get_by_role("link").first).to_be_visible()
    assert_accessible(phone)


def test_registry_on_a_phone_shows_a_result_without_scrolling(seeded, phone):
    phone.goto("/register/")
    first = phone.locator(".registry-results .card-title a").first
    box = first.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], "the first result is below the fold"
    panel = phone.locator("details.registry-filter-panel")
    expect(panel.get_by_label("Bundesland")).to_be_hidden()
    panel.locator("summary").click()
    expect(panel.get_by_label("Bundesland")).to_be_visible()
    assert_accessible(phone)


def test_registry_filters_stay_open_on_a_desktop(seeded, page):
    page.goto("/register/")
    expect(page.get_by_label("Bundesland")).to_be_visible()
    expect(page.locator("details.registry-filter-panel > summary")).to_be_hidden()


def test_charts_scroll_in_a_labelled_focusable_region_on_a_phone(seeded, phone):
    phone.goto("/leitfaden/grafiken/")
    regions = phone.get_by_role("region", name="Grafik:")
    if not regions.count():  # until the German text of the label is compiled
        regions = phone.locator(".guidance-chart-scroll[role=region]")
    assert regions.count() == 5
    region = regions.first
    assert region.get_attribute("aria-label")
    region.focus()
    expect(region).to_be_focused()
    metrics = region.evaluate("""el => {
        const svg = el.querySelector('svg');
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        const smallest = Math.min(...[...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale));
        return {scrolls: el.scrollWidth > el.clientWidth, smallest,
                captionInside: !!el.querySelector('figcaption, caption')};
    }""")
    assert metrics["scrolls"] and not metrics["captionInside"]
    assert metrics["smallest"] >= 8  # CSS pixels: the labels keep a readable size instead of shrinking to 4 px
    phone.keyboard.press("ArrowRight")  # the focused region scrolls by keyboard
    phone.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle())
    assert_accessible(phone)


def test_roadmap_arrows_are_silent_and_clear_of_the_titles(seeded, page):
    for width in (1280, 900, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/leitfaden/fahrplan/")
        arrows = page.locator(".roadmap-sequence__arrow")
        assert arrows.count() == 7
        overlaps = page.evaluate("""() => {
            const boxes = [...document.querySelectorAll('.roadmap-sequence__title, .roadmap-sequence__summary')]
                .map(el => el.getBoundingClientRect());
            const out = [];
            document.querySelectorAll('.roadmap-sequence__arrow').forEach(arrow => {
                if (arrow.getAttribute('aria-hidden') !== 'true') out.push('not hidden');
                const a = arrow.getBoundingClientRect();
                boxes.forEach(b => {
                    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) out.push('overlap');
                });
            });
            return out;
        }""")
        assert not overlaps, f"at {width} px: {overlaps}"
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    # Nothing of the arrows reaches the accessibility tree.
    tree = page.locator(".roadmap-sequence").aria_snapshot()
    assert "→" not in tree and "↓" not in tree


def test_no_page_asks_for_a_missing_icon(seeded, page):
    missing = []
    page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)
    page.goto("/")
    page.goto("/gute-praxis/")
    assert not missing, missing
    icon = page.request.get("/favicon.ico")  # what a browser asks for on its own
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.url.endswith("/static/favicon.svg")



# The text spacing of WCAG 1.4.12 (as the usual bookmarklet sets it).
TEXT_SPACING = ("* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
                " p { margin-bottom: 2em !important; }")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE])
def test_more_text_spacing_clips_no_chart_label_and_no_arrow_covers_a_title(seeded, browser, live_server, viewport):
    context = browser.new_context(base_url=live_server.url, locale="de-DE", viewport=viewport, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto("/leitfaden/grafiken/")
        page.add_style_tag(content=TEXT_SPACING)
        cut = page.evaluate("""() => {
            const out = [];
            document.querySelectorAll('.guidance-chart-scroll').forEach(region => {
                const area = region.getBoundingClientRect();
                region.querySelectorAll('svg text').forEach(text => {
                    const box = text.getBoundingClientRect();
                    // Left of the region nothing can be scrolled to; to the right the region scrolls.
                    if (box.left < area.left - 0.5) out.push(text.textContent);
                });
            });
            return out;
        }""")
        assert not cut, f"labels cut off on the left: {cut}"
        page.goto("/leitfaden/fahrplan/")
        page.add_style_tag(content=TEXT_SPACING)
        covered = page.evaluate("""() => {
            const titles = [...document.querySelectorAll('.roadmap-sequence__title, .roadmap-sequence__summary')]
                .map(el => el.getBoundingClientRect());
            return [...document.querySelectorAll('.roadmap-sequence__arrow')].filter(arrow => {
                const a = arrow.getBoundingClientRect();
                return titles.some(b => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom);
            }).length;
        }""")
        assert covered == 0
    finally:
        context.close()
