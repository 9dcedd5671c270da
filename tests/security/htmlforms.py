"""Read the fields of a page's main POST form (names and prefilled values) from its HTML."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "data": {}, "names": [], "files": []}
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            self._remember(name)
            if kind == "file":
                self._form["files"].append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["data"].setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "image", "reset"):
                self._form["data"].setdefault(name, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._remember(name)
            self._textarea = name
            self._form["data"].setdefault(name, []).append("")
        elif tag == "select" and name:
            self._remember(name)
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self._form["data"].setdefault(self._select, []).append(a.get("value", ""))

    def _remember(self, name):
        if name not in self._form["names"]:
            self._form["names"].append(name)

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["data"][self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def main_post_form(html: str) -> dict:
    """{"data": {name: [values]}, "names": [...], "files": [...]} of the POST form with most fields."""
    reader = _FormReader()
    reader.feed(html)
    forms = [f for f in reader.forms if f["method"] == "post"]
    assert forms, "the page has no POST form"
    best = max(forms, key=lambda f: len(f["names"]))
    best["names"] = [n for n in best["names"] if n != "csrfmiddlewaretoken"]
    best["data"].pop("csrfmiddlewaretoken", None)
    return best
