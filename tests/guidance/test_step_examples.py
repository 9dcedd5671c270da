"""A roadmap step shows at most ten examples and links to the catalogue for the rest."""

import pytest

from tests.factories.catalogue import MunicipalityFactory, RoadmapStepFactory, make_example

pytestmark = pytest.mark.django_db


def test_step_page_shows_ten_examples_and_links_to_all(client):
    step = RoadmapStepFactory()
    municipality = MunicipalityFactory()
    for n in range(12):
        make_example(municipality=municipality, title=f"Beispiel Nummer {n:02d}", steps=[step.pk])
    html = client.get(step.get_absolute_url()).content.decode()
    assert html.count("Beispiel Nummer") == 10
    assert f"/gute-praxis/?step={step.slug}" in html
    assert "Alle Beispiele guter Praxis zu diesem Schritt" in html


def test_step_page_without_more_examples_has_no_link(client):
    step = RoadmapStepFactory()
    make_example(municipality=MunicipalityFactory(), title="Einziges Beispiel", steps=[step.pk])
    html = client.get(step.get_absolute_url()).content.decode()
    assert "Einziges Beispiel" in html
    assert f"?step={step.slug}" not in html
