"""Every query parameter of the list, search and tool pages, fuzzed: never a 500, and reading a
page never writes to the database."""

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidance.catalogue.filters import FACET_PARAMS
from guidance.forms import CostForm, EstimatorForm, PaperSearchForm, ResolutionChoiceForm
from networks.filters import FACETS
from tests.security.conftest import add_figure
from tests.security.strategies import db_fingerprint, nasty_text

EXAMPLES = 25
HSDS_LIST = ["search", "page", "per_page", "format"]

# (user, url, parameters). Parameter names come from the filters and forms where they exist, so a
# new facet or tool field is fuzzed without touching this table.
PAGES = [
    (None, "/", ["q"]),
    (None, "/suche/", ["q", "page"]),
    (None, "/register/", ["q", "page", *[k for k, _l in FACETS]]),
    (None, "/register/partner/", ["q", "page", *[k for k, _l in FACETS]]),
    (None, "/register/kommunen/", ["q", "land", "kind", "page"]),
    (None, "/register/kommunen/kreis-heinsberg/", ["page", "coop_page", "type"]),
    (None, "/register/kommunen/kreis-heinsberg/netzwerk/", ["page"]),
    (None, "/register/partner/vorschlaege/", ["q", "kommune"]),
    (None, "/register/kommunen/kreis-heinsberg/hsds.json", ["download"]),
    # The HSDS API: the parameters of the HSDS 3.0 reference and the extension "municipality".
    (None, "/api/hsds/services", [*HSDS_LIST, "taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after",
                                  "minimal", "full", "municipality"]),
    (None, "/api/hsds/organizations", [*HSDS_LIST, "full_service", "full", "modified_after", "municipality"]),
    (None, "/api/hsds/service_at_locations", [*HSDS_LIST, "taxonomy_term_id", "taxonomy_id", "organization_id",
                                              "modified_after", "full", "postcode", "proximity", "municipality"]),
    (None, "/api/hsds/taxonomies", HSDS_LIST),
    (None, "/api/hsds/taxonomy_terms", [*HSDS_LIST, "taxonomy_id", "top_only", "parent_id"]),
    (None, "/api/hsds/organizations/00000000-0000-4000-8000-000000000000", ["full_service"]),
    (None, "/api/hsds/docs/", ["script", "lang"]),
    (None, "/api/hsds/schema/", ["lang", "version", "format"]),
    (None, "/gute-praxis/", ["q", "sort", "page", *FACET_PARAMS]),
    (None, "/leitfaden/werkzeuge/betroffene-kinder/", list(EstimatorForm.base_fields)),
    (None, "/leitfaden/werkzeuge/kosten-und-nutzen/", list(CostForm.base_fields)),
    (None, "/accounts/login/", ["next"]),
    (None, "/i18n/setlang/", ["next", "language"]),
    ("verwaltung", "/leitfaden/werkzeuge/beschlussvorlage/", list(ResolutionChoiceForm.base_fields)),
    ("verwaltung", "/leitfaden/kommunen/", ["page"]),
    ("redaktion", "/leitfaden/kommunen/uebersicht/", ["page"]),
    ("verwaltung", "/leitfaden/karte/", ["land"]),
    ("verwaltung", "/leitfaden/kommunen/kreis-heinsberg/nachbarn/", ["km"]),
    ("koordination", "/gute-praxis/verwalten/", ["page"]),
    ("koordination", "/leitfaden/kommunen/kreis-heinsberg/ratsinformation/", list(PaperSearchForm.base_fields)),
    (None, "/leitfaden/beschluesse/", ["q", "page"]),
    ("koordination", "/register/import/", ["kommune"]),
    ("koordination", "/register/import/kooperationen/", ["kommune"]),
    ("koordination", "/suche/", ["q", "page"]),
]


@pytest.mark.parametrize(("username", "url", "names"), PAGES, ids=[p[1] + (f"@{p[0]}" if p[0] else "") for p in PAGES])
def test_query_parameters_never_break_a_page(in_world, username, url, names):
    client = Client()
    if username:
        client.force_login(in_world.users[username])
    before = db_fingerprint()

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(params=st.dictionaries(st.sampled_from(names), nasty_text(), min_size=1))
    def run(params):
        with transaction.atomic():
            response = client.get(url, params)
            transaction.set_rollback(True)
        add_figure("fuzz_params", url)
        assert response.status_code < 500, (params, response.status_code)

    run()
    assert db_fingerprint() == before, "reading pages must not write"


@pytest.mark.parametrize(("username", "url", "names"), PAGES, ids=[p[1] + (f"@{p[0]}" if p[0] else "") for p in PAGES])
def test_nul_and_overlong_values_in_every_parameter(in_world, username, url, names):
    """Deterministic: every parameter once with NUL (PostgreSQL refuses it in text) and once oversized."""
    client = Client()
    if username:
        client.force_login(in_world.users[username])
    for name in names:
        for value in ("a\x00b", "9" * 5000, "ä" * 5000):
            response = client.get(url, {name: value})
            add_figure("fuzz_params", url)
            assert response.status_code < 500, (name, value[:10])


@pytest.mark.parametrize("url", ["/register/partner/", "/gute-praxis/", "/suche/"])
def test_repeated_and_too_many_parameters(in_world, url):
    client = Client()
    assert client.get(url + "?" + "&".join(["q=a", "q=b", "type=1", "type=x", "page=-1", "page=0"])).status_code == 200
    # More than Django's DATA_UPLOAD_MAX_NUMBER_FIELDS: a clean 400, not a 500.
    response = client.get(url + "?" + "&".join(f"f{i}=x" for i in range(1100)))
    assert response.status_code in (200, 400)
