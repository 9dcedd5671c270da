"""Who may read and change content and progress."""

import pytest

from guidance import rules as guidance_rules

pytestmark = pytest.mark.django_db


def test_only_the_municipalitys_coordinators_and_admins_change_progress(
    coordinator, other_coordinator, heinsberg, verwaltung_user, redaktion_user, admin_user, anonymous_user
):
    assert guidance_rules.can_edit_progress(coordinator, heinsberg)
    assert guidance_rules.can_edit_progress(admin_user, heinsberg)
    assert not guidance_rules.can_edit_progress(other_coordinator, heinsberg)
    assert not guidance_rules.can_edit_progress(verwaltung_user, heinsberg)
    assert not guidance_rules.can_edit_progress(redaktion_user, heinsberg)
    assert not guidance_rules.can_edit_progress(anonymous_user, heinsberg)
    assert coordinator.has_perm("guidance.change_progress", heinsberg)
    assert not other_coordinator.has_perm("guidance.change_progress", heinsberg)


def test_staff_read_progress_anonymous_and_roleless_do_not(
    coordinator, verwaltung_user, redaktion_user, anonymous_user, django_user_model
):
    roleless = django_user_model.objects.create_user("ohne-rolle", password="x-Passwort-123")
    assert guidance_rules.can_view_progress(verwaltung_user)
    assert guidance_rules.can_view_progress(coordinator)
    assert guidance_rules.can_view_progress(redaktion_user)
    assert not guidance_rules.can_view_progress(anonymous_user)
    assert not guidance_rules.can_view_progress(roleless)


def test_content_and_overview_for_redaktion_and_admins(
    redaktion_user, admin_user, coordinator, verwaltung_user, anonymous_user
):
    for user in (redaktion_user, admin_user):
        assert guidance_rules.can_edit_content(user)
        assert guidance_rules.can_view_progress_overview(user)
        assert user.has_perm("guidance.change_roadmapstep")
    for user in (coordinator, verwaltung_user, anonymous_user):
        assert not guidance_rules.can_edit_content(user)
        assert not guidance_rules.can_view_progress_overview(user)


def test_queryset_twins_match_the_rules(coordinator, heinsberg, eschweiler, verwaltung_user, anonymous_user, admin_user):
    from guidance import selectors

    assert list(selectors.municipalities_with_editable_progress(coordinator)) == [heinsberg]
    assert set(selectors.municipalities_with_editable_progress(admin_user)) == {heinsberg, eschweiler}
    assert not selectors.municipalities_with_editable_progress(verwaltung_user).exists()
    assert set(selectors.municipalities_with_visible_progress(verwaltung_user)) == {heinsberg, eschweiler}
    assert not selectors.municipalities_with_visible_progress(anonymous_user).exists()
