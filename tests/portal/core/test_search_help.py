"""The help around a search (issue 16): abbreviations and synonyms of the field, "Meinten Sie …?"
for typos, plain-text snippets and whole-word highlighting. On both engines."""

import pytest
from django.urls import reverse

from networks.models import ActorType, Sector
from portal.core import search as search_module
from portal.core.search import highlight, matches, parse_synonyms, plain_text, search, suggest, synonyms
from tests.factories.catalogue import make_example
from tests.factories.guidance import GuidancePageFactory
from tests.factories.networks import ActorFactory, ActorTypeFactory

FIELDS = {"A": ["name"], "B": ["description"]}


@pytest.fixture(autouse=True)
def _fresh_vocabulary():
    search_module.forget_vocabulary()
    yield
    search_module.forget_vocabulary()


@pytest.fixture
def searchable_types():
    """Actor types are not searched in the portal; these tests declare them searchable for a while."""
    search_module.register(ActorType, fields=FIELDS)
    yield
    search_module.unregister(ActorType)


@pytest.fixture
def services(db, searchable_types):
    for slug, name in [
        ("spdi", "Sozialpsychiatrischer Dienst"),
        ("kjp", "Klinik für Kinder- und Jugendpsychiatrie"),
        ("asd", "Allgemeiner Sozialer Dienst"),
        ("koki", "Koordinierende Kinderschutzstelle"),
        ("drogen", "Drogenberatung"),
        ("subst", "Substitution in der Praxis"),
        ("jugendamt", "Jugendamt"),
    ]:
        ActorType.objects.create(name=name, slug=slug, sector=Sector.SOZIALES)


def slugs(query):
    return set(search(ActorType.objects.all(), query).values_list("slug", flat=True))


# --- Abbreviations and synonyms ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SpDi", {"spdi"}),
        ("spdi", {"spdi"}),
        ("KJP", {"kjp"}),
        ("ASD", {"asd"}),
        ("KoKi", {"koki"}),
        ("Suchtberatung", {"drogen"}),  # a synonym, both ways
        ("JA", {"jugendamt"}),
        ("SpDi ASD", set()),  # every word (or its synonym) must still match
    ],
)
def test_abbreviations_find_their_long_form_on_both_engines(services, query, expected):
    assert slugs(query) == expected


def test_the_long_form_does_not_find_short_abbreviations(services):
    ActorType.objects.create(name="JA Musterstadt", slug="ja-kurz", sector=Sector.SOZIALES)
    assert "ja-kurz" not in slugs("Jugendamt")  # "JA" one way only: it hides in too many words


def test_the_synonym_list_reads_and_contains_the_fields_abbreviations():
    table = synonyms()
    for key in ("spdi", "kjp", "asd", "koki", "fh", "sgb", "kkg", "ja", "ga", "spz", "pia"):
        assert (key,) in table.expansions, key
    assert ("sozialpsychiatrischer", "dienst") in table.expansions[("spdi",)]
    assert ("kinder", "jugendpsychiatrie") in table.expansions[("kjp",)]  # "und" need not occur
    assert ("drogenberatung",) in table.expansions[("suchtberatung",)]
    assert ("suchtberatung",) in table.expansions[("drogenberatung",)]


def test_a_line_in_neither_form_is_refused():
    with pytest.raises(ValueError, match="line 2"):
        parse_synonyms("# Kommentar\nSpDi Sozialpsychiatrischer Dienst\n")
    assert parse_synonyms("SPZ -> Sozialpädiatrisches Zentrum | Sozialpsychiatrisches Zentrum").expansions[("spz",)] == (
        ("sozialpädiatrisches", "zentrum"), ("sozialpsychiatrisches", "zentrum"),
    )


def test_highlight_marks_the_long_form_of_an_abbreviation():
    html = highlight("Der Sozialpsychiatrische Dienst berät Eltern.", "SpDi")
    assert "<mark>Sozialpsychiatrische</mark> <mark>Dienst</mark>" in html


# --- Plain-text snippets and whole-word highlighting --------------------------------------------


def test_plain_text_takes_out_markdown_and_html():
    text = ("## Ziele\n\nDie **Suchtberatung** und _das Jugendamt_ arbeiten [zusammen](https://example.org).\n\n"
            "- erster Punkt\n1. zweiter Punkt\n> Zitat\n\n| A | B |\n|---|---|\n| x | y |\n\n<p>Absatz</p> `Code`")
    plain = plain_text(text)
    assert plain == ("Ziele Die Suchtberatung und das Jugendamt arbeiten zusammen. erster Punkt zweiter Punkt "
                     "Zitat A B x y Absatz Code")
    for mark in ("##", "**", "](", "https", "<p>", "`", "- erster"):
        assert mark not in plain


def test_snippets_show_no_markdown():
    html = highlight("## Substitution\n\nEltern in **Substitution** brauchen Hilfe.", "Substitution")
    assert "#" not in html and "*" not in html
    assert html == "<mark>Substitution</mark> Eltern in <mark>Substitution</mark> brauchen Hilfe."


def test_only_whole_words_from_their_start_are_marked():
    html = highlight("Die Familie besucht die Suchtberatung wegen Sucht.", "Sucht")
    assert "<mark>Sucht</mark>." in html and "<mark>Suchtberatung</mark>" in html
    assert "besucht" in html and "be<mark>" not in html and "<mark>besucht" not in html
    assert not matches("Die Familie besucht uns.", "Sucht")
    assert matches("Hilfe bei Sucht", "Sucht")


def test_snippets_stay_escaped():
    html = highlight('<img src=x onerror=alert(1)> "Sucht" <script>alert(2)</script> <Sucht>', "Sucht")
    assert "<img" not in html and "<script" not in html and "alert(2)" not in html
    assert html == "&quot;<mark>Sucht</mark>&quot; &lt;<mark>Sucht</mark>&gt;"


# --- "Meinten Sie …?" -----------------------------------------------------------------------------


def test_suggest_corrects_a_typo_on_both_engines(services):
    sources = [ActorType.objects.all()]
    assert suggest("Substituton", name="test", sources=sources) == "Substitution"
    assert suggest("Eltern Substituton", name="test", sources=sources) == "eltern Substitution"
    assert suggest("Jugendamd", name="test", sources=sources) == "Jugendamt"


def test_suggest_offers_nothing_for_known_or_unrelated_words(services):
    sources = [ActorType.objects.all()]
    assert suggest("Substitution", name="test", sources=sources) == ""
    assert suggest("Substi", name="test", sources=sources) == ""  # the beginning of a known word
    assert suggest("SpDi", name="test", sources=sources) == ""  # an abbreviation of the list
    assert suggest("xqzvw", name="test", sources=sources) == ""
    assert suggest("", name="test", sources=sources) == ""


def test_suggest_knows_the_synonym_list(db, searchable_types):
    assert suggest("Sozialpsychiatrischr", name="test", sources=[ActorType.objects.all()]) == "Sozialpsychiatrischer"


@pytest.fixture
def published(db):
    return make_example(title="Lotsendienst für Eltern in Substitution")


def test_site_search_offers_the_corrected_search(client, published):
    response = client.get(reverse("search"), {"q": "Substituton"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Did you mean:" in html or "Meinten Sie:" in html
    assert f'href="{reverse("search")}?q=Substitution"' in html
    followed = client.get(reverse("search"), {"q": "Substitution"}).content.decode()
    assert "Lotsendienst für Eltern in" in followed and "search-suggestion" not in followed


def test_site_search_suggests_nothing_when_something_is_found(client, published):
    html = client.get(reverse("search"), {"q": "Lotsendienst"}).content.decode()
    assert "search-suggestion" not in html


def test_site_search_never_suggests_words_of_drafts(client, db):
    make_example(title="Geheimprojekt Zwischenstand", publish=False)
    html = client.get(reverse("search"), {"q": "Geheimprojekd"}).content.decode()
    assert "Geheimprojekt" not in html


def test_catalogue_and_registry_lists_offer_the_corrected_search(client, published):
    ActorFactory(name="Sozialpsychiatrischer Dienst Musterstadt", is_active=True)
    html = client.get(reverse("catalogue:index"), {"q": "Substituton"}).content.decode()
    assert f'href="{reverse("catalogue:index")}?q=Substitution"' in html
    html = client.get(reverse("networks:actor-list"), {"q": "Musterstatd"}).content.decode()
    assert f'href="{reverse("networks:actor-list")}?q=Musterstadt"' in html


def test_site_search_finds_abbreviations_and_shows_plain_snippets(client, db):
    ActorFactory(name="Sozialpsychiatrischer Dienst Musterstadt", is_active=True,
                 actor_type=ActorTypeFactory(name="Gesundheitsamt"))
    GuidancePageFactory(title="Zusammenarbeit mit der Koordinierenden Kinderschutzstelle",
                        summary="", body="## Wer ist die KoKi?\n\nDie **Koordinierende Kinderschutzstelle** berät.")
    html = client.get(reverse("search"), {"q": "SpDi"}).content.decode()
    assert "Sozialpsychiatrischer Dienst Musterstadt" in html
    html = client.get(reverse("search"), {"q": "KoKi"}).content.decode()
    assert "Zusammenarbeit mit der Koordinierenden Kinderschutzstelle" in html
    assert "## " not in html and "**" not in html
    assert "<mark>KoKi</mark>" in html


def test_short_words_mark_only_themselves():
    html = highlight("Das JA lädt im Jahr 2025 ein; ja, wirklich.", "JA")
    assert "<mark>JA</mark>" in html and "<mark>ja</mark>," in html and "<mark>Jahr" not in html
