"""Facet filters of the public registry list (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from networks import selectors
from networks.models import Actor


class ActorFilter(django_filters.FilterSet):
    type = django_filters.CharFilter(field_name="actor_type__slug", label=_("Type"))
    sector = django_filters.CharFilter(field_name="actor_type__sector", label=_("Sector"))
    traeger = django_filters.CharFilter(field_name="traeger_kind", label=_("Provider"))
    # A picker's text (name, "Name (AGS)", AGS or slug): never a list of the ~11,000 municipalities.
    municipality = django_filters.CharFilter(method="filter_municipality", label=_("Municipality"))
    land = django_filters.CharFilter(field_name="municipality__bundesland", label=_("Federal state"))
    target = django_filters.CharFilter(method="filter_target", label=_("Target group"))

    class Meta:
        model = Actor
        fields: list[str] = []

    def filter_municipality(self, queryset, name, value):
        found, _candidates = selectors.municipality_lookup(text=value.replace("\x00", "")[:200])
        return queryset.filter(municipality=found) if found is not None else queryset.none()

    def filter_target(self, queryset, name, value):
        return queryset.filter(pk__in=Actor.objects.filter(target_groups__slug=value).values("pk"))


FACETS = (
    ("type", _("Type")),
    ("sector", _("Sector")),
    ("traeger", _("Provider")),
    ("municipality", _("Municipality")),
    ("land", _("Federal state")),
    ("target", _("Target group")),
)
