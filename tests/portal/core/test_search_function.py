"""The one search function on a registry model: case- and umlaut-insensitive on both engines."""

import pytest

from networks.models import ActorType, Sector
from portal.core import search as search_module
from portal.core.search import highlight, normalize, search, terms

FIELDS = {"A": ["name"], "B": ["description"]}


@pytest.fixture(autouse=True)
def _searchable_actor_types():
    """Actor types are not searched in the portal; these tests declare them searchable for a while."""
    search_module.register(ActorType, fields=FIELDS)
    yield
    search_module.unregister(ActorType)


def test_normalize_folds_case_and_umlauts():
    assert normalize("ÜBERGANG") == normalize("Übergang") == normalize("uebergang") == "uebergang"
    assert normalize("Straße") == "strasse"
    assert terms("  Frühe   Hilfen!? ") == ["fruehe", "hilfen"]


def test_highlight_marks_matches_and_escapes_html():
    # Markup of the source is taken out of the snippet; what is left is escaped.
    html = highlight("<b>Suchtberatung</b> im Kreis <Wohnen> & <script>alert(1)</script>", "suchtberatung")
    assert html == "<mark>Suchtberatung</mark> im Kreis &lt;Wohnen&gt; &amp;"


@pytest.fixture
def types(db):
    ActorType.objects.create(name="Suchtberatung", slug="sb", sector=Sector.SUCHTHILFE, description="Beratung bei Sucht")
    ActorType.objects.create(name="Übergangswohnheim", slug="uw", sector=Sector.SOZIALES, description="Wohnen")
    ActorType.objects.create(name="Jugendamt", slug="ja", sector=Sector.JUGENDHILFE, description="Hilfe zur Erziehung, auch bei Suchtberatung")


@pytest.mark.parametrize("query", ["SUCHTBERATUNG", "suchtberatung", "Suchtberatung"])
def test_case_insensitive(types, query):
    found = search(ActorType.objects.all(), query)
    assert set(found.values_list("slug", flat=True)) == {"sb", "ja"}


@pytest.mark.parametrize("query", ["Übergangswohnheim", "übergangswohnheim", "ÜBERGANGSWOHNHEIM"])
def test_umlaut_insensitive(types, query):
    found = search(ActorType.objects.all(), query)
    assert list(found.values_list("slug", flat=True)) == ["uw"]


def test_title_match_ranks_first(types):
    found = search(ActorType.objects.all(), "Suchtberatung")
    assert list(found.order_by("-search_rank", "name").values_list("slug", flat=True)) == ["sb", "ja"]


def test_empty_query_returns_everything(types):
    assert search(ActorType.objects.all(), "  ").count() == 3


@pytest.mark.parametrize("query", ["Hueckelhoven", "hückelhoven", "HÜCKELHOVEN"])
def test_transliterated_umlauts_match_on_both_engines(db, query):
    ActorType.objects.create(name="Jugendamt Hückelhoven", slug="jh", sector=Sector.JUGENDHILFE)
    ActorType.objects.create(name="Jugendamt Erkelenz", slug="je", sector=Sector.JUGENDHILFE)
    found = search(ActorType.objects.all(), query)
    assert list(found.values_list("slug", flat=True)) == ["jh"]
