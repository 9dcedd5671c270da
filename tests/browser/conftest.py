"""Browser tests: Playwright drives Debian's chromium against pytest-django's live_server.

Without chromium the tests skip locally; with CI=true they fail instead, so CI always runs them.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"chromium not found at {CHROMIUM}; CI must run the browser tests")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    # The journeys run with the page cache on, as in production: every edit must show at once.
    from portal.core import pagecache

    settings.PAGE_CACHE_ENABLED = True
    pagecache.clear()
    context = browser.new_context(base_url=live_server.url, locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    # No third-party requests: anything not served by the live server is recorded and aborted.
    foreign = []

    def guard(route):
        if route.request.url.startswith(live_server.url) or route.request.url.startswith("data:"):
            return route.continue_()
        foreign.append(route.request.url)
        return route.abort()

    context.route("**/*", guard)
    # axe-core is part of every document of the context, ready for ``axe_violations``: sending it to
    # each page again would cost a third of a page check.
    context.add_init_script(script=_axe().axe_script)
    page = context.new_page()
    page.foreign_requests = foreign
    yield page
    context.close()
    assert not foreign, f"pages requested third-party hosts: {foreign}"


_SEEDED_SNAPSHOT = None


@pytest.fixture
def seeded(transactional_db):
    """The demo content, as `make run` loads it.

    On the in-memory SQLite test database the content is loaded once per test process and then
    copied back page by page before each test (SQLite's backup API), which is faster than loading it
    again; other databases load it for every test."""
    import sqlite3

    from django.core.management import call_command
    from django.db import connection

    global _SEEDED_SNAPSHOT
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if in_memory and _SEEDED_SNAPSHOT is not None:
        connection.ensure_connection()
        _SEEDED_SNAPSHOT.backup(connection.connection)
        return
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    if in_memory:
        _SEEDED_SNAPSHOT = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(_SEEDED_SNAPSHOT)


def login(page, username: str, password: str = "Starkes-Netz-Demo") -> None:
    """Sign in through the login form, and make sure it worked: the header names the person and
    offers to log out (a failed login stays on the login page with an error)."""
    page.goto("/accounts/login/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    assert_signed_in(page, username)


def assert_signed_in(page, username: str) -> None:
    from playwright.sync_api import expect

    header = page.locator("header.site-header")
    expect(header.get_by_text(f"Angemeldet als {username}", exact=True)).to_be_visible()
    expect(header.get_by_role("button", name="Abmelden")).to_be_visible()


_AXE = None
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def _axe():
    global _AXE
    if _AXE is None:
        from axe_playwright_python.sync_playwright import Axe

        _AXE = Axe()
    return _AXE


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA) on the current page; return its violations."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(_axe().axe_script)  # a document the init script did not reach
    return page.evaluate("options => axe.run(document, options).then(results => results.violations)", AXE_OPTIONS)


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}" for v in violations
    ]
    assert not violations, f"axe violations on {page.url}:\n" + "\n".join(summary)


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
