"""The frame's pages: home, legal pages, error pages, security headers."""

import pytest
from django.test import override_settings
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("impressum", "Impressum"),
        ("datenschutz", "Datenschutzerklärung"),
    ],
)
def test_legal_pages_exist_and_say_they_are_placeholders(client, name, heading):
    """Impressum and Datenschutz need the operator's details; the accessibility statement works without
    them (its feedback form and the enforcement body, tests/portal/test_barrier_report.py)."""
    html = client.get(reverse(name)).content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert "Platzhalter" in html


@pytest.mark.django_db
def test_legal_pages_show_the_operator_once_configured(client, settings):
    settings.PORTAL_OPERATOR = {"name": "Kreis Musterstadt", "address": "Hauptstraße 1", "email": "a@b.de", "phone": ""}
    html = client.get(reverse("impressum")).content.decode()
    assert "Kreis Musterstadt" in html


@pytest.mark.django_db
def test_home_links_to_the_three_areas_and_the_legal_pages(client):
    html = client.get("/").content.decode()
    for url in (reverse("guidance:index"), reverse("networks:index"), reverse("catalogue:index")):
        assert f'href="{url}"' in html
    for url in (reverse("impressum"), reverse("datenschutz"), reverse("barrierefreiheit")):
        assert f'href="{url}"' in html
    assert html.count("<h1") == 1
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html


@pytest.mark.django_db
def test_unknown_page_gets_the_friendly_404_in_the_layout(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Seite nicht gefunden" in html
    assert 'class="skip-link"' in html


@pytest.mark.django_db
def test_server_error_page_is_friendly(client):
    from django.urls import path

    def boom(request):
        raise RuntimeError("boom")

    urlpatterns = [path("boom/", boom)]
    module = type("urls", (), {"urlpatterns": urlpatterns, "handler500": "portal.views.error_500"})
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF=module):
        response = client.get("/boom/")
    assert response.status_code == 500
    assert "Technischer Fehler" in response.content.decode()


@pytest.mark.django_db
def test_forbidden_page_in_the_layout(rf):
    from django.contrib.auth.models import AnonymousUser

    from portal.views import error_403

    request = rf.get("/x/")
    request.user = AnonymousUser()
    response = error_403(request)
    assert response.status_code == 403
    assert "Zugriff verweigert" in response.content.decode()


@pytest.mark.django_db
def test_security_headers_on_every_response(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


@pytest.mark.django_db
def test_site_search_page_answers_empty_and_odd_queries(client):
    assert client.get("/suche/").status_code == 200
    for query in ("", "   ", "<script>", "ä" * 500, "'; DROP TABLE x; --", "{{ 7*7 }}"):
        response = client.get("/suche/", {"q": query})
        assert response.status_code == 200
        assert "<script>" not in response.content.decode().split("<main", 1)[1]
