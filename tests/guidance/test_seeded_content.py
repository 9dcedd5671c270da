"""The demo content as people read it after ``seed_demo``: the guide's pages on the law since 2021 and on
funding, the roadmap linking to them, and the corrected facts and the "Stand" of the good-practice examples."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from guidance.catalogue.models import Example
from tests.german import de

pytestmark = pytest.mark.django_db

LAW = "https://www.gesetze-im-internet.de"


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=io.StringIO())


def test_the_law_page_shows_each_change_with_its_source(client, seeded):
    html = client.get(reverse("guidance:page", args=["recht-seit-2021"])).content.decode()
    for section, link in (
        ("§ 20 SGB VIII", f"{LAW}/sgb_8/__20.html"),
        ("§ 10a SGB VIII", f"{LAW}/sgb_8/__10a.html"),
        ("§ 36a Abs. 2 SGB VIII", f"{LAW}/sgb_8/__36a.html"),
        ("§ 4 KKG", f"{LAW}/kkg/__4.html"),
        ("§ 8a Abs. 1 Satz 2 Nr. 2 SGB VIII", f"{LAW}/sgb_8/__8a.html"),
        ("§ 65 SGB VIII und § 67b SGB X", f"{LAW}/sgb_10/__67b.html"),
        ("§§ 20, 20a SGB V", f"{LAW}/sgb_5/__20a.html"),
        ("Die 19 Empfehlungen der Arbeitsgruppe", "https://dserver.bundestag.de/btd/19/160/1916070.pdf"),
    ):
        assert section in html and f'href="{link}"' in html, section
    assert "insoweit erfahrene Fachkraft" in html and "ungeprüft" in html


def test_the_funding_page_shows_the_sources_and_where_the_contacts_are_listed(client, seeded):
    html = client.get(reverse("guidance:page", args=["finanzierung"])).content.decode()
    for text in ("Bundesstiftung Frühe Hilfen", "GKV-Bündnis für Gesundheit", "Programme der Länder",
                 "Landeskoordinierungsstellen Frühe Hilfen", "bis drei Jahre"):
        assert text in html, text
    assert 'href="https://fruehehilfen.de/grundlagen-und-fachthemen/landeskoordinierungsstellen"' in html


LAENDER = (
    "Baden-Württemberg", "Bayern", "Berlin", "Brandenburg", "Bremen", "Hamburg", "Hessen", "Mecklenburg-Vorpommern",
    "Niedersachsen", "Nordrhein-Westfalen", "Rheinland-Pfalz", "Saarland", "Sachsen", "Sachsen-Anhalt",
    "Schleswig-Holstein", "Thüringen",
)


def test_the_funding_page_names_the_landeskoordinierungsstelle_of_every_land(client, seeded):
    html = client.get(reverse("guidance:page", args=["finanzierung"])).content.decode()
    assert all(f"<strong>{land}:</strong>" in html for land in LAENDER), [
        land for land in LAENDER if f"<strong>{land}:</strong>" not in html]


def test_the_roadmap_steps_link_to_the_law_page(client, seeded):
    for slug in ("kooperation-vereinbaren", "umsetzen"):
        html = client.get(reverse("guidance:step", args=[slug])).content.decode()
        assert 'href="/leitfaden/themen/recht-seit-2021/"' in html, slug


def test_warum_handeln_does_not_compare_the_ratios_with_the_costs_per_family(client, seeded):
    html = client.get(reverse("guidance:page", args=["warum-handeln"])).content.decode()
    assert "1:13" not in html and "1:34" not in html and "zwischen den Kosten früher Hilfe" not in html
    assert 'href="/leitfaden/werkzeuge/kosten-und-nutzen/"' in html


@pytest.mark.parametrize("slug", [
    "kreis-heinsberg-suchthilfe-und-jugendhilfe", "kreis-mettmann-kipe-rheinland",
    "muenchen-hilfenetzwerke-kinder-sucht-psychisch-kranke-eltern",
])
def test_every_example_shows_the_date_of_its_information(client, seeded, slug):
    example = Example.objects.get(slug=slug)
    html = client.get(reverse("catalogue:detail", args=[slug])).content.decode()
    assert de("Information as of") in html
    assert example.last_published_at.strftime("%d.%m.%Y") in html


def test_the_corrected_facts_are_shown(client, seeded):
    mettmann = client.get(reverse("catalogue:detail", args=["kreis-mettmann-kipe-rheinland"])).content.decode()
    assert "Oktober 2010" in mettmann and "30.09.2013" in mettmann and "September 2011" not in mettmann
    munich = client.get(reverse("catalogue:detail", args=["muenchen-hilfenetzwerke-kinder-sucht-psychisch-kranke-eltern"]))
    munich_html = munich.content.decode()
    assert "Landeshauptstadt München, Gesundheitsreferat" in munich_html and "Paul-Heyse-Straße" not in munich_html
    heinsberg = client.get(reverse("catalogue:detail", args=["kreis-heinsberg-suchthilfe-und-jugendhilfe"]))
    assert "rund 628 km²" in heinsberg.content.decode()


def test_home_and_breadcrumbs_use_the_portals_own_words(client, seeded):
    home = client.get(reverse("home")).content.decode()
    assert de("A strong network for children of parents with a mental illness or an addiction") in home
    assert "Schritt für Schritt zum starken Netz" not in home
    page = client.get(reverse("guidance:page", args=["datenschutz"])).content.decode()
    assert f'aria-label="{de("Breadcrumb")}"' in page and "Brotkrümelnavigation" in page
