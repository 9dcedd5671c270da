"""The shared search function: German compounds and stems on PostgreSQL, umlauts and case on both
engines, safe query parsing, highlighting of stemmed matches."""

import pytest
from django.db import connection

from networks.models import ActorType, Sector
from portal.core import search as search_module
from portal.core.search import compound_head, highlight, light_stem, mark_matches, search, word_variants

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="German stemming needs PostgreSQL full-text search (set DATABASE_URL)",
)
FIELDS = {"A": ["name"], "B": ["description"]}


@pytest.fixture(autouse=True)
def _searchable_actor_types():
    """Actor types are not searched in the portal; these tests declare them searchable for a while."""
    search_module.register(ActorType, fields=FIELDS)
    yield
    search_module.unregister(ActorType)


@pytest.mark.parametrize(
    ("word", "head"),
    [
        ("suchtberatungsstellen", "suchtberatung"),
        ("suchtberatungsstelle", "suchtberatung"),
        ("fachdienste", None),  # head too short to stand alone
        ("beratungsangebote", "beratung"),
        ("jugendamt", None),
        ("kommunen", None),
    ],
)
def test_compound_head(word, head):
    assert compound_head(word) == head


def test_light_stem_and_variants():
    assert light_stem("kommunen") == "kommun"
    assert light_stem("kind") == "kind"  # too short to cut
    assert word_variants("suchtberatungsstellen")[:2] == ["suchtberatungsstellen", "suchtberatungsstell"]
    assert "suchtberatung" in word_variants("suchtberatungsstellen")


def test_highlight_marks_stemmed_and_compound_matches():
    html = highlight("Die Kommune und ihre Suchtberatung arbeiten zusammen.", "Kommunen Suchtberatungsstellen")
    assert "<mark>Kommune</mark>" in html and "<mark>Suchtberatung</mark>" in html
    assert "<mark>arbeiten</mark>" not in html


def test_highlight_starts_at_a_word_boundary():
    text = "Wort " * 60 + "Anfang Substitutionsbehandlung Ende"
    html = highlight(text, "Substitution")
    assert "<mark>Substitutionsbehandlung</mark>" in html
    assert html.startswith("… Wort ")
    # A single endless word: the match is still inside the excerpt.
    assert "<mark>" in highlight("x" * 300 + " Substitution", "Substitution")


@pytest.fixture
def types(db):
    ActorType.objects.create(name="Suchtberatung", slug="sb", sector=Sector.SUCHTHILFE, description="Beratung")
    ActorType.objects.create(name="Kommune", slug="ko", sector=Sector.SOZIALES, description="Verwaltung vor Ort")
    ActorType.objects.create(name="Übergangshilfe", slug="ue", sector=Sector.SOZIALES, description="Wohnen")
    ActorType.objects.create(name="Jugendamt", slug="ja", sector=Sector.JUGENDHILFE, description="Erziehung")


def slugs(query):
    return set(search(ActorType.objects.all(), query).values_list("slug", flat=True))


@pytest.mark.parametrize("query", ["SUCHTBERATUNG", "suchtberatung"])
def test_case_on_both_engines(types, query):
    assert slugs(query) == {"sb"}


@pytest.mark.parametrize("query", ["Übergangshilfe", "übergangshilfe", "ÜBERGANGSHILFE"])
def test_umlauts_on_both_engines(types, query):
    assert slugs(query) == {"ue"}


@pytest.mark.parametrize("query", ["a & b", "!x | (y", "suchtberatung:*", "' OR 1=1 --", "<->"])
def test_operator_characters_are_harmless(types, query):
    # Nothing raises; operators are not interpreted.
    assert isinstance(slugs(query), set)


def test_all_words_must_match(types):
    assert slugs("Suchtberatung Jugendamt") == set()


@postgres_only
def test_plural_finds_singular_on_postgres(types):
    assert slugs("Kommunen") == {"ko"}


@postgres_only
def test_compound_finds_head_on_postgres(types):
    assert slugs("Suchtberatungsstellen") == {"sb"}


@postgres_only
def test_head_finds_compound_by_prefix_on_postgres(db):
    ActorType.objects.create(name="Suchtberatungsstelle", slug="sbs", sector=Sector.SUCHTHILFE)
    assert slugs("Suchtberatung") == {"sbs"}


def test_mark_matches_keeps_the_whole_text_and_escapes():
    html = mark_matches("Eltern in <Substitutionsbehandlung> und Sucht", "substitution")
    assert html == "Eltern in &lt;<mark>Substitutionsbehandlung</mark>&gt; und Sucht"


@pytest.mark.django_db
def test_any_query_text_is_safe():
    """Arbitrary input (operators, quotes, emoji, mixed scripts) never breaks the query on either engine."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    ActorType.objects.create(name="Suchtberatung", slug="sb", sector=Sector.SUCHTHILFE)

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.text(max_size=80))
    def check(query):
        list(search(ActorType.objects.all(), query).values_list("slug", flat=True))
        highlight("Suchtberatung im Kreis", query)

    check()
