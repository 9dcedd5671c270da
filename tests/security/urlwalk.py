"""Every URL pattern of the project, read from the URL configuration."""

from django.urls import URLPattern, URLResolver, get_resolver


def walk(patterns=None, prefix="", namespace=""):
    """Yield (route, view name with namespace, pattern) for every URL pattern."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from walk(entry.url_patterns, route, full_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield route, name, entry


def project_routes() -> dict[str, str]:
    """Routes outside the admin -> their URL names."""
    return {route: name for route, name, _p in walk() if not route.startswith("admin/")}


def admin_routes() -> dict[str, str]:
    return {route: name for route, name, _p in walk() if route.startswith("admin/")}
