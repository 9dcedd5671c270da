from django.conf import settings


def portal(request):
    """Values the base layout needs on every page."""
    return {
        "portal_operator": settings.PORTAL_OPERATOR,
        "search_query": request.GET.get("q", "") if request.resolver_match and request.resolver_match.url_name == "search" else "",
    }
