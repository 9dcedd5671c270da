"""Which catalogue pages depend on what, and which writes touch them (the page cache's scopes,
``portal/core/pagecache.py``).

Every write to an example, its revisions, participants, links, attachments, keywords and events (and
their history) changes the scope ``catalogue``. The catalogue's pages also show roadmap steps and
municipalities, so they depend on ``catalogue``, ``guidance`` and ``registry``.
"""

from __future__ import annotations

from django.apps import apps

from portal.core import pagecache

CATALOGUE = "catalogue"
PAGE_SCOPES = (CATALOGUE, "guidance", "registry")


def register() -> None:
    models = [
        model for model in apps.get_app_config("guidance").get_models()
        if getattr(model, "instance_type", model).__module__.startswith("guidance.catalogue")
    ]
    pagecache.register_models(models, (CATALOGUE,))
    for view in ("example_list", "example_detail", "example_print"):
        pagecache.register_view(f"guidance.catalogue.views.{view}", PAGE_SCOPES)
