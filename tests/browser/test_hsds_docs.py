"""The HSDS API's documentation page works in a browser under the portal's Content-Security-Policy,
from the portal's own files only (the ``page`` fixture fails on any third-party request), and passes
axe-core, an operation opened with its parameters too."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


def test_swagger_ui_renders_every_endpoint_accessibly_without_csp_violations(page, transactional_db):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto("/api/hsds/docs/")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible()
    assert operations.count() >= 11
    expect(page.get_by_text("Starkes Netz – HSDS 3.0 API").first).to_be_visible()
    assert_accessible(page)
    page.locator('[id$="-getPaginatedListOfServices"] .opblock-summary-control').click()
    expect(page.locator('tr[data-param-name="municipality"]')).to_be_visible()
    expect(page.locator('tr[data-param-name="full"] select')).to_have_attribute("aria-label", "full")
    assert_accessible(page)
    violations = [text for text in messages if "Content Security Policy" in text or "Refused to" in text]
    assert violations == []
