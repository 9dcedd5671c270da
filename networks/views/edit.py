"""Coordinator forms: partners, cooperations and contact persons of their own municipalities.

Every view asks the same rule as the templates (``networks.rules``); other users get 403 for GET
and POST alike. Saves go through ``networks.services`` with optimistic locking.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from networks import selectors, services
from networks.forms import ActorForm, ContactPersonForm, CooperationForm
from networks.models import Actor, ContactPerson, Cooperation, Municipality
from networks.rules import can_edit_actor, can_edit_cooperation, can_edit_municipality


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _apply_validation_error(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_http_methods(["GET", "POST"])
def actor_create(request, slug):
    municipality = get_object_or_404(Municipality, slug=slug)
    _require(can_edit_municipality(request.user, municipality))
    form = ActorForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            actor = services.actor_create(municipality=municipality, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("The partner “%(name)s” was added.") % {"name": actor.name})
            return redirect(actor)
    return render(request, "networks/actor_form.html", {"form": form, "municipality": municipality, "actor": None})


@login_required
@require_http_methods(["GET", "POST"])
def actor_edit(request, pk):
    actor = get_object_or_404(Actor.objects.select_related("municipality", "actor_type"), pk=pk)
    _require(can_edit_actor(request.user, actor))
    form = ActorForm(request.POST or None, instance=actor, municipality=actor.municipality)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            actor = services.actor_update(
                actor=actor, data=form.cleaned_data, version=form.cleaned_data["version"], by=request.user
            )
        except services.StaleEdit as exc:
            stale = exc  # the template explains the refusal with the other person's changes
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(actor)
    return render(
        request,
        "networks/actor_form.html",
        {"form": form, "municipality": actor.municipality, "actor": actor, "stale": stale},
        status=409 if stale else 200,
    )


def _version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@login_required
@require_POST
def actor_verify(request, pk):
    actor = get_object_or_404(Actor, pk=pk)
    _require(can_edit_actor(request.user, actor))
    try:
        services.actor_verify(actor=actor, by=request.user, version=_version(request))
    except services.StaleEdit:
        messages.error(request, _("Someone else changed this partner in the meantime; please check the entry again."))
    else:
        messages.success(request, _("The entry was marked as checked today."))
    return redirect(actor)


@login_required
@require_http_methods(["GET", "POST"])
def actor_deactivate(request, pk):
    actor = get_object_or_404(Actor.objects.select_related("municipality"), pk=pk)
    _require(can_edit_actor(request.user, actor))
    if request.method == "POST":
        try:
            services.actor_deactivate(actor=actor, by=request.user, version=_version(request))
        except services.StaleEdit:
            messages.error(request, _("Someone else changed this partner in the meantime; please check the entry again."))
            return redirect(actor)
        messages.success(request, _("The partner “%(name)s” was deactivated. It stays in the history.") % {"name": actor.name})
        return redirect(actor.municipality)
    return render(request, "networks/actor_deactivate.html", {"actor": actor})


@login_required
@require_POST
def actor_reactivate(request, pk):
    actor = get_object_or_404(Actor, pk=pk)
    _require(can_edit_actor(request.user, actor))
    try:
        services.actor_set_active(actor=actor, active=True, by=request.user, version=_version(request))
    except services.StaleEdit:
        messages.error(request, _("Someone else changed this partner in the meantime; please check the entry again."))
    else:
        messages.success(request, _("The partner is active again."))
    return redirect(actor)


@login_required
@require_http_methods(["GET", "POST"])
def cooperation_create(request, slug):
    municipality = get_object_or_404(Municipality, slug=slug)
    _require(can_edit_municipality(request.user, municipality))
    form = CooperationForm(
        request.POST or None, request.FILES or None, actor_queryset=selectors.cooperation_actor_choices(municipality)
    )
    if request.method == "POST" and form.is_valid():
        try:
            cooperation = services.cooperation_create(municipality=municipality, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("The cooperation “%(title)s” was saved.") % {"title": cooperation.title})
            return redirect(cooperation)
    return render(
        request, "networks/cooperation_form.html", {"form": form, "municipality": municipality, "cooperation": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def cooperation_edit(request, pk):
    cooperation = get_object_or_404(Cooperation.objects.select_related("municipality"), pk=pk)
    _require(can_edit_cooperation(request.user, cooperation))
    municipality = cooperation.municipality
    actor_qs = selectors.cooperation_actor_choices(municipality, cooperation)
    form = CooperationForm(request.POST or None, request.FILES or None, instance=cooperation, actor_queryset=actor_qs)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            cooperation = services.cooperation_update(
                cooperation=cooperation, data=form.cleaned_data, version=form.cleaned_data["version"], by=request.user
            )
        except services.StaleEdit as exc:
            stale = exc
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(cooperation)
    return render(
        request,
        "networks/cooperation_form.html",
        {"form": form, "municipality": municipality, "cooperation": cooperation, "stale": stale},
        status=409 if stale else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request, pk):
    actor = get_object_or_404(Actor, pk=pk)
    _require(can_edit_actor(request.user, actor))
    form = ContactPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.contact_create(actor=actor, data=form.cleaned_data, by=request.user)
        messages.success(request, _("The contact person was saved."))
        return redirect(actor)
    return render(request, "networks/contact_form.html", {"form": form, "actor": actor, "contact": None})


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk):
    contact = get_object_or_404(ContactPerson.objects.select_related("actor"), pk=pk)
    actor = contact.actor
    _require(can_edit_actor(request.user, actor))
    form = ContactPersonForm(request.POST or None, instance=contact)
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
            except services.StaleEdit as exc:
                return render(
                    request,
                    "networks/contact_form.html",
                    {"form": form, "actor": actor, "contact": contact, "stale": exc},
                    status=409,
                )
            messages.success(request, _("The contact person was saved."))
            return redirect(actor)
    return render(request, "networks/contact_form.html", {"form": form, "actor": actor, "contact": contact})
