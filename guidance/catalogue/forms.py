"""Forms of the catalogue: the example editor (built from ``guidance.catalogue.content``) and the
review and archive forms."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.core.validators import URLValidator
from django.forms.models import fields_for_model
from django.urls import reverse_lazy
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from guidance import selectors as roadmap
from guidance.catalogue import content
from guidance.catalogue.content import Kind
from guidance.catalogue.models import Criterion, Example, Keyword, LegalForm
from guidance.forms import municipalities_field, municipality_field
from networks import selectors as registry
from portal.core.forms import BoundedModelMultipleChoiceField, LookupField, LookupInput, LookupMultipleField
from portal.core.uploads import validate_document

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ALLOWED_ATTACHMENT_SUFFIXES = (".pdf", ".docx", ".odt", ".xlsx", ".ods", ".png", ".jpg", ".jpeg")

# How the editor shows the parts of the content that the model field alone does not say.
WIDGETS = {
    "occasion": forms.Textarea(attrs={"rows": 4}),
    "goal": forms.Textarea(attrs={"rows": 4}),
    "implementation": forms.Textarea(attrs={"rows": 6}),
    "financing": forms.Textarea(attrs={"rows": 2}),
    "contact_address": forms.Textarea(attrs={"rows": 3}),
    "figures_note": forms.Textarea(attrs={"rows": 2}),
}
MAX_SELECT_CHOICES = 100

HELP_TEXTS = {
    "municipality": _("Its coordinators may edit the example."),
    "municipalities": _(
        "Their profile (Regierungsbezirk, seat, population, area) is taken from the registry. "
        "Names, postcodes or AGS, separated by semicolons."
    ),
    "lead_name": _("Required if the lead organisation is not in the registry."),
}


PARTNER_PICKER_TEXTS = {
    "not_found": _("No active partner in the registry matches “%(value)s”. Please check the spelling, or name "
                   "it among the participants not in the registry."),
    "ambiguous": _("Several partners match. Please choose one of them (you can copy it): %(candidates)s."),
}


def _partner_lookup(field_class: type[LookupField], **kwargs: Any) -> Any:
    """A picker of the registry's active partners by name, with suggestions while typing (the registry
    holds about 250,000 partners nationally: never a ``<select>`` of them)."""
    return field_class(
        resolve=lambda text: registry.partner_lookup(text=text),
        label_of=lambda actor: registry.partner_label(actor=actor),
        objects_for=lambda ids: registry.partners_by_ids(ids=ids),
        suggest_url=reverse_lazy("networks:partner-suggest"),
        **PARTNER_PICKER_TEXTS,
        **kwargs,
    )


def _criterion_field(value: str) -> str:
    return f"criterion_{value}"


def _form_fields(field: content.ContentField) -> list[str]:
    """The editor's fields for one part of the content."""
    if field.kind is Kind.PARTICIPANTS:
        return ["participant_actors", "participant_names"]
    if field.kind is Kind.CRITERIA:
        return [_criterion_field(value) for value in Criterion.values]
    if field.kind is Kind.LINKS:
        return [field.name, "attachment_title", "attachment_file"]  # files travel with the links
    return [field.name]


def _layout() -> Layout:
    """Fieldsets in the declaration's sections and order."""
    fieldsets = []
    for section in content.Section:
        names = [name for field in content.FIELDS if field.section is section for name in _form_fields(field)]
        parts: list[Any] = list(names)
        if section is content.Section.CRITERIA:
            parts.insert(0, HTML('<p class="small">{}</p>'.format(
                _("The 12 criteria of the Kooperationsverbund Gesundheitliche Chancengleichheit.")
            )))
        fieldsets.append(Fieldset(content.SECTION_LABELS[section], *parts))
    return Layout("version", *fieldsets)


class ExampleForm(forms.Form):
    """The editor of an example's content. Its fields derive from the content declaration: the text
    and number parts from the model's fields, the references as choices of their vocabularies, and
    participants, links and criteria in the shape people type them."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, municipalities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_fields = fields_for_model(Example, fields=list(content.COLUMNS), widgets=WIDGETS)
        vocabularies = {
            "keywords": (Keyword.objects.all(), forms.CheckboxSelectMultiple),
            "steps": (roadmap.roadmap_steps_plain(), forms.CheckboxSelectMultiple),
            "target_groups": (registry.target_groups(), forms.CheckboxSelectMultiple),
        }
        for field in content.FIELDS:
            name = field.name
            if field.kind in (Kind.TEXT, Kind.NUMBER):
                self.fields[name] = model_fields[name]
            elif name == "municipality":
                if municipalities is not None and municipalities.count() <= MAX_SELECT_CHOICES:
                    # a coordinator's own few municipalities
                    self.fields[name] = forms.ModelChoiceField(queryset=municipalities)
                else:  # the editorial team: any of the register's municipalities, by name, postcode or AGS
                    self.fields[name] = municipality_field()
            elif name == "municipalities":
                self.fields[name] = municipalities_field(required=False)
            elif name == "lead_actor":
                self.fields[name] = _partner_lookup(
                    LookupField, required=False,
                    help_text=_("Type part of the name and choose the partner from the suggestions."),
                )
            elif field.kind is Kind.REFERENCES:
                queryset, widget = vocabularies[name]
                self.fields[name] = BoundedModelMultipleChoiceField(queryset=queryset, required=False, widget=widget)
            elif field.kind is Kind.PARTICIPANTS:
                self.fields["participant_actors"] = _partner_lookup(
                    LookupMultipleField, label=_("Other participants in the registry"), required=False,
                    widget=LookupInput(suggest_url=reverse_lazy("networks:partner-suggest"),
                                       attrs={"maxlength": "5000", "data-suggest-multiple": "1"}),
                    help_text=_("Names of partners in the registry, separated by semicolons; choose each from "
                                "the suggestions."),
                )
                self.fields["participant_names"] = forms.CharField(
                    label=_("Other participants not in the registry"), required=False,
                    widget=forms.Textarea(attrs={"rows": 3}), help_text=_("One per line."),
                )
                continue
            elif field.kind is Kind.LINKS:
                self.fields[name] = forms.CharField(
                    required=False, widget=forms.Textarea(attrs={"rows": 3}),
                    help_text=_("One per line: the address, optionally followed by a space and a label."),
                )
            elif field.kind is Kind.CRITERIA:
                for value, criterion_label in Criterion.choices:
                    self.fields[_criterion_field(value)] = forms.CharField(
                        label=criterion_label, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                        help_text=_("If the example meets this criterion, justify it briefly."),
                    )
                continue
            self.fields[name].label = field.verbose_label
            if name in HELP_TEXTS:
                self.fields[name].help_text = HELP_TEXTS[name]
        self.fields["title"].required = True
        self.fields["since_month"] = forms.TypedChoiceField(
            label=content.label("since_month"), choices=[("", "–"), *MONTHS.items()], coerce=int,
            empty_value=None, required=False,
        )
        self.fields["since_year"] = forms.IntegerField(
            label=content.label("since_year"), min_value=1950, max_value=2100, required=False,
        )
        self.fields["legal_form"].choices = [("", "–"), *LegalForm.choices]
        self.fields["attachment_title"] = forms.CharField(
            label=_("Title of the attachment"), max_length=250, required=False,
        )
        self.fields["attachment_file"] = forms.FileField(
            label=_("Attachment"), required=False,
            help_text=_("PDF, office document or image, at most 5 MB. Public once the change is published."),
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = _layout()

    @classmethod
    def initial_from_snapshot(cls, data: dict[str, Any], *, version: int) -> dict[str, Any]:
        data = content.normalise(data)
        registry_ids = [p["actor"] for p in data["participants"] if p["actor"]]
        existing = set(registry.actor_names(ids=registry_ids)) if registry_ids else set()
        initial: dict[str, Any] = {"version": version}
        for field in content.FIELDS:
            if field.kind in (Kind.TEXT, Kind.NUMBER, Kind.REFERENCE, Kind.REFERENCES):
                initial[field.name] = data[field.name]
        initial["participant_actors"] = [pk for pk in registry_ids if pk in existing]
        initial["participant_names"] = "\n".join(p["name"] for p in data["participants"] if p["actor"] not in existing)
        initial["links"] = "\n".join(f"{link['url']} {link['label']}".strip() for link in data["links"])
        for criterion in data["criteria"]:
            initial[_criterion_field(criterion["criterion"])] = criterion["justification"]
        return initial

    def clean_links(self) -> list[dict[str, str]]:
        validate = URLValidator(schemes=["http", "https"])
        links = []
        for number, line in enumerate(self.cleaned_data["links"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            url, _sep, label = line.partition(" ")
            try:
                validate(url)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("Line %(number)s is not a web address starting with http:// or https://."),
                    params={"number": number},
                ) from None
            links.append({"url": url, "label": label.strip()})
        return links

    def clean_attachment_file(self) -> Any:
        upload = self.cleaned_data.get("attachment_file")
        if not upload:
            return upload
        validate_document(upload, max_bytes=MAX_ATTACHMENT_BYTES, suffixes=ALLOWED_ATTACHMENT_SUFFIXES)
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("lead_actor") and not (cleaned.get("lead_name") or "").strip():
            self.add_error("lead_name", _("Please name the lead organisation or choose it from the registry."))
        if cleaned.get("since_month") and not cleaned.get("since_year"):
            self.add_error("since_year", _("Please enter the year as well."))
        return cleaned

    def snapshot(self) -> dict[str, Any]:
        """The cleaned data as a revision snapshot."""
        cd = self.cleaned_data
        data: dict[str, Any] = {}
        for field in content.FIELDS:
            value = cd.get(field.name)
            if field.kind is Kind.REFERENCE:
                data[field.name] = value.pk if value is not None else None
            elif field.kind is Kind.REFERENCES:
                data[field.name] = [obj.pk for obj in value or []]
            elif field.kind in (Kind.TEXT, Kind.NUMBER, Kind.LINKS):
                data[field.name] = value
        lead = cd.get("lead_actor")
        data["lead_name"] = (cd.get("lead_name") or "").strip() or (lead.name if lead else "")
        data["participants"] = [{"actor": a.pk, "name": a.name} for a in cd.get("participant_actors") or []] + [
            {"actor": None, "name": line.strip()}
            for line in (cd.get("participant_names") or "").splitlines() if line.strip()
        ]
        data["criteria"] = [
            {"criterion": value, "justification": cd.get(_criterion_field(value))} for value in Criterion.values
        ]
        return content.normalise(data)


class ReviewForm(forms.Form):
    ACTIONS = (
        ("start_review", _("Start review")),
        ("request_changes", _("Ask for changes")),
        ("publish", _("Publish")),
        ("reject", _("Reject")),
    )
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you ask for changes or reject; the authors see it in the history."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("comment")


class ArchiveForm(forms.Form):
    comment = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
