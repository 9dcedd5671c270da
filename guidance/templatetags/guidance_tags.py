"""Template helpers of the guide."""

from django import template
from django.utils.formats import number_format

from guidance import tools

register = template.Library()

# Status symbols accompany the status text, so status is never shown by colour alone.
STATUS_SYMBOLS = {"open": "○", "in_progress": "◐", "done": "●"}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def status_symbol(status) -> str:
    return STATUS_SYMBOLS.get(str(status), "")


@register.filter
def percent(value) -> str:
    """A rate (0.177) as German per cent text ("17,7 %")."""
    value = value * 100
    decimals = 0 if value == int(value) else 1
    return number_format(value, decimal_pos=decimals) + " %"


@register.filter
def grouped(value) -> str:
    return number_format(value, force_grouping=True)


@register.filter
def child_figures(municipality):
    """The municipality's children, recorded or approximated (``guidance.tools.child_figures``): the
    registry's municipality page shows the same figures as the estimator and the draft resolution."""
    return tools.child_figures(municipality)
