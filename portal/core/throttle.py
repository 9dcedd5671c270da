"""Limits for what anyone may send without signing in (the request for access): counted per client
address or per e-mail address in Django's cache, within a fixed window.

The client address is read the way the login throttle (django-axes) reads it, so ``AXES_PROXY_COUNT``
applies to both. Keys are hashed: neither the address nor the e-mail address is kept in the cache.
The cache is Redis in production (``CACHE_URL``), shared by every process and server, so the limits hold
across them; without it (development) each process counts on its own. When the cache cannot be reached,
nothing can be counted: ``Unavailable`` is raised, and the caller refuses the request (closed, not open)
with a clear message rather than accepting requests it cannot limit.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.cache import cache

_PREFIX = "sn-throttle"
logger = logging.getLogger(__name__)


class Unavailable(Exception):
    """The shared cache that holds the counts cannot be reached."""


def client_address(request: Any) -> str:
    """The visitor's address, as the login throttle sees it ("unknown" if there is none)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(f"{scope}\x00{value.strip().lower()}".encode()).hexdigest()
    return f"{_PREFIX}:{scope}:{digest}"


def count_of(scope: str, value: str) -> int:
    """How many events were counted for ``value`` in the current window of ``scope``."""
    try:
        return int(cache.get(_key(scope, value)) or 0)
    except Exception as exc:  # the backend's own errors (redis.ConnectionError, timeouts ...)
        logger.warning("throttle: cache unreachable (%s)", type(exc).__name__)
        raise Unavailable from exc


def exceeded(scope: str, value: str, *, limit: int) -> bool:
    """True once ``limit`` events were counted for ``value`` in the current window."""
    return count_of(scope, value) >= limit


def record(scope: str, value: str, *, seconds: int) -> int:
    """Count one event for ``value``; the window starts with the first event and lasts ``seconds``."""
    key = _key(scope, value)
    try:
        cache.add(key, 0, timeout=seconds)
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=seconds)
            return 1
    except Exception as exc:
        logger.warning("throttle: cache unreachable (%s)", type(exc).__name__)
        raise Unavailable from exc
