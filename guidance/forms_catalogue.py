"""Forms of the catalogue: the example editor and the review form."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.core.validators import URLValidator
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from guidance.models import RoadmapStep
from guidance.models.catalogue import Criterion, Keyword, LegalForm
from guidance.selectors_catalogue import normalise_snapshot
from networks.models import Actor, Municipality, TargetGroup
from portal.fields import BoundedModelMultipleChoiceField
from portal.uploads import validate_document

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ALLOWED_ATTACHMENT_SUFFIXES = (".pdf", ".docx", ".odt", ".xlsx", ".ods", ".png", ".jpg", ".jpeg")


class ExampleForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=250)
    municipality = forms.ModelChoiceField(
        label=_("Responsible municipality"), queryset=Municipality.objects.none(),
        help_text=_("Its coordinators may edit the example."),
    )
    municipalities = BoundedModelMultipleChoiceField(
        label=_("Municipalities involved"), queryset=Municipality.objects.all(), required=False,
        help_text=_(
            "Their profile (Regierungsbezirk, seat, population, area) is taken from the registry. "
            "Hold down Ctrl (Mac: Cmd) to choose several."
        ),
    )
    keywords = BoundedModelMultipleChoiceField(
        label=_("Keywords"), queryset=Keyword.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
    )
    free_tags = forms.CharField(label=_("Free tags"), max_length=300, required=False, help_text=_("Comma-separated."))
    lead_actor = forms.ModelChoiceField(
        label=_("Lead organisation in the registry"), queryset=Actor.objects.none(), required=False,
    )
    lead_name = forms.CharField(
        label=_("Lead organisation (name)"), max_length=250, required=False,
        help_text=_("Required if the lead organisation is not in the registry."),
    )
    participant_actors = BoundedModelMultipleChoiceField(
        label=_("Other participants in the registry"), queryset=Actor.objects.none(), required=False,
        help_text=_("Hold down Ctrl (Mac: Cmd) to choose several."),
    )
    participant_names = forms.CharField(
        label=_("Other participants not in the registry"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    occasion = forms.CharField(label=_("Occasion"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    goal = forms.CharField(label=_("Goal"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    implementation = forms.CharField(
        label=_("Implementation"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
    )
    financing = forms.CharField(label=_("Financing"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=[("", "–"), *LegalForm.choices], required=False)
    since_month = forms.TypedChoiceField(
        label=_("Cooperation since (month)"), choices=[("", "–"), *MONTHS.items()], coerce=int, empty_value=None,
        required=False,
    )
    since_year = forms.IntegerField(label=_("Cooperation since (year)"), min_value=1950, max_value=2100, required=False)
    contact_organisation = forms.CharField(label=_("Contact: organisation"), max_length=250, required=False)
    contact_address = forms.CharField(
        label=_("Contact: address"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact_phone = forms.CharField(label=_("Contact: phone"), max_length=50, required=False)
    contact_email = forms.EmailField(label=_("Contact: general e-mail"), required=False)
    links = forms.CharField(
        label=_("Links"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: the address, optionally followed by a space and a label."),
    )
    steps = BoundedModelMultipleChoiceField(
        label=_("Roadmap steps it illustrates"), queryset=RoadmapStep.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = BoundedModelMultipleChoiceField(
        label=_("Target groups"), queryset=TargetGroup.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    figures_note = forms.CharField(
        label=_("Note on figures"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where sources disagree (e.g. on the area), say so here."),
    )
    attachment_title = forms.CharField(label=_("Title of the attachment"), max_length=250, required=False)
    attachment_file = forms.FileField(
        label=_("Attachment"), required=False,
        help_text=_("PDF, office document or image, at most 5 MB. Public once the change is published."),
    )

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities if municipalities is not None else Municipality.objects.all()
        actors = Actor.objects.filter(is_active=True).select_related("municipality").order_by("name")
        self.fields["lead_actor"].queryset = actors
        self.fields["participant_actors"].queryset = actors
        self.fields["participant_actors"].widget.attrs["size"] = 8
        self.fields["municipalities"].widget.attrs["size"] = 6
        criteria_fields = []
        for value, label in Criterion.choices:
            name = f"criterion_{value}"
            self.fields[name] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("If the example meets this criterion, justify it briefly."),
            )
            criteria_fields.append(name)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "version",
            Fieldset(_("Title and municipalities"), "title", "municipality", "municipalities", "keywords", "free_tags"),
            Fieldset(_("Who takes part"), "lead_actor", "lead_name", "participant_actors", "participant_names"),
            Fieldset(
                _("What was done"), "occasion", "goal", "implementation", "financing", "legal_form", "since_month",
                "since_year",
            ),
            Fieldset(_("Contact and links"), "contact_organisation", "contact_address", "contact_phone",
                     "contact_email", "links", "attachment_title", "attachment_file"),
            Fieldset(_("Classification"), "steps", "target_groups", "figures_note"),
            Fieldset(
                _("Good-practice criteria (optional)"),
                HTML('<p class="small">{}</p>'.format(
                    _("The 12 criteria of the Kooperationsverbund Gesundheitliche Chancengleichheit.")
                )),
                *criteria_fields,
            ),
        )

    @classmethod
    def initial_from_snapshot(cls, data: dict, *, version: int) -> dict:
        from networks.models import Actor

        data = normalise_snapshot(data)
        registry = [p["actor"] for p in data["participants"] if p["actor"]]
        existing = set(Actor.objects.filter(pk__in=registry).values_list("pk", flat=True))
        initial = {
            **{key: data[key] for key in (
                "title", "municipality", "municipalities", "keywords", "free_tags", "lead_actor", "lead_name",
                "occasion", "goal", "implementation", "financing", "legal_form", "since_month", "since_year",
                "contact_organisation", "contact_address", "contact_phone", "contact_email", "steps",
                "target_groups", "figures_note",
            )},
            "version": version,
            "participant_actors": [pk for pk in registry if pk in existing],
            "participant_names": "\n".join(p["name"] for p in data["participants"] if p["actor"] not in existing),
            "links": "\n".join(f"{link['url']} {link['label']}".strip() for link in data["links"]),
        }
        for criterion in data["criteria"]:
            initial[f"criterion_{criterion['criterion']}"] = criterion["justification"]
        return initial

    def clean_links(self):
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

    def clean_attachment_file(self):
        upload = self.cleaned_data.get("attachment_file")
        if not upload:
            return upload
        validate_document(upload, max_bytes=MAX_ATTACHMENT_BYTES, suffixes=ALLOWED_ATTACHMENT_SUFFIXES)
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("lead_actor") and not (cleaned.get("lead_name") or "").strip():
            self.add_error("lead_name", _("Please name the lead organisation or choose it from the registry."))
        if cleaned.get("since_month") and not cleaned.get("since_year"):
            self.add_error("since_year", _("Please enter the year as well."))
        return cleaned

    def snapshot(self) -> dict:
        """The cleaned data as a revision snapshot."""
        cd = self.cleaned_data
        lead = cd.get("lead_actor")
        participants = [{"actor": a.pk, "name": a.name} for a in cd.get("participant_actors") or []]
        participants += [
            {"actor": None, "name": line.strip()} for line in (cd.get("participant_names") or "").splitlines()
            if line.strip()
        ]
        return normalise_snapshot({
            "title": cd["title"],
            "municipality": cd["municipality"].pk,
            "municipalities": [m.pk for m in cd.get("municipalities") or []],
            "keywords": [k.pk for k in cd.get("keywords") or []],
            "free_tags": cd.get("free_tags"),
            "lead_actor": lead.pk if lead else None,
            "lead_name": (cd.get("lead_name") or "").strip() or (lead.name if lead else ""),
            "participants": participants,
            "occasion": cd.get("occasion"),
            "goal": cd.get("goal"),
            "implementation": cd.get("implementation"),
            "financing": cd.get("financing"),
            "legal_form": cd.get("legal_form"),
            "since_month": cd.get("since_month"),
            "since_year": cd.get("since_year"),
            "contact_organisation": cd.get("contact_organisation"),
            "contact_address": cd.get("contact_address"),
            "contact_phone": cd.get("contact_phone"),
            "contact_email": cd.get("contact_email"),
            "links": cd.get("links") or [],
            "steps": [s.pk for s in cd.get("steps") or []],
            "target_groups": [t.pk for t in cd.get("target_groups") or []],
            "figures_note": cd.get("figures_note"),
            "criteria": [
                {"criterion": value, "justification": cd.get(f"criterion_{value}")} for value in Criterion.values
            ],
        })


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("comment")


class ArchiveForm(forms.Form):
    comment = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

