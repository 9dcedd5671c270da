"""Template helpers every app uses: breadcrumbs and sanitised Markdown."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.core.markdown import render_markdown

register = template.Library()


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(*parts):
    """``{% breadcrumbs "Label" url "Label 2" url2 "Current page" %}``: pairs, then the current page."""
    parts = list(parts)
    current = parts.pop() if len(parts) % 2 == 1 else None
    crumbs = [(parts[i], parts[i + 1]) for i in range(0, len(parts), 2)]
    if current is not None:
        crumbs.append((current, ""))
    return {"crumbs": crumbs}


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown(text)


def _form_has_errors(form) -> bool:
    return bool(getattr(form, "is_bound", False) and getattr(form, "errors", None))


@register.simple_tag(takes_context=True)
def form_error_title_prefix(context):
    """``Fehler: `` before the page title when the page's form (``form`` in the context) failed to
    validate (WCAG 3.3.1: the title tells at once that the submit did not work)."""
    if _form_has_errors(context.get("form")):
        return _("Error: ")
    return ""


@register.filter
def error_anchor(field):
    """The id a link in the error summary jumps to: the field's input (for a group of radio
    buttons or checkboxes, the first one)."""
    anchor = field.id_for_label
    if not anchor and field.auto_id:
        anchor = f"{field.auto_id}_0"
    return anchor


def _interface_is_german() -> bool:
    return (get_language() or "de").split("-")[0] == "de"


@register.simple_tag
def lang_de():
    """`` lang="de"`` on a container of German content (roadmap steps, guide pages, examples,
    partners) when the interface is in another language (WCAG 3.1.2); nothing in German."""
    return "" if _interface_is_german() else mark_safe(' lang="de"')  # noqa: S308 - a constant


@register.inclusion_tag("includes/german_only.html")
def german_only_notice():
    """Says once per page that its content is available in German only (interface not German)."""
    return {"show": not _interface_is_german()}


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number: int) -> str:
    """The current query string with ``param`` set to ``number`` (also for a page with two paged lists)."""
    query = context["request"].GET.copy()
    query[param] = str(number)
    return "?" + query.urlencode()
