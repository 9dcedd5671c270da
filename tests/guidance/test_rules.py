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
    for user in (coordinator, admin_user, verwaltung_user, anonymous_user):
        editable = set(guidance_rules.municipalities_with_editable_progress(user))
        visible = set(guidance_rules.municipalities_with_visible_progress(user))
        for municipality in (heinsberg, eschweiler):
            assert (municipality in editable) == guidance_rules.can_edit_progress(user, municipality), user
            assert (municipality in visible) == guidance_rules.can_view_progress(user), user
    assert list(guidance_rules.municipalities_with_editable_progress(coordinator)) == [heinsberg]
    assert set(guidance_rules.municipalities_with_editable_progress(admin_user)) == {heinsberg, eschweiler}
    assert not guidance_rules.municipalities_with_visible_progress(anonymous_user).exists()


def test_redaktion_reaches_the_content_admin(client, redaktion_user, koordination_user, steps):
    client.force_login(redaktion_user)
    assert client.get("/admin/guidance/roadmapstep/").status_code == 200
    assert client.get(f"/admin/guidance/roadmapstep/{steps[0].pk}/change/").status_code == 200
    assert client.get("/admin/guidance/guidancepage/").status_code == 200
    assert client.get("/admin/guidance/stepprogress/").status_code == 403  # progress belongs to coordinators
    client.force_login(koordination_user)
    assert client.get("/admin/guidance/roadmapstep/").status_code == 302  # not staff: to the admin login


def test_admin_save_bumps_the_version(rf, redaktion_user, steps):
    from django.contrib import admin

    from guidance.models import RoadmapStep

    model_admin = admin.site._registry[RoadmapStep]
    step = steps[0]
    step.title = "Geändert im Admin"
    request = rf.post("/admin/")
    request.user = redaktion_user
    model_admin.save_model(request, step, form=None, change=True)
    step.refresh_from_db()
    assert step.version == 2 and step.title == "Geändert im Admin"
