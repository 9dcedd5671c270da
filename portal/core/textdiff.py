"""What changed in a text, word by word: for the review of a revision and for the histories.

:func:`word_diff` compares two texts by their words (not the spaces between them) and returns both as
HTML in which only the removed words are marked ``<del>`` and only the inserted ones ``<ins>``. Each
mark begins with a visually hidden "removed:"/"inserted:", so that the change does not rest on
colour or strike-through alone. With ``context`` a long unchanged stretch is shortened to the words
around the changes (an excerpt), so that a long text whose end changed does not look the same before
and after.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_TOKEN = re.compile(r"\S+\s*")
ELLIPSIS = "…"
EMPTY = "–"


def _tokens(text: str) -> list[str]:
    """The words of ``text``, each with the whitespace that follows it."""
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return _TOKEN.findall(text)


def _html(text: str) -> str:
    return str(escape(text)).replace("\n", "<br>")


def _mark(tag: str, label: str, tokens: list[str]) -> str:
    """The changed words in one mark; the space after the last word stays outside it."""
    joined = "".join(tokens)
    words = joined.rstrip()
    return (f'<{tag}><span class="visually-hidden">{escape(label)} </span>{_html(words)}</{tag}>'
            + _html(joined[len(words):]))


def _equal(tokens: list[str], *, context: int | None, first: bool, last: bool) -> str:
    if context is None or len(tokens) <= 2 * context + 1:
        return _html("".join(tokens))
    head = [] if first else tokens[:context]
    tail = [] if last else tokens[-context:]
    return _html("".join(head)) + ELLIPSIS + " " + _html("".join(tail))


def word_diff(before: str, after: str, *, context: int | None = None) -> tuple[SafeString, SafeString]:
    """``(before, after)`` as HTML with the removed and inserted words marked.

    ``context``: keep only this many unchanged words around each change (None: the whole texts)."""
    old, new = _tokens(before), _tokens(after)
    if not old or not new:  # nothing before or after: the other side is new or gone as a whole
        return (mark_safe(_html(str(before or "").strip()) or EMPTY),  # noqa: S308 - escaped
                mark_safe(_html(str(after or "").strip()) or EMPTY))  # noqa: S308 - escaped
    matcher = SequenceMatcher(None, [t.strip() for t in old], [t.strip() for t in new], autojunk=False)
    opcodes = matcher.get_opcodes()
    removed, inserted = _("removed:"), _("inserted:")
    left: list[str] = []
    right: list[str] = []
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            first, last = index == 0, index == len(opcodes) - 1
            left.append(_equal(old[i1:i2], context=context, first=first, last=last))
            right.append(_equal(new[j1:j2], context=context, first=first, last=last))
            continue
        if i2 > i1:
            left.append(_mark("del", removed, old[i1:i2]))
        if j2 > j1:
            right.append(_mark("ins", inserted, new[j1:j2]))
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 - every text part is escaped


def is_long(text: str, *, words: int = 40) -> bool:
    """Whether a text is long enough to be shown as an excerpt (with the whole text on request)."""
    return len(_tokens(text)) > words
