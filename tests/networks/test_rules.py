"""Rules per role, and their queryset twins: "may see/edit this" equals "what the list shows"."""

import pytest

from networks import rules
from tests.factories.networks import (
    ActorFactory,
    ContactPersonFactory,
    CooperationFactory,
    MunicipalityFactory,
)

USERS = ["anonymous_user", "verwaltung_user", "koordination_user", "other_koordination_user", "redaktion_user", "admin_user"]


@pytest.fixture
def world(db, koordination_user, other_koordination_user):
    mine = MunicipalityFactory(name="Meine Stadt")
    other = MunicipalityFactory(name="Andere Stadt")
    mine.coordinators.add(koordination_user)
    other.coordinators.add(other_koordination_user)
    actors = {
        "mine_active": ActorFactory(municipality=mine),
        "mine_inactive": ActorFactory(municipality=mine, is_active=False),
        "other_active": ActorFactory(municipality=other),
        "other_inactive": ActorFactory(municipality=other, is_active=False),
    }
    coops = {
        "mine": CooperationFactory(municipality=mine, actors=[actors["mine_active"]]),
        "other": CooperationFactory(municipality=other, actors=[actors["other_active"]]),
    }
    ContactPersonFactory(actor=actors["mine_active"])
    return {"mine": mine, "other": other, "actors": actors, "coops": coops}


@pytest.mark.parametrize("user_fixture", USERS)
def test_actor_view_rule_equals_queryset_twin(request, world, user_fixture):
    user = request.getfixturevalue(user_fixture)
    visible = set(rules.actors_visible_to(user).values_list("pk", flat=True))
    for actor in world["actors"].values():
        assert rules.can_view_actor(user, actor) == (actor.pk in visible)


@pytest.mark.parametrize("user_fixture", USERS)
def test_actor_edit_rule_equals_queryset_twin(request, world, user_fixture):
    user = request.getfixturevalue(user_fixture)
    editable = set(rules.actors_editable_by(user).values_list("pk", flat=True))
    for actor in world["actors"].values():
        assert rules.can_edit_actor(user, actor) == (actor.pk in editable)
    coops = set(rules.cooperations_editable_by(user).values_list("pk", flat=True))
    for coop in world["coops"].values():
        assert rules.can_edit_cooperation(user, coop) == (coop.pk in coops)
    munis = set(rules.municipalities_editable_by(user).values_list("pk", flat=True))
    for muni in (world["mine"], world["other"]):
        assert rules.can_edit_municipality(user, muni) == (muni.pk in munis)


@pytest.mark.parametrize(
    "user_fixture, expected",
    [
        ("anonymous_user", {"mine_active", "other_active"}),
        ("verwaltung_user", {"mine_active", "other_active"}),
        ("redaktion_user", {"mine_active", "other_active"}),
        ("koordination_user", {"mine_active", "mine_inactive", "other_active"}),
        ("other_koordination_user", {"mine_active", "other_active", "other_inactive"}),
        ("admin_user", {"mine_active", "mine_inactive", "other_active", "other_inactive"}),
    ],
)
def test_who_sees_which_actor(request, world, user_fixture, expected):
    user = request.getfixturevalue(user_fixture)
    visible = set(rules.actors_visible_to(user))
    assert {k for k, a in world["actors"].items() if a in visible} == expected


@pytest.mark.parametrize(
    "user_fixture, expected",
    [
        ("anonymous_user", set()),
        ("verwaltung_user", set()),
        ("redaktion_user", set()),
        ("koordination_user", {"mine_active", "mine_inactive"}),
        ("other_koordination_user", {"other_active", "other_inactive"}),
        ("admin_user", {"mine_active", "mine_inactive", "other_active", "other_inactive"}),
    ],
)
def test_who_edits_which_actor(request, world, user_fixture, expected):
    user = request.getfixturevalue(user_fixture)
    assert {k for k, a in world["actors"].items() if rules.can_edit_actor(user, a)} == expected


@pytest.mark.parametrize(
    "user_fixture, allowed",
    [("anonymous_user", False), ("verwaltung_user", True), ("koordination_user", True),
     ("redaktion_user", True), ("admin_user", True)],
)
def test_contacts_only_for_staff(request, world, user_fixture, allowed):
    user = request.getfixturevalue(user_fixture)
    assert bool(rules.can_view_contacts(user)) is allowed
    assert rules.contacts_visible_to(user).exists() is allowed


@pytest.mark.parametrize("user_fixture", USERS)
def test_list_page_shows_exactly_the_visible_actors(request, client, world, user_fixture):
    user = request.getfixturevalue(user_fixture)
    if user.is_authenticated:
        client.force_login(user)
    response = client.get("/register/partner/")
    shown = {a.pk for a in response.context["actors"]}
    assert shown == set(rules.actors_visible_to(user).values_list("pk", flat=True))


@pytest.mark.parametrize("user_fixture", USERS)
def test_site_search_asks_the_same_rule_as_the_list(world, user_fixture, request):
    from networks.selectors import site_search_actors

    user = request.getfixturevalue(user_fixture)
    for actor in world["actors"].values():
        group = site_search_actors(query=actor.name, user=user, limit=50)
        found = actor.get_absolute_url() in {hit.url for hit in group.hits}
        assert found == rules.can_view_actor(user, actor), (user_fixture, actor.name)
