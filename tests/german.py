"""The German texts the pages show, read from the catalogue so a test names the message, not its wording.

``de`` fails when the German catalogue lacks the text: a test then cannot pass on an English page.
"""

from django.utils.html import escape
from django.utils.translation import gettext, override


def de(msgid: str, *, upto_placeholder: bool = False, **params) -> str:
    """The HTML-escaped German text of ``msgid`` (formatted with ``params``, or cut at its first
    placeholder with ``upto_placeholder``)."""
    with override("de"):
        text = gettext(msgid)
    assert text != msgid, f"the German catalogue has no translation of {msgid!r}"
    if upto_placeholder:
        text = text.split("%(")[0]
    elif params:
        text = text % params
    return escape(text)
