"""Import (upload, preview, confirm) of partners and cooperations, their exports (CSV, XLSX) and blank
templates, and the HSDS JSON export."""

import base64
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from networks import exports, hsds, importer, rules, selectors
from networks.forms import ImportUploadForm
from portal.core.pagecache import cached_page

SESSION_KEY = "networks_import"
PREVIEW_ROWS = 200
MAX_LISTED_ERRORS = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    """The municipality's current network as a JSON array of fully nested HSDS 3.0 services, each as
    ``/api/hsds/services/{id}`` returns it (``networks.hsds.municipality_services``)."""
    municipality = selectors.municipality_by_slug(slug=slug)
    links = hsds.Links(base=request.build_absolute_uri("/"))
    # Compact, as JSON APIs send it: a Kreis with hundreds of services is about a fifth smaller than
    # indented (any JSON viewer indents it for reading).
    response = JsonResponse(
        hsds.municipality_services(municipality=municipality, links=links), safe=False,
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="hsds-{slug}.json"'
    return response


@cached_page
@require_GET
def export_cooperations_csv(request, slug):
    municipality = selectors.municipality_by_slug(slug=slug)
    return _download(exports.export_cooperations_csv(municipality=municipality), "text/csv; charset=utf-8",
                     f"kooperationen-{slug}.csv")


@cached_page
@require_GET
def export_cooperations_xlsx(request, slug):
    municipality = selectors.municipality_by_slug(slug=slug)
    return _download(exports.export_cooperations_xlsx(municipality=municipality), XLSX, f"kooperationen-{slug}.xlsx")


@require_GET
def import_template(request, kind, fmt):
    """A blank file with the columns of the import (and of the export)."""
    if kind not in importer.RESOURCES or fmt not in ("csv", "xlsx"):
        raise Http404
    data = exports.template_dataset(kind=kind)
    if fmt == "csv":
        return _download(exports.csv_bytes(data), "text/csv; charset=utf-8", f"vorlage-{kind}.csv")
    return _download(exports.xlsx_bytes(data), XLSX, f"vorlage-{kind}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request):
    return _import(request, kind=importer.PARTNERS)


@login_required
@require_http_methods(["GET", "POST"])
def import_cooperations(request):
    return _import(request, kind=importer.COOPERATIONS)


def _import(request, *, kind):
    municipalities = rules.municipalities_editable_by(request.user).order_by("name")
    if not municipalities.exists():
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _confirm(request, kind=kind)
    initial = {}
    kommune = request.GET.get("kommune", "")
    if kommune and "\x00" not in kommune:  # PostgreSQL refuses NUL in a text comparison
        initial["municipality"] = municipalities.filter(slug=kommune).first()
    form = ImportUploadForm(request.POST or None, request.FILES or None, municipalities=municipalities, initial=initial)
    resource = importer.RESOURCES[kind]
    context = {
        "form": form, "kind": kind, "columns": resource.columns(), "import_columns": resource.import_columns(),
        "required": resource.required_columns(), "import_url": _import_url(kind),
    }
    if request.method == "POST" and form.is_valid():
        municipality = form.cleaned_data["municipality"]
        _require(rules.can_edit_municipality(request.user, municipality))
        upload = form.cleaned_data["file"]
        raw = upload.read()
        result = importer.check_file(raw, upload.name, user=request.user, municipality=municipality, kind=kind)
        token = ""
        if result.is_valid and result.has_changes:
            token = uuid.uuid4().hex
            request.session[SESSION_KEY] = {
                "token": token,
                "kind": kind,
                "municipality": municipality.pk,
                "filename": upload.name,
                "versions": result.versions,
                "data": base64.b64encode(raw).decode("ascii"),
            }
        shown = result.changed_rows if result.is_valid else []
        unchanged = [row for row in result.rows if row.status == "unchanged"] if result.is_valid else []
        context.update(
            {
                "result": result,
                "municipality": municipality,
                "preview": shown[:PREVIEW_ROWS],
                "more_preview": max(0, len(shown) - PREVIEW_ROWS),
                "unchanged_rows": unchanged[:PREVIEW_ROWS],
                "more_unchanged": max(0, len(unchanged) - PREVIEW_ROWS),
                "error_rows": result.row_errors[:MAX_LISTED_ERRORS],
                "more_errors": max(0, len(result.row_errors) - MAX_LISTED_ERRORS),
                "token": token,
                "filename": upload.name,
            }
        )
    return render(request, "networks/import.html", context)


def _import_url(kind):
    return reverse("networks:import-cooperations" if kind == importer.COOPERATIONS else "networks:import")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _confirm(request, *, kind):
    stored = request.session.get(SESSION_KEY) or {}
    if not stored or stored.get("token") != request.POST.get("token") or stored.get("kind") != kind:
        messages.error(request, _("The import has expired. Please upload the file again."))
        return redirect(_import_url(kind))
    municipality = rules.municipalities_editable_by(request.user).filter(pk=stored["municipality"]).first()
    _require(municipality is not None)
    raw = base64.b64decode(stored["data"])
    del request.session[SESSION_KEY]
    # Check again: the registry may have changed since the preview.
    result = importer.check_file(raw, stored["filename"], user=request.user, municipality=municipality, kind=kind)
    if not result.is_valid:
        messages.error(request, _("The file is no longer valid (the registry changed). Nothing was imported."))
        return redirect(_import_url(kind))
    # Records changed since the preview refuse the whole file (the versions the preview saw).
    result.versions = {str(k): int(v) for k, v in (stored.get("versions") or {}).items()}
    try:
        count = importer.write_rows(result=result, municipality=municipality, by=request.user)
    except importer.ImportRefused as refused:
        for text in [*refused.file_errors, *(e for row in refused.rows for e in row.errors)][:20]:
            messages.error(request, text)
        messages.error(request, _("Nothing was imported. Please upload the file again."))
        return redirect(_import_url(kind))
    if kind == importer.COOPERATIONS:
        text = _("%(count)s cooperations were imported into %(name)s.")
    else:
        text = _("%(count)s partners were imported into %(name)s.")
    messages.success(request, text % {"count": count, "name": municipality.name})
    return redirect(municipality)
