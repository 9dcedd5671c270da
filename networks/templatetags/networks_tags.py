"""Template helpers of the registry."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def person(user) -> str:
    """A user's full name, else the user name; "unknown" for a deleted user."""
    if user is None:
        return _("unknown")
    return user.get_full_name() or user.get_username()
