from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The foundation. Its label stays ``portal`` (the content version table, its migration and the
    template tag library were created under that label), so existing databases need no migration."""

    name = "portal.core"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        # Receivers that must be connected before the first request or connection: the SQLite search
        # function, the page cache's scope versions and the raw-load guard of the history.
        from django.apps import apps

        from portal.core import pagecache, search, signals  # noqa: F401 - imported to connect receivers
        from portal.core.text import guard_models

        guard_models(apps.get_models())
        # The record of periodic e-mails is shown on no page: a reminder changes only ``any``.
        from portal.core.models import SentNotice

        pagecache.register_model(SentNotice, ())
