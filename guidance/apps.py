from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    name = "guidance"
    verbose_name = _("Guidance and good practice")

    def ready(self) -> None:
        from guidance import caching

        # Which writes of the guide touch which pages (the page cache).
        caching.register()
