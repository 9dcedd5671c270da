"""Slugs write German umlauts as ae, oe, ue and ß as ss, wherever the portal makes one."""

import pytest

from guidance.catalogue import services as catalogue_services
from portal.core.text import german_slugify
from tests.factories.catalogue import example_data


def test_german_transliteration_also_of_capitals():
    assert german_slugify("Lotsendienst für Ärzte, Öffentlichkeit & Übergänge – Straße") == (
        "lotsendienst-fuer-aerzte-oeffentlichkeit-uebergaenge-strasse")
    assert german_slugify("GROẞE Schritte") == "grosse-schritte"


@pytest.mark.django_db
def test_a_new_catalogue_example_gets_the_german_slug():
    example = catalogue_services.example_create(user=None, data=example_data(title="Lotsendienst für Kinder"))
    assert example.slug == "lotsendienst-fuer-kinder"
    second = catalogue_services.example_create(user=None, data=example_data(title="Lotsendienst für Kinder"))
    assert second.slug == "lotsendienst-fuer-kinder-2"


@pytest.mark.django_db
def test_registered_municipalities_get_the_german_slug():
    from networks import services

    taken: set[str] = set()
    assert services._unique_slug("Übach-Palenberg", "05370028", taken) == "uebach-palenberg"
    assert services._unique_slug("Übach-Palenberg", "05370099", taken) == "uebach-palenberg-05370099"
