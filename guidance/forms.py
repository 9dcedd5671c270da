"""Forms of the guidance app: content editing, progress, the estimator and the cost calculator."""

from crispy_forms.helper import FormHelper
from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from guidance import tools
from guidance.models import Area, ResolutionResult, StepStatus
from networks import selectors as registry
from portal.core.forms import (
    MUNICIPALITY_PICKER_HELP,
    MUNICIPALITY_PICKER_TEXTS,
    GermanDateField,
    LookupField,
    LookupMultipleField,
)

NUMBER_MESSAGES = {
    "invalid": _("Please enter a whole number without dots or letters, e.g. 12500."),
    "min_value": _("The number cannot be negative."),
    "max_value": _("This number is implausibly large (at most %(limit_value)s)."),
}


def _municipality_lookup(field_class: type[LookupField], **kwargs) -> LookupField:
    return field_class(
        resolve=lambda text: registry.municipality_lookup(text=text),
        label_of=lambda m: registry.municipality_label(municipality=m),
        objects_for=lambda pks: list(registry.municipalities(ids=pks)),
        suggest_url=reverse_lazy("networks:municipality-suggest"),
        **MUNICIPALITY_PICKER_TEXTS,
        **kwargs,
    )


def municipalities_field(**kwargs) -> LookupField:
    """Several of the register's municipalities, separated by semicolons."""
    kwargs.setdefault("help_text", _("Names, postcodes or AGS of German municipalities, separated by semicolons."))
    return _municipality_lookup(LookupMultipleField, **kwargs)


def municipality_field(**kwargs) -> LookupField:
    """A picker for any of the register's municipalities: name, postcode, AGS, with suggestions."""
    kwargs.setdefault("help_text", MUNICIPALITY_PICKER_HELP)
    return _municipality_lookup(LookupField, **kwargs)


class _CrispyForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class VersionedForm(_CrispyForm):
    """Carries the version the form was loaded with (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class StepContentForm(VersionedForm):
    title = forms.CharField(label=_("title"), max_length=200)
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    why = forms.CharField(
        label=_("why it matters (Markdown)"), widget=forms.Textarea(attrs={"rows": 10}), required=False
    )
    involve = forms.CharField(
        label=_("who to involve (Markdown)"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    sources = forms.CharField(label=_("sources (Markdown)"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class PageContentForm(VersionedForm):
    title = forms.CharField(label=_("title"), max_length=200)
    area = forms.ChoiceField(label=_("area"), choices=Area.choices)
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    body = forms.CharField(label=_("text (Markdown)"), widget=forms.Textarea(attrs={"rows": 16}), required=False)
    sources = forms.CharField(label=_("sources (Markdown)"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


DATE_MESSAGES = {"invalid": _("Please enter a valid date, e.g. 14.06.2015.")}


class ProgressForm(VersionedForm):
    status = forms.ChoiceField(label=_("status"), choices=StepStatus.choices, widget=forms.RadioSelect)
    started_on = GermanDateField(label=_("started on"), required=False, error_messages=DATE_MESSAGES)
    completed_on = GermanDateField(label=_("completed on"), required=False, error_messages=DATE_MESSAGES)
    responsible = forms.CharField(label=_("responsible person or office"), max_length=200, required=False)
    done_tasks = forms.TypedMultipleChoiceField(
        label=_("tasks done"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    evidence = forms.CharField(
        label=_("evidence"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("What documents the result, e.g. minutes, a concept, an agreement."),
    )
    evidence_link = forms.URLField(
        label=_("link to the evidence"), required=False, max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Please enter a complete web address starting with https://.")},
    )

    def __init__(self, *args, tasks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done_tasks"].choices = [(task.id, task.title) for task in tasks]


class ResolutionForm(_CrispyForm):
    prefix = "resolution"

    committee = forms.CharField(
        label=_("committee or council"), max_length=200, required=False,
        help_text=_("e.g. Jugendhilfeausschuss, Kreistag, Rat der Stadt"),
    )
    session_date = GermanDateField(label=_("date of the session"), required=False, error_messages=DATE_MESSAGES)
    reference = forms.RegexField(
        label=_("Drucksache / Vorlage number"), max_length=60, required=False, regex=r"^[\w./\- ]+$",
        help_text=_("e.g. 0257/2015"),
        error_messages={"invalid": _("Please use only letters, digits, spaces and . / - in the number.")},
    )
    result = forms.ChoiceField(
        label=_("result"), required=False, choices=[("", _("not recorded"))] + list(ResolutionResult.choices)
    )
    link = forms.URLField(
        label=_("link to the council information system"), max_length=500, required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Please enter a complete web address starting with https://.")},
    )


class EstimatorForm(_CrispyForm):
    municipality = municipality_field(label=_("Municipality"), required=False)
    children_under_18 = forms.IntegerField(
        label=_("Children under 18"), required=False, min_value=0, max_value=tools.MAX_CHILDREN,
        error_messages=NUMBER_MESSAGES,
        help_text=_("Official statistics, e.g. Regionalstatistik table 12411 (population by age)."),
    )
    children_under_3 = forms.IntegerField(
        label=_("Children under 3"), required=False, min_value=0, max_value=tools.MAX_CHILDREN,
        error_messages=NUMBER_MESSAGES,
    )

    def clean(self):
        cleaned = super().clean()
        municipality = cleaned.get("municipality")
        under_18 = cleaned.get("children_under_18")
        under_3 = cleaned.get("children_under_3")
        self.figures = None
        if municipality is not None and (under_18 is None or under_3 is None):
            # Numbers entered by hand win; the others are the municipality's recorded figures or the
            # approximation from its official population.
            self.figures = tools.child_figures(municipality)
            if under_18 is None:
                cleaned["children_under_18"] = self.figures.under_18
            if under_3 is None:
                cleaned["children_under_3"] = self.figures.under_3
        if not self.errors and cleaned.get("children_under_18") is None and cleaned.get("children_under_3") is None:
            raise forms.ValidationError(
                _("Please choose a municipality or enter the number of children.")
            )
        if (
            cleaned.get("children_under_18") is not None
            and cleaned.get("children_under_3") is not None
            and cleaned["children_under_3"] > cleaned["children_under_18"]
        ):
            self.add_error("children_under_3", _("There cannot be more children under 3 than under 18."))
        return cleaned


class CostForm(_CrispyForm):
    families = forms.IntegerField(
        label=_("Number of families supported by Frühe Hilfen"), min_value=1, max_value=tools.MAX_FAMILIES,
        error_messages={**NUMBER_MESSAGES, "min_value": _("Please enter at least one family.")},
    )


class ResolutionChoiceForm(_CrispyForm):
    municipality = municipality_field(
        label=_("Municipality"), error_messages={"required": _("Please enter a municipality.")},
    )


# --- The council's record (OParl) ---------------------------------------------------------------------
OPARL_URL_MESSAGES = {"invalid": _("Please enter a complete web address starting with https://.")}


class CouncilSystemForm(_CrispyForm):
    entry_url = forms.URLField(
        label=_("OParl entry address of the council information system"), max_length=500, required=False,
        assume_scheme="https", error_messages=OPARL_URL_MESSAGES,
        help_text=_("The address of the OParl interface (the “System”), e.g. https://ris.example.de/oparl/v1/system. "
                    "The operator of the council information system or the council office knows it. Leave it "
                    "empty to remove the system."),
    )


class PaperLinkForm(_CrispyForm):
    paper_url = forms.URLField(
        label=_("OParl address of the paper"), max_length=500, assume_scheme="https",
        error_messages={**OPARL_URL_MESSAGES, "required": _("Please enter the OParl address of the paper.")},
        help_text=_("The address of the paper (Vorlage, Drucksache) in the OParl interface, e.g. "
                    "https://ris.example.de/oparl/v1/paper/749."),
    )


class PaperSearchForm(_CrispyForm):
    q = forms.CharField(
        label=_("Words in the title or the Drucksache number"), max_length=200, required=False,
        help_text=_("e.g. Frühe Hilfen, Netzwerk, 0257/2015"),
    )
    von = GermanDateField(label=_("dated from"), required=False, error_messages=DATE_MESSAGES)
    bis = GermanDateField(label=_("dated until"), required=False, error_messages=DATE_MESSAGES)

    def clean_q(self):
        return self.cleaned_data["q"].replace("\x00", "").strip()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("von"), cleaned.get("bis")
        if start and end and start > end:
            self.add_error("bis", _("The end of the period cannot lie before its start."))
        if not self.errors and not (cleaned.get("q") or start or end):
            raise forms.ValidationError(_("Please enter words to search for or a period."))
        return cleaned
