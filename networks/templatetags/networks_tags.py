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


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number: int) -> str:
    """The current query string with ``param`` set to ``number`` (for a page with two paged lists)."""
    query = context["request"].GET.copy()
    query[param] = str(number)
    return "?" + query.urlencode()
