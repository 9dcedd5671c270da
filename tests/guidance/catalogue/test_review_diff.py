"""The review's diff: a change of two fields shows exactly those two, marked word by word."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from guidance.catalogue import services as svc
from guidance.catalogue.models import Example
from guidance.catalogue.selectors import changes_for_review
from portal.demo import catalogue as seed_catalogue
from tests.portal.demo.test_catalogue import (
    HEINSBERG,
    registry,  # noqa: F401 - the fixture
)

pytestmark = pytest.mark.django_db


class _FormReader(HTMLParser):
    """The values a browser would send for the editor's form as loaded (textareas with CRLF)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("enctype") == "multipart/form-data":
            self._in_form = True
        if not self._in_form or not a.get("name") and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("submit", "file", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.data[a["name"]] = [""]
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.data.setdefault(self._select, []).append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def _browser_post(client, example: Example, **changes) -> dict:
    page = client.get(reverse("catalogue:edit", args=[example.slug])).content.decode()
    reader = _FormReader()
    reader.feed(page)
    data = {name: values if len(values) > 1 else values[0] for name, values in reader.data.items()}
    for name, value in list(data.items()):
        if isinstance(value, str):
            value = value.removeprefix("\n")  # the parser keeps the newline HTML drops after <textarea>
            data[name] = value.replace("\r\n", "\n").replace("\n", "\r\n")
    data.update(changes)
    return data


@pytest.fixture
def seeded_example(registry):  # noqa: F811
    seed_catalogue.seed(stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Example.objects.get(slug=HEINSBERG)


def test_two_edited_fields_show_as_exactly_two_with_word_marks(client, redaktion_user, seeded_example):
    example = seeded_example
    goal = example.goal.replace("Kinder", "Kinder und Jugendliche", 1)
    assert goal != example.goal
    client.force_login(redaktion_user)
    data = _browser_post(client, example, title=example.title + " (neu)", goal=goal)
    response = client.post(reverse("catalogue:edit", args=[example.slug]), data)
    assert response.status_code == 302, response.context["form"].errors
    example.refresh_from_db()
    svc.example_submit(example=example, user=None)
    _revision, changes = changes_for_review(example=example)
    assert [change.field for change in changes] == ["title", "goal"], [(c.field, c.before[:80], c.after[:80]) for c in changes]
    page = client.get(reverse("catalogue:review", args=[example.slug])).content.decode()
    assert "<ins><span class=\"visually-hidden\">" in page
    # Only the inserted words are marked, not the whole field.
    assert page.count("<ins>") == 2 and page.count("<del>") == 0
    assert "und Jugendliche</ins>" in page and "(neu)</ins>" in page


def test_reordering_and_line_ends_are_no_change():
    from guidance.catalogue import content

    old = {"title": "T", "goal": "Erster Satz.\nZweiter  Satz.", "keywords": [3, 1],
           "participants": [{"actor": 1, "name": "A"}, {"actor": None, "name": "B"}],
           "links": [{"url": "https://a.example", "label": ""}, {"url": "https://b.example", "label": "B"}]}
    new = {"title": "T ", "goal": "Erster Satz.\r\nZweiter Satz.\r\n", "keywords": [1, 3],
           "participants": [{"actor": None, "name": "B"}, {"actor": 1, "name": "A"}],
           "links": [{"url": "https://b.example", "label": "B"}, {"url": "https://a.example", "label": ""}]}
    assert content.changed(old, new) == []
    assert content.changed(old, {**new, "goal": "Erster Satz.\nDritter Satz."}) == ["goal"]


def test_word_diff_marks_only_the_changed_words_with_words_for_screen_readers():
    from django.utils import translation

    from portal.core.textdiff import word_diff

    with translation.override("en"):
        before, after = word_diff("Eltern & Kinder stärken, gemeinsam.",
                                  "Eltern & Jugendliche stärken, gemeinsam.")
    assert str(before) == ('Eltern &amp; <del><span class="visually-hidden">removed: </span>Kinder</del> '
                           "stärken, gemeinsam.")
    assert str(after) == ('Eltern &amp; <ins><span class="visually-hidden">inserted: </span>Jugendliche</ins> '
                          "stärken, gemeinsam.")
    long_before = " ".join(f"w{i}" for i in range(200))
    with translation.override("en"):
        short_before, short_after = word_diff(long_before, long_before.replace("w150", "neu"), context=3)
    assert "w10 " not in short_before and "w147 w148 w149 <del>" in short_before.replace('<span class="visually-hidden">removed: </span>', "")
    assert short_before != short_after
