"""The portal frame: home, legal pages, the site search and friendly error pages."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django.views.i18n import set_language

from portal import feedback
from portal.core import throttle
from portal.core.pagecache import cached_page
from portal.core.search import MAX_QUERY_LENGTH, terms
from portal.site_search import site_search, site_search_suggestion

# The page cache's scopes (portal/core/pagecache.py): home and legal pages show no data, so they depend
# only on ``site``; the site search shows the guide, the catalogue and the registry.
SEARCH_SCOPES = ("guidance", "catalogue", "registry")


@cached_page(scopes=())
@require_GET
def home(request):
    return render(request, "portal/home.html")


# The language switch in every page's header is the only form a visitor who is not signed in meets
# on most pages. Without a CSRF token in it, reading the portal sets no cookie at all, and a page
# from the page cache needs no token. A forged request could only change the visitor's interface
# language (Django's view redirects only to addresses on this site), which harms nothing.
switch_language = csrf_exempt(set_language)


@require_GET
def healthz(request):
    """A trivial view: for load balancers, and the framework's floor in the benchmark."""
    from django.http import HttpResponse

    return HttpResponse("ok", content_type="text/plain")


@cached_page(scopes=())
@require_GET
def legal_page(request, template: str):
    return render(request, f"portal/legal/{template}.html", {
        "access_request_retention_days": settings.ACCESS_REQUEST_RETENTION_DAYS,
        "enforcement": settings.ACCESSIBILITY_ENFORCEMENT,
    })


@require_http_methods(["GET", "POST"])
def barrier_report(request):
    """"Barriere melden": the feedback form of the accessibility statement. Bad input changes nothing;
    too many reports from one address are refused with 429, and with 503 while the shared cache that
    counts them cannot be reached."""
    initial = {"page": request.GET.get("seite", "")[:500]} if request.method == "GET" else None
    form = feedback.BarrierReportForm(request.POST or None, initial=initial)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        if form.is_bot:
            return redirect("barrier-report-done")
        address = throttle.client_address(request)
        try:
            limited = throttle.exceeded(
                feedback.THROTTLE_SCOPE, address, limit=settings.ACCESSIBILITY_FEEDBACK_LIMIT_PER_ADDRESS
            )
        except throttle.Unavailable:
            return render(request, "portal/legal/barrier_report.html", {**context, "unavailable": True}, status=503)
        if limited:
            return render(request, "portal/legal/barrier_report.html", {**context, "limited": True}, status=429)
        data = form.cleaned_data
        feedback.barrier_report_send(
            page=data["page"], description=data["description"], name=data["name"], email=data["email"],
            site_url=request.build_absolute_uri("/").rstrip("/"),
        )
        try:
            throttle.record(feedback.THROTTLE_SCOPE, address, seconds=60 * 60)
        except throttle.Unavailable:
            pass  # sent; the cache failed after the check (logged by the throttle)
        return redirect("barrier-report-done")
    return render(request, "portal/legal/barrier_report.html", context)


@require_GET
def barrier_report_done(request):
    return render(request, "portal/legal/barrier_report_done.html")


@cached_page(params=("q",), scopes=SEARCH_SCOPES)
@require_GET
def search(request):
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
    groups = site_search(query, request.user) if terms(query) else []
    total = sum(group.total for group in groups)
    return render(
        request,
        "portal/search.html",
        {
            "query": query,
            "groups": groups,
            "total": total,
            "searched": bool(terms(query)),
            # "Meinten Sie …?" when nothing was found (a typo, an unknown spelling).
            "suggestion": site_search_suggestion(query) if groups and not total else "",
        },
    )


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on their own: send them to the portal's SVG icon instead of a 404."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("favicon.svg"))


def error_400(request, exception=None):
    # The query string itself may be what is wrong (e.g. too many parameters): the page must not
    # parse it again while rendering, or the 400 turns into a 500.
    from django.http import QueryDict

    request.GET = QueryDict()
    return render(request, "errors/400.html", {"title": _("Bad request")}, status=400)


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


# SQLSTATE classes of a connection that failed or was ended by the server (PostgreSQL); any other
# database error (a value too long, a broken query) is the portal's fault and a 500, never an "outage".
_OUTAGE_SQLSTATES = ("08", "57P")


def _database_unreachable(error) -> bool:
    from django.db import InterfaceError, OperationalError

    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    sqlstate = getattr(error.__cause__, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(_OUTAGE_SQLSTATES)


def error_500(request):
    # Rendered without the request context: the failure may lie in a context processor.
    import sys

    from django.http import HttpResponse, HttpResponseServerError
    from django.template import loader

    if _database_unreachable(sys.exc_info()[1]):
        # The database is unreachable (e.g. restarting): a temporary outage, not a fault of the portal.
        response = HttpResponse(loader.get_template("errors/503.html").render({}), status=503)
        response["Retry-After"] = "10"
        return response
    template = loader.get_template("errors/500.html")
    return HttpResponseServerError(template.render({}))
