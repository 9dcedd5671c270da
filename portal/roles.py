"""The portal's roles. Each is a Django group; object permissions live in the apps' rules.py."""

from django.utils.translation import gettext_lazy as _

VERWALTUNG = "Verwaltung"
KOORDINATION = "Koordination"
REDAKTION = "Redaktion"

ROLE_GROUPS = (VERWALTUNG, KOORDINATION, REDAKTION)

ROLE_LABELS = {
    VERWALTUNG: _("Council staff"),
    KOORDINATION: _("Network coordination"),
    REDAKTION: _("Editorial team"),
}
