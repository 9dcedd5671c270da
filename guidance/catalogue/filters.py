"""Facets of the catalogue list (django-filter), with counts that respect the query and the
other chosen facets."""

from __future__ import annotations

from dataclasses import dataclass, field

import django_filters
from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from guidance import selectors as roadmap
from guidance.catalogue.models import Criterion, Example, Keyword, LegalForm
from networks import selectors as registry


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
        label=_("Federal state"), field_name="municipality__bundesland", choices=registry.federal_states,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of municipality"), field_name="municipality__kind", choices=registry.municipality_kinds,
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


# Vocabulary facets: (path of the value, paths of the label parts, paths of the sort key).
VOCABULARY = {
    "keyword": ("keywords__slug", ("keywords__name",), ("keywords__order", "keywords__name")),
    "step": ("steps__slug", ("steps__number", "steps__title"), ("steps__number",)),
    "target_group": ("target_groups__slug", ("target_groups__name",), ("target_groups__order", "target_groups__name")),
}
# Facets with one value per example (the responsible municipality's state, kind and size, and
# the legal form): one grouped query serves all of them.
MUNICIPALITY_FACETS = ("bundesland", "kind", "size", "legal_form")
PATHS = {"criterion": "criteria__criterion"}


def _label(param: str, parts: tuple) -> str:
    if param == "step":
        return f"{parts[0]}. {parts[1]}"
    return str(parts[0])


def _vocabulary_counts(queryset: QuerySet, param: str) -> list[tuple[str, str, int]]:
    """[(value, label, count)] of a vocabulary facet in vocabulary order, labels included (one query)."""
    path, label_paths, sort_paths = VOCABULARY[param]
    rows = (
        queryset.exclude(**{f"{path}__isnull": True})
        .values_list(path, *label_paths, *sort_paths)
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    width = len(label_paths)
    ordered = sorted(rows, key=lambda row: tuple(row[1 + width : -1]))
    return [(row[0], _label(param, row[1 : 1 + width]), row[-1]) for row in ordered if row[0]]


def _municipality_counts(queryset: QuerySet, params: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """Counts per value for several single-valued facets in one query (an example has one
    responsible municipality and one legal form, so the grouped counts add up exactly)."""
    rows = (
        queryset.annotate(_size=SizeClass.annotation())
        .values_list("municipality__bundesland", "municipality__kind", "_size", "legal_form")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    result: dict[str, dict[str, int]] = {param: {} for param in params}
    for land, kind, size, legal_form, n in rows:
        for param, value in (("bundesland", land), ("kind", kind), ("size", size), ("legal_form", legal_form)):
            if param in result and value:
                result[param][value] = result[param].get(value, 0) + n
    return result


def _value_counts(queryset: QuerySet, param: str) -> dict[str, int]:
    """Count the examples per value of one plain facet (one query)."""
    path = PATHS[param]
    rows = queryset.exclude(**{f"{path}__isnull": True}).values(path).annotate(n=Count("pk", distinct=True))
    return {row[path]: row["n"] for row in rows if row[path]}


def _selected_label(param: str, value: str) -> str:
    """The label of a chosen vocabulary value that has no example left (rare: one query)."""
    # A slug never holds NUL, and PostgreSQL refuses it in a comparison.
    if "\x00" in value:
        return value
    vocabulary = {
        "keyword": Keyword.objects.all(), "step": roadmap.roadmap_steps_plain(),
        "target_group": registry.target_groups(),
    }[param]
    obj = vocabulary.filter(slug=value).first()
    return str(getattr(obj, "name", obj)) if obj else value


def build_facets(base: QuerySet, params, *, query_params: dict) -> list[Facet]:
    """Each facet's options with counts over ``base`` filtered by every *other* chosen facet.

    ``base`` is the searched queryset; ``params`` the request's GET data; ``query_params`` the
    parameters to keep in every option's URL (query, sort). Facets that share the same other
    chosen facets share their queries: the municipality facets are one grouped query, and the
    vocabulary facets read their labels with their counts.
    """
    chosen = {param: params.get(param, "") for param in FACET_PARAMS if params.get(param)}
    ids = base.values("pk")

    def filtered(others: dict):
        filterset = ExampleFilter(others, queryset=Example.objects.filter(pk__in=ids))
        return filterset, (filterset.qs if filterset.is_valid() else Example.objects.filter(pk__in=ids))

    municipality_cache: dict[tuple, dict[str, dict[str, int]]] = {}
    facets = []
    for param in FACET_PARAMS:
        others = {key: value for key, value in chosen.items() if key != param}
        filterset, qs = filtered(others)
        if param in VOCABULARY:
            rows = _vocabulary_counts(qs, param)
            if chosen.get(param) and chosen[param] not in {value for value, _label, _n in rows}:
                rows.append((chosen[param], _selected_label(param, chosen[param]), 0))
        else:
            if param in MUNICIPALITY_FACETS:
                # Facets whose "other chosen facets" agree can share one grouped query.
                key = tuple(sorted(others.items()))
                if key not in municipality_cache:
                    sharing = tuple(
                        p for p in MUNICIPALITY_FACETS
                        if tuple(sorted((k, v) for k, v in chosen.items() if k != p)) == key
                    )
                    municipality_cache[key] = _municipality_counts(qs, sharing)
                counts = municipality_cache[key][param]
            else:
                counts = _value_counts(qs, param)
            declared = filterset.filters[param].extra["choices"]
            choices = [(str(value), str(label)) for value, label in (declared() if callable(declared) else declared)]
            rows = [(value, label, counts.get(value, 0)) for value, label in choices]
        options = []
        for value, label, count in rows:
            selected = chosen.get(param) == value
            if not count and not selected:
                continue
            link_params = {**query_params, **others}
            if not selected:
                link_params[param] = value
            options.append(FacetOption(value, label, count, selected, "?" + urlencode(link_params)))
        facets.append(Facet(param, str(filterset.filters[param].label), options))
    return facets
