"""Form helpers shared by the apps: a bounded multiple-choice field and how service errors reach a form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

# The range of the databases' 64-bit primary keys.
_PK_MIN, _PK_MAX = -(2**63), 2**63 - 1


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids outside the database's integer range with the usual message.

    Django looks such ids up with ``pk__in``, which SQLite answers with an OverflowError and
    PostgreSQL with a DataError: a tampered form would otherwise cause a server error."""

    def _check_values(self, value):
        for pk in value if isinstance(value, (list, tuple)) else []:
            try:
                number = int(str(pk).strip())
            except (TypeError, ValueError):
                continue  # the parent reports ids that are not numbers
            if not _PK_MIN <= number <= _PK_MAX:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(pk)[:20]}
                )
        return super()._check_values(value)


# Dates are written the German way in every interface language (issue 16): 31.12.2023 (also 31.12.23), and
# the ISO form 2023-12-31 that a browser's date picker or a script may send.
GERMAN_DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]


class GermanDateInput(forms.DateInput):
    """A text field showing the date as TT.MM.JJJJ, whatever the language of the browser (a native date
    picker would show the browser's format, e.g. 12/31/2023)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})}, format="%d.%m.%Y")


class GermanDateField(forms.DateField):
    """A date field that takes and shows German dates (TT.MM.JJJJ), with the format named below the field."""

    widget = GermanDateInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", GERMAN_DATE_INPUT_FORMATS)
        from django.utils.text import format_lazy

        hint = _("Format: DD.MM.YYYY, e.g. 31.12.2023")
        given = kwargs.get("help_text")
        kwargs["help_text"] = format_lazy("{} {}", given, hint) if given else hint
        kwargs.pop("widget", None)  # always the German text input
        super().__init__(**kwargs)


def apply_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: on its fields where it names them."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class LookupInput(forms.TextInput):
    """A text input that suggests as one types (``static/js/portal.js`` fills a ``<datalist>`` from
    ``suggest_url``); without a script it is a plain text field that the form resolves on submit."""

    def __init__(self, *, suggest_url: str = "", attrs: dict | None = None):
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.suggest_url = suggest_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        if self.suggest_url:
            widget_attrs["data-suggest-url"] = str(self.suggest_url)
            widget_attrs["list"] = f"{widget_attrs.get('id', name)}-suggestions"
        return context

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.suggest_url:
            return html
        list_id = f"{(attrs or {}).get('id', name)}-suggestions"
        return html + format_html('<datalist id="{}"></datalist>', list_id)


class LookupField(forms.Field):
    """One object named in a text field: whatever the person typed is handed to ``resolve``, which
    answers ``(object, [])`` or ``(None, candidates)``; the field's error names the candidates so the
    person can copy one (the picker offers them as suggestions). ``label_of`` gives the text an object is
    shown as (and taken back from)."""

    default_error_messages = {
        "not_found": "",
        "ambiguous": "",
    }

    def __init__(self, *, resolve, label_of, suggest_url: str = "", not_found: str, ambiguous: str,
                 objects_for=None, max_length: int = 200, **kwargs):
        kwargs.setdefault("widget", LookupInput(suggest_url=suggest_url, attrs={"maxlength": str(max_length)}))
        super().__init__(**kwargs)
        self.resolve, self.label_of, self.objects_for, self.max_length = resolve, label_of, objects_for, max_length
        self.error_messages["not_found"] = not_found
        self.error_messages["ambiguous"] = ambiguous

    def _label(self, value) -> str:
        """``value`` as text: an object, or (in initial data) its primary key."""
        if isinstance(value, int) and self.objects_for is not None:
            found = self.objects_for([value])
            return self.label_of(found[0]) if found else ""
        return self.label_of(value)

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value
        return self._label(value)

    def _resolve_one(self, text: str):
        text = text.replace("\x00", "").strip()[: self.max_length]
        found, candidates = self.resolve(text)
        if found is not None:
            return found
        if candidates:
            raise ValidationError(
                self.error_messages["ambiguous"], code="ambiguous",
                params={"candidates": "; ".join(self.label_of(c) for c in candidates), "value": text[:60]},
            )
        raise ValidationError(self.error_messages["not_found"], code="not_found", params={"value": text[:60]})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and self.objects_for is not None:
            found = self.objects_for([value])
            if not found:
                raise ValidationError(self.error_messages["not_found"], code="not_found", params={"value": value})
            return found[0]
        if not isinstance(value, str):
            return value
        return self._resolve_one(value)


class LookupMultipleField(LookupField):
    """Several objects in one text field, separated by semicolons or line breaks; each is resolved like
    :class:`LookupField` and every entry that does not resolve is reported."""

    def __init__(self, *, max_items: int = 50, **kwargs):
        kwargs.setdefault("max_length", 5000)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)
        self.max_items = max_items

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value
        items = list(value)
        if items and all(isinstance(v, int) for v in items) and self.objects_for is not None:
            items = self.objects_for(items)
        return "; ".join(self.label_of(v) for v in items)

    def to_python(self, value):
        if value in self.empty_values:
            return []
        if not isinstance(value, str):
            items = list(value)
            if all(isinstance(v, int) for v in items) and self.objects_for is not None:
                return self.objects_for(items)
            return items
        parts = [p.strip() for p in value.replace("\x00", "")[: self.max_length].replace("\n", ";").split(";")]
        parts = [p for p in parts if p]
        if len(parts) > self.max_items:
            raise ValidationError(
                _("Please enter at most %(limit)s entries."), code="too_many", params={"limit": self.max_items},
            )
        found, errors = [], []
        for part in parts:
            try:
                obj = self._resolve_one(part)
            except ValidationError as error:
                errors.extend(f"{part[:60]}: {message}" for message in error.messages)
            else:
                if obj not in found:
                    found.append(obj)
        if errors:
            raise ValidationError(errors)
        return found


# The texts of the municipality pickers (the registry's and the guide's build theirs from these).
MUNICIPALITY_PICKER_TEXTS = {
    "not_found": _("No municipality matches “%(value)s”. Please check the spelling or enter the postcode or "
                   "the 8-digit AGS."),
    "ambiguous": _("Several municipalities match. Please choose one of them (you can copy it): %(candidates)s."),
}
MUNICIPALITY_PICKER_HELP = _("Name, postcode or AGS (Amtlicher Gemeindeschlüssel) of any German municipality.")
