"""The site search in the header: guidance pages, good-practice examples and registry
partners at once, grouped by kind.

The portal composes the apps: each app offers one selector that takes the query and the
user and returns a :class:`SearchGroup`; this module only lists them in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

PROVIDERS = (
    "guidance.selectors.site_search_pages",
    "guidance.selectors_catalogue.site_search_examples",
    "networks.selectors.site_search_actors",
)


@dataclass
class SearchHit:
    title: str
    url: str
    excerpt: str = ""  # HTML-safe, matches in <mark>
    meta: str = ""


@dataclass
class SearchGroup:
    key: str
    label: str
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    more_url: str = ""


def _load(path: str):
    module_name, _, attr = path.rpartition(".")
    try:
        module = import_module(module_name)
    except ModuleNotFoundError:
        return None
    return getattr(module, attr, None)


def site_search(query: str, user, *, limit: int = 5) -> list[SearchGroup]:
    groups = []
    for path in PROVIDERS:
        provider = _load(path)
        if provider is None:
            continue
        groups.append(provider(query=query, user=user, limit=limit))
    return groups
