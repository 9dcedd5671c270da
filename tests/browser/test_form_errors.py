"""Issue 16 (WCAG 3.3.1 / 4.1.3): after a failed submit the focus lands on the error summary, whose
links lead to the invalid fields."""

from tests.browser.conftest import assert_accessible


def test_failed_submit_focuses_the_error_summary(page, transactional_db):
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    assert page.title().startswith("Fehler: ")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'form-errors'")
    assert page.evaluate("document.activeElement.getAttribute('role')") == "alert"
    page.locator("#form-errors a[href='#id_password']").click()
    assert page.evaluate("document.activeElement.id") == "id_password"
    assert_accessible(page)
