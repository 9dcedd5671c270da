"""A tiny HTML form reader for the soak clients: what a browser would submit, without a browser."""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_marker: str | None):
        super().__init__(convert_charrefs=True)
        self.form_marker = form_marker
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._select_multiple = False
        self._select_first = None
        self._select_chosen = False
        self._textarea = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action"), "method": (a.get("method") or "get").lower(), "fields": []}
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self._form["fields"].append((name, a.get("value", "on" if kind in {"checkbox", "radio"} else "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._select_multiple = name, "multiple" in a
            self._select_first, self._select_chosen = None, False
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._form["fields"].append((self._select, value))
                self._select_chosen = True

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self._form["fields"].append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select:
            if not self._select_chosen and not self._select_multiple and self._select_first is not None:
                self._form["fields"].append((self._select, self._select_first))
            self._select = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None


def read_forms(html: str) -> list[dict]:
    """Every form on the page: action, method and the (name, value) pairs a browser would send."""
    parser = _FormParser(None)
    parser.feed(html)
    return parser.forms


def form_with_field(html: str, field: str) -> dict | None:
    """The first POST form that has a field of this name."""
    for form in read_forms(html):
        if form["method"] == "post" and any(name == field for name, _ in form["fields"]):
            return form
    return None
