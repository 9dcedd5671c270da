"""Views of the guide: thin, they parse the request, ask the rule, call a selector or service and render.

The step page also lists the step's good-practice examples: the guide's views are the one place of
the guide that reads the catalogue (``guidance.catalogue`` builds on the guide, not the reverse).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guidance import charts, facts, geo, oparl, rules, selectors, services, tools
from guidance import resolution as resolution_draft
from guidance.catalogue import selectors as catalogue
from guidance.documents import agreement as documents_agreement
from guidance.documents import consent as documents_consent
from guidance.documents import slides as documents_slides
from guidance.documents import word
from guidance.forms import (
    CostForm,
    CouncilSystemForm,
    EstimatorForm,
    PageContentForm,
    PaperLinkForm,
    PaperSearchForm,
    ProgressForm,
    ResolutionChoiceForm,
    ResolutionForm,
    StepContentForm,
)
from guidance.models import StepStatus
from portal.core.forms import apply_validation_error
from portal.core.locking import EditConflict, refuse
from portal.core.pagecache import cached_page
from portal.core.search import MAX_QUERY_LENGTH

PAGE_SIZE = 20
STEP_EXAMPLES_SHOWN = 10


def _require(allowed) -> None:
    if not allowed:
        raise PermissionDenied


# --- Content -----------------------------------------------------------------------------------------
@cached_page
@require_GET
def index(request):
    steps = selectors.roadmap_steps()
    coordinated = []
    if request.user.is_authenticated:
        coordinated = list(rules.municipalities_coordinated_by(request.user)[:10])
    return render(request, "guidance/index.html", {
        "areas": selectors.pages_by_area(),
        "steps": steps,
        "coordinated": coordinated,
        "can_view_progress": rules.can_view_progress(request.user),
        "can_view_overview": rules.can_view_progress_overview(request.user),
    })


@cached_page
@require_GET
def roadmap(request):
    return render(request, "guidance/roadmap.html", {"steps": selectors.roadmap_steps()})


@cached_page
@require_GET
def step(request, slug):
    step = selectors.step_by_slug(slug=slug)
    previous, following = selectors.neighbour_steps(step=step)
    coordinated = []
    if request.user.is_authenticated:
        coordinated = list(rules.municipalities_coordinated_by(request.user)[:10])
    # At most ten examples here (one more tells whether there are more); the catalogue lists all.
    examples = list(
        catalogue.published_examples_for_step(step=step)
        .only("slug", "title", "last_published_at", "municipality")[: STEP_EXAMPLES_SHOWN + 1]
    )
    return render(request, "guidance/step.html", {
        "step": step,
        "previous": previous,
        "following": following,
        "examples": examples[:STEP_EXAMPLES_SHOWN],
        "more_examples": len(examples) > STEP_EXAMPLES_SHOWN,
        "coordinated": coordinated,
        "can_edit": rules.can_edit_content(request.user),
    })


@cached_page
@require_GET
def page(request, slug):
    page = selectors.page_by_slug(slug=slug)
    return render(request, "guidance/page.html", {
        "page": page, "can_edit": rules.can_edit_content(request.user),
    })


def _content_edit(request, *, instance, form_class, fields, update, kind_label):
    _require(rules.can_edit_content(request.user))
    context = {"object": instance, "kind_label": kind_label}
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in fields}
            try:
                update(data=data, version=form.cleaned_data["version"], by=request.user)
            except EditConflict as conflict:
                return refuse(request, "guidance/content_edit.html", context, form=form, conflict=conflict)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Your changes have been saved."))
                return redirect(instance.get_absolute_url())
    else:
        form = form_class(initial={**{name: getattr(instance, name) for name in fields}, "version": instance.version})
    return render(request, "guidance/content_edit.html", {**context, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request, slug):
    step = selectors.step_by_slug(slug=slug)
    return _content_edit(
        request, instance=step, form_class=StepContentForm, fields=services.STEP_FIELDS,
        update=lambda **kw: services.step_update(step=step, **kw), kind_label=_("Roadmap step"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def page_edit(request, slug):
    page = selectors.page_by_slug(slug=slug)
    return _content_edit(
        request, instance=page, form_class=PageContentForm, fields=services.PAGE_FIELDS,
        update=lambda **kw: services.page_update(page=page, **kw), kind_label=_("Guidance page"),
    )


@login_required
@require_GET
def step_history(request, slug):
    _require(rules.can_view_content_history(request.user))
    step = selectors.step_by_slug(slug=slug)
    return render(request, "guidance/history.html", {"object": step, "entries": selectors.content_history(instance=step)})


@login_required
@require_GET
def page_history(request, slug):
    _require(rules.can_view_content_history(request.user))
    page = selectors.page_by_slug(slug=slug)
    return render(request, "guidance/history.html", {"object": page, "entries": selectors.content_history(instance=page)})


@cached_page
@require_GET
def figures(request):
    return render(request, "guidance/figures.html", {"figures": charts.figures()})


@require_GET
def figure_download(request, key, extension):
    """One chart of the figures page as a file: SVG (as the page shows it) or PNG (drawn on the server)."""
    figure = charts.figure_by_key(key)
    if figure is None or extension not in ("svg", "png"):
        raise Http404
    if extension == "svg":
        return _download(charts.svg_file(figure), "image/svg+xml", f"{figure.filename}.svg")
    return _download(charts.png_file(figure), "image/png", f"{figure.filename}.png")


# --- Tools -------------------------------------------------------------------------------------------
@cached_page(params=("municipality", "children_under_18", "children_under_3"))
@require_GET
def estimator(request):
    form = EstimatorForm(request.GET or None)
    estimates = None
    municipality = None
    figures = None
    if form.is_bound and form.is_valid():
        municipality = form.cleaned_data.get("municipality")
        figures = form.figures
        estimates = tools.estimate(
            children_under_18=form.cleaned_data.get("children_under_18"),
            children_under_3=form.cleaned_data.get("children_under_3"),
        )
        if municipality is not None:
            # Show the registry's figures in the form, so the person can see and adjust them.
            data = request.GET.copy()
            for name in ("children_under_18", "children_under_3"):
                if not data.get(name) and form.cleaned_data.get(name) is not None:
                    data[name] = str(form.cleaned_data[name])
            data["municipality"] = selectors.municipality_label(municipality=municipality)
            form = EstimatorForm(data)
    heinsberg = {
        "affected": facts.HEINSBERG_AFFECTED,
        "affected_3_and_over": facts.HEINSBERG_AFFECTED_3_AND_OVER.value,
        "affected_under_3": facts.HEINSBERG_AFFECTED_UNDER_3.value,
        "share": facts.ADDICTED_PARENT_SHARE.value,
        "share_18": facts.SHARE_UNDER_18.value,
        "share_3": facts.SHARE_UNDER_3.value,
        "example": tools.heinsberg_example(),
        "population_source": facts.HEINSBERG_POPULATION.source,
        "shares_source": facts.AGE_SHARES_SOURCE,
        "source": facts.HEINSBERG_SOURCE,
        "since": facts.HEINSBERG_AGREEMENT_SINCE,
    }
    return render(request, "guidance/estimator.html", {
        "form": form, "estimates": estimates, "municipality": municipality, "figures": figures,
        "heinsberg": heinsberg,
    })


@cached_page(params=("families",))
@require_GET
def costs(request):
    form = CostForm(request.GET or None)
    result = tools.costs(families=form.cleaned_data["families"]) if form.is_bound and form.is_valid() else None
    return render(request, "guidance/costs.html", {
        "form": form, "result": result, "cost_per_family": facts.COST_PER_FAMILY.value,
        "later_moderate": facts.LATER_COSTS_MODERATE.value,
        "later_pessimistic_millions": facts.millions(facts.LATER_COSTS_PESSIMISTIC.value),
        "ratio_moderate": facts.RATIO_MODERATE.value, "ratio_pessimistic": facts.RATIO_PESSIMISTIC.value,
        "prevention_moderate": facts.PREVENTION_COSTS_MODERATE.value,
        "prevention_pessimistic": facts.PREVENTION_COSTS_PESSIMISTIC.value,
        "multiple_moderate": facts.LATER_COSTS_MULTIPLE_MODERATE.value,
        "multiple_pessimistic": facts.LATER_COSTS_MULTIPLE_PESSIMISTIC.value,
        "study_year": facts.COST_PER_FAMILY.year, "source": facts.COST_STUDY,
    })


@login_required
@require_GET
def resolution(request, slug=None):
    _require(rules.can_view_progress(request.user))
    text = slug or request.GET.get("municipality") or None
    form = ResolutionChoiceForm({"municipality": text} if text else None)
    draft = None
    if text and form.is_valid():
        municipality = form.cleaned_data["municipality"]
        if municipality.slug != slug:  # a name, postcode or AGS was typed: the draft's own address
            return redirect("guidance:resolution", slug=municipality.slug)
        draft = resolution_draft.build_draft(
            municipality, internal=rules.can_view_progress_details(request.user, municipality)
        )
    return render(request, "guidance/resolution.html", {"form": form, "draft": draft})


@login_required
@require_GET
def resolution_docx(request, slug):
    _require(rules.can_view_progress(request.user))
    municipality = selectors.municipality_by_slug(slug=slug)
    draft = resolution_draft.build_draft(
        municipality, internal=rules.can_view_progress_details(request.user, municipality)
    )
    return _download(resolution_draft.render_docx(draft), resolution_draft.DOCX_CONTENT_TYPE, draft.filename)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The other documents ready to use, under the same rules as the draft resolution: signed-in staff; the
# municipality's internal details (the recorded resolution's evidence) only for those who may see them.
@login_required
@require_GET
def agreement_docx(request, slug):
    _require(rules.can_view_progress(request.user))
    agreement = documents_agreement.build_agreement(selectors.municipality_by_slug(slug=slug))
    return _download(documents_agreement.render_docx(agreement), word.DOCX_CONTENT_TYPE, agreement.filename)


@login_required
@require_GET
def consent_docx(request, slug):
    _require(rules.can_view_progress(request.user))
    form = documents_consent.build_consent(selectors.municipality_by_slug(slug=slug))
    return _download(documents_consent.render_docx(form), word.DOCX_CONTENT_TYPE, form.filename)


@login_required
@require_GET
def slides_pptx(request, slug):
    _require(rules.can_view_progress(request.user))
    municipality = selectors.municipality_by_slug(slug=slug)
    deck = documents_slides.build_deck(
        municipality, internal=rules.can_view_progress_details(request.user, municipality)
    )
    return _download(documents_slides.render_pptx(deck), documents_slides.PPTX_CONTENT_TYPE, deck.filename)


# --- Progress ("Unser Fahrplan") ----------------------------------------------------------------------
@cached_page(params=("page", "q"))
@login_required
@require_GET
def progress_list(request):
    _require(rules.can_view_progress(request.user))
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    editable_ids = set(rules.municipalities_with_editable_progress(request.user).values_list("id", flat=True))
    municipalities = selectors.municipalities_to_list(
        municipalities=rules.municipalities_with_visible_progress(request.user), query=query,
        own_ids=editable_ids if len(editable_ids) < 1000 else (),
    )
    page_obj = Paginator(municipalities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "guidance/progress_list.html", {
        "page_obj": page_obj, "editable_ids": editable_ids, "query": query,
    })


@cached_page
@login_required
@require_GET
def progress(request, slug):
    _require(rules.can_view_progress(request.user))
    municipality = get_object_or_404(rules.municipalities_with_visible_progress(request.user), slug=slug)
    views = selectors.progress_for(municipality=municipality)
    figures = tools.child_figures(municipality)
    return render(request, "guidance/progress.html", {
        "municipality": municipality,
        "figures": figures,
        "estimates": tools.estimate(children_under_18=figures.under_18, children_under_3=figures.under_3),
        "views": views,
        "summary": selectors.summarise(views=views),
        "next_steps": selectors.next_steps(views=views),
        "gap": resolution_draft.gap_view(
            municipality=municipality, partners=selectors.active_actors_for(municipality=municipality)
        ),
        "can_edit": rules.can_edit_progress(request.user, municipality),
        "show_details": rules.can_view_progress_details(request.user, municipality),
    })


@login_required
@require_http_methods(["GET", "POST"])
def progress_step_edit(request, slug, step_slug):
    municipality = selectors.municipality_by_slug(slug=slug)
    _require(rules.can_edit_progress(request.user, municipality))
    step = selectors.step_by_slug(slug=step_slug)
    tasks = list(step.tasks.all())
    current = selectors.progress_for_step(municipality=municipality, step=step)
    is_resolution = step.slug == selectors.RESOLUTION_STEP_SLUG
    context = {
        "municipality": municipality, "step": step, "current": current,
        "history": list(current.history.select_related("history_user")[:10]) if current else [],
        "linked_paper": selectors.linked_paper_for(municipality=municipality) if is_resolution else None,
        "is_resolution": is_resolution,
    }
    if request.method == "POST":
        form = ProgressForm(request.POST, tasks=tasks)
        resolution_form = ResolutionForm(request.POST) if is_resolution else None
        if form.is_valid() and (resolution_form is None or resolution_form.is_valid()):
            data = form.cleaned_data
            try:
                services.progress_update(
                    municipality=municipality, step=step, by=request.user, version=data["version"],
                    status=data["status"], started_on=data["started_on"], completed_on=data["completed_on"],
                    responsible=data["responsible"], notes=data["notes"], evidence=data["evidence"],
                    evidence_link=data["evidence_link"], done_task_ids=data["done_tasks"],
                    resolution=resolution_form.cleaned_data if resolution_form else None,
                )
            except EditConflict as conflict:
                return refuse(request, "guidance/progress_step_edit.html",
                              {**context, "resolution_form": resolution_form}, form=form, conflict=conflict)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    if field in form.fields:
                        form.add_error(field, errors)
                    elif resolution_form is not None and field in resolution_form.fields:
                        resolution_form.add_error(field, errors)
                    else:
                        form.add_error(None, errors)
            else:
                messages.success(request, _("The progress on this step has been saved."))
                return redirect(reverse("guidance:progress", kwargs={"slug": municipality.slug}) + f"#step-{step.number}")
    else:
        initial = {"version": current.version if current else 0, "status": StepStatus.OPEN}
        if current:
            initial.update({name: getattr(current, name) for name in services.PROGRESS_FIELDS})
            initial["done_tasks"] = [t.id for t in current.done_tasks.all()]
        form = ProgressForm(initial=initial, tasks=tasks)
        resolution_form = None
        if is_resolution:
            evidence = getattr(current, "resolution", None) if current else None
            resolution_form = ResolutionForm(
                initial={name: getattr(evidence, name) for name in services.RESOLUTION_FIELDS} if evidence else None
            )
    return render(request, "guidance/progress_step_edit.html",
                  {**context, "form": form, "resolution_form": resolution_form})


@cached_page(params=("page", "q"))
@login_required
@require_GET
def progress_overview(request):
    _require(rules.can_view_progress_overview(request.user))
    steps = list(selectors.roadmap_steps_plain())
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    municipalities = selectors.progress_overview(municipalities=selectors.municipalities_to_list(
        municipalities=rules.municipalities_with_visible_progress(request.user), query=query,
    ))
    page_obj = Paginator(municipalities, PAGE_SIZE).get_page(request.GET.get("page"))
    matrix = selectors.progress_matrix(municipality_ids=[m.id for m in page_obj.object_list])
    gaps = selectors.gap_analyses_for(municipalities=page_obj.object_list)
    rows = []
    for municipality in page_obj.object_list:
        statuses = matrix.get(municipality.id, {})
        cells = [(s, StepStatus(statuses.get(s.id, StepStatus.OPEN))) for s in steps]
        rows.append((municipality, cells, gaps.get(municipality.id)))
    return render(request, "guidance/progress_overview.html", {
        "page_obj": page_obj, "rows": rows, "steps": steps, "query": query,
    })


# --- Germany at a glance ------------------------------------------------------------------------------
@cached_page(params=("land",))
@login_required
@require_GET
def progress_map(request):
    """Every Kreis and kreisfreie Stadt on a map of Germany (or of one Land) with how far it has come.
    The same for every member of staff (the public stage only), like the roadmaps it summarises."""
    _require(rules.can_view_progress(request.user))
    data = selectors.progress_map(land=selectors.map_land(value=request.GET.get("land")))
    return render(request, "guidance/map.html", {"map": data, "svg": geo.map_svg(data), "legend": geo.legend()})


@cached_page(params=("km",))
@login_required
@require_GET
def neighbours(request, slug):
    """The Kreise and Gemeinden around a municipality, nearest first, with how far each has come."""
    _require(rules.can_view_progress(request.user))
    municipality = get_object_or_404(rules.municipalities_with_visible_progress(request.user), slug=slug)
    km = selectors.neighbour_distance(value=request.GET.get("km"))
    return render(request, "guidance/neighbours.html", {
        "municipality": municipality,
        "neighbourhood": selectors.neighbours_of(municipality=municipality, km=km),
        "distances": selectors.NEIGHBOUR_DISTANCES,
        "legend": geo.legend(),
    })


# --- The council's record (OParl) ---------------------------------------------------------------------
def _council_page(request, municipality, *, system_form=None, link_form=None, status=200):
    """The page where a coordinator records the council system and links the resolution's paper."""
    system = selectors.council_system_for(municipality=municipality)
    search_form = PaperSearchForm(request.GET if request.method == "GET" and request.GET else None)
    search, search_error = None, ""
    if search_form.is_bound and search_form.is_valid() and system is not None:
        data = search_form.cleaned_data
        try:
            search = selectors.council_papers_search(
                system=system, text=data["q"], date_from=data["von"], date_to=data["bis"],
            )
        except oparl.OParlError as error:
            search_error = str(error)
    if system_form is None:
        system_form = CouncilSystemForm(initial={"entry_url": system.entry_url if system else ""})
    return render(request, "guidance/oparl/link.html", {
        "municipality": municipality, "system": system, "system_form": system_form,
        "link_form": link_form or PaperLinkForm(), "search_form": search_form, "search": search,
        "search_error": search_error, "paper": selectors.linked_paper_for(municipality=municipality),
        "resolution_step": selectors.RESOLUTION_STEP_SLUG,
    }, status=status)


def _editable_municipality(request, slug):
    municipality = selectors.municipality_by_slug(slug=slug)
    _require(rules.can_edit_progress(request.user, municipality))
    return municipality


def _council_page_url(municipality) -> str:
    return reverse("guidance:oparl-link", kwargs={"slug": municipality.slug})


@login_required
@require_http_methods(["GET", "POST"])
def oparl_link(request, slug):
    """GET: the council system, the search of its papers and the linked paper; POST: record the system."""
    municipality = _editable_municipality(request, slug)
    if request.method == "POST":
        form = CouncilSystemForm(request.POST)
        if form.is_valid():
            try:
                system = services.council_system_set(
                    municipality=municipality, entry_url=form.cleaned_data["entry_url"], by=request.user,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                if system is None:
                    messages.success(request, _("The council information system has been removed."))
                else:
                    messages.success(request, _("The council information system has been recorded."))
                return redirect(_council_page_url(municipality))
        return _council_page(request, municipality, system_form=form)
    return _council_page(request, municipality)


@login_required
@require_POST
def oparl_paper_link(request, slug):
    municipality = _editable_municipality(request, slug)
    form = PaperLinkForm(request.POST)
    if form.is_valid():
        try:
            services.resolution_link_paper(
                municipality=municipality, paper_url=form.cleaned_data["paper_url"], by=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The resolution has been linked to the paper of the council."))
            return redirect(_council_page_url(municipality))
    return _council_page(request, municipality, link_form=form)


@login_required
@require_POST
def oparl_paper_refresh(request, slug):
    municipality = _editable_municipality(request, slug)
    paper = selectors.linked_paper_for(municipality=municipality)
    if paper is None:
        messages.info(request, _("No paper is linked yet."))
        return redirect(_council_page_url(municipality))
    try:
        changes = services.oparl_refresh_paper(paper=paper, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if changes:
            messages.success(request, _("The paper has been read again; a consultation's result has changed."))
        else:
            messages.success(request, _("The paper has been read again."))
    return redirect(_council_page_url(municipality))


@login_required
@require_POST
def oparl_paper_unlink(request, slug):
    municipality = _editable_municipality(request, slug)
    if services.resolution_unlink_paper(municipality=municipality, by=request.user):
        messages.success(request, _("The link to the paper has been removed."))
    return redirect(_council_page_url(municipality))


@require_GET
def oparl_resolutions(request):
    """Public: the resolutions linked to their councils' papers, across municipalities."""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    page_obj = Paginator(selectors.linked_papers(query=query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "guidance/oparl/resolutions.html", {"page_obj": page_obj, "query": query})
