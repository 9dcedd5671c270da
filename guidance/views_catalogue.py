"""Views of the good-practice catalogue: thin; rules decide, services write, selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guidance import selectors_catalogue as sel
from guidance import services_catalogue as svc
from guidance.filters_catalogue import FACET_PARAMS, build_facets
from guidance.forms_catalogue import ArchiveForm, ExampleForm, ReviewForm
from guidance.models.catalogue import Example, ExampleStatus, RevisionStatus
from networks.selectors import municipalities_editable_by
from portal.pagecache import cached_page
from portal.rules import is_admin, is_redaktion
from portal.search import MAX_QUERY_LENGTH, terms

PAGE_SIZE = 20


@cached_page
@require_GET
def example_list(request):
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
    sort = request.GET.get("sort", "")
    if sort not in ("relevance", "date"):
        sort = "relevance"  # without a query, relevance falls back to the date
    searched, filterset, results = sel.catalogue_results(request.GET, query, sort)
    page_obj = sel.example_page(results, request.GET.get("page"), PAGE_SIZE)
    for example in page_obj:
        example.excerpt = sel.excerpt_for(example, query)
        example.title_html = sel.title_html(example, query)
    keep = {key: value for key, value in (("q", query), ("sort", request.GET.get("sort", ""))) if value}
    facets = build_facets(searched, request.GET, query_params=keep)
    chosen = {param: request.GET[param] for param in FACET_PARAMS if request.GET.get(param)}
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "guidance/catalogue/list.html", {
        "query": query,
        "sort": sort,
        "page_obj": page_obj,
        "facets": facets,
        "filterset": filterset,
        "has_filters": bool(chosen),
        "page_query": params.urlencode(),
        "searched": bool(terms(query)),
        "can_add": request.user.has_perm("guidance.add_catalogue_example"),
    })


def _visible_example(request, slug: str) -> Example:
    example = sel.example_for_detail(sel.examples_visible_to(request.user), slug)
    if not request.user.has_perm("guidance.view_catalogue_example", example):
        raise Http404
    return example


def _detail_context(request, example: Example) -> dict:
    user = request.user
    municipalities = list(example.municipalities.all())
    if example.municipality not in municipalities:
        municipalities.insert(0, example.municipality)
    context = {
        "example": example,
        "municipalities": [(m, sel.safe_url(m)) for m in municipalities],
        "participants": [(p, sel.safe_url(p.actor) if p.actor else "") for p in example.participants.all()],
        "lead_url": _lead_url(example, municipalities),
        "steps": [(s, sel.safe_url(s)) for s in example.steps.all()],
        "attachments": list(sel.public_attachments(example)) if example.is_public else list(example.attachments.all()),
        "related": sel.related_examples(example),
        "can_edit": user.has_perm("guidance.edit_catalogue_example", example),
        "can_review": user.has_perm("guidance.review_catalogue_example", example),
    }
    if context["can_edit"] or context["can_review"]:
        context["revision"] = sel.open_revision(example)
    return context


def _lead_url(example: Example, municipalities) -> str:
    """The lead organisation's registry page: its actor, or the municipality of the same name."""
    if example.lead_actor:
        return sel.safe_url(example.lead_actor)
    for municipality in municipalities:
        if municipality.name == example.lead_name:
            return sel.safe_url(municipality)
    return ""


@cached_page
@require_GET
def example_detail(request, slug):
    example = _visible_example(request, slug)
    return render(request, "guidance/catalogue/detail.html", _detail_context(request, example))


@cached_page
@require_GET
def example_print(request, slug):
    example = _visible_example(request, slug)
    return render(request, "guidance/catalogue/print.html", _detail_context(request, example))


def _municipality_choices(user):
    if is_admin(user) or is_redaktion(user):
        from networks.models import Municipality

        return Municipality.objects.all()
    return municipalities_editable_by(user)


def _save_attachment(request, form, example) -> None:
    upload = form.cleaned_data.get("attachment_file")
    if upload:
        svc.attachment_add(example=example, user=request.user, title=form.cleaned_data.get("attachment_title") or "",
                           file=upload)


@login_required
@require_http_methods(["GET", "POST"])
def example_create(request):
    if not request.user.has_perm("guidance.add_catalogue_example"):
        raise PermissionDenied
    municipalities = _municipality_choices(request.user)
    form = ExampleForm(request.POST or None, request.FILES or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        try:
            example = svc.example_create(user=request.user, data=form.snapshot())
            _save_attachment(request, form, example)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The example was saved as a draft."))
            return redirect(example)
    return render(request, "guidance/catalogue/form.html", {"form": form, "example": None})


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def example_edit(request, slug):
    example = get_object_or_404(sel.examples_editable_by(request.user), slug=slug)
    if not request.user.has_perm("guidance.edit_catalogue_example", example):
        raise PermissionDenied
    revision = sel.open_revision(example)
    if revision is not None and revision.status != RevisionStatus.DRAFT:
        messages.warning(request, _("This example is under review and cannot be changed until the review is finished."))
        return redirect(example)
    municipalities = _municipality_choices(request.user)
    initial = ExampleForm.initial_from_snapshot(sel.working_snapshot(example), version=example.version)
    form = ExampleForm(request.POST or None, request.FILES or None, initial=initial, municipalities=municipalities)
    conflicts = []
    if request.method == "POST" and form.is_valid():
        try:
            svc.example_save(example=example, user=request.user, data=form.snapshot(),
                             version=form.cleaned_data.get("version") or 0)
            _save_attachment(request, form, example)
        except svc.StaleVersion as stale:
            conflicts = stale.changes
            messages.error(request, _(
                "Someone else saved this example while you were editing it. Your changes were not saved yet: "
                "compare them with the other person's changes below, then save again."
            ))
            # Keep what the user typed, but let the next save build on the current version.
            data = request.POST.copy()
            data["version"] = str(Example.objects.values_list("version", flat=True).get(pk=example.pk))
            form = ExampleForm(data, initial=initial, municipalities=municipalities)
            form.is_valid()
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if example.published_at:
                messages.success(request, _(
                    "Your change was saved as a new revision. The published text stays visible until the "
                    "editorial team publishes the change."
                ))
            else:
                messages.success(request, _("The draft was saved."))
            return redirect(example)
    return render(request, "guidance/catalogue/form.html", {
        "form": form, "example": example, "revision": revision, "conflicts": conflicts,
    })


@login_required
@require_POST
def example_submit(request, slug):
    example = get_object_or_404(sel.examples_editable_by(request.user), slug=slug)
    try:
        svc.example_submit(example=example, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The example was submitted to the editorial team for review."))
    return redirect(example)


@login_required
@require_http_methods(["GET", "POST"])
def example_review(request, slug):
    example = get_object_or_404(Example, slug=slug)
    if not request.user.has_perm("guidance.review_catalogue_example", example):
        raise PermissionDenied
    revision, changes = sel.changes_for_review(example)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        comment = form.cleaned_data["comment"]
        handlers = {
            "start_review": (lambda: svc.example_start_review(example=example, user=request.user),
                             _("The review has started.")),
            "request_changes": (lambda: svc.example_request_changes(example=example, user=request.user,
                                                                    comment=comment),
                                _("The authors were asked for changes.")),
            "publish": (lambda: svc.example_publish(example=example, user=request.user, comment=comment),
                        _("The example was published.")),
            "reject": (lambda: svc.example_reject(example=example, user=request.user, comment=comment),
                       _("The revision was rejected.")),
        }
        if action not in handlers:
            form.add_error(None, _("Please choose an action."))
        else:
            handler, success = handlers[action]
            try:
                handler()
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, success)
                return redirect("catalogue:review", slug=example.slug) if action == "start_review" else redirect(example)
    author = revision.author if revision else None
    return render(request, "guidance/catalogue/review.html", {
        "example": example, "revision": revision, "changes": changes, "form": form,
        "author_name": (author.get_full_name() or author.get_username()) if author else _("System"),
        "history": sel.history_of(example)[:10],
    })


@login_required
@require_POST
def example_archive(request, slug):
    example = get_object_or_404(Example, slug=slug)
    form = ArchiveForm(request.POST)
    form.is_valid()
    try:
        svc.example_archive(example=example, user=request.user, comment=form.cleaned_data.get("comment", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The example was archived."))
    return redirect("catalogue:manage")


@require_GET
def attachment_download(request, slug, pk):
    """Serve an attachment only to those who may see it: public once its revision is published."""
    from django.http import FileResponse

    example = _visible_example(request, slug)
    attachment = get_object_or_404(example.attachments.select_related("revision"), pk=pk)
    may_edit = request.user.has_perm("guidance.edit_catalogue_example", example) or request.user.has_perm(
        "guidance.review_catalogue_example", example
    )
    if not may_edit and not sel.public_attachments(example).filter(pk=attachment.pk).exists():
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.file.name.rsplit("/", 1)[-1])


@login_required
@require_GET
def example_history(request, slug):
    example = get_object_or_404(sel.examples_editable_by(request.user), slug=slug)
    return render(request, "guidance/catalogue/history.html", {
        "example": example, "events": sel.history_of(example),
        "revisions": example.revisions.select_related("author", "reviewed_by").order_by("-number"),
    })


@login_required
@require_GET
def manage(request):
    page_obj = Paginator(
        sel.examples_editable_by(request.user).select_related("municipality").order_by("-updated_at", "pk"), PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    revisions = sel.open_revisions_by_example(page_obj)
    rows = [(example, revisions.get(example.pk)) for example in page_obj]
    can_review = request.user.has_perm("guidance.review_catalogue_example")
    return render(request, "guidance/catalogue/manage.html", {
        "rows": rows,
        "page_obj": page_obj,
        "queue": list(sel.review_queue()) if can_review else [],
        "can_review": can_review,
        "can_add": request.user.has_perm("guidance.add_catalogue_example"),
        "statuses": ExampleStatus,
    })
