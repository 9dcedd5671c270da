"""The demo seed publishes the sourced good-practice examples, each with its sources as links, and
links every example beyond Kreis Heinsberg to municipalities that come from the registry's demo data."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from guidance.catalogue.models import Example, ExampleStatus
from networks.models import Municipality

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
HEINSBERG_PREFIX = "kreis-heinsberg-"


def fixture_entries() -> list[dict]:
    return json.loads((FIXTURES / "catalogue_examples.json").read_text(encoding="utf-8"))["examples"]


def registry_slugs() -> set[str]:
    records = json.loads((FIXTURES / "networks_demo.json").read_text(encoding="utf-8"))
    return {r["fields"]["slug"] for r in records if r["model"] == "networks.municipality"}


@pytest.fixture
def seed_output():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_at_least_seven_examples_are_published(seed_output):
    published = set(Example.objects.filter(status=ExampleStatus.PUBLISHED).values_list("slug", flat=True))
    assert len(published) >= 7
    assert {entry["slug"] for entry in fixture_entries()} <= published, "a fixture example was not published"
    assert len([slug for slug in published if not slug.startswith(HEINSBERG_PREFIX)]) >= 5


def test_every_published_example_has_a_source_link(seed_output):
    examples = Example.objects.filter(status=ExampleStatus.PUBLISHED).prefetch_related("links")
    for example in examples:
        urls = [link.url for link in example.links.all()]
        assert urls, f"{example.slug} has no source link"
        assert all(url.startswith(("https://", "http://")) for url in urls), example.slug


def test_other_examples_name_registry_municipalities(seed_output):
    in_registry = registry_slugs()
    others = [entry for entry in fixture_entries() if not entry["slug"].startswith(HEINSBERG_PREFIX)]
    assert len(others) >= 5
    for entry in others:
        assert {entry["municipality"], *entry["municipalities"]} <= in_registry, entry["slug"]
        example = Example.objects.select_related("municipality").get(slug=entry["slug"])
        assert example.municipality.slug == entry["municipality"]
        linked = list(example.municipalities.order_by("slug"))
        assert [m.slug for m in linked] == sorted(entry["municipalities"]), entry["slug"]
        for municipality in linked:
            assert len(municipality.ags) == 8 and municipality.ags.isdigit()
            assert municipality.bundesland == municipality.ags[:2], municipality.slug


def test_added_municipalities_carry_no_unsourced_figures(seed_output):
    heinsberg_region = {"kreis-heinsberg", "staedteregion-aachen"}
    for municipality in Municipality.objects.exclude(slug__in=heinsberg_region):
        if municipality.population or municipality.area_km2 or municipality.children_under_18:
            assert municipality.population_source or municipality.figures_source, municipality.slug


def test_seed_resolves_every_link_and_a_second_run_changes_no_example(seed_output):
    # Participants without a registry entry stay text (reported); every other link must resolve.
    unresolved = [line for line in seed_output.splitlines() if "warning" in line and "registry actor" not in line]
    assert unresolved == []
    again = io.StringIO()
    call_command("seed_demo", stdout=again)
    for entry in fixture_entries():
        assert f"good practice: {entry['slug']} unchanged" in again.getvalue()
