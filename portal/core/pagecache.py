"""A whole-page cache for reading pages that stays correct after every edit.

Every write to the portal's content (a save, a delete or a many-to-many change of any model except
sessions, login attempts and the version row itself) gives the content version a new random value
once the writing transaction has committed. Cached pages are stored under that value. The next
reader after an edit therefore reads a new value, misses the cache and sees the edit at once,
whichever server process cached the old page: the value lives where all processes read it, while
the pages themselves stay in each process's memory.

The version lives in one of two places:

- the database row ``ContentVersion`` (the default): right for every deployment, including several
  application servers sharing one database; a page from the cache costs one query;
- a small file named by ``PAGE_CACHE_VERSION_FILE``: for deployments where every process that
  serves or writes content runs on one machine (gunicorn workers, management commands, cron).
  Reading it is a system call instead of a query. A process on another machine would neither see
  nor change it, so it must not be used with more than one application server.

Bulk writes send no signals; the code that makes them calls ``bump()`` itself (the importer and the
national data generator).

A page is cached per path, host, language, user (with the session's auth hash), day (a page may show
today's date) and the query parameters its view declares it reads (``@cached_page(params=...)``); a
request with any other parameter is answered afresh and not stored, so made-up query strings cannot
fill the memory. Pages with pending messages are neither served from nor stored in the cache, and
neither are responses that set cookies, are not 200, or are larger than ``PAGE_CACHE_MAX_BYTES``. The
store of each process holds at most ``PAGE_CACHE_MAX_MB`` megabytes and drops the least recently used
pages first. Forms on cached pages carry a placeholder instead of the CSRF token, replaced by the
visitor's own token on every response.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core import checks
from django.db import DatabaseError, connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

CSRF_PLACEHOLDER = "snpagecachecsrfplaceholder0c5e9b17d2a64f3e8b1f6a0d9c7e2b4a"
_CSRF_BYTES = CSRF_PLACEHOLDER.encode()

# Writes that change no page: sessions, login throttling, the admin's own log and the version row.
IGNORED_MODELS = frozenset({
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "admin.logentry",
    "portal.contentversion",
    "contenttypes.contenttype",
    "auth.permission",
    "migrations.migration",
})


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", False)


def _table() -> str:
    from portal.core.models import ContentVersion

    return ContentVersion._meta.db_table


def _version_file() -> str:
    return getattr(settings, "PAGE_CACHE_VERSION_FILE", "") or ""


def _read_file(path: str) -> int | None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        raw = os.read(fd, 64)
    finally:
        os.close(fd)
    try:
        return int(raw)
    except ValueError:  # never written by _write_file (which replaces the file whole): start anew
        return None


def _write_file(path: str, value: int) -> None:
    """Replace the version file whole, so no reader ever sees a half-written value."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".pagecache-version-")
    try:
        try:
            os.write(fd, str(value).encode())
            os.fchmod(fd, 0o664)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@checks.register(checks.Tags.caches)
def check_version_file(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A version file that cannot be replaced would leave edits invisible to cached readers."""
    path = _version_file()
    if not path or not enabled():
        return []
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory) or not os.access(directory, os.W_OK | os.X_OK):
        return [checks.Error(
            f"PAGE_CACHE_VERSION_FILE: the folder {directory} does not exist or is not writable.",
            hint="Every process that writes content must be able to replace the version file; "
                 "create the folder, or leave PAGE_CACHE_VERSION_FILE empty to keep the version in the database.",
            id="portal.E001",
        )]
    return []


def current_version() -> int | None:
    """The content version now committed, or None when there is none (then nothing is cached)."""
    path = _version_file()
    if path:
        value = _read_file(path)
        if value is None:
            value = secrets.randbits(62)
            try:
                _write_file(path, value)
            except OSError:
                # Readers serve pages uncached rather than fail; `manage.py check` names the cause.
                logger.exception("page cache: cannot create the version file %s", path)
                return None
        return value
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {_table()} WHERE id = 1")  # noqa: S608 - table name from the model
        row = cursor.fetchone()
    return row[0] if row else None


def _write_new_version() -> None:
    from portal.core.models import ContentVersion

    value = secrets.randbits(62)
    path = _version_file()
    if path:
        _write_file(path, value)
        return
    try:
        if not ContentVersion.objects.filter(pk=1).update(value=value, changed_at=timezone.now()):
            ContentVersion.objects.update_or_create(pk=1, defaults={"value": value})
    except DatabaseError:
        # Writes made by migrations that run before the table exists: nothing is cached yet then.
        if _table() in connection.introspection.table_names():
            raise


def bump(using: str = "default") -> None:
    """Give the content a new version once the current transaction commits (at once outside one).

    Several writes in one transaction schedule one change of the version.
    """
    conn = transaction.get_connection(using)
    # run_on_commit holds (savepoint ids, callable, robust) tuples: Django's own structure, read only.
    if conn.in_atomic_block and any(func is _write_new_version for _sids, func, _robust in conn.run_on_commit):
        return
    transaction.on_commit(_write_new_version, using=using)


def _changes_content(sender, update_fields=None) -> bool:
    label = sender._meta.label_lower
    if label in IGNORED_MODELS:
        return False
    if label == settings.AUTH_USER_MODEL.lower() and update_fields and set(update_fields) <= {"last_login"}:
        return False  # a login changes no page
    return True


@receiver(post_save, dispatch_uid="pagecache_on_save")
def _on_save(sender, update_fields=None, using="default", **kwargs):
    if _changes_content(sender, update_fields):
        bump(using)


@receiver(post_delete, dispatch_uid="pagecache_on_delete")
def _on_delete(sender, using="default", **kwargs):
    if _changes_content(sender):
        bump(using)


@receiver(m2m_changed, dispatch_uid="pagecache_on_m2m")
def _on_m2m(sender, action, using="default", **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and _changes_content(sender):
        bump(using)


def _identity(request) -> tuple[str | None, str]:
    """Who is asking, read from the session alone: (user id or None, the session's auth hash).

    A page served from the cache does not load the user. That is safe because every change to a
    user (password, active flag, groups, municipalities) changes the content version, so a page
    cached under the current version was rendered for the user as the user is now; the auth hash
    in the key keeps a session from before a password change from reaching pages cached for a
    newer session. A signed-out session is deleted, so it carries no user id any more.
    """
    session = getattr(request, "session", None)
    if session is None:
        return None, ""
    user_id = session.get(SESSION_KEY)
    return (str(user_id), session.get(HASH_SESSION_KEY, "")) if user_id is not None else (None, "")


def _key(request, version: int, identity: tuple[str | None, str], params: tuple[str, ...]) -> str:
    user_id, auth_hash = identity
    who = f"{user_id}:{auth_hash}" if user_id is not None else "0"
    query = urlencode([(name, value) for name in params for value in request.GET.getlist(name)])
    address = hashlib.sha256(f"{request.get_host()}{request.path}?{query}|{who}".encode()).hexdigest()
    return f"page:{version}:{timezone.localdate().isoformat()}:{get_language()}:{address}"


class _Store:
    """The pages of this process: at most ``max_bytes``, the least recently used dropped first."""

    def __init__(self) -> None:
        self._pages: OrderedDict[str, tuple[float, int, Any]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def max_bytes(self) -> int:
        return int(settings.PAGE_CACHE_MAX_MB * 1024 * 1024)

    @property
    def size(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._pages)

    def get(self, key: str) -> Any:
        with self._lock:
            item = self._pages.get(key)
            if item is None:
                return None
            expires, _size, value = item
            if expires < time.monotonic():
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return value

    def set(self, key: str, value: Any, size: int, timeout: float) -> None:
        size += len(key) + 512  # the key and the bookkeeping, roughly
        if size > self.max_bytes:
            return
        with self._lock:
            if key in self._pages:
                self._drop(key)
            while self._pages and self._bytes + size > self.max_bytes:
                self._drop(next(iter(self._pages)))
            self._pages[key] = (time.monotonic() + timeout, size, value)
            self._bytes += size

    def _drop(self, key: str) -> None:
        _expires, size, _value = self._pages.pop(key)
        self._bytes -= size

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0


store = _Store()


def _rendered_for(request, identity: tuple[str | None, str]) -> bool:
    """The page was rendered for the identity it would be cached under (not, e.g., for a session
    whose user was refused and signed out while rendering)."""
    user = getattr(request, "user", None)
    authenticated = bool(user is not None and user.is_authenticated)
    if identity[0] is None:
        return not authenticated
    return authenticated and str(user.pk) == identity[0]


def _pending_messages(request) -> bool:
    return bool(len(messages.get_messages(request)))


def _storable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
        and len(response.content) <= settings.PAGE_CACHE_MAX_BYTES
    )


def _serve(request, status: int, content: bytes, headers: dict, has_form_token: bool) -> HttpResponse:
    if has_form_token:
        content = content.replace(_CSRF_BYTES, get_token(request).encode())
    return HttpResponse(content, status=status, headers=headers)


def cached_page(view: Callable | None = None, *, params: Iterable[str] = ()) -> Any:
    """Serve a GET view from the page cache; see the module's description for what stays correct.

    ``params``: the query parameters the view reads. ``@cached_page`` for a view that reads none,
    ``@cached_page(params=("q", "page"))`` otherwise."""
    if view is None:
        return lambda function: _cached(function, tuple(sorted(set(params))))
    return _cached(view, ())


def _cached(view: Callable, params: tuple[str, ...]) -> Callable:
    declared = frozenset(params)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not enabled() or request.method not in ("GET", "HEAD") or _pending_messages(request):
            return view(request, *args, **kwargs)
        if not declared.issuperset(request.GET.keys()):
            return _fresh(view, request, *args, **kwargs)  # a parameter the page does not read
        version = current_version()
        if version is None:
            return view(request, *args, **kwargs)
        identity = _identity(request)
        key = _key(request, version, identity, params)
        stored = store.get(key)
        if stored is not None:
            return _serve(request, *stored)
        request.page_cache_csrf_placeholder = True
        response = view(request, *args, **kwargs)
        if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
            response = response.render()
        if not _storable(response) or _pending_messages(request) or not _rendered_for(request, identity):
            if not response.streaming and _CSRF_BYTES in response.content:
                response.content = response.content.replace(_CSRF_BYTES, get_token(request).encode())
            return response
        content = bytes(response.content)
        # Whether a form needs the visitor's token is decided once, not by searching every response.
        frozen = (response.status_code, content, dict(response.headers.items()), _CSRF_BYTES in content)
        store.set(key, frozen, len(content), settings.PAGE_CACHE_SECONDS)
        return _serve(request, *frozen)

    wrapper.page_cache_params = params  # type: ignore[attr-defined]  # read by the tests of the views
    return wrapper


def _fresh(view: Callable, request, *args, **kwargs):
    """The page rendered for this request only (never stored), with the visitor's own form token."""
    return view(request, *args, **kwargs)


def csrf_placeholder(request) -> dict:
    """Context processor: on pages being cached, forms carry the placeholder instead of a token."""
    if getattr(request, "page_cache_csrf_placeholder", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def clear() -> None:
    store.clear()
