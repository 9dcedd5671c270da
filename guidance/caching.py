"""Which writes of the guide touch which pages (the page cache's scopes, ``portal/core/pagecache.py``).

Every write to the roadmap, the guidance pages, the materials and the municipalities' progress (and
their history) changes the scope ``guidance``. The guide's pages depend on ``guidance`` and on what
else they show: a roadmap step its published examples (``catalogue``), the estimator, the progress
lists, overview, map and neighbourhoods the registry's municipalities and partners (``registry``), a
municipality's progress page its own partners (``municipality:<slug>``, which a write to a partner of
a member town changes too). The registry's pages do not depend on ``guidance``, so an edit of
guidance content leaves them cached, and an edit of a partner leaves the guidance pages cached.
"""

from __future__ import annotations

from django.apps import apps

from portal.core import pagecache

GUIDANCE = "guidance"
# Named here rather than imported: the guide's pages name the scopes of the catalogue above them and of
# the registry below them (``guidance.catalogue.caching.CATALOGUE``, ``networks.caching.REGISTRY``).
CATALOGUE = "catalogue"
REGISTRY = "registry"

_VIEWS = {
    "index": (GUIDANCE,),
    "roadmap": (GUIDANCE,),
    "page": (GUIDANCE,),
    "figures": (GUIDANCE,),
    "costs": (GUIDANCE,),
    "step": (GUIDANCE, CATALOGUE),
    "estimator": (GUIDANCE, REGISTRY),
    "progress_list": (GUIDANCE, REGISTRY),
    "progress_overview": (GUIDANCE, REGISTRY),
    "progress_map": (GUIDANCE, REGISTRY),
    "neighbours": (GUIDANCE, REGISTRY),
}


def _progress_page(slug: str, **_kwargs: object) -> tuple[str, ...]:
    return (GUIDANCE, pagecache.municipality(slug))


def register() -> None:
    models = [
        model for model in apps.get_app_config("guidance").get_models()
        if getattr(model, "instance_type", model).__module__.startswith("guidance.models")
    ]
    pagecache.register_models(models, (GUIDANCE,))
    for view, scopes in _VIEWS.items():
        pagecache.register_view(f"guidance.views.{view}", scopes)
    pagecache.register_view("guidance.views.progress", _progress_page)
