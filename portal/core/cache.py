"""The embedded cache backend: Django's local-memory cache, bounded in bytes as well as in entries.

Used where no shared cache is configured (development, SQLite, tests): ``OPTIONS["MAX_BYTES"]``
bounds the pickled values (with their keys and some bookkeeping) of one process; the least recently
used entries make room first. A value larger than the bound is not stored. In production the cache is
Redis, whose memory bound is the server's ``maxmemory`` (README, "More than one server").
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

ENTRY_OVERHEAD = 512  # the key's bookkeeping, roughly

# Keyed by LOCATION like LocMemCache's own stores: every instance of one cache shares one count.
_sizes: dict[str, dict[str, int]] = {}
_totals: dict[str, list[int]] = {}
_guard = threading.Lock()


class BoundedMemoryCache(LocMemCache):
    def __init__(self, name: str, params: dict[str, Any]) -> None:
        super().__init__(name, params)
        self._max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", 0)) or None
        with _guard:
            self._sizes = _sizes.setdefault(name, {})
            self._total = _totals.setdefault(name, [0])

    @property
    def size(self) -> int:
        """The bytes this cache holds now in this process."""
        return self._total[0]

    def __len__(self) -> int:
        return len(self._cache)

    def _set(self, key: str, value: Any, timeout: float | None = DEFAULT_TIMEOUT) -> None:  # type: ignore[override]
        # Called with the lock held and the value pickled (bytes).
        size = len(value) + len(key) + ENTRY_OVERHEAD
        self._delete(key)
        if self._max_bytes is not None and size > self._max_bytes:
            return
        while self._cache and (
            len(self._cache) >= self._max_entries
            or (self._max_bytes is not None and self._total[0] + size > self._max_bytes)
        ):
            oldest, _value = self._cache.popitem()  # the least recently used (LocMemCache keeps them last)
            self._forget(oldest)
        self._cache[key] = value
        self._cache.move_to_end(key, last=False)
        self._expire_info[key] = self.get_backend_timeout(timeout)
        self._sizes[key] = size
        self._total[0] += size

    def _forget(self, key: str) -> None:
        self._expire_info.pop(key, None)
        self._total[0] -= self._sizes.pop(key, 0)

    def _cull(self) -> None:  # never called by _set above; kept consistent for the base class
        while len(self._cache) >= self._max_entries and self._cache:
            oldest, _value = self._cache.popitem()
            self._forget(oldest)

    def _delete(self, key: str) -> bool:
        if key not in self._cache:
            return False
        del self._cache[key]
        self._forget(key)
        return True

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
            self._expire_info.clear()
            self._sizes.clear()
            self._total[0] = 0
