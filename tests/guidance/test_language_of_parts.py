"""Issue 16, WCAG 3.1.2 (language of parts): in the English interface the German content carries
lang="de" on its container, and the page says once that the content is available in German only."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories.guidance import GuidancePageFactory

pytestmark = pytest.mark.django_db

NOTICE = "The content of this page is available in German only."


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_step_page_in_english_marks_german_content(client, steps):
    step = steps[2]
    html = _english(client).get(reverse("guidance:step", kwargs={"slug": step.slug})).content.decode()
    assert '<html lang="en">' in html
    assert f'<h1 lang="de">{step.title}</h1>' in html
    assert '<ol class="guidance-checklist" lang="de">' in html
    assert html.count(NOTICE) == 1
    assert 'id="why-title">Why it matters</h2>' in html  # the interface stays English, unmarked


def test_roadmap_in_english_marks_step_titles(client, steps):
    html = _english(client).get(reverse("guidance:roadmap")).content.decode()
    assert html.count(NOTICE) == 1
    assert len(re.findall(r'<span class="roadmap-sequence__title" lang="de">', html)) == len(steps)


def test_guide_page_in_english_marks_body(client):
    page = GuidancePageFactory(slug="datenschutz", body="## Einwilligung", sources="- § 4 KKG")
    html = _english(client).get(page.get_absolute_url()).content.decode()
    assert '<div class="guidance-body" lang="de">' in html
    assert html.count(NOTICE) == 1


def test_german_interface_has_no_notice_and_no_extra_lang(client, steps):
    html = client.get(reverse("guidance:step", kwargs={"slug": steps[2].slug})).content.decode()
    assert '<html lang="de">' in html
    assert 'lang="de">' not in html.split("<body", 1)[1]
    assert NOTICE not in html and "nur auf Deutsch" not in html


# --- Issue 16: the list pages and the catalogue's facts table in the English interface ---------------


def _german_marked(html: str, text: str) -> bool:
    """Whether ``text`` stands inside an element that carries lang="de" (the element itself or an ancestor)."""
    from html.parser import HTMLParser

    class Finder(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack: list[bool] = []
            self.found: list[bool] = []

        def handle_starttag(self, tag, attrs):
            if tag in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
                return
            self.stack.append(dict(attrs).get("lang") == "de" or (bool(self.stack) and self.stack[-1]))

        def handle_endtag(self, tag):
            if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr") and self.stack:
                self.stack.pop()

        def handle_data(self, data):
            if text in data:
                self.found.append(bool(self.stack) and self.stack[-1])

    finder = Finder()
    finder.feed(html.split("<body", 1)[1])
    assert finder.found, f"{text!r} is not on the page"
    return all(finder.found)


def test_registry_list_in_english_marks_partners_german(client):
    from tests.factories.networks import ActorFactory

    actor = ActorFactory(name="Suchtberatung Heinsberg", offer="Beratung für Familien mit suchtkranken Eltern.")
    html = _english(client).get(reverse("networks:index")).content.decode()
    assert _german_marked(html, "Suchtberatung Heinsberg")
    assert _german_marked(html, actor.actor_type.name)
    assert _german_marked(html, actor.municipality.name)
    assert not _german_marked(html, "Keyword")  # the interface stays English
    assert html.count(NOTICE) == 1


def test_catalogue_list_in_english_marks_examples_german(client):
    from tests.factories.catalogue import KeywordFactory, make_example

    keyword = KeywordFactory(name="Elternarbeit", slug="elternarbeit")
    make_example(title="Netzwerk für Kinder suchtkranker Eltern", goal="Hilfen besser abstimmen.",
                 keywords=[keyword.pk])
    html = _english(client).get(reverse("catalogue:index")).content.decode()
    assert _german_marked(html, "Netzwerk für Kinder suchtkranker Eltern")
    assert _german_marked(html, "Elternarbeit")
    assert not _german_marked(html, "Search the examples")
    assert html.count(NOTICE) == 1


def test_municipality_partner_list_in_english_marks_names_german(client):
    from tests.factories.networks import ActorFactory

    actor = ActorFactory(name="Jugendamt Erkelenz")
    html = _english(client).get(actor.municipality.get_absolute_url()).content.decode()
    assert _german_marked(html, "Jugendamt Erkelenz")
    assert html.count(NOTICE) == 1


def test_catalogue_facts_table_in_english_marks_content_german(client):
    from tests.factories.catalogue import make_example

    example = make_example(title="Arbeitskreis Familie und Sucht", lead_name="Kreisjugendamt",
                           implementation="Ein Arbeitskreis trifft sich regelmäßig.")
    html = _english(client).get(example.get_absolute_url()).content.decode()
    assert _german_marked(html, example.municipality.name)  # the profile table
    assert _german_marked(html, "Kreisjugendamt")  # at a glance: lead organisation
    assert _german_marked(html, "Ein Arbeitskreis trifft sich regelmäßig.")
    assert not _german_marked(html, "Lead organisation")
    assert not _german_marked(html, "Municipalities involved")
    assert html.count(NOTICE) == 1
