"""Which registry pages depend on what, and which registry writes touch what (the page cache's scopes,
``portal/core/pagecache.py``). The one place to change when a page starts showing other data.

- ``registry``: the partner and municipality lists and searches, a partner's and a cooperation's
  page. Every registry write changes it.
- ``municipality:<slug>``: a municipality's page, network graph and exports. They show the partners
  whose home is the municipality or who serve it, for a Kreis or region also those of its members,
  the cooperations of those, the gap analysis (which partners cooperate) and the members' names. So a
  write to a partner changes its home municipality, the municipalities it serves and the
  municipalities of its cooperations, each with its Kreis (or region) above it; before and after the
  write (a partner moved to another municipality changes both).

Writes the registry declares nothing for (actor types, regions, coordinators of a municipality,
user accounts) change ``site``: every page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps

from networks.models import AccessRequest, Actor, ContactPerson, Cooperation, Municipality, ServiceArea
from portal.core import pagecache

REGISTRY = "registry"


def _with_parents(ids: Iterable[Any]) -> set[str]:
    """``registry`` and the scopes of the municipalities ``ids`` and of every Kreis or region above them
    (a municipality's pages are found by its slug, so the scope names the slug)."""
    seen: set[int] = set()
    slugs: set[str] = set()
    todo = {pk for pk in ids if pk is not None}
    while todo:
        seen |= todo
        rows = list(Municipality.objects.filter(pk__in=todo).values_list("slug", "parent_id"))
        slugs |= {slug for slug, _parent in rows}
        todo = {parent for _slug, parent in rows if parent is not None} - seen
    return {REGISTRY, *(pagecache.municipality(slug) for slug in slugs)}


def _actor_municipalities(actor_ids: Iterable[Any]) -> set[int]:
    """Home, served (asked or confirmed) and cooperation municipalities of the partners, as stored."""
    ids = [pk for pk in actor_ids if pk is not None]
    if not ids:
        return set()
    return (
        set(Actor.objects.filter(pk__in=ids).values_list("municipality_id", flat=True))
        | set(ServiceArea.objects.filter(actor_id__in=ids).values_list("municipality_id", flat=True))
        | set(Cooperation.objects.filter(actors__in=ids).values_list("municipality_id", flat=True))
    )


def actor_scopes(actor: Actor) -> set[str]:
    return _with_parents({actor.municipality_id} | _actor_municipalities([actor.pk]))


def municipality_scopes(municipality: Municipality) -> set[str]:
    ids = {municipality.pk, municipality.parent_id}
    if municipality.pk is not None:
        ids |= set(Municipality.objects.filter(pk=municipality.pk).values_list("parent_id", flat=True))
        ids |= set(Municipality.objects.filter(parent_id=municipality.pk).values_list("pk", flat=True))
    return _with_parents(ids)


def cooperation_scopes(cooperation: Cooperation) -> set[str]:
    ids = {cooperation.municipality_id}
    if cooperation.pk is not None:
        ids |= set(Cooperation.objects.filter(pk=cooperation.pk).values_list("municipality_id", flat=True))
        ids |= _actor_municipalities(cooperation.actors.values_list("pk", flat=True))
    return _with_parents(ids)


def _cooperation_partners(instance: Any, model: Any, pk_set: Iterable[Any] | None) -> set[str]:
    """Partners added to or removed from cooperations (from either side; ``pk_set`` is None when the
    relation is about to be cleared)."""
    if isinstance(instance, Cooperation):
        cooperations: Iterable[Cooperation] = [instance]
        actor_ids: Iterable[Any] = pk_set or ()
    else:
        cooperations = Cooperation.objects.filter(pk__in=list(pk_set)) if pk_set is not None else instance.cooperations.all()
        actor_ids = [instance.pk]
    return set().union(*(cooperation_scopes(c) for c in cooperations)) | _with_parents(_actor_municipalities(actor_ids))


_VIEWS = {
    # The lists and searches, a partner's and a cooperation's page.
    "networks.views.public.actor_list": (REGISTRY,),
    "networks.views.public.municipality_list": (REGISTRY,),
    "networks.views.public.actor_detail": (REGISTRY,),
    "networks.views.public.cooperation_detail": (REGISTRY,),
}
_MUNICIPALITY_VIEWS = (
    "networks.views.public.municipality_detail",
    "networks.views.public.network_graph",
    "networks.views.io.export_csv",
    "networks.views.io.export_xlsx",
    "networks.views.io.export_cooperations_csv",
    "networks.views.io.export_cooperations_xlsx",
    "networks.views.io.export_hsds",
)


def _municipality_page(slug: str, **_kwargs: Any) -> tuple[str, ...]:
    return (pagecache.municipality(slug),)


def register() -> None:
    pagecache.register_model(Actor, actor_scopes)
    pagecache.register_model(Municipality, municipality_scopes)
    pagecache.register_model(Cooperation, cooperation_scopes)
    pagecache.register_model(ServiceArea, lambda area: actor_scopes(area.actor) | _with_parents([area.municipality_id]))
    pagecache.register_model(ContactPerson, lambda contact: actor_scopes(contact.actor))
    pagecache.register_model(AccessRequest, ())  # shown on no declared page: only "any"
    # History rows (shown on a partner's page) are written with the row they describe, which declares
    # the municipalities' scopes.
    history = [model for model in apps.get_app_config("networks").get_models() if hasattr(model, "instance_type")]
    pagecache.register_models(history, (REGISTRY,))
    pagecache.register_relation(Cooperation.actors.through, _cooperation_partners)
    pagecache.register_relation(Actor.target_groups.through, lambda instance, model, pk_set: (
        actor_scopes(instance) if isinstance(instance, Actor) else {pagecache.SITE}))
    pagecache.register_relation(Actor.serves.through, lambda instance, model, pk_set: (
        actor_scopes(instance) | _with_parents(pk_set or ()) if isinstance(instance, Actor) else {pagecache.SITE}))
    for name, scopes in _VIEWS.items():
        pagecache.register_view(name, scopes)
    for name in _MUNICIPALITY_VIEWS:
        pagecache.register_view(name, _municipality_page)
