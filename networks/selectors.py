"""Reads of the registry. Querysets here are the twins of the predicates in ``networks.rules``."""

from django.db.models import QuerySet

from networks.models import Municipality
from networks.rules import coordinated_municipality_ids
from portal.rules import is_admin, is_koordination


def municipalities_editable_by(user) -> QuerySet[Municipality]:
    """Twin of ``networks.rules.can_edit_municipality``."""
    if is_admin(user):
        return Municipality.objects.all()
    if is_koordination(user):
        return Municipality.objects.filter(id__in=coordinated_municipality_ids(user))
    return Municipality.objects.none()
