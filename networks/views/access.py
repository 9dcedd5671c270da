"""Requests for access ("Zugang beantragen"): anyone asks to coordinate a municipality's network; the
editorial team and admins approve (which creates or upgrades the account) or decline with a reason.

The public form is limited per client address and per e-mail address (``portal.core.throttle``,
``ACCESS_REQUEST_LIMIT_PER_*``); a decision after someone else's gets the conflict answer of
``portal.core.locking``.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from networks import rules, selectors, services
from networks.forms import AccessRequestDecisionForm, AccessRequestForm
from networks.models import AccessRequestStatus
from portal.core import throttle
from portal.core.forms import apply_validation_error
from portal.core.locking import EditConflict, refuse

PAGE_SIZE = 25
ADDRESS_SCOPE, EMAIL_SCOPE = "access-request-address", "access-request-email"
HOUR, DAY = 60 * 60, 24 * 60 * 60


def _require(allowed) -> None:
    if not allowed:
        raise PermissionDenied


def _site_url(request) -> str:
    """The portal's address as the visitor reached it, for links in e-mails."""
    return request.build_absolute_uri("/").rstrip("/")


def _limited(request, email: str) -> bool:
    """Whether this client address, or this e-mail address, has sent as many requests as it may."""
    return throttle.exceeded(
        ADDRESS_SCOPE, throttle.client_address(request), limit=settings.ACCESS_REQUEST_LIMIT_PER_ADDRESS
    ) or throttle.exceeded(EMAIL_SCOPE, email, limit=settings.ACCESS_REQUEST_LIMIT_PER_EMAIL)


def _initial(request) -> dict:
    initial = {}
    slug = request.GET.get("kommune", "")
    if slug and "\x00" not in slug:  # PostgreSQL refuses NUL in a text comparison
        found, _candidates = selectors.municipality_lookup(text=slug[:200])
        if found is not None:
            initial["municipality"] = found
    if request.user.is_authenticated:
        initial["name"] = request.user.get_full_name()
        initial["email"] = request.user.email
    return initial


@require_http_methods(["GET", "POST"])
def access_request(request):
    """The public form. Bad input changes nothing; too many requests are answered with status 429, and
    while the shared cache that counts them is unreachable with 503 (nothing saved)."""
    form = AccessRequestForm(request.POST or None, initial=_initial(request))
    context = {"form": form, "retention_days": settings.ACCESS_REQUEST_RETENTION_DAYS}
    if request.method == "POST" and form.is_valid():
        if form.is_bot:
            return redirect("networks:access-request-done")
        data = form.cleaned_data
        try:
            limited = _limited(request, data["email"])
        except throttle.Unavailable:  # requests that cannot be counted are not accepted
            context["unavailable"] = True
            return render(request, "networks/access_request_form.html", context, status=503)
        if limited:
            context["limited"] = True
            return render(request, "networks/access_request_form.html", context, status=429)
        try:
            services.access_request_submit(
                name=data["name"], email=data["email"], function=data["function"],
                municipality=data["municipality"], justification=data["justification"], site_url=_site_url(request),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            try:
                throttle.record(ADDRESS_SCOPE, throttle.client_address(request), seconds=HOUR)
                throttle.record(EMAIL_SCOPE, data["email"], seconds=DAY)
            except throttle.Unavailable:
                pass  # the request is saved; the cache failed after the check (logged by the throttle)
            return redirect("networks:access-request-done")
    return render(request, "networks/access_request_form.html", context)


@require_GET
def access_request_done(request):
    return render(request, "networks/access_request_done.html",
                  {"retention_days": settings.ACCESS_REQUEST_RETENTION_DAYS})


@login_required
@require_GET
def access_request_list(request):
    _require(rules.can_review_access_requests(request.user))
    page = Paginator(selectors.access_requests_for_review(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "networks/access_request_list.html", {
        "page_obj": page, "access_requests": list(page.object_list), "pending": AccessRequestStatus.PENDING,
    })


def _detail_context(access_request) -> dict:
    return {
        "access_request": access_request,
        "is_pending": access_request.status == AccessRequestStatus.PENDING,
        "may_resend": (access_request.status == AccessRequestStatus.APPROVED and access_request.user is not None
                       and access_request.user.is_active and not access_request.user.has_usable_password()),
    }


@login_required
@require_http_methods(["GET", "POST"])
def access_request_detail(request, pk):
    """The request, and for a waiting one the decision: approve, or decline with a reason."""
    _require(rules.can_review_access_requests(request.user))
    access_request = selectors.access_request_for_review(pk=pk, user=request.user)
    form = AccessRequestDecisionForm(request.POST or None, access_request=access_request)
    context = _detail_context(access_request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == AccessRequestDecisionForm.APPROVE:
                services.access_request_approve(
                    access_request=access_request, version=data["version"], reason=data["reason"],
                    by=request.user, site_url=_site_url(request),
                )
            else:
                services.access_request_decline(
                    access_request=access_request, version=data["version"], reason=data["reason"],
                    by=request.user, site_url=_site_url(request),
                )
        except EditConflict as conflict:
            current = selectors.access_request_for_review(pk=pk, user=request.user)
            return refuse(request, "networks/access_request_detail.html", _detail_context(current),
                          form=form, conflict=conflict)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if data["action"] == AccessRequestDecisionForm.APPROVE:
                messages.success(request, _("The request was approved. %(name)s was told by e-mail.")
                                 % {"name": access_request.name})
            else:
                messages.success(request, _("The request was declined. %(name)s was told by e-mail, with your "
                                            "reason.") % {"name": access_request.name})
            return redirect("networks:access-request-list")
    return render(request, "networks/access_request_detail.html", {**context, "form": form})


@login_required
@require_POST
def access_request_resend(request, pk):
    """Send an approved requester a new link to set the password (the first one expires)."""
    _require(rules.can_review_access_requests(request.user))
    access_request = selectors.access_request_for_review(pk=pk, user=request.user)
    try:
        services.access_request_send_password_link(
            access_request=access_request, by=request.user, site_url=_site_url(request)
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("A new link to set the password was sent to %(email)s.")
                         % {"email": access_request.email})
    return redirect("networks:access-request-detail", pk=access_request.pk)
