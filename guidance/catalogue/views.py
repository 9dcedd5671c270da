"""Views of the good-practice catalogue: thin; rules decide, services write, selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guidance.catalogue import rules
from guidance.catalogue import selectors as sel
from guidance.catalogue import services as svc
from guidance.catalogue.filters import FACET_PARAMS, build_facets
from guidance.catalogue.forms import ArchiveForm, ExampleForm, ReviewForm
from guidance.catalogue.models import Example, ExampleStatus, RevisionStatus
from portal.core.forms import apply_validation_error
from portal.core.locking import EditConflict, refuse
from portal.core.pagecache import cached_page
from portal.core.search import MAX_QUERY_LENGTH, terms

PAGE_SIZE = 20


@cached_page(params=("q", "sort", "page", *FACET_PARAMS))
@require_GET
def example_list(request):
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
    sort = request.GET.get("sort", "")
    if sort not in ("relevance", "date"):
        sort = "relevance"  # without a query, relevance falls back to the date
    searched, filterset, results = sel.catalogue_results(params=request.GET, query=query, sort=sort)
    page_obj = sel.example_page(ranked_ids=results, number=request.GET.get("page"), per_page=PAGE_SIZE)
    for example in page_obj:
        example.excerpt = sel.excerpt_for(example=example, query=query)
        example.title_html = sel.title_html(example=example, query=query)
    keep = {key: value for key, value in (("q", query), ("sort", request.GET.get("sort", ""))) if value}
    facets = build_facets(searched, request.GET, query_params=keep)
    chosen = {param: request.GET[param] for param in FACET_PARAMS if request.GET.get(param)}
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "catalogue/list.html", {
        "query": query,
        "sort": sort,
        "page_obj": page_obj,
        "facets": facets,
        "filterset": filterset,
        "has_filters": bool(chosen),
        "page_query": params.urlencode(),
        "searched": bool(terms(query)),
        # "Meinten Sie …?" when the query found nothing (a typo, an unknown spelling).
        "suggestion": sel.search_suggestion(query=query) if terms(query) and not page_obj.paginator.count else "",
        "can_add": rules.can_add_example(request.user),
    })


def _url(obj) -> str:
    """The object's URL, or "" while the page that shows it does not exist yet."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""


def _visible_example(request, slug: str) -> Example:
    example = sel.example_for_detail(queryset=rules.examples_visible_to(request.user), slug=slug)
    if not rules.can_view_example(request.user, example):
        raise Http404
    return example


def _detail_context(request, example: Example) -> dict:
    user = request.user
    municipalities = list(example.municipalities.all())
    if example.municipality not in municipalities:
        municipalities.insert(0, example.municipality)
    context = {
        "example": example,
        "municipalities": [(m, _url(m)) for m in municipalities],
        "participants": [(p, _url(p.actor) if p.actor else "") for p in example.participants.all()],
        "lead_url": _lead_url(example, municipalities),
        "steps": [(s, _url(s)) for s in example.steps.all()],
        "attachments": (list(sel.public_attachments(example=example)) if example.is_public
                        else list(example.attachments.all())),
        "related": sel.related_examples(example=example),
        "can_edit": rules.can_edit_example(user, example),
        "can_review": rules.can_review_example(user, example),
    }
    if context["can_edit"] or context["can_review"]:
        context["revision"] = sel.open_revision(example=example)
    return context


def _lead_url(example: Example, municipalities) -> str:
    """The lead organisation's registry page: its actor, or the municipality of the same name."""
    if example.lead_actor:
        return _url(example.lead_actor)
    for municipality in municipalities:
        if municipality.name == example.lead_name:
            return _url(municipality)
    return ""


@cached_page
@require_GET
def example_detail(request, slug):
    example = _visible_example(request, slug)
    return render(request, "catalogue/detail.html", _detail_context(request, example))


@cached_page
@require_GET
def example_print(request, slug):
    example = _visible_example(request, slug)
    return render(request, "catalogue/print.html", _detail_context(request, example))


def _save_attachment(request, form, example) -> None:
    upload = form.cleaned_data.get("attachment_file")
    if upload:
        svc.attachment_add(example=example, user=request.user, title=form.cleaned_data.get("attachment_title") or "",
                           file=upload)


@login_required
@require_http_methods(["GET", "POST"])
def example_create(request):
    if not rules.can_add_example(request.user):
        raise PermissionDenied
    municipalities = rules.municipalities_for_examples(request.user)
    form = ExampleForm(request.POST or None, request.FILES or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        try:
            example = svc.example_create(user=request.user, data=form.snapshot())
            _save_attachment(request, form, example)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The example was saved as a draft."))
            return redirect(example)
    return render(request, "catalogue/form.html", {"form": form, "example": None})


@login_required
@require_http_methods(["GET", "POST"])
def example_edit(request, slug):
    example = get_object_or_404(rules.examples_editable_by(request.user), slug=slug)
    if not rules.can_edit_example(request.user, example):
        raise PermissionDenied
    revision = sel.open_revision(example=example)
    if revision is not None and revision.status != RevisionStatus.DRAFT:
        messages.warning(request, _("This example is under review and cannot be changed until the review is finished."))
        return redirect(example)
    municipalities = rules.municipalities_for_examples(request.user)
    initial = ExampleForm.initial_from_snapshot(sel.working_snapshot(example=example), version=example.version)
    form = ExampleForm(request.POST or None, request.FILES or None, initial=initial, municipalities=municipalities)
    context = {"example": example, "revision": revision}
    if request.method == "POST" and form.is_valid():
        try:
            svc.example_save(example=example, user=request.user, data=form.snapshot(),
                             version=form.cleaned_data.get("version") or 0)
            _save_attachment(request, form, example)
        except EditConflict as conflict:
            return refuse(request, "catalogue/form.html", context, form=form, conflict=conflict)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if example.published_at:
                messages.success(request, _(
                    "Your change was saved as a new revision. The published text stays visible until the "
                    "editorial team publishes the change."
                ))
            else:
                messages.success(request, _("The draft was saved."))
            return redirect(example)
    return render(request, "catalogue/form.html", {**context, "form": form})


@login_required
@require_POST
def example_submit(request, slug):
    example = get_object_or_404(rules.examples_editable_by(request.user), slug=slug)
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
    if not rules.can_review_example(request.user, example):
        raise PermissionDenied
    revision, changes = sel.changes_for_review(example=example)
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
                apply_validation_error(form, error)
            else:
                messages.success(request, success)
                return redirect("catalogue:review", slug=example.slug) if action == "start_review" else redirect(example)
    author = revision.author if revision else None
    return render(request, "catalogue/review.html", {
        "example": example, "revision": revision, "changes": changes, "form": form,
        "author_name": (author.get_full_name() or author.get_username()) if author else _("System"),
        "history": sel.history_of(example=example, limit=10),
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
    example = _visible_example(request, slug)
    attachment = get_object_or_404(example.attachments.select_related("revision"), pk=pk)
    may_edit = rules.can_edit_example(request.user, example) or rules.can_review_example(request.user, example)
    if not may_edit and not sel.public_attachments(example=example).filter(pk=attachment.pk).exists():
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.file.name.rsplit("/", 1)[-1])


@login_required
@require_GET
def example_history(request, slug):
    example = get_object_or_404(rules.examples_editable_by(request.user), slug=slug)
    return render(request, "catalogue/history.html", {
        "example": example, "events": sel.history_of(example=example),
        "revisions": example.revisions.select_related("author", "reviewed_by").order_by("-number"),
    })


@login_required
@require_GET
def manage(request):
    page_obj = Paginator(
        rules.examples_editable_by(request.user).select_related("municipality").order_by("-updated_at", "pk"), PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    revisions = sel.open_revisions_by_example(examples=page_obj)
    rows = [(example, revisions.get(example.pk)) for example in page_obj]
    can_review = rules.can_review_example(request.user)
    return render(request, "catalogue/manage.html", {
        "rows": rows,
        "page_obj": page_obj,
        "queue": list(sel.review_queue()) if can_review else [],
        "can_review": can_review,
        "can_add": rules.can_add_example(request.user),
        "statuses": ExampleStatus,
    })
