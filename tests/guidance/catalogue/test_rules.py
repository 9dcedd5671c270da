"""Permissions of the catalogue per role; each predicate agrees with its queryset twin."""

import pytest

from guidance.catalogue import rules
from tests.factories.catalogue import MunicipalityFactory, make_example

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(koordination_user):
    own = MunicipalityFactory(name="Eigene", slug="eigene")
    other = MunicipalityFactory(name="Fremde", slug="fremde")
    own.coordinators.add(koordination_user)
    return {
        "own_draft": make_example(municipality=own, title="Eigener Entwurf", publish=False),
        "own_published": make_example(municipality=own, title="Eigenes veröffentlicht"),
        "other_draft": make_example(municipality=other, title="Fremder Entwurf", publish=False),
        "other_published": make_example(municipality=other, title="Fremdes veröffentlicht"),
    }


EXPECTED = {
    # role: (visible, editable, may add, may review)
    "anonymous": ({"own_published", "other_published"}, set(), False, False),
    "verwaltung": ({"own_published", "other_published"}, set(), False, False),
    "koordination": ({"own_draft", "own_published", "other_published"}, {"own_draft", "own_published"}, True, False),
    "other_koordination": ({"own_published", "other_published"}, set(), False, False),
    "redaktion": (
        {"own_draft", "own_published", "other_draft", "other_published"},
        {"own_draft", "own_published", "other_draft", "other_published"}, True, True,
    ),
    "admin": (
        {"own_draft", "own_published", "other_draft", "other_published"},
        {"own_draft", "own_published", "other_draft", "other_published"}, True, True,
    ),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_rules_and_querysets_per_role(role, world, request):
    user = request.getfixturevalue(f"{role}_user")
    visible, editable, may_add, may_review = EXPECTED[role]
    names = {example.pk: name for name, example in world.items()}
    assert {names[pk] for pk in rules.examples_visible_to(user).values_list("pk", flat=True)} == visible
    assert {names[pk] for pk in rules.examples_editable_by(user).values_list("pk", flat=True)} == editable
    for name, example in world.items():
        assert rules.can_view_example(user, example) == (name in visible), name
        assert rules.can_edit_example(user, example) == (name in editable), name
        assert rules.can_review_example(user, example) == may_review, name
    assert rules.can_add_example(user) == may_add
