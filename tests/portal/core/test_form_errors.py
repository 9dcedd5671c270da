"""Issue 16, WCAG 3.3.1 / 4.1.3: a failed submit shows an error summary at the top of the form that
links to each invalid field, and the page title starts with "Fehler: "."""

import re

import pytest
from django.test import Client
from django.urls import reverse


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def _summary(html: str) -> str:
    match = re.search(r'<div class="alert alert-danger form-error-summary"[^>]*>.*?</div>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


@pytest.mark.django_db
def test_access_request_errors_have_a_summary_linking_to_the_fields():
    response = Client().post(reverse("networks:access-request"), {"name": "", "email": "kein-mail"})
    assert response.status_code == 200
    html = response.content.decode()
    assert _title(html).startswith("Fehler: ")
    summary = _summary(html)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    links = re.findall(r'<a href="#([^"]+)"', summary)
    assert links, summary
    for anchor in links:
        assert anchor.startswith("id_")
        assert f'id="{anchor}"' in html  # the link target exists
    # the summary comes before the first field of the form
    assert html.index("form-error-summary") < html.index(f'id="{links[0]}"')


@pytest.mark.django_db
def test_a_valid_get_has_no_summary_and_no_prefix():
    html = Client().get(reverse("networks:access-request")).content.decode()
    assert "form-error-summary" not in html
    assert not _title(html).startswith("Fehler")


@pytest.mark.django_db
def test_failed_login_summary_and_fields():
    response = Client().post(reverse("login"), {"username": "nobody", "password": "wrong"})
    html = response.content.decode()
    assert _title(html).startswith("Fehler: ")
    summary = _summary(html)
    assert "nicht korrekt" in summary or "not correct" in summary  # the non-field error
    assert 'id="form-errors"' in summary
    for name in ("username", "password"):
        tag = re.search(rf'<input[^>]*id="id_{name}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag
        assert 'aria-describedby="form-errors"' in tag
        assert "autofocus" not in tag


@pytest.mark.django_db
def test_empty_login_links_to_both_fields():
    html = Client().post(reverse("login"), {}).content.decode()
    links = re.findall(r'<a href="#([^"]+)"', _summary(html))
    assert links == ["id_username", "id_password"]


@pytest.mark.django_db
def test_login_page_without_errors_keeps_autofocus():
    html = Client().get(reverse("login")).content.decode()
    assert "autofocus" in re.search(r'<input[^>]*id="id_username"[^>]*>', html).group(0)
