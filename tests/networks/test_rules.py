"""Rules per role, and their queryset twins: "may see/edit this" equals "what the list shows"."""

import pytest
from django.urls import reverse

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


# --- A Kreis's coordinators keep the partners of its member municipalities -----------------


@pytest.fixture
def kreise(db, koordination_user, other_koordination_user):
    """Two Kreise with a member each, and a kreisfreie Stadt; ``koordination_user`` coordinates the
    first Kreis, ``other_koordination_user`` only the first Kreis's member town."""
    kreis = MunicipalityFactory(name="Kreis Nord", kind="kreis")
    member = MunicipalityFactory(name="Nordstadt", kind="stadt", parent=kreis)
    other_kreis = MunicipalityFactory(name="Kreis Süd", kind="kreis")
    other_member = MunicipalityFactory(name="Südgemeinde", parent=other_kreis)
    city = MunicipalityFactory(name="Freie Stadt", kind="kreisfreie_stadt")
    kreis.coordinators.add(koordination_user)
    member.coordinators.add(other_koordination_user)
    places = {"kreis": kreis, "member": member, "other_kreis": other_kreis, "other_member": other_member, "city": city}
    actors, coops = {}, {}
    for key, place in places.items():
        actors[f"{key}_active"] = ActorFactory(municipality=place)
        actors[f"{key}_inactive"] = ActorFactory(municipality=place, is_active=False)
        coops[key] = CooperationFactory(municipality=place, actors=[actors[f"{key}_active"]])
        coops[f"{key}_ended"] = CooperationFactory(municipality=place, is_active=False)
    return {"places": places, "actors": actors, "coops": coops}


@pytest.mark.parametrize("user_fixture", USERS)
def test_municipality_rule_equals_its_twin_with_kreise(request, kreise, user_fixture):
    user = request.getfixturevalue(user_fixture)
    editable = set(rules.municipalities_editable_by(user).values_list("pk", flat=True))
    confirmable = set(rules.municipalities_confirmable_by(user).values_list("pk", flat=True))
    for place in kreise["places"].values():
        assert bool(rules.can_edit_municipality(user, place)) == (place.pk in editable), place.name
        # Asked with the id only (as for a partner loaded without its municipality): the same answer.
        assert bool(rules.can_edit_municipality(user, place.pk)) == (place.pk in editable), place.name
        assert bool(rules.can_confirm_service_area(user, place)) == (place.pk in confirmable), place.name
    visible = set(rules.actors_visible_to(user).values_list("pk", flat=True))
    actors_editable = set(rules.actors_editable_by(user).values_list("pk", flat=True))
    for actor in kreise["actors"].values():
        fresh = type(actor).objects.get(pk=actor.pk)  # without its municipality loaded
        for candidate in (actor, fresh):
            assert bool(rules.can_view_actor(user, candidate)) == (actor.pk in visible)
            assert bool(rules.can_edit_actor(user, candidate)) == (actor.pk in actors_editable)
    coops_visible = set(rules.cooperations_visible_to(user).values_list("pk", flat=True))
    coops_editable = set(rules.cooperations_editable_by(user).values_list("pk", flat=True))
    for coop in kreise["coops"].values():
        assert bool(rules.can_view_cooperation(user, coop)) == (coop.pk in coops_visible)
        assert bool(rules.can_edit_cooperation(user, coop)) == (coop.pk in coops_editable)


@pytest.mark.parametrize(
    "user_fixture, expected",
    [
        ("anonymous_user", set()),
        ("verwaltung_user", set()),
        ("redaktion_user", set()),
        # The Kreis's coordinator: the Kreis and its member, not the other Kreis or its member.
        ("koordination_user", {"kreis", "member"}),
        # A member town's coordinator: only the town, not its Kreis.
        ("other_koordination_user", {"member"}),
        ("admin_user", {"kreis", "member", "other_kreis", "other_member", "city"}),
    ],
)
def test_who_keeps_which_network_with_kreise(request, kreise, user_fixture, expected):
    user = request.getfixturevalue(user_fixture)
    places = kreise["places"]
    assert {key for key, place in places.items() if rules.can_edit_municipality(user, place)} == expected
    editable_actors = {key for key, actor in kreise["actors"].items() if rules.can_edit_actor(user, actor)}
    assert editable_actors == {f"{key}_{state}" for key in expected for state in ("active", "inactive")}


def test_a_kreis_coordinator_adds_partners_in_member_municipalities_but_not_elsewhere(client, kreise, koordination_user):
    places = kreise["places"]
    client.force_login(koordination_user)
    assert client.get(reverse("networks:actor-create", args=[places["member"].slug])).status_code == 200
    assert client.get(reverse("networks:actor-edit", args=[kreise["actors"]["member_active"].pk])).status_code == 200
    for key in ("other_kreis", "other_member", "city"):
        assert client.get(reverse("networks:actor-create", args=[places[key].slug])).status_code == 403
        assert client.get(reverse("networks:actor-edit", args=[kreise["actors"][f"{key}_active"].pk])).status_code == 403
    # The member's page offers the partner forms, and shows its deactivated partners.
    page = client.get(places["member"].get_absolute_url())
    assert page.context["can_edit"] is True
    assert kreise["actors"]["member_inactive"] in page.context["inactive"]
    assert client.get(places["other_member"].get_absolute_url()).context["can_edit"] is False
    # The import offers the Kreis and its member only.
    import_form = client.get(reverse("networks:import")).context["form"]
    assert set(import_form.fields["municipality"].queryset) == {places["kreis"], places["member"]}


def test_the_kreis_rule_does_not_reach_the_roadmap_progress(kreise, koordination_user):
    """Only the registry's partner maintenance follows the Kreis; the roadmap stays its coordinators'."""
    from guidance import rules as guidance_rules

    places = kreise["places"]
    assert rules.can_edit_municipality(koordination_user, places["member"])
    assert guidance_rules.can_edit_progress(koordination_user, places["kreis"])
    assert not guidance_rules.can_edit_progress(koordination_user, places["member"])


# --- Requests for access -----------------------------------------------------------------


@pytest.mark.parametrize(
    "user_fixture, allowed",
    [("anonymous_user", False), ("verwaltung_user", False), ("koordination_user", False),
     ("redaktion_user", True), ("admin_user", True)],
)
def test_access_requests_are_reviewed_by_the_editorial_team_and_admins(request, db, user_fixture, allowed):
    from networks.models import AccessRequest

    user = request.getfixturevalue(user_fixture)
    AccessRequest.objects.create(
        name="Frieda", email="frieda@example.org", function="Koordination", municipality=MunicipalityFactory(),
        justification="Ich koordiniere das Netzwerk.",
    )
    assert bool(rules.can_review_access_requests(user)) is allowed
    assert rules.access_requests_visible_to(user).exists() is allowed
