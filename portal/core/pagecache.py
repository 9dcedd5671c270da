"""A whole-page cache for reading pages that stays correct after every edit, on any number of servers.

Everything lives in Django's cache framework: the pages in the cache ``pages``, the scope versions
below in the cache ``default``. In production both are one Redis shared by every process of every
server (``CACHE_URL``); the embedded default is each process's own memory (one process: runserver).

**Scopes.** A page depends on a few named *scopes*; each scope has a version in the shared cache, a
random number that a write replaces. A page is stored under the versions of its scopes, so the next
reader after a write to one of them misses the cache and sees the write at once, on whichever server;
pages of other scopes stay cached. The scopes:

- ``site``: every page depends on it. Writes nobody declared (user accounts, groups, roles, the
  register's regions, actor types ...) and bulk writes (``bump()`` without scopes) change it.
- ``any``: changed by every write. A page whose view declares no scopes depends on it (correct by
  default: a new page is never stale, it is only cached for less long).
- the scopes the apps declare, in one place each (``networks/caching.py``,
  ``guidance/caching.py``, ``guidance/catalogue/caching.py``): ``registry`` (the registry's lists,
  searches, partner and cooperation pages), ``municipality:<slug>`` (a municipality's page, network
  graph and exports), ``guidance`` (roadmap and guidance content), ``catalogue`` (good practice).

Pages declare scopes with ``register_view("module.view_name", scopes)`` (or ``@cached_page(scopes=...)``);
``scopes`` is a tuple of names or a function of the view's keyword arguments. Models declare which
scopes a write touches with ``register_model(Model, function)``; the function gets the instance and
may read the database (it is called before and after the write, so a partner moved to another
municipality changes both). Many-to-many relations are declared with ``register_relation(through,
function)``; undeclared ones change ``site``. The writing code need not do anything: the signals
``pre_save``/``post_save``, ``pre_delete``/``post_delete`` and ``m2m_changed`` collect the scopes and
the versions change once the writing transaction commits. Bulk writes send no signals; the code that
makes them calls ``bump()`` itself (the importer and the national data generator).

A page is cached per path, host, language, user (with the session's auth hash), day (a page may show
today's date) and the query parameters its view declares it reads (``@cached_page(params=...)``); a
request with any other parameter is answered afresh and not stored, so made-up query strings cannot
fill the memory. Pages with pending messages are neither served from nor stored in the cache, and
neither are responses that set cookies, are not 200, or are larger than ``PAGE_CACHE_MAX_BYTES``. The
cache is bounded in bytes: by Redis's ``maxmemory`` (the server's job), or per process by
``PAGE_CACHE_MAX_MB`` (``portal.core.cache.BoundedMemoryCache``, least recently used first). Forms on
cached pages carry a placeholder instead of the CSRF token, replaced by the visitor's own token on
every response. When the cache cannot be reached, pages are served uncached.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core import checks
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

CSRF_PLACEHOLDER = "snpagecachecsrfplaceholder0c5e9b17d2a64f3e8b1f6a0d9c7e2b4a"
_CSRF_BYTES = CSRF_PLACEHOLDER.encode()

SITE = "site"
ANY = "any"
PAGES = "pages"  # the cache alias of the pages; the versions live in "default"
_VERSION_PREFIX = "pagecache:v:"

# Writes that change no page: sessions, login throttling, the admin's own log.
IGNORED_MODELS = frozenset({
    "sessions.session",
    "axes.accessattempt",
    "axes.accessattemptexpiration",
    "axes.accesslog",
    "axes.accessfailurelog",
    "admin.logentry",
    "contenttypes.contenttype",
    "auth.permission",
    "migrations.migration",
})

ScopeFunction = Callable[[Any], Iterable[str]]
ViewScopes = tuple[str, ...] | Callable[..., Iterable[str]]

_model_scopes: dict[str, ScopeFunction] = {}
_relation_scopes: dict[str, Callable[..., Iterable[str]]] = {}
_view_scopes: dict[str, ViewScopes] = {}


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", False)


# ---------------------------------------------------------------------------
# Declarations (made by the apps when they start)
# ---------------------------------------------------------------------------


def register_model(model: Any, scopes: ScopeFunction | Iterable[str]) -> None:
    """Writes to ``model`` change ``scopes`` (names, or a function of the instance returning names)."""
    function = scopes if callable(scopes) else (lambda _instance, names=tuple(scopes): names)
    _model_scopes[model._meta.label_lower] = function


def register_relation(through: Any, scopes: Callable[..., Iterable[str]]) -> None:
    """Changes of a many-to-many relation change ``scopes(instance, model, pk_set)``: ``instance`` is
    the object whose relation changed (either side), ``model`` the other side's model."""
    _relation_scopes[through._meta.label_lower] = scopes


def register_models(models: Iterable[Any], scopes: Iterable[str]) -> None:
    """Every write to these models and to their many-to-many relations changes ``scopes``."""
    names = tuple(scopes)
    for model in models:
        register_model(model, names)
        for field in model._meta.local_many_to_many:
            register_relation(field.remote_field.through, lambda *_args, names=names: names)


def register_view(name: str, scopes: ViewScopes) -> None:
    """The page of the view ``name`` (``"package.module.function"``) depends on ``scopes``: names, or a
    function of the view's keyword arguments returning names."""
    _view_scopes[name] = scopes


def declared_views() -> frozenset[str]:
    return frozenset(_view_scopes)


def municipality(slug: str) -> str:
    """The scope of one municipality's own pages (found by its slug)."""
    return f"municipality:{slug}"


# ---------------------------------------------------------------------------
# Versions
# ---------------------------------------------------------------------------


def _versions() -> Any:
    return caches["default"]


def versions(scopes: Iterable[str]) -> dict[str, int]:
    """The current version of each scope; a scope without one (never written, or evicted) gets a new
    random one, so no page stored before can be reached again."""
    keys = {scope: _VERSION_PREFIX + scope for scope in scopes}
    cache = _versions()
    found = cache.get_many(keys.values())
    missing = [key for key in keys.values() if key not in found]
    for key in missing:
        cache.add(key, secrets.randbits(62), timeout=None)
    if missing:
        found.update(cache.get_many(missing))
    return {scope: found[key] for scope, key in keys.items()}


def _write_versions(scopes: set[str]) -> None:
    try:
        _versions().set_many({_VERSION_PREFIX + scope: secrets.randbits(62) for scope in scopes}, timeout=None)
    except Exception:  # the write is committed; readers serve uncached while the cache is unreachable
        logger.exception("page cache: cannot change the versions of %s", sorted(scopes))


class _Bump:
    """The scopes one transaction (up to one savepoint) has touched, changed when it commits."""

    def __init__(self, scopes: set[str]) -> None:
        self.scopes = scopes

    def __call__(self) -> None:
        _write_versions(self.scopes)


def bump(*scopes: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Give ``scopes`` (default: ``site``, i.e. every page) new versions once the current transaction
    commits (at once outside one). Several writes in one transaction change each scope once."""
    touched = {*(scopes or (SITE,)), ANY}
    conn = transaction.get_connection(using)
    if conn.in_atomic_block:
        # run_on_commit holds (savepoint ids, callable, robust) tuples: Django's own structure, read
        # only. Scopes join a pending change registered under the same savepoints only, so a rolled
        # back savepoint never takes the scopes of writes outside it along.
        current = set(conn.savepoint_ids)
        for sids, func, _robust in conn.run_on_commit:
            if isinstance(func, _Bump) and set(sids) == current:
                func.scopes |= touched
                return
    transaction.on_commit(_Bump(touched), using=using)


# ---------------------------------------------------------------------------
# Which writes touch which scopes
# ---------------------------------------------------------------------------


def _ignored(sender, update_fields=None) -> bool:
    label = sender._meta.label_lower
    if label in IGNORED_MODELS:
        return True
    # a login changes no page
    return bool(label == settings.AUTH_USER_MODEL.lower() and update_fields and set(update_fields) <= {"last_login"})


def _scopes_of(sender, instance) -> set[str]:
    function = _model_scopes.get(sender._meta.label_lower)
    return {SITE} if function is None else set(function(instance))


_PENDING = "_pagecache_scopes"


@receiver(pre_save, dispatch_uid="pagecache_before_save")
def _before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and not _ignored(sender, update_fields):
        setattr(instance, _PENDING, _scopes_of(sender, instance))  # the state before the write


@receiver(post_save, dispatch_uid="pagecache_on_save")
def _on_save(sender, instance, raw=False, update_fields=None, using=DEFAULT_DB_ALIAS, **kwargs):
    if _ignored(sender, update_fields):
        return
    if raw:  # loaddata: the related rows may not be there yet
        bump(using=using)
        return
    bump(*(instance.__dict__.pop(_PENDING, set()) | _scopes_of(sender, instance)), using=using)


@receiver(pre_delete, dispatch_uid="pagecache_before_delete")
def _before_delete(sender, instance, **kwargs):
    if not _ignored(sender):
        setattr(instance, _PENDING, _scopes_of(sender, instance))


@receiver(post_delete, dispatch_uid="pagecache_on_delete")
def _on_delete(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    if not _ignored(sender):
        bump(*instance.__dict__.pop(_PENDING, {SITE}), using=using)


@receiver(m2m_changed, dispatch_uid="pagecache_on_m2m")
def _on_m2m(sender, instance, action, model, pk_set, using=DEFAULT_DB_ALIAS, **kwargs):
    if _ignored(sender):
        return
    function = _relation_scopes.get(sender._meta.label_lower)
    if action == "pre_clear":  # the related rows are gone afterwards: read them now
        if function is not None:
            setattr(instance, _PENDING, set(function(instance, model, None)))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    scopes = {SITE} if function is None else set(function(instance, model, pk_set))
    bump(*(instance.__dict__.pop(_PENDING, set()) | scopes), using=using)


# ---------------------------------------------------------------------------
# Reading pages
# ---------------------------------------------------------------------------


def _identity(request) -> tuple[str | None, str]:
    """Who is asking, read from the session alone: (user id or None, the session's auth hash).

    A page served from the cache does not load the user. That is safe because every change to a
    user (password, active flag, groups, municipalities) changes the scope ``site`` every page
    depends on, so a page cached under the current versions was rendered for the user as the user is
    now; the auth hash in the key keeps a session from before a password change from reaching pages
    cached for a newer session. A signed-out session is deleted, so it carries no user id any more.
    """
    session = getattr(request, "session", None)
    if session is None:
        return None, ""
    user_id = session.get(SESSION_KEY)
    return (str(user_id), session.get(HASH_SESSION_KEY, "")) if user_id is not None else (None, "")


def _key(request, versions: dict[str, int], identity: tuple[str | None, str], params: tuple[str, ...]) -> str:
    user_id, auth_hash = identity
    who = f"{user_id}:{auth_hash}" if user_id is not None else "0"
    query = urlencode([(name, value) for name in params for value in request.GET.getlist(name)])
    state = ",".join(f"{scope}={versions[scope]}" for scope in sorted(versions))
    address = hashlib.sha256(f"{request.get_host()}{request.path}?{query}|{who}|{state}".encode()).hexdigest()
    return f"page:{timezone.localdate().isoformat()}:{get_language()}:{address}"


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


def cached_page(view: Callable | None = None, *, params: Iterable[str] = (), scopes: ViewScopes | None = None) -> Any:
    """Serve a GET view from the page cache; see the module's description for what stays correct.

    ``params``: the query parameters the view reads. ``@cached_page`` for a view that reads none,
    ``@cached_page(params=("q", "page"))`` otherwise. ``scopes``: what the page depends on, when not
    declared with ``register_view`` (neither: ``any``, every write)."""
    if view is None:
        return lambda function: _cached(function, tuple(sorted(set(params))), scopes)
    return _cached(view, (), None)


def _page_scopes(name: str, declared: ViewScopes | None, kwargs: dict) -> set[str]:
    scopes = declared if declared is not None else _view_scopes.get(name)
    if scopes is None:
        return {ANY}
    return {SITE, *(scopes(**kwargs) if callable(scopes) else scopes)}


def _cached(view: Callable, params: tuple[str, ...], scopes: ViewScopes | None) -> Callable:
    declared = frozenset(params)
    name = f"{view.__module__}.{view.__qualname__}"

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not enabled() or request.method not in ("GET", "HEAD") or _pending_messages(request):
            return view(request, *args, **kwargs)
        if not declared.issuperset(request.GET.keys()):
            return view(request, *args, **kwargs)  # a parameter the page does not read: never stored
        pages = caches[PAGES]
        identity = _identity(request)
        try:
            key = _key(request, versions(_page_scopes(name, scopes, kwargs)), identity, params)
            stored = pages.get(key)
        except Exception:
            logger.exception("page cache: cannot be read; serving %s uncached", request.path)
            return view(request, *args, **kwargs)
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
        try:
            pages.set(key, frozen, settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("page cache: cannot store %s", request.path)
        return _serve(request, *frozen)

    wrapper.page_cache_params = params  # type: ignore[attr-defined]  # read by the tests of the views
    wrapper.page_cache_name = name  # type: ignore[attr-defined]  # the name register_view declares
    return wrapper


def csrf_placeholder(request) -> dict:
    """Context processor: on pages being cached, forms carry the placeholder instead of a token."""
    if getattr(request, "page_cache_csrf_placeholder", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def clear() -> None:
    """Forget every page (the versions stay)."""
    caches[PAGES].clear()


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """With the page cache on, several processes must share one cache, or an edit made through one
    process stays invisible to the pages another process has cached."""
    if not enabled():
        return []
    local = [alias for alias in ("default", PAGES)
             if "locmem" in settings.CACHES.get(alias, {}).get("BACKEND", "").lower()
             or settings.CACHES.get(alias, {}).get("BACKEND", "").endswith("BoundedMemoryCache")]
    if local:
        return [checks.Warning(
            f"The caches {', '.join(local)} are each process's own memory: with more than one process an "
            "edit can stay invisible to pages cached by another process.",
            hint="Set CACHE_URL to a Redis shared by every process (redis://host:6379/1).",
            id="portal.W001",
        )]
    return []
