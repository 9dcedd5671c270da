"""Writes of the registry: keyword-only, permission-checked, validated, atomic, with history.

Every function takes the acting user as ``by`` and refuses with ``PermissionDenied`` unless the rule
in ``networks.rules`` allows it; ``by=None`` is a system write (demo content, management commands).
Edits use optimistic locking (``portal.core.locking``): the caller passes the ``version`` its form
was loaded with, and a save after someone else's is refused with ``EditConflict``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from networks import register, selectors
from networks.models import (
    AccessRequest,
    AccessRequestStatus,
    Actor,
    ContactPerson,
    Cooperation,
    Municipality,
    Region,
    ServiceArea,
)
from networks.rules import (
    can_confirm_service_area,
    can_edit_actor,
    can_edit_cooperation,
    can_edit_municipality,
    can_edit_municipality_profile,
    can_end_service_area,
    can_review_access_requests,
)
from portal.core import history, locking, pagecache, roles, search
from portal.core.history import ERASED_TEXT, Reason
from portal.core.rules import is_admin
from portal.core.text import german_slugify

ACTOR_FIELDS = (
    "name", "actor_type", "traeger_kind", "traeger_name", "street", "postal_code", "city", "phone",
    "email", "website", "offer", "languages", "accessibility",
)
ACTOR_M2M = ("target_groups",)
COOPERATION_FIELDS = ("title", "kind", "since", "meeting_frequency", "description", "link", "document", "is_active")
CONTACT_FIELDS = ("name", "function", "phone", "email")


def _require(allowed: Any, by: Any) -> None:
    if by is not None and not allowed:
        raise PermissionDenied


def _locked(model: Any, instance: Any, *, version: int | None, fields: tuple[str, ...],
            data: dict[str, Any] | None = None) -> Any:
    current = locking.lock(model, pk=instance.pk)
    locking.check(current, version=version, changes=lambda: locking.history_changes(
        current, since_version=version or 0, fields=fields, submitted=data))
    return current


# --- Partners -----------------------------------------------------------------------------


@transaction.atomic
def actor_create(*, municipality: Municipality, data: dict[str, Any], by: Any) -> Actor:
    """Register a partner in ``municipality``; ``data`` holds the form's cleaned data."""
    _require(can_edit_municipality(by, municipality), by)
    actor = Actor(municipality=municipality)
    for name in ACTOR_FIELDS:
        if name in data:
            setattr(actor, name, data[name])
    history.save(actor, by=by, reason=Reason.CREATED, relations=lambda: _set_m2m(actor, data, by=by))
    return actor


def _set_m2m(actor: Actor, data: dict[str, Any], *, by: Any) -> None:
    for name in ACTOR_M2M:
        if name in data and data[name] is not None:
            getattr(actor, name).set(data[name])
    if data.get("serves") is not None:
        _set_service_areas(actor, data["serves"], by=by)


def _set_service_areas(actor: Actor, wanted: Any, *, by: Any) -> None:
    """The municipalities the partner serves beyond its home, as its editor ticked them: unticked ones
    end, new ones are declared (confirmed at once only where ``by`` speaks for them)."""
    current = {area.municipality_id: area for area in ServiceArea.objects.filter(actor=actor)}
    wanted_by_id = {m.pk: m for m in wanted if m.pk != actor.municipality_id}
    ServiceArea.objects.filter(actor=actor, municipality_id__in=set(current) - set(wanted_by_id)).delete()
    for pk, municipality in wanted_by_id.items():
        if pk not in current:
            _declare(actor, municipality, by=by)


def _touch(actor_id: int) -> None:
    """A partner's published record changed without a change of its own row (a confirmed or ended
    service area): its "last changed" moves on, so the HSDS feed's ``modified_after`` and
    ``If-Modified-Since`` see it. No signal is sent: the service area's own write changed the scopes."""
    Actor.objects.filter(pk=actor_id).update(updated_at=timezone.now())


def _declare(actor: Actor, municipality: Municipality, *, by: Any) -> ServiceArea:
    now = timezone.now()
    user = by if getattr(by, "is_authenticated", False) else None
    confirmed = by is None or bool(can_confirm_service_area(by, municipality))
    area = ServiceArea.objects.create(
        actor=actor, municipality=municipality, requested_at=now, requested_by=user,
        confirmed_at=now if confirmed else None, confirmed_by=user if confirmed else None,
    )
    if confirmed and actor.pk is not None:
        _touch(actor.pk)
    return area


@transaction.atomic
def actor_update(*, actor: Actor, data: dict[str, Any], version: int, by: Any) -> Actor:
    """Save the changes of an edit form loaded at ``version``; raises ``EditConflict``."""
    _require(can_edit_actor(by, actor), by)
    current = _locked(Actor, actor, version=version, fields=ACTOR_FIELDS, data=data)
    for name in ACTOR_FIELDS:
        if name in data:
            setattr(current, name, data[name])
    current.version += 1
    history.save(current, by=by, reason=Reason.EDITED, relations=lambda: _set_m2m(current, data, by=by))
    return current


@transaction.atomic
def actor_verify(*, actor: Actor, by: Any, version: int | None = None) -> Actor:
    """Record that ``by`` checked the entry today (distinct from "last changed")."""
    _require(can_edit_actor(by, actor), by)
    current = _locked(Actor, actor, version=version, fields=ACTOR_FIELDS)
    current.verified_at = timezone.now()
    current.verified_by = by
    current.version += 1
    # Checking is not changing: "last changed" (updated_at) stays as it was.
    history.save(current, by=by, reason=Reason.VERIFIED, update_fields=["verified_at", "verified_by", "version"])
    return current


@transaction.atomic
def actor_set_active(*, actor: Actor, active: bool, by: Any, version: int | None = None) -> Actor:
    """Soft deletion: deactivate (or reactivate) a partner; nothing is ever deleted."""
    _require(can_edit_actor(by, actor), by)
    current = _locked(Actor, actor, version=version, fields=ACTOR_FIELDS)
    current.is_active = active
    current.version += 1
    history.save(current, by=by, reason=Reason.ACTIVATED if active else Reason.DEACTIVATED)
    return current


def actor_deactivate(*, actor: Actor, by: Any, version: int | None = None) -> Actor:
    return actor_set_active(actor=actor, active=False, by=by, version=version)


# --- Service areas ------------------------------------------------------------------------


@transaction.atomic
def service_area_request(*, actor: Actor, municipality: Municipality, by: Any) -> ServiceArea:
    """Say that ``actor`` also serves ``municipality``. Where ``by`` speaks for that municipality it
    counts at once; otherwise it waits for the municipality's coordinators to confirm it."""
    _require(can_edit_actor(by, actor), by)
    if municipality.pk == actor.municipality_id:
        raise ValidationError({"municipality": _("This is the partner's home municipality already.")})
    existing = ServiceArea.objects.filter(actor=actor, municipality=municipality).first()
    if existing is not None:
        return existing
    area = _declare(actor, municipality, by=by)
    _record_areas(actor.pk, by=by)
    return area


def _record_areas(actor_id: int, *, by: Any) -> None:
    """One line in the partner's history for a service area asked for or ended on its own (outside the
    partner's form): the line holds "Zuständig auch für" as it is now, so the history shows the change."""
    actor = Actor.objects.get(pk=actor_id)
    history.save(actor, by=by, reason=Reason.EDITED, update_fields=["updated_at"], clean=False)


@transaction.atomic
def service_area_confirm(*, area: ServiceArea, by: Any) -> ServiceArea:
    """The served municipality accepts the partner into its network."""
    _require(can_confirm_service_area(by, area.municipality), by)
    area = ServiceArea.objects.select_for_update().get(pk=area.pk)
    if area.confirmed_at is None:
        area.confirmed_at = timezone.now()
        area.confirmed_by = by if getattr(by, "is_authenticated", False) else None
        area.save(update_fields=["confirmed_at", "confirmed_by"])
        _touch(area.actor_id)
    return area


@transaction.atomic
def service_area_end(*, area: ServiceArea, by: Any) -> None:
    """End (or decline) a service area: by those who keep the partner or speak for the municipality."""
    _require(can_end_service_area(by, area), by)
    ServiceArea.objects.filter(pk=area.pk).delete()
    _record_areas(area.actor_id, by=by)


# --- Cooperations -------------------------------------------------------------------------


def _set_cooperation_fields(cooperation: Cooperation, data: dict[str, Any]) -> None:
    for name in COOPERATION_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "document":
            if value is None:
                continue
            if value is False:  # "clear" ticked in the file widget
                value = ""
        setattr(cooperation, name, value)


def _check_partners(actors: Any) -> None:
    if actors is not None and len(list(actors)) < 2:
        raise ValidationError({"actors": _("A cooperation needs at least two partners.")})


@transaction.atomic
def cooperation_create(*, municipality: Municipality, data: dict[str, Any], by: Any) -> Cooperation:
    _require(can_edit_municipality(by, municipality), by)
    cooperation = Cooperation(municipality=municipality)
    _set_cooperation_fields(cooperation, data)
    _check_partners(data.get("actors"))
    history.save(cooperation, by=by, reason=Reason.CREATED)
    cooperation.actors.set(data.get("actors") or [])
    return cooperation


@transaction.atomic
def cooperation_update(*, cooperation: Cooperation, data: dict[str, Any], version: int, by: Any) -> Cooperation:
    _require(can_edit_cooperation(by, cooperation), by)
    current = _locked(Cooperation, cooperation, version=version, fields=COOPERATION_FIELDS, data=data)
    _set_cooperation_fields(current, data)
    _check_partners(data.get("actors"))
    current.version += 1
    history.save(current, by=by, reason=Reason.EDITED)
    if data.get("actors") is not None:
        current.actors.set(data["actors"])
    return current


# --- Contact persons ----------------------------------------------------------------------


@transaction.atomic
def contact_create(*, actor: Actor, data: dict[str, Any], by: Any) -> ContactPerson:
    _require(can_edit_actor(by, actor), by)
    contact = ContactPerson(actor=actor, **{k: data.get(k, "") for k in CONTACT_FIELDS})
    history.save(contact, by=by, reason=Reason.CREATED)
    return contact


@transaction.atomic
def contact_update(*, contact: ContactPerson, data: dict[str, Any], by: Any,
                   version: int | None = None) -> ContactPerson:
    """Save an edit form loaded at ``version``; raises ``EditConflict`` if someone saved in between."""
    _require(can_edit_actor(by, contact.actor), by)
    current = _locked(ContactPerson, contact, version=version, fields=CONTACT_FIELDS, data=data)
    for name in CONTACT_FIELDS:
        if name in data:
            setattr(current, name, data[name])
    current.version += 1
    history.save(current, by=by, reason=Reason.EDITED)
    return current


@transaction.atomic
def contact_delete(*, contact: ContactPerson, by: Any) -> None:
    """When a person leaves, their data is removed for real (data minimisation): the record goes, and
    its history keeps only that a contact person was there, changed and removed, by whom and when."""
    _require(can_edit_actor(by, contact.actor), by)
    _remove_personal_data(contact, by=by, reason=Reason.DELETED)


@transaction.atomic
def contact_erase(*, contact: ContactPerson, by: Any) -> None:
    """Erasure on request (Art. 17 DSGVO): as :func:`contact_delete`, recorded as an erasure.
    Administrators and system commands only (the admin action, ``erase_personal_data``)."""
    _require(is_admin(by), by)
    _remove_personal_data(contact, by=by, reason=Reason.ERASED)


def _remove_personal_data(contact: ContactPerson, *, by: Any, reason: Reason) -> None:
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    contact = ContactPerson.objects.select_for_update().get(pk=contact.pk)
    blank = {"name": ERASED_TEXT, "function": "", "phone": "", "email": ""}
    for field, value in blank.items():
        setattr(contact, field, value)
    history.save(contact, by=by, reason=reason, clean=False)
    contact_id = contact.pk
    # The admin's own log names the object it changed: keep the entry, drop the name.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ContactPerson), object_id=str(contact_id)
    ).update(object_repr=ERASED_TEXT)
    history.delete(contact, by=by, reason=reason)
    ContactPerson.history.filter(id=contact_id).update(**blank)


MUNICIPALITY_PROFILE_FIELDS = (
    "has_youth_office", "children_under_18", "children_under_3", "figures_source", "figures_date", "notes",
    "website",
)
OWN_YOUTH_OFFICE_KINDS = ("kreis", "kreisfreie_stadt", "region")


@transaction.atomic
def municipality_update_profile(*, municipality: Municipality, data: dict[str, Any], version: int,
                                by: Any) -> Municipality:
    """Record what the register does not know: its own Jugendamt (a kreisangehörige Gemeinde only;
    Kreise and kreisfreie Städte always have one) and newer official child figures with source and
    date, which take precedence over the approximation from the population."""
    _require(can_edit_municipality_profile(by, municipality), by)
    current = _locked(Municipality, municipality, version=version, fields=MUNICIPALITY_PROFILE_FIELDS, data=data)
    for name in MUNICIPALITY_PROFILE_FIELDS:
        if name in data:
            setattr(current, name, data[name])
    if current.kind in OWN_YOUTH_OFFICE_KINDS:
        current.has_youth_office = True
    if (current.children_under_18 is not None or current.children_under_3 is not None) and not current.figures_source:
        raise ValidationError({"figures_source": _("Please name the source of the child figures.")})
    current.version += 1
    history.save(current, by=by, reason=Reason.EDITED)
    return current


# --- The official municipality register ---------------------------------------------------

REGISTER_FIELDS = (
    "official_name", "regional_key", "kind", "bundesland", "regierungsbezirk", "postcode", "latitude",
    "longitude", "population", "population_male", "population_female", "area_km2", "population_date",
    "population_source",
)


@dataclass(frozen=True)
class RegisterResult:
    areas: int
    created: int
    updated: int
    unchanged: int

    @property
    def places(self) -> int:
        return self.created + self.updated + self.unchanged


def _unique_slug(name: str, ags: str, taken: set[str]) -> str:
    base = german_slugify(name)[:180] or "kommune"
    slug = base if base not in taken else f"{base}-{ags}"
    taken.add(slug)
    return slug


@transaction.atomic
def register_load(*, data: register.Register, batch_size: int = 2000) -> RegisterResult:
    """Write the official register: the administrative areas and every Kreis and Gemeinde, in bulk.

    Idempotent: places are matched by AGS, so existing ones (the demo municipalities, those loaded
    before) are updated, never duplicated, and keep their name, slug, partners, coordinators and
    recorded child figures; register figures (population, area, postcode, coordinates) are replaced.
    Kreise and kreisfreie Städte have their own Jugendamt; a kreisangehörige Gemeinde keeps what was
    recorded for it. A system write (management command), so no permission check and no history.
    """
    # Areas: Länder, Regierungsbezirke, regions, Gemeindeverbände.
    existing_areas = {r.key: r for r in Region.objects.all()}
    new_areas = [
        Region(key=a.key, name=a.name, kind=a.kind, designation=a.designation, bundesland=a.bundesland)
        for a in data.areas if a.key not in existing_areas
    ]
    Region.objects.bulk_create(new_areas, batch_size=batch_size)
    changed_areas = []
    for a in data.areas:
        area = existing_areas.get(a.key)
        if area and (area.name, area.kind, area.designation) != (a.name, a.kind, a.designation):
            area.name, area.kind, area.designation = a.name, a.kind, a.designation
            changed_areas.append(area)
    Region.objects.bulk_update(changed_areas, ["name", "kind", "designation"], batch_size=batch_size)
    area_ids = dict(Region.objects.values_list("key", "id"))

    # Places: Kreise and kreisfreie Städte first, then the Gemeinden.
    existing = {m.ags: m for m in Municipality.objects.all()}
    taken = set(Municipality.objects.values_list("slug", flat=True))
    now = timezone.now()
    to_create, to_update = [], []
    for place in data.places:
        values = {
            "official_name": place.official_name, "regional_key": place.regional_key, "kind": place.kind,
            "bundesland": place.bundesland, "regierungsbezirk": place.regierungsbezirk,
            "postcode": place.postcode, "latitude": place.latitude, "longitude": place.longitude,
            "population": place.population, "population_male": place.male, "population_female": place.female,
            "area_km2": place.area_km2, "population_date": register.DATE, "population_source": register.SOURCE,
        }
        municipality = existing.get(place.ags)
        if municipality is None:
            municipality = Municipality(
                ags=place.ags, name=place.name, slug=_unique_slug(place.name, place.ags, taken),
                has_youth_office=place.has_youth_office, created_at=now, updated_at=now, **values,
            )
            to_create.append(municipality)
        else:
            if place.has_youth_office:
                values["has_youth_office"] = True
            if any(getattr(municipality, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(municipality, name, value)
                municipality.updated_at = now
                to_update.append(municipality)
    Municipality.objects.bulk_create(to_create, batch_size=batch_size)
    Municipality.objects.bulk_update(
        to_update, [*REGISTER_FIELDS, "has_youth_office", "updated_at"], batch_size=batch_size,
    )

    # Links: each Gemeinde's Kreis and Gemeindeverband; each Verband's Land and Kreis.
    ids = dict(Municipality.objects.values_list("ags", "id"))
    created = {m.ags: m for m in to_create}
    links = []
    for place in data.places:
        municipality = existing.get(place.ags) or created[place.ags]
        parent_id = ids.get(place.kreis_ags) if place.kreis_ags else None
        verband_id = area_ids.get(place.verband_key) if place.verband_key else None
        municipality.id = ids[place.ags]
        if (municipality.parent_id, municipality.verband_id) != (parent_id, verband_id):
            municipality.parent_id, municipality.verband_id = parent_id, verband_id
            links.append(municipality)
    Municipality.objects.bulk_update(links, ["parent", "verband"], batch_size=batch_size)
    area_links = []
    for a in data.areas:
        parent_id = area_ids.get(a.parent_key) if a.parent_key else None
        kreis_id = ids.get(a.kreis_ags) if a.kreis_ags else None
        area_links.append(Region(id=area_ids[a.key], parent_id=parent_id, kreis_id=kreis_id))
    current_links = {r.id: (r.parent_id, r.kreis_id) for r in Region.objects.only("id", "parent", "kreis")}
    area_links = [r for r in area_links if current_links.get(r.id) != (r.parent_id, r.kreis_id)]
    Region.objects.bulk_update(area_links, ["parent", "kreis"], batch_size=batch_size)
    search.refresh(Municipality, pks=[ids[m.ags] for m in (*to_create, *to_update)])
    if to_create or to_update:
        pagecache.bump()  # bulk writes send no signals: every page shows the register afresh
    return RegisterResult(
        areas=len(data.areas), created=len(to_create), updated=len(to_update),
        unchanged=len(data.places) - len(to_create) - len(to_update),
    )


# --- Requests for access ------------------------------------------------------------------
#
# Anyone may ask to coordinate a municipality's network. Nothing but the request is stored until the
# editorial team or an admin decides: approval creates the account (or gives an existing account with
# that e-mail address the coordinator role) and adds it to the municipality's coordinators. Every step
# is told by e-mail, sent once the transaction is committed (a mail server that fails is logged and
# changes nothing that was decided).


def _after_commit(send: Callable[[], None]) -> None:
    transaction.on_commit(send, robust=True)


def _mail(template: str, *, to: list[str], context: dict[str, Any]) -> None:
    """One e-mail per recipient from ``templates/emails/<template>.txt`` and ``<template>_subject.txt``,
    in the portal's language (German)."""
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        body = render_to_string(f"emails/{template}.txt", context)
    get_connection().send_messages([EmailMessage(subject, body, to=[address]) for address in to])


def _context(access_request: AccessRequest, *, site_url: str, **extra: Any) -> dict[str, Any]:
    return {
        "access_request": access_request,
        "site_url": site_url,
        "review_url": site_url + reverse("networks:access-request-detail", kwargs={"pk": access_request.pk}),
        "login_url": site_url + reverse("login"),
        "retention_days": settings.ACCESS_REQUEST_RETENTION_DAYS,
        **extra,
    }


@transaction.atomic
def access_request_submit(*, name: str, email: str, function: str, municipality: Municipality,
                          justification: str, site_url: str) -> AccessRequest:
    """Store a request (no account is created) and tell the requester and the reviewers by e-mail.

    Open to anyone; the view limits how often. A second request for the same municipality from the
    same address while the first still waits is that first request: nothing is stored or sent again."""
    email = email.strip()
    waiting = AccessRequest.objects.filter(
        email__iexact=email, municipality=municipality, status=AccessRequestStatus.PENDING
    ).first()
    if waiting is not None:
        return waiting
    access_request = AccessRequest(
        name=name.strip(), email=email, function=function.strip(), municipality=municipality,
        justification=justification.strip(),
    )
    access_request.full_clean()
    access_request.save()
    context = _context(access_request, site_url=site_url)
    reviewers = selectors.access_request_reviewer_emails()
    _after_commit(lambda: _mail("access_request_received", to=[email], context=context))
    _after_commit(lambda: _mail("access_request_new", to=reviewers, context=context))
    return access_request


def _decision_changes(current: AccessRequest) -> list[locking.FieldChange]:
    """What the other reviewer decided, for the conflict answer."""
    meta = AccessRequest._meta
    by, at = locking.person(current.decided_by), current.decided_at
    changes = [locking.FieldChange(
        field="status", label=str(meta.get_field("status").verbose_name),
        before=str(AccessRequestStatus.PENDING.label), after=current.get_status_display(), by=by, at=at,
    )]
    if current.reason:
        changes.append(locking.FieldChange(
            field="reason", label=str(meta.get_field("reason").verbose_name), before="", after=current.reason,
            by=by, at=at,
        ))
    return changes


def _decidable(access_request: AccessRequest, *, version: int | None) -> AccessRequest:
    """The request, locked; refused with ``EditConflict`` if someone decided (or changed) it since
    ``version``, and with a ``ValidationError`` if it was decided already."""
    current = locking.lock(AccessRequest, pk=access_request.pk)
    locking.check(current, version=version, changes=lambda: _decision_changes(current))
    if current.status != AccessRequestStatus.PENDING:
        raise ValidationError(_("This request has been decided already."))
    return current


def _free_username(email: str) -> str:
    """The user name of a new account: the e-mail address (numbered if it is taken)."""
    user_model = get_user_model()
    base = re.sub(r"[^\w.@+-]", "-", email.lower())[:140] or "koordination"
    candidate, number = base, 2
    while user_model._default_manager.filter(username__iexact=candidate).exists():
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _account_for(access_request: AccessRequest) -> tuple[Any, bool]:
    """The account with the request's e-mail address, or a new one without a usable password."""
    user_model = get_user_model()
    accounts = list(user_model._default_manager.filter(email__iexact=access_request.email)[:2])
    if len(accounts) > 1:
        raise ValidationError(_("Several accounts use this e-mail address. Please give one of them the role in the "
                                "administration."))
    if accounts:
        if not accounts[0].is_active:
            raise ValidationError(_("The account with this e-mail address is deactivated. Please check it in the "
                                    "administration first."))
        return accounts[0], False
    *first, last = access_request.name.split() or [""]
    account = user_model(
        username=_free_username(access_request.email), email=access_request.email,
        first_name=" ".join(first)[:150], last_name=last[:150],
    )
    account.set_unusable_password()
    account.full_clean(exclude=["password"])
    account.save()
    return account, True


def _password_url(account: Any, *, site_url: str) -> str:
    """A link to set the password, made by Django's password reset machinery (valid for
    ``PASSWORD_RESET_TIMEOUT``); it opens the portal's own password reset pages."""
    uid = urlsafe_base64_encode(force_bytes(account.pk))
    token = default_token_generator.make_token(account)
    return site_url + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def _link_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))


def _decide(current: AccessRequest, *, status: str, reason: str, by: Any) -> None:
    current.status = status
    current.reason = reason
    current.decided_by = by if getattr(by, "is_authenticated", False) else None
    current.decided_at = timezone.now()
    current.version += 1
    current.full_clean()
    current.save()


def _tell_other_reviewers(context: dict[str, Any], *, by: Any) -> None:
    own = (getattr(by, "email", "") or "").lower()
    reviewers = [a for a in selectors.access_request_reviewer_emails() if a.lower() != own]
    _after_commit(lambda: _mail("access_request_decided", to=reviewers, context=context))


@transaction.atomic
def access_request_approve(*, access_request: AccessRequest, version: int | None, by: Any, site_url: str,
                           reason: str = "") -> AccessRequest:
    """Approve a waiting request: the account with its e-mail address gets the coordinator role (a new
    account is created, without a password: the requester sets one through the e-mailed link) and
    joins the municipality's coordinators. Raises ``EditConflict`` if someone decided meanwhile."""
    _require(can_review_access_requests(by), by)
    current = _decidable(access_request, version=version)
    account, created = _account_for(current)
    account.groups.add(Group.objects.get_or_create(name=roles.KOORDINATION)[0])
    current.municipality.coordinators.add(account)
    roles.forget(account)
    current.user = account
    _decide(current, status=AccessRequestStatus.APPROVED, reason=reason.strip(), by=by)
    context = _context(current, site_url=site_url, account=account, created=created,
                       username=account.get_username(), link_days=_link_days(),
                       decided_by=locking.person(current.decided_by))
    if created:
        # Made after the commit: the token depends on the stored account.
        _after_commit(lambda: _mail("access_request_approved", to=[current.email], context={
            **context, "password_url": _password_url(account, site_url=site_url)}))
    else:
        _after_commit(lambda: _mail("access_request_approved", to=[current.email], context=context))
    _tell_other_reviewers(context, by=by)
    return current


@transaction.atomic
def access_request_decline(*, access_request: AccessRequest, version: int | None, reason: str, by: Any,
                           site_url: str) -> AccessRequest:
    """Decline a waiting request with a reason, which the requester is sent. No account is touched.
    Raises ``EditConflict`` if someone decided meanwhile."""
    _require(can_review_access_requests(by), by)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason: the requester receives it by e-mail.")})
    current = _decidable(access_request, version=version)
    _decide(current, status=AccessRequestStatus.DECLINED, reason=reason, by=by)
    context = _context(current, site_url=site_url, decided_by=locking.person(current.decided_by))
    _after_commit(lambda: _mail("access_request_declined", to=[current.email], context=context))
    _tell_other_reviewers(context, by=by)
    return current


@transaction.atomic
def access_request_send_password_link(*, access_request: AccessRequest, by: Any, site_url: str) -> None:
    """Send the requester of an approved request a new link to set the password (the first one is
    valid only for ``PASSWORD_RESET_TIMEOUT``), as long as the account has no password yet."""
    _require(can_review_access_requests(by), by)
    account = access_request.user
    if (access_request.status != AccessRequestStatus.APPROVED or account is None or not account.is_active
            or account.has_usable_password()):
        raise ValidationError(_("A new link is only sent for an approved request whose account has no password yet."))
    context = _context(access_request, site_url=site_url, account=account, created=True,
                       username=account.get_username(), link_days=_link_days(),
                       password_url=_password_url(account, site_url=site_url))
    _after_commit(lambda: _mail("access_request_approved", to=[account.email], context=context))


@transaction.atomic
def access_requests_delete_expired(*, by: Any = None, days: int | None = None) -> int:
    """Delete the declined requests decided more than ``days`` (``ACCESS_REQUEST_RETENTION_DAYS``) ago.
    Administrators and system commands only (``erase_personal_data --expired-access-requests``)."""
    _require(is_admin(by), by)
    keep = settings.ACCESS_REQUEST_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=keep)
    deleted, _counts = AccessRequest.objects.filter(
        status=AccessRequestStatus.DECLINED, decided_at__lt=cutoff
    ).delete()
    return deleted


@transaction.atomic
def access_requests_erase(*, user: Any, by: Any) -> int:
    """Erasure on request (Art. 17 DSGVO): the requests of an account, and those sent from its e-mail
    address, are deleted with its personal data. Administrators and system commands only."""
    _require(is_admin(by), by)
    mine = Q(user=user)
    if user.email:
        mine |= Q(email__iexact=user.email)
    deleted, _counts = AccessRequest.objects.filter(mine).delete()
    return deleted


# --- Reminder of partners not verified for a year (manage.py remind_unverified) -------------------

REMINDER_KIND = "remind_unverified"


@dataclass
class ReminderRun:
    """What one run of the reminder did (or, with ``dry_run``, would do)."""

    sent: list[str]  # the addresses written to
    skipped: list[str]  # addresses told within the period already
    partners: int  # unverified partners listed in all mails


def remind_unverified(*, days: int = 365, every_days: int = 7, dry_run: bool = False,
                      now: Any = None) -> ReminderRun:
    """Write to every coordinator one e-mail listing their municipalities' active partners not
    verified for ``days`` days (or never), unless they received one within ``every_days`` days (a
    second run in the same week sends nothing). A system write (the command ``remind_unverified``);
    with ``dry_run`` nothing is sent or recorded."""
    from portal.core import notices

    if days < 1 or every_days < 1:
        raise ValidationError(_("The number of days must be at least 1."))
    now = now or timezone.now()
    by_coordinator = selectors.unverified_partners_by_coordinator(before=now - timedelta(days=days))
    told = notices.recently_told(kind=REMINDER_KIND, user_ids=[user.pk for user in by_coordinator], now=now,
                                 within=timedelta(days=every_days))
    run = ReminderRun(sent=[], skipped=[], partners=0)
    for user, groups in sorted(by_coordinator.items(), key=lambda item: item[0].email):
        if user.pk in told:
            run.skipped.append(user.email)
            continue
        run.sent.append(user.email)
        run.partners += sum(group.total for group in groups)
        if dry_run:
            continue
        site_url = settings.SITE_URL
        context = {
            "person": user.get_full_name() or user.get_username(),
            "days": days,
            "groups": [
                {
                    "municipality": group.municipality.name,
                    "url": site_url + group.municipality.get_absolute_url(),
                    "total": group.total,
                    "more": group.total - len(group.partners),
                    "partners": [
                        {"name": actor.name, "type": actor.actor_type.name, "verified_at": actor.verified_at,
                         "url": site_url + actor.get_absolute_url()}
                        for actor in group.partners
                    ],
                }
                for group in groups
            ],
            "total": sum(group.total for group in groups),
            "site_url": site_url,
        }
        _mail("unverified_reminder", to=[user.email], context=context)
        notices.record(kind=REMINDER_KIND, user=user, now=now)
    return run
