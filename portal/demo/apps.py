from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo content and the synthetic country for benchmarks: data generation, never runtime code.

    Only its management commands (``seed_demo``, ``generate_national_data``) and the tests use it."""

    name = "portal.demo"
    label = "demo"
    verbose_name = _("Demo content")
