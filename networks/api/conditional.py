"""ETag and Last-Modified for the API's answers, computed without reading the records.

A list's validators are the number and the latest change (``updated_at``) of the partners it selects,
the request's query string, and the page cache's versions of the registry (``portal/core/pagecache.py``:
every registry write, a service area confirmed or ended too, gives them a new value once it commits).
So an edit changes the ETag at once; a conditional request (If-None-Match, or If-Modified-Since) that
still matches is answered 304 Not Modified without rendering anything.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TypeVar

from django.db.models import Count, Max, QuerySet
from django.http import HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from rest_framework.request import Request

from networks.caching import REGISTRY
from portal.core import pagecache

# Changes when the records' shape changes, so no client keeps a record of an older shape.
REVISION = "hsds-api-1"
R = TypeVar("R", bound=HttpResponseBase)


class Validators:
    def __init__(self, request: Request, *parts: object, last_modified: datetime | None = None) -> None:
        versions = pagecache.versions([REGISTRY, pagecache.SITE])
        key = "|".join([
            REVISION, request.path, request.META.get("QUERY_STRING", ""),
            *(str(part) for part in parts), *(f"{k}={v}" for k, v in sorted(versions.items())),
        ])
        self.etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
        self.last_modified = int(last_modified.timestamp()) if last_modified else None

    @classmethod
    def of(cls, request: Request, queryset: QuerySet) -> tuple[Validators, int]:
        """The validators of the partners ``queryset`` selects, and their number (one query)."""
        found = queryset.order_by().aggregate(count=Count("pk"), latest=Max("updated_at"))
        return cls(request, found["count"], found["latest"], last_modified=found["latest"]), found["count"]

    def not_modified(self, request: Request) -> HttpResponse | None:
        """The 304 (or 412) answer when the client's copy is current, else None."""
        return get_conditional_response(request, etag=self.etag, last_modified=self.last_modified)

    def apply(self, response: R) -> R:
        response["ETag"] = self.etag
        if self.last_modified is not None:
            response["Last-Modified"] = http_date(self.last_modified)
        # Shared caches may keep it, but ask every time whether it is still current.
        response["Cache-Control"] = "public, no-cache"
        return response
