from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Network registry")

    def ready(self) -> None:
        from networks.models import Municipality
        from portal.core import roles

        # The foundation asks the registry who coordinates which municipality.
        roles.register_coordination(lambda: Municipality.coordinators.through.objects.all())
