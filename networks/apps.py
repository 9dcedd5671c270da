from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Network registry")

    def ready(self):
        from networks import search_index  # noqa: F401 (connects the signals)
