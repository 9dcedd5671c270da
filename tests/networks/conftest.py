import io

import pytest


@pytest.fixture
def demo(db):
    """The registry's demo content (taxonomy, Kreis Heinsberg, Stadt Eschweiler)."""
    from portal.demo.registry import seed

    seed(stdout=io.StringIO())
    from networks.models import Municipality

    return {
        "heinsberg": Municipality.objects.get(slug="kreis-heinsberg"),
        "eschweiler": Municipality.objects.get(slug="stadt-eschweiler"),
    }
