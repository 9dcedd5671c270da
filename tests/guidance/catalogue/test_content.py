"""The example's content is declared once; the model, the editor, snapshots and diffs follow it."""

import pytest

from guidance.catalogue import content
from guidance.catalogue.content import Kind
from guidance.catalogue.forms import ExampleForm
from guidance.catalogue.models import Criterion, Example
from tests.factories.catalogue import KeywordFactory, MunicipalityFactory, RoadmapStepFactory, make_example

# Columns of an example that are bookkeeping, not content someone writes.
BOOKKEEPING = {
    "id", "slug", "status", "keywords_text", "participants_text", "search_vector", "created_by", "created_at",
    "updated_at", "published_at", "last_published_at", "version",
}


def test_every_field_of_the_model_is_declared_and_every_declaration_has_its_field():
    model_fields = {f.name for f in Example._meta.get_fields() if f.concrete} - BOOKKEEPING
    declared = {f.name for f in content.FIELDS if f.kind not in (Kind.PARTICIPANTS, Kind.LINKS, Kind.CRITERIA)}
    assert declared == model_fields


def test_the_editor_has_a_field_for_every_declared_part():
    form = ExampleForm()
    for field in content.FIELDS:
        if field.kind is Kind.PARTICIPANTS:
            assert {"participant_actors", "participant_names"} <= set(form.fields)
        elif field.kind is Kind.CRITERIA:
            assert all(f"criterion_{value}" in form.fields for value in Criterion.values)
        else:
            assert field.name in form.fields, field.name
            assert str(form.fields[field.name].label) == field.verbose_label


@pytest.mark.django_db
def test_a_snapshot_travels_through_the_editor_and_the_columns_unchanged():
    municipality = MunicipalityFactory()
    keyword, step = KeywordFactory(), RoadmapStepFactory()
    example = make_example(
        municipality=municipality, title="Rundreise", keywords=[keyword.pk], steps=[step.pk], since_year=2016,
        since_month=5, legal_form="kooperationsvertrag", links=[{"url": "https://example.org/a", "label": "A"}],
        participants=[{"actor": None, "name": "Freier Träger"}],
        criteria=[{"criterion": "vernetzung", "justification": "Alle am Tisch."}],
    )
    snapshot = content.snapshot_of(example)
    initial = ExampleForm.initial_from_snapshot(snapshot, version=example.version)
    data = {key: value for key, value in initial.items() if value not in (None, "", [])}
    form = ExampleForm(data)
    assert form.is_valid(), form.errors
    assert form.snapshot() == snapshot


def test_a_diff_names_each_changed_part_with_its_label_in_declaration_order():
    old = content.normalise({"title": "Alt", "goal": "Ziel", "since_year": 2015})
    new = content.normalise({"title": "Neu", "goal": "Ziel", "since_year": 2016, "figures_note": "Quelle"})
    changes = content.diff(old, new)
    assert [c.field for c in changes] == ["title", "since_year", "figures_note"]
    assert [(c.before, c.after) for c in changes][:2] == [("Alt", "Neu"), ("2015", "2016")]
    assert content.changed(old, new) == ["title", "since_year", "figures_note"]
