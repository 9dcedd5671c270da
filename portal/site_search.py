"""The site search in the header: guidance pages, good-practice examples and registry partners at
once, grouped by kind.

The frame composes the apps: each app offers one selector that takes the query and the user and
returns a ``portal.core.search.SearchGroup``; this module only asks them in order. When nothing is
found, :func:`site_search_suggestion` offers "Meinten Sie …?" from the public titles and names of
every app (``search_vocabulary_sources`` of the guide and the registry, the published examples).
"""

from __future__ import annotations

from typing import Any

from guidance.catalogue.selectors import published_examples, site_search_examples
from guidance.selectors import search_vocabulary_sources as guidance_sources
from guidance.selectors import site_search_pages
from networks.selectors import search_vocabulary_sources as registry_sources
from networks.selectors import site_search_actors
from portal.core.search import SearchGroup, suggest

PROVIDERS = (site_search_pages, site_search_examples, site_search_actors)


def site_search(query: str, user: Any, *, limit: int = 5) -> list[SearchGroup]:
    return [provider(query=query, user=user, limit=limit) for provider in PROVIDERS]


def site_search_suggestion(query: str) -> str:
    """"Meinten Sie …?": the query with its unknown words corrected towards the portal's public
    titles, names and the synonym list; "" when there is nothing to correct."""
    sources = [*guidance_sources(), published_examples(), *registry_sources()]
    return suggest(query, name="site", sources=sources)
