"""Import (upload, preview, confirm) and exports (CSV, XLSX, HSDS JSON)."""

import base64
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from networks import exports, importer, rules, selectors
from networks.forms import ImportUploadForm
from portal.core.pagecache import cached_page

SESSION_KEY = "networks_import"
PREVIEW_ROWS = 50
MAX_LISTED_ERRORS = 200


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@cached_page
@require_GET
def export_csv(request, slug):
    municipality = selectors.municipality_by_slug(slug=slug)
    return _download(exports.export_csv(municipality=municipality), "text/csv; charset=utf-8", f"netzwerk-{slug}.csv")


@cached_page
@require_GET
def export_xlsx(request, slug):
    municipality = selectors.municipality_by_slug(slug=slug)
    return _download(
        exports.export_xlsx(municipality=municipality),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"netzwerk-{slug}.xlsx",
    )


@cached_page(params=("download",))
@require_GET
def export_hsds(request, slug):
    municipality = selectors.municipality_by_slug(slug=slug)
    # Compact, as JSON APIs send it: a Kreis with hundreds of services is about a fifth smaller than
    # indented (any JSON viewer indents it for reading).
    response = JsonResponse(
        exports.export_hsds(municipality=municipality), json_dumps_params={"ensure_ascii": False, "separators": (",", ":")}
    )
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="hsds-{slug}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request):
    municipalities = rules.municipalities_editable_by(request.user).order_by("name")
    if not municipalities.exists():
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _confirm(request)
    initial = {}
    kommune = request.GET.get("kommune", "")
    if kommune and "\x00" not in kommune:  # PostgreSQL refuses NUL in a text comparison
        initial["municipality"] = municipalities.filter(slug=kommune).first()
    form = ImportUploadForm(request.POST or None, request.FILES or None, municipalities=municipalities, initial=initial)
    context = {"form": form, "columns": importer.COLUMNS, "required": importer.REQUIRED_COLUMNS}
    if request.method == "POST" and form.is_valid():
        municipality = form.cleaned_data["municipality"]
        _require(rules.can_edit_municipality(request.user, municipality))
        upload = form.cleaned_data["file"]
        raw = upload.read()
        result = importer.check_file(raw, upload.name, user=request.user)
        token = ""
        if result.is_valid:
            token = uuid.uuid4().hex
            request.session[SESSION_KEY] = {
                "token": token,
                "municipality": municipality.pk,
                "filename": upload.name,
                "data": base64.b64encode(raw).decode("ascii"),
            }
        context.update(
            {
                "result": result,
                "municipality": municipality,
                "preview": result.rows[:PREVIEW_ROWS],
                "error_rows": result.row_errors[:MAX_LISTED_ERRORS],
                "more_errors": max(0, len(result.row_errors) - MAX_LISTED_ERRORS),
                "token": token,
                "filename": upload.name,
            }
        )
    return render(request, "networks/import.html", context)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _confirm(request):
    stored = request.session.get(SESSION_KEY) or {}
    if not stored or stored.get("token") != request.POST.get("token"):
        messages.error(request, _("The import has expired. Please upload the file again."))
        return redirect("networks:import")
    municipality = rules.municipalities_editable_by(request.user).filter(pk=stored["municipality"]).first()
    _require(municipality is not None)
    raw = base64.b64decode(stored["data"])
    # Check again: the registry may have changed since the preview.
    result = importer.check_file(raw, stored["filename"], user=request.user)
    if not result.is_valid:
        messages.error(request, _("The file is no longer valid (the registry changed). Nothing was imported."))
        del request.session[SESSION_KEY]
        return redirect("networks:import")
    count = importer.write_rows(result=result, municipality=municipality, by=request.user)
    del request.session[SESSION_KEY]
    messages.success(
        request, _("%(count)s partners were imported into %(name)s.") % {"count": count, "name": municipality.name}
    )
    return redirect(municipality)


