"""Template helpers every app uses: breadcrumbs and sanitised Markdown."""

from django import template

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
