from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    """The good-practice catalogue.

    Its models declare ``app_label = "guidance"``: their tables (``guidance_example`` ...), their
    history and their migrations (``guidance/migrations``) were created under the guidance app, and
    moving them would need a data migration for nothing. Everything else (rules, admin, views, URLs,
    templates under ``templates/catalogue/``) is this app's own and found by Django's discovery.
    """

    name = "guidance.catalogue"
    label = "catalogue"
    verbose_name = _("Good practice")

    def ready(self) -> None:
        from guidance.catalogue import caching

        # Which catalogue pages depend on what, and which writes touch them (the page cache).
        caching.register()
