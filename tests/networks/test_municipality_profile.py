"""What the portal records beyond the register: a kreisangehörige Gemeinde's own Jugendamt and newer
official child figures (with source and date), kept by its coordinators or the Redaktion."""

import pytest
from django.urls import reverse

from networks.models import Municipality
from tests.factories.networks import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kreis():
    return MunicipalityFactory(name="Kreis Heinsberg", slug="kreis-heinsberg", kind="kreis", ags="05370000",
                               population=255_555, has_youth_office=True)


@pytest.fixture
def town(kreis):
    return MunicipalityFactory(name="Erkelenz, Stadt", slug="erkelenz", kind="stadt", ags="05370004", parent=kreis,
                               population=43_364, has_youth_office=False)


def form_data(municipality, **changes):
    data = {"version": municipality.version, "figures_source": "", "figures_date": "", "notes": "", "website": ""}
    data.update(changes)
    return data


def edit_url(municipality):
    return reverse("networks:municipality-edit", kwargs={"slug": municipality.slug})


def test_a_coordinator_records_the_jugendamt_and_newer_figures(client, town, koordination_user):
    town.coordinators.add(koordination_user)
    client.force_login(koordination_user)
    assert 'href="' + edit_url(town) + '"' in client.get(town.get_absolute_url()).content.decode()
    response = client.post(edit_url(town), form_data(
        town, has_youth_office="on", children_under_18="7400", children_under_3="1150",
        figures_source="IT.NRW, Regionalstatistik 12411, 31.12.2023", figures_date="2023-12-31",
    ))
    assert response.status_code == 302
    town.refresh_from_db()
    assert town.has_youth_office and (town.children_under_18, town.children_under_3) == (7400, 1150)
    page = client.get(town.get_absolute_url()).content.decode()
    assert "etwa 7.400 unter 18 Jahren" in page and "IT.NRW, Regionalstatistik 12411" in page
    assert "Näherung" not in page
    estimator = client.get(reverse("guidance:estimator"), {"municipality": town.slug}).content.decode()
    assert 'value="7400"' in estimator


def test_figures_need_a_source_and_must_be_plausible(client, town, koordination_user):
    town.coordinators.add(koordination_user)
    client.force_login(koordination_user)
    html = client.post(edit_url(town), form_data(town, children_under_18="7400")).content.decode()
    assert "Bitte nennen Sie die Quelle der Kinderzahlen." in html
    html = client.post(edit_url(town), form_data(
        town, children_under_18="90000", figures_source="Schätzung")).content.decode()
    assert "nicht mehr Kinder als Einwohnerinnen und Einwohner" in html
    town.refresh_from_db()
    assert town.children_under_18 is None and town.version == 1


def test_a_kreis_always_keeps_its_jugendamt(client, kreis, redaktion_user):
    client.force_login(redaktion_user)  # the Redaktion may edit any municipality's record
    response = client.post(edit_url(kreis), form_data(kreis))  # the box unticked
    assert response.status_code == 302
    assert Municipality.objects.get(pk=kreis.pk).has_youth_office


def test_others_may_not(client, town, verwaltung_user, other_koordination_user):
    for user in (verwaltung_user, other_koordination_user):
        client.force_login(user)
        assert client.get(edit_url(town)).status_code == 403
        assert client.post(edit_url(town), form_data(town, has_youth_office="on")).status_code == 403
    client.logout()
    assert client.get(edit_url(town)).status_code == 302
    assert not Municipality.objects.get(pk=town.pk).has_youth_office


def test_two_editors_do_not_overwrite_each_other(client, town, redaktion_user, koordination_user):
    town.coordinators.add(koordination_user)
    stale = town.version
    client.force_login(redaktion_user)
    client.post(edit_url(town), form_data(town, has_youth_office="on"))
    client.force_login(koordination_user)
    response = client.post(edit_url(town), form_data(town, version=stale, notes="Meine Notiz"))
    assert response.status_code == 409
    town.refresh_from_db()
    assert town.has_youth_office and town.notes == ""
