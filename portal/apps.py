from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # Registers the SQLite search function on every new connection; it must be connected
        # before the first connection opens, not only once a view module imports it.
        from portal import pagecache, search, signals  # noqa: F401 - imported to connect receivers
