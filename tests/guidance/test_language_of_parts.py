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
