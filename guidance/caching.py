"""Which writes of the guide touch which pages (the page cache's scopes, ``portal/core/pagecache.py``).

Every write to the roadmap, the guidance pages, the materials and the municipalities' progress (and
their history) changes the scope ``guidance``. The guide's own pages declare no scopes: they depend
on every write (``any``), since many of them also show registry data. The registry's pages do not
depend on ``guidance``, so an edit of guidance content leaves them cached.
"""

from __future__ import annotations

from django.apps import apps

from portal.core import pagecache

GUIDANCE = "guidance"


def register() -> None:
    models = [
        model for model in apps.get_app_config("guidance").get_models()
        if getattr(model, "instance_type", model).__module__.startswith("guidance.models")
    ]
    pagecache.register_models(models, (GUIDANCE,))
