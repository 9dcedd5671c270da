"""The German catalogue loads and German formats apply; English is selectable."""

import datetime
from decimal import Decimal

import pytest
from django.utils import formats, translation


def test_german_catalogue_translates_ui_strings():
    with translation.override("de"):
        assert translation.gettext("Log in") == "Anmelden"
        assert translation.gettext("Network registry") == "Netzwerkregister"
        assert translation.gettext("Good practice") == "Gute Praxis"


def test_german_date_and_number_formats():
    with translation.override("de"):
        assert formats.date_format(datetime.date(2016, 5, 1), "SHORT_DATE_FORMAT") == "01.05.2016"
        assert formats.number_format(Decimal("1234.5"), 1, use_l10n=True, force_grouping=True) == "1.234,5"


def test_home_page_is_german_by_default_even_for_an_english_browser(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "Ein starkes Netz für Kinder psychisch oder suchtkranker Eltern" in html
    assert "Netzwerkregister" in html


def test_language_switch_selects_english_and_back(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Network registry" in html
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert '<html lang="de">' in client.get("/").content.decode()


def test_the_language_switch_needs_no_csrf_token_and_stays_on_the_site(db):
    from django.test import Client

    visitor = Client(enforce_csrf_checks=True)
    response = visitor.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"  # an address elsewhere is never followed
    assert '<html lang="en">' in visitor.get("/").content.decode()


@pytest.mark.parametrize("url", ["/", "/leitfaden/", "/gute-praxis/", "/register/", "/suche/?q=Sucht"])
def test_reading_the_portal_without_signing_in_sets_no_cookie(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert dict(response.cookies) == {}
