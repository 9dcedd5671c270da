"""Showing changes: ``{% word_diff before after as marked %}`` gives ``marked.before`` and ``marked.after``
with only the changed words marked (see :mod:`portal.core.textdiff`)."""

from __future__ import annotations

from typing import Any

from django import template

from portal.core import textdiff

register = template.Library()


@register.simple_tag
def word_diff(before: Any, after: Any, context: int | None = None) -> dict[str, Any]:
    """The two values as HTML with the removed and inserted words marked; ``context``: words kept around
    each change of a long text (its whole text can be shown beside it, see ``long``)."""
    old = "" if before in (None, textdiff.EMPTY) else str(before)
    new = "" if after in (None, textdiff.EMPTY) else str(after)
    marked_before, marked_after = textdiff.word_diff(old, new, context=context)
    return {"before": marked_before, "after": marked_after,
            "long": context is not None and (textdiff.is_long(old, words=3 * context)
                                             or textdiff.is_long(new, words=3 * context))}
