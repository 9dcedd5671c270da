from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    name = "guidance"
    verbose_name = _("Guidance and good practice")

    def ready(self) -> None:
        # The catalogue lives in its own modules inside this app; register its admin and rules.
        from guidance import admin_catalogue, rules_catalogue  # noqa: F401 - imported to register
