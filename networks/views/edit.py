"""Coordinator forms: partners, cooperations and contact persons of their own municipalities.

Every view asks the rule in ``networks.rules`` (other users get 403 for GET and POST alike) and
saves through ``networks.services``, which asks it again. A save after someone else's is refused
with the one conflict answer of ``portal.core.locking``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from networks import rules, selectors, services
from networks.forms import ActorForm, ContactPersonForm, CooperationForm, MunicipalityProfileForm
from portal.core.forms import apply_validation_error
from portal.core.locking import EditConflict, refuse

STALE_MESSAGE = gettext_lazy("Someone else changed this partner in the meantime; please check the entry again.")


def _require(allowed) -> None:
    if not allowed:
        raise PermissionDenied


def _version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def actor_create(request, slug):
    municipality = selectors.municipality_by_slug(slug=slug)
    _require(rules.can_edit_municipality(request.user, municipality))
    form = ActorForm(request.POST or None, municipality=municipality, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            actor = services.actor_create(municipality=municipality, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The partner “%(name)s” was added.") % {"name": actor.name})
            return redirect(actor)
    return render(request, "networks/actor_form.html", {"form": form, "municipality": municipality, "actor": None})


@login_required
@require_http_methods(["GET", "POST"])
def actor_edit(request, pk):
    actor = selectors.actor_for_edit(pk=pk)
    _require(rules.can_edit_actor(request.user, actor))
    form = ActorForm(request.POST or None, instance=actor, municipality=actor.municipality, user=request.user)
    context = {"municipality": actor.municipality, "actor": actor}
    if request.method == "POST" and form.is_valid():
        try:
            actor = services.actor_update(
                actor=actor, data=form.cleaned_data, version=form.cleaned_data["version"], by=request.user
            )
        except EditConflict as conflict:
            return refuse(request, "networks/actor_form.html", context, form=form, conflict=conflict)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(actor)
    return render(request, "networks/actor_form.html", {**context, "form": form})


@login_required
@require_POST
def actor_verify(request, pk):
    actor = selectors.actor_for_edit(pk=pk)
    _require(rules.can_edit_actor(request.user, actor))
    try:
        services.actor_verify(actor=actor, by=request.user, version=_version(request))
    except EditConflict:
        messages.error(request, STALE_MESSAGE)
    else:
        messages.success(request, _("The entry was marked as checked today."))
    return redirect(actor)


@login_required
@require_http_methods(["GET", "POST"])
def actor_deactivate(request, pk):
    actor = selectors.actor_for_edit(pk=pk)
    _require(rules.can_edit_actor(request.user, actor))
    if request.method == "POST":
        try:
            services.actor_deactivate(actor=actor, by=request.user, version=_version(request))
        except EditConflict:
            messages.error(request, STALE_MESSAGE)
            return redirect(actor)
        messages.success(request, _("The partner “%(name)s” was deactivated. It stays in the history.") % {"name": actor.name})
        return redirect(actor.municipality)
    return render(request, "networks/actor_deactivate.html", {"actor": actor})


@login_required
@require_POST
def actor_reactivate(request, pk):
    actor = selectors.actor_for_edit(pk=pk)
    _require(rules.can_edit_actor(request.user, actor))
    try:
        services.actor_set_active(actor=actor, active=True, by=request.user, version=_version(request))
    except EditConflict:
        messages.error(request, STALE_MESSAGE)
    else:
        messages.success(request, _("The partner is active again."))
    return redirect(actor)


@login_required
@require_POST
def service_area_request(request, pk):
    """Ask that the partner counts for another municipality too (it confirms, unless you speak for it)."""
    actor = selectors.actor_for_edit(pk=pk)
    _require(rules.can_edit_actor(request.user, actor))
    municipality = selectors.municipalities(ids=[_int(request.POST.get("municipality"))]).first()
    if municipality is None:
        messages.error(request, _("Please choose a municipality from the list."))
        return redirect(actor)
    try:
        area = services.service_area_request(actor=actor, municipality=municipality, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if area.is_confirmed:
            messages.success(request, _("The partner now also serves %(name)s.") % {"name": municipality.name})
        else:
            messages.success(request, _(
                "Asked %(name)s to confirm that the partner serves it too. Until its coordinators confirm, the "
                "partner does not count there."
            ) % {"name": municipality.name})
    return redirect(actor)


@login_required
@require_POST
def service_area_confirm(request, pk):
    area = selectors.service_area_by_id(pk=pk)
    _require(rules.can_confirm_service_area(request.user, area.municipality))
    services.service_area_confirm(area=area, by=request.user)
    messages.success(request, _("“%(actor)s” now counts as a partner of %(name)s.")
                     % {"actor": area.actor.name, "name": area.municipality.name})
    return redirect(area.municipality)


@login_required
@require_POST
def service_area_end(request, pk):
    area = selectors.service_area_by_id(pk=pk)
    _require(rules.can_end_service_area(request.user, area))
    services.service_area_end(area=area, by=request.user)
    messages.success(request, _("“%(actor)s” no longer serves %(name)s.")
                     % {"actor": area.actor.name, "name": area.municipality.name})
    if request.POST.get("next") == "municipality":
        return redirect(area.municipality)
    return redirect(area.actor)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
@require_http_methods(["GET", "POST"])
def cooperation_create(request, slug):
    municipality = selectors.municipality_by_slug(slug=slug)
    _require(rules.can_edit_municipality(request.user, municipality))
    form = CooperationForm(
        request.POST or None, request.FILES or None,
        actor_queryset=selectors.cooperation_actor_choices(municipality=municipality),
        municipality=municipality,
    )
    if request.method == "POST" and form.is_valid():
        try:
            cooperation = services.cooperation_create(municipality=municipality, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The cooperation “%(title)s” was saved.") % {"title": cooperation.title})
            return redirect(cooperation)
    return render(
        request, "networks/cooperation_form.html", {"form": form, "municipality": municipality, "cooperation": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def cooperation_edit(request, pk):
    cooperation = selectors.cooperation_for_edit(pk=pk)
    _require(rules.can_edit_cooperation(request.user, cooperation))
    municipality = cooperation.municipality
    actor_qs = selectors.cooperation_actor_choices(municipality=municipality, cooperation=cooperation)
    form = CooperationForm(request.POST or None, request.FILES or None, instance=cooperation, actor_queryset=actor_qs,
                           municipality=cooperation.municipality)
    context = {"municipality": municipality, "cooperation": cooperation}
    if request.method == "POST" and form.is_valid():
        try:
            cooperation = services.cooperation_update(
                cooperation=cooperation, data=form.cleaned_data, version=form.cleaned_data["version"], by=request.user
            )
        except EditConflict as conflict:
            return refuse(request, "networks/cooperation_form.html", context, form=form, conflict=conflict)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(cooperation)
    return render(request, "networks/cooperation_form.html", {**context, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request, pk):
    actor = selectors.actor_for_edit(pk=pk)
    _require(rules.can_edit_actor(request.user, actor))
    form = ContactPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.contact_create(actor=actor, data=form.cleaned_data, by=request.user)
        messages.success(request, _("The contact person was saved."))
        return redirect(actor)
    return render(request, "networks/contact_form.html", {"form": form, "actor": actor, "contact": None})


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk):
    contact = selectors.contact_by_id(pk=pk)
    if contact is None:
        raise Http404
    actor = contact.actor
    _require(rules.can_edit_actor(request.user, actor))
    form = ContactPersonForm(request.POST or None, instance=contact)
    context = {"actor": actor, "contact": contact}
    if request.method == "POST":
        if "delete" in request.POST:
            services.contact_delete(contact=contact, by=request.user)
            messages.success(request, _("The contact person was removed."))
            return redirect(actor)
        if form.is_valid():
            try:
                services.contact_update(
                    contact=contact, data=form.cleaned_data, version=form.cleaned_data["version"], by=request.user
                )
            except EditConflict as conflict:
                return refuse(request, "networks/contact_form.html", context, form=form, conflict=conflict)
            messages.success(request, _("The contact person was saved."))
            return redirect(actor)
    return render(request, "networks/contact_form.html", {**context, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def municipality_edit(request, slug):
    municipality = selectors.municipality_by_slug(slug=slug)
    _require(rules.can_edit_municipality_profile(request.user, municipality))
    form = MunicipalityProfileForm(request.POST or None, instance=selectors.municipality_by_slug(slug=slug))
    context = {"municipality": municipality}
    if request.method == "POST" and form.is_valid():
        try:
            services.municipality_update_profile(
                municipality=municipality, data=form.cleaned_data, version=form.cleaned_data["version"],
                by=request.user,
            )
        except EditConflict as conflict:
            return refuse(request, "networks/municipality_form.html", context, form=form, conflict=conflict)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(municipality)
    return render(request, "networks/municipality_form.html", {**context, "form": form})
