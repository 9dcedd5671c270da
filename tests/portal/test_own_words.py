"""The portal says things in its own words: no passage of the source documents is copied into its content.

The three documents the portal was created from (``../shared/seeds`` beside the repository) may lend facts,
not sentences. This suite compares every run of eight consecutive words – so every sentence of eight words
or more – of those documents with the content the portal ships: the fixtures, the templates and the German
catalogue. Case, whitespace and punctuation do not matter; links and the cited title of the Heinsberg project
are not text of our own and are left out.

The repository keeps only fingerprints of the documents' word runs (``seed_fingerprints.txt``), not their
text; where the documents themselves are at hand, a test checks that the fingerprints are current.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
FINGERPRINTS = Path(__file__).with_name("seed_fingerprints.txt")
RUN = 8  # words
# Titles the portal cites by name; quoting a title is citing, not copying.
CITED_TITLES = ["Zusammenarbeit mit suchtmittelabhängigen Eltern und/oder Eltern in Substitutionsbehandlung"]
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", URL.sub(" ", text).lower())


CITED = [" ".join(words(title)) for title in CITED_TITLES]


def runs(text: str) -> Iterator[str]:
    """Every run of RUN consecutive words, normalised; runs inside a cited title are left out."""
    tokens = words(text)
    for i in range(len(tokens) - RUN + 1):
        run = " ".join(tokens[i:i + RUN])
        if not any(run in title for title in CITED):
            yield run


def fingerprint(run: str) -> str:
    return hashlib.sha256(run.encode("utf-8")).hexdigest()[:16]


def fingerprints_of(text: str) -> set[str]:
    return {fingerprint(run) for run in runs(text)}


def copied(text: str, seed_prints: set[str]) -> list[str]:
    """The runs of ``text`` that also occur in the source documents."""
    return sorted({run for run in runs(text) if fingerprint(run) in seed_prints})


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _msgstrs(po: str) -> list[str]:
    """The German side of the catalogue: every msgstr, its continuation lines joined."""
    parts = re.findall(r'^msgstr(?:\[\d+\])? ((?:".*"\n?)+)', po, re.MULTILINE)
    return ["".join(re.findall(r'"(.*)"', part)) for part in parts]


def content() -> dict[str, list[str]]:
    """What the portal shows, by file, as separate texts (fields, messages), so no run joins two of them."""
    texts = {}
    for path in sorted((ROOT / "fixtures").glob("*.json")):
        texts[str(path.relative_to(ROOT))] = list(_strings(json.loads(path.read_text(encoding="utf-8"))))
    for path in sorted((ROOT / "templates").rglob("*.html")):
        texts[str(path.relative_to(ROOT))] = [path.read_text(encoding="utf-8")]
    po = ROOT / "portal" / "locale" / "de" / "LC_MESSAGES" / "django.po"
    texts[str(po.relative_to(ROOT))] = _msgstrs(po.read_text(encoding="utf-8"))
    return texts


def seed_fingerprints() -> set[str]:
    return set(FINGERPRINTS.read_text(encoding="utf-8").split())


def test_no_passage_of_the_source_documents_is_copied():
    prints = seed_fingerprints()
    assert len(prints) > 500  # the three documents, not an empty file
    found = [f"{name}: „{run}“" for name, texts in content().items() for text in texts for run in copied(text, prints)]
    assert not found, "passages of the source documents copied word for word:\n" + "\n".join(found)


def test_the_check_finds_a_copied_sentence_whatever_its_case_and_spacing():
    source = "Vorher etwas. Ein Beschluss gibt der Verwaltung einen klaren Auftrag und den nötigen Rückhalt. Danach."
    prints = fingerprints_of(source)
    page = "## Titel\n\nein  Beschluss gibt der\nVERWALTUNG einen klaren Auftrag und den nötigen Rückhalt!"
    assert copied(page, prints)
    assert not copied("Ein Beschluss gibt der Verwaltung Rückhalt, und zwar einen klaren Auftrag.", prints)
    assert not copied("Seit 2016 gilt die „" + CITED_TITLES[0] + "“ im Kreis.", fingerprints_of(CITED_TITLES[0]))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source documents are not beside the repository")
def test_the_fingerprints_are_those_of_the_source_documents():
    documents = sorted(SEEDS.glob("*.txt"))
    assert len(documents) == 3
    current = set().union(*(fingerprints_of(path.read_text(encoding="utf-8")) for path in documents))
    assert current == seed_fingerprints(), "regenerate seed_fingerprints.txt: python -m tests.portal.test_own_words"
    # And a sentence taken from a document is caught.
    sentence = max(re.split(r"(?<=[.!?])\s+", documents[0].read_text(encoding="utf-8")), key=len)
    assert copied(f"<p>{sentence}</p>", current)


if __name__ == "__main__":  # write the fingerprints from the documents beside the repository
    prints = set().union(*(fingerprints_of(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))))
    FINGERPRINTS.write_text("\n".join(sorted(prints)) + "\n", encoding="utf-8")
    print(f"{len(prints)} fingerprints written to {FINGERPRINTS}")
