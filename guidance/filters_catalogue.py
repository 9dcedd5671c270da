"""Facets of the catalogue list (django-filter), with counts that respect the query and the
other chosen facets."""

from __future__ import annotations

from dataclasses import dataclass, field

import django_filters
from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from guidance.models import RoadmapStep
from guidance.models.catalogue import Criterion, Example, Keyword, LegalForm
from networks.models import Bundesland, MunicipalityKind, TargetGroup


class SizeClass:
    """Size classes of municipalities by population (BBSR town and municipality types)."""

    CHOICES = (
        ("unter-20000", _("under 20,000 inhabitants")),
        ("20000-100000", _("20,000 to 100,000 inhabitants")),
        ("100000-500000", _("100,000 to 500,000 inhabitants")),
        ("ueber-500000", _("over 500,000 inhabitants")),
    )
    BOUNDS = {
        "unter-20000": (None, 20_000),
        "20000-100000": (20_000, 100_000),
        "100000-500000": (100_000, 500_000),
        "ueber-500000": (500_000, None),
    }

    @classmethod
    def q(cls, value: str, prefix: str = "municipality__population") -> Q:
        low, high = cls.BOUNDS[value]
        query = Q(**{f"{prefix}__isnull": False})
        if low is not None:
            query &= Q(**{f"{prefix}__gte": low})
        if high is not None:
            query &= Q(**{f"{prefix}__lt": high})
        return query

    @classmethod
    def annotation(cls):
        return Case(
            *[When(cls.q(value), then=Value(value)) for value, _label in cls.CHOICES],
            default=Value(""), output_field=CharField(),
        )


class ExampleFilter(django_filters.FilterSet):
    # Vocabulary facets filter by slug without a validation query; unknown slugs simply match nothing.
    keyword = django_filters.CharFilter(label=_("Keyword"), field_name="keywords__slug")
    bundesland = django_filters.ChoiceFilter(
        label=_("Federal state"), field_name="municipality__bundesland", choices=Bundesland.choices,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of municipality"), field_name="municipality__kind", choices=MunicipalityKind.choices,
    )
    size = django_filters.ChoiceFilter(label=_("Size of municipality"), method="filter_size", choices=SizeClass.CHOICES)
    legal_form = django_filters.ChoiceFilter(label=_("Legal form"), choices=LegalForm.choices)
    step = django_filters.CharFilter(label=_("Roadmap step"), field_name="steps__slug")
    target_group = django_filters.CharFilter(label=_("Target group"), field_name="target_groups__slug")
    criterion = django_filters.ChoiceFilter(
        label=_("Good-practice criterion met"), field_name="criteria__criterion", choices=Criterion.choices,
    )

    class Meta:
        model = Example
        fields: list[str] = []

    def filter_size(self, queryset, name, value):
        return queryset.filter(SizeClass.q(value)) if value in SizeClass.BOUNDS else queryset


FACET_PARAMS = ("keyword", "bundesland", "kind", "size", "legal_form", "step", "target_group", "criterion")


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    url: str


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption] = field(default_factory=list)

    @property
    def has_selection(self) -> bool:
        return any(option.selected for option in self.options)


def _value_counts(queryset: QuerySet, param: str) -> dict[str, int]:
    """Count the examples per value of one facet (one query)."""
    if param == "size":
        rows = queryset.annotate(_facet=SizeClass.annotation()).values("_facet").annotate(n=Count("pk", distinct=True))
        return {row["_facet"]: row["n"] for row in rows if row["_facet"]}
    path = {
        "keyword": "keywords__slug",
        "bundesland": "municipality__bundesland",
        "kind": "municipality__kind",
        "legal_form": "legal_form",
        "step": "steps__slug",
        "target_group": "target_groups__slug",
        "criterion": "criteria__criterion",
    }[param]
    rows = queryset.exclude(**{f"{path}__isnull": True}).values(path).annotate(n=Count("pk", distinct=True))
    return {row[path]: row["n"] for row in rows if row[path]}


def _choices(param: str, filterset: ExampleFilter) -> list[tuple[str, str]]:
    flt = filterset.filters[param]
    if param == "keyword":
        return [(k.slug, k.name) for k in Keyword.objects.all()]
    if param == "step":
        return [(s.slug, str(s)) for s in RoadmapStep.objects.all()]
    if param == "target_group":
        return [(t.slug, t.name) for t in TargetGroup.objects.all()]
    return [(str(value), str(label)) for value, label in flt.extra["choices"]]


def build_facets(base: QuerySet, params, *, query_params: dict) -> list[Facet]:
    """Each facet's options with counts over ``base`` filtered by every *other* chosen facet.

    ``base`` is the searched queryset; ``params`` the request's GET data; ``query_params`` the
    parameters to keep in every option's URL (query, sort).
    """
    facets = []
    chosen = {param: params.get(param, "") for param in FACET_PARAMS if params.get(param)}
    ids = base.values("pk")
    for param in FACET_PARAMS:
        others = {key: value for key, value in chosen.items() if key != param}
        filterset = ExampleFilter(others, queryset=Example.objects.filter(pk__in=ids))
        qs = filterset.qs if filterset.is_valid() else Example.objects.filter(pk__in=ids)
        counts = _value_counts(qs, param)
        options = []
        for value, label in _choices(param, filterset):
            count = counts.get(value, 0)
            selected = chosen.get(param) == value
            if not count and not selected:
                continue
            link_params = {**query_params, **others}
            if not selected:
                link_params[param] = value
            options.append(FacetOption(value, label, count, selected, "?" + urlencode(link_params)))
        facets.append(Facet(param, str(filterset.filters[param].label), options))
    return facets

