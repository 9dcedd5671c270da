"""Finding examples: the one search function on both engines, ranking, facets with counts."""

import pytest
from django.db import connection

from guidance.catalogue.filters import build_facets
from guidance.catalogue.selectors import order_examples, published_examples
from portal.core.search import search
from tests.factories.catalogue import KeywordFactory, MunicipalityFactory, RoadmapStepFactory, make_example

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="German stemming needs PostgreSQL full-text search (set DATABASE_URL)",
)


def found(query):
    return set(search(published_examples(), query).values_list("title", flat=True))


@pytest.fixture
def examples():
    muni = MunicipalityFactory()
    make_example(municipality=muni, title="Suchtberatung und Jugendamt", goal="Gemeinsame Fallkonferenzen.")
    make_example(municipality=muni, title="Übergang von der Klinik nach Hause", goal="Begleitung nach der Entlassung.")
    make_example(municipality=muni, title="Netzwerk der Kommune", goal="Die Kommune lädt alle Partner ein.")
    make_example(municipality=muni, title="Lotsen", goal="Ein Lotse vermittelt in die Suchtberatung.")
    make_example(municipality=muni, title="Entwurf", goal="Suchtberatung", publish=False)


@pytest.mark.parametrize("query", ["SUCHTBERATUNG", "suchtberatung", "Suchtberatung"])
def test_case_insensitive(examples, query):
    assert found(query) == {"Suchtberatung und Jugendamt", "Lotsen"}


@pytest.mark.parametrize("query", ["Übergang", "übergang", "ÜBERGANG"])
def test_umlaut_insensitive(examples, query):
    assert found(query) == {"Übergang von der Klinik nach Hause"}


def test_drafts_are_not_found(examples):
    assert "Entwurf" not in found("Suchtberatung")


def test_title_match_ranks_first(examples):
    results = order_examples(queryset=search(published_examples(), "Suchtberatung"), sort="relevance", query="Suchtberatung")
    assert list(results.values_list("title", flat=True)) == ["Suchtberatung und Jugendamt", "Lotsen"]


@postgres_only
def test_plural_finds_singular(examples):
    assert found("Kommunen") == {"Netzwerk der Kommune"}


@postgres_only
def test_compound_finds_its_head(examples):
    assert found("Suchtberatungsstellen") == {"Suchtberatung und Jugendamt", "Lotsen"}


@postgres_only
def test_head_finds_compound():
    make_example(title="Die Suchtberatungsstelle lädt ein")
    assert found("Suchtberatung") == {"Die Suchtberatungsstelle lädt ein"}


@postgres_only
def test_stored_vector_is_filled():
    example = make_example(title="Kooperation")
    assert example.search_vector


def test_facets_count_with_a_query():
    sucht = KeywordFactory(name="Suchthilfe", slug="suchthilfe")
    fh = KeywordFactory(name="Frühe Hilfen", slug="fruehe-hilfen")
    step = RoadmapStepFactory(slug="umsetzen", title="Umsetzen", number=7)
    nrw = MunicipalityFactory(bundesland="05", kind="kreis", population=250_000)
    by = MunicipalityFactory(bundesland="09", kind="stadt", population=15_000)
    make_example(municipality=nrw, title="Sucht A", keywords=[sucht.pk], steps=[step.pk], legal_form="zweckvereinbarung")
    make_example(municipality=by, title="Sucht B", keywords=[sucht.pk, fh.pk])
    make_example(municipality=by, title="Frühe Hilfen C", keywords=[fh.pk], goal="ohne das Suchwort")

    base = search(published_examples(), "Sucht")
    facets = {f.name: {o.value: o.count for o in f.options} for f in build_facets(base, {}, query_params={"q": "Sucht"})}
    assert facets["keyword"] == {"suchthilfe": 2, "fruehe-hilfen": 1}
    assert facets["bundesland"] == {"05": 1, "09": 1}
    assert facets["size"] == {"100000-500000": 1, "unter-20000": 1}
    assert facets["legal_form"] == {"zweckvereinbarung": 1}
    assert facets["step"] == {"umsetzen": 1}

    # A chosen facet narrows the other facets' counts, not its own options.
    facets = build_facets(base, {"bundesland": "09"}, query_params={"q": "Sucht"})
    counts = {f.name: {o.value: (o.count, o.selected) for o in f.options} for f in facets}
    assert counts["keyword"] == {"suchthilfe": (1, False), "fruehe-hilfen": (1, False)}
    assert counts["bundesland"] == {"05": (1, False), "09": (1, True)}
    link = next(o.url for f in facets if f.name == "keyword" for o in f.options if o.value == "suchthilfe")
    assert "q=Sucht" in link and "bundesland=09" in link and "keyword=suchthilfe" in link
