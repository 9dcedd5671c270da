"""The site search in the header: guidance pages, good-practice examples and registry partners at
once, grouped by kind.

The frame composes the apps: each app offers one selector that takes the query and the user and
returns a ``portal.core.search.SearchGroup``; this module only asks them in order.
"""

from __future__ import annotations

from typing import Any

from guidance.catalogue.selectors import site_search_examples
from guidance.selectors import site_search_pages
from networks.selectors import site_search_actors
from portal.core.search import SearchGroup

PROVIDERS = (site_search_pages, site_search_examples, site_search_actors)


def site_search(query: str, user: Any, *, limit: int = 5) -> list[SearchGroup]:
    return [provider(query=query, user=user, limit=limit) for provider in PROVIDERS]
