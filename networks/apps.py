from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Network registry")

    def ready(self) -> None:
        from networks import caching
        from networks.models import Municipality
        from portal.core import roles

        # Which registry pages depend on what, and which writes touch them (the page cache).
        caching.register()

        # The foundation asks the registry who coordinates which municipality.
        roles.register_coordination(lambda: Municipality.coordinators.through.objects.all())
