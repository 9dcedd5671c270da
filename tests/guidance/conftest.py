import pytest

from tests.factories.guidance import GMunicipalityFactory, eight_steps


@pytest.fixture
def steps(db):
    return eight_steps()


@pytest.fixture
def heinsberg(db):
    """Kreis Heinsberg with the child figures derived from its published estimate (5,900/900 at 18 %)."""
    return GMunicipalityFactory(
        name="Kreis Heinsberg", slug="kreis-heinsberg", kind="kreis", ags="05370000", bundesland="05",
        children_under_18=32800, children_under_3=5000,
        figures_source="abgeleitet aus der veröffentlichten Schätzung des Kreises (5.900 bzw. 900 bei 18 %)",
    )


@pytest.fixture
def eschweiler(db):
    return GMunicipalityFactory(name="Stadt Eschweiler", slug="stadt-eschweiler", ags="05334012", bundesland="05")


@pytest.fixture
def coordinator(koordination_user, heinsberg):
    heinsberg.coordinators.add(koordination_user)
    return koordination_user


@pytest.fixture
def other_coordinator(other_koordination_user, eschweiler):
    eschweiler.coordinators.add(other_koordination_user)
    return other_koordination_user
