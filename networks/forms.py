"""Forms of the registry (crispy forms, Bootstrap 5). They validate input; services write."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from networks import selectors
from networks.models import Actor, ContactPerson, Cooperation, Municipality
from portal.core.forms import (
    MUNICIPALITY_PICKER_HELP,
    MUNICIPALITY_PICKER_TEXTS,
    BoundedModelMultipleChoiceField,
    GermanDateField,
    LookupField,
    LookupInput,
    LookupMultipleField,
)
from portal.core.uploads import validate_document

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SELECT_CHOICES = 100  # more choices than this are typed (a picker), never listed in one <select>


def municipality_field(**kwargs) -> LookupField:
    """A picker for any of the register's ~11,000 municipalities: name, postcode or AGS, with
    suggestions while typing (and without a script, resolved on submit)."""
    return LookupField(
        resolve=lambda text: selectors.municipality_lookup(text=text),
        label_of=lambda m: selectors.municipality_label(municipality=m),
        suggest_url=reverse_lazy("networks:municipality-suggest"),
        **MUNICIPALITY_PICKER_TEXTS,
        **{"help_text": MUNICIPALITY_PICKER_HELP, **kwargs},
    )


class MunicipalityProfileForm(forms.ModelForm):
    """What a municipality's coordinators (and the Redaktion) record beyond the official register:
    whether it has its own Jugendamt, and newer official child figures with their source and date,
    which then take precedence over the approximation from the population."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=True)

    class Meta:
        model = Municipality
        fields = ["has_youth_office", "children_under_18", "children_under_3", "figures_source", "figures_date",
                  "notes", "website"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"figures_date": GermanDateField}
        help_texts = {
            "children_under_18": _("Official figures, e.g. Regionalstatistik table 12411 (population by age). "
                                   "Leave empty to use the approximation from the population."),
            "figures_source": _("E.g. “IT.NRW, Regionalstatistik 12411-02-03-5, 31.12.2023”."),
        }
        error_messages = {
            "website": {"invalid": _("Please enter a complete web address starting with https://.")},
            "children_under_18": {"invalid": _("Please enter a whole number without dots or letters.")},
            "children_under_3": {"invalid": _("Please enter a whole number without dots or letters.")},
            "figures_date": {"invalid": _("Please enter a date, e.g. 31.12.2023.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)
        if self.instance.kind in ("kreis", "kreisfreie_stadt", "region"):
            # Kreise and kreisfreie Städte are Träger der öffentlichen Jugendhilfe by law (§ 69 SGB VIII).
            self.fields["has_youth_office"].disabled = True
        self.helper = _helper(_("Save"))

    def clean(self):
        cleaned = super().clean()
        under_18, under_3 = cleaned.get("children_under_18"), cleaned.get("children_under_3")
        if under_18 is not None and under_3 is not None and under_3 > under_18:
            self.add_error("children_under_3", _("There cannot be more children under 3 than under 18."))
        if (under_18 is not None or under_3 is not None) and not cleaned.get("figures_source"):
            self.add_error("figures_source", _("Please name the source of the child figures."))
        population = self.instance.population
        if population and under_18 is not None and under_18 > population:
            self.add_error("children_under_18", _("There cannot be more children than inhabitants."))
        return cleaned


class VersionedFormMixin:
    """Carries the ``version`` the record had when the form was loaded (optimistic locking)."""

    def add_version_field(self, instance):
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=True)
        if instance is not None and instance.pk:
            self.initial.setdefault("version", instance.version)


def _helper(submit_label) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.add_input(Submit("save", submit_label))
    return helper


class ActorForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Actor
        fields = [
            "name", "actor_type", "traeger_kind", "traeger_name", "street", "postal_code", "city", "phone",
            "email", "website", "offer", "target_groups", "languages", "accessibility", "serves",
        ]
        widgets = {
            "offer": forms.Textarea(attrs={"rows": 4}),
            "target_groups": forms.CheckboxSelectMultiple,
            "serves": forms.CheckboxSelectMultiple,
        }
        field_classes = {"target_groups": BoundedModelMultipleChoiceField, "serves": BoundedModelMultipleChoiceField}
        error_messages = {
            "name": {"required": _("Please enter the name of the organisation.")},
            "actor_type": {"required": _("Please choose the type of partner.")},
            "traeger_kind": {"required": _("Please choose the kind of provider.")},
            "email": {"invalid": _("Please enter a valid e-mail address, e.g. info@example.org.")},
            "website": {"invalid": _("Please enter a complete web address starting with https://.")},
        }

    def __init__(self, *args, municipality: Municipality | None = None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_version_field(self.instance if self.instance.pk else None)
        if not self.instance.pk:
            del self.fields["version"]
        self.fields["serves"].queryset = service_area_choices(
            municipality=municipality, user=user, actor=self.instance if self.instance.pk else None
        )
        if _more_than(self.fields["serves"].queryset, MAX_SELECT_CHOICES):  # an admin, a Kreis of many Gemeinden
            self.fields["serves"] = _municipalities_among(self.fields["serves"].queryset, label=_("municipalities served"))
        self.fields["serves"].required = False
        self.fields["serves"].help_text = _(
            "Municipalities beyond its home that this partner serves, among those you coordinate. For another "
            "municipality, ask on the partner's page: its coordinators confirm it."
        )
        self.helper = _helper(_("Save partner"))

    def clean_postal_code(self):
        value = (self.cleaned_data.get("postal_code") or "").strip()
        if value and (len(value) != 5 or not value.isdigit()):
            raise forms.ValidationError(_("A German postal code has exactly five digits."))
        return value


def _more_than(queryset, limit: int) -> bool:
    """Whether ``queryset`` has more than ``limit`` rows (counted no further)."""
    return selectors.bounded_count(queryset=queryset, limit=limit) > limit


def _municipalities_among(choices, **kwargs) -> LookupMultipleField:
    """Several of ``choices`` named in a text field (for more than a list of checkboxes can show)."""

    def resolve(text):
        found, candidates = selectors.municipality_lookup(text=text)
        if found is not None and not choices.filter(pk=found.pk).exists():
            return None, []
        return found, [c for c in candidates if choices.filter(pk=c.pk).exists()]

    return LookupMultipleField(
        resolve=resolve,
        label_of=lambda m: selectors.municipality_label(municipality=m),
        widget=LookupInput(suggest_url=reverse_lazy("networks:municipality-suggest"),
                           attrs={"maxlength": "5000", "data-suggest-multiple": "1"}),
        not_found=_("“%(value)s” is none of the municipalities you can choose here."),
        ambiguous=MUNICIPALITY_PICKER_TEXTS["ambiguous"],
        **kwargs,
    )


def _partners_among(choices, *, municipality: Municipality | None, **kwargs) -> LookupMultipleField:
    """Several partners of ``choices`` named in a text field, separated by semicolons, with suggestions
    from the municipality's network (for networks larger than a list of checkboxes can show)."""
    url = reverse_lazy("networks:partner-suggest")
    suggest_url = f"{url}?kommune={municipality.slug}" if municipality is not None else url
    return LookupMultipleField(
        resolve=lambda text: selectors.partner_lookup(text=text, among=choices),
        label_of=lambda actor: selectors.partner_label(actor=actor),
        objects_for=lambda ids: selectors.partners_by_ids(ids=ids),
        widget=LookupInput(suggest_url=suggest_url, attrs={"maxlength": "5000", "data-suggest-multiple": "1"}),
        not_found=_("No partner of this network matches “%(value)s”."),
        ambiguous=_("Several partners match. Please choose one of them (you can copy it): %(candidates)s."),
        **kwargs,
    )


def service_area_choices(*, municipality: Municipality | None, user, actor: Actor | None):
    """What the partner form offers under "also serves": the municipalities around the partner's home
    (its Kreis and the Kreis's members) for which ``user`` speaks, and those it already serves."""
    from django.db.models import Q

    from networks.rules import municipalities_confirmable_by

    if municipality is None:
        return Municipality.objects.none()
    kreis_ids = {municipality.pk, municipality.parent_id} - {None}
    around = Q(pk__in=kreis_ids) | Q(parent_id__in=kreis_ids)
    choices = municipalities_confirmable_by(user).filter(around).exclude(pk=municipality.pk)
    if actor is not None:
        choices = choices | Municipality.objects.filter(pk__in=actor.serves.values("pk"))
    return choices.distinct().order_by("name")


class CooperationForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Cooperation
        fields = ["title", "kind", "actors", "since", "meeting_frequency", "description", "link", "document", "is_active"]
        widgets = {
            "actors": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"actors": BoundedModelMultipleChoiceField, "since": GermanDateField}
        error_messages = {
            "title": {"required": _("Please give the cooperation a title.")},
            "kind": {"required": _("Please choose the kind of cooperation.")},
            "actors": {"required": _("Please choose the partners involved (at least two).")},
            "link": {"invalid": _("Please enter a complete web address starting with https://.")},
        }

    def __init__(self, *args, actor_queryset=None, municipality: Municipality | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_version_field(self.instance if self.instance.pk else None)
        if not self.instance.pk:
            del self.fields["version"]
        if actor_queryset is not None:
            self.fields["actors"].queryset = actor_queryset
            if _more_than(actor_queryset, MAX_SELECT_CHOICES):  # a large network: typed, never all listed
                field = self.fields["actors"]
                self.fields["actors"] = _partners_among(
                    actor_queryset, municipality=municipality, label=field.label,
                    error_messages={"required": field.error_messages["required"]},
                    help_text=_("Names of the partners, separated by semicolons; choose each from the suggestions."),
                )
        self.fields["actors"].label_from_instance = lambda a: f"{a.name} ({a.actor_type.name})"
        self.helper = _helper(_("Save cooperation"))

    def clean_document(self):
        document = self.cleaned_data.get("document")
        # Only a newly uploaded file is checked; a stored one (or none) passes unchanged.
        if document and hasattr(document, "content_type"):
            validate_document(document, max_bytes=MAX_UPLOAD_BYTES)
        return document

    def clean_actors(self):
        actors = self.cleaned_data.get("actors")
        if actors is not None and len(actors) < 2:
            raise forms.ValidationError(_("A cooperation needs at least two partners."))
        return actors


class ContactPersonForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = ["name", "function", "phone", "email"]
        error_messages = {
            "name": {"required": _("Please enter the name of the contact person.")},
            "email": {"invalid": _("Please enter a valid e-mail address, e.g. info@example.org.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.add_version_field(self.instance)
        self.helper = _helper(_("Save contact person"))


class ImportUploadForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(),
        error_messages={"required": _("Please choose the municipality the partners belong to.")},
    )
    file = forms.FileField(
        label=_("File (CSV or Excel)"),
        help_text=_("CSV separated by semicolons or commas (UTF-8 or Windows-1252) or an .xlsx workbook."),
        error_messages={"required": _("Please choose a file."), "empty": _("The file is empty.")},
    )

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            if municipalities.count() <= MAX_SELECT_CHOICES:
                self.fields["municipality"].queryset = municipalities
            else:  # admins: any of the register's municipalities, by name, postcode or AGS
                self.fields["municipality"] = municipality_field(
                    label=_("Municipality"),
                    error_messages={"required": _("Please choose the municipality the partners belong to.")},
                )
        self.helper = _helper(_("Check file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB. Please split it into smaller files.")
                % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


# --- Requests for access ------------------------------------------------------------------


class AccessRequestForm(forms.Form):
    """"Zugang beantragen": anyone asks to coordinate a municipality's network. ``contact_hp`` is a
    honeypot: hidden from people, filled in by simple bots (the view then pretends success)."""

    name = forms.CharField(
        label=_("Your name"), max_length=200,
        error_messages={"required": _("Please enter your name.")},
    )
    email = forms.EmailField(
        label=_("Your e-mail address"), max_length=254,
        help_text=_("Preferably your work address. We send the decision there; it also becomes the user name "
                    "of your account."),
        error_messages={
            "required": _("Please enter your e-mail address."),
            "invalid": _("Please enter a valid e-mail address, e.g. name@kommune.de."),
        },
    )
    function = forms.CharField(
        label=_("Your function"), max_length=200,
        help_text=_("E.g. Jugendamtsleitung, Frühe-Hilfen-Koordination."),
        error_messages={"required": _("Please enter your function.")},
    )
    municipality = municipality_field(
        label=_("Municipality"),
        error_messages={"required": _("Please name the municipality whose network you want to coordinate.")},
    )
    justification = forms.CharField(
        label=_("Why do you request access?"), max_length=2000, min_length=20,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": "2000"}),
        help_text=_("In a few sentences: your task in the network, and who gave it to you. At most 2,000 "
                    "characters."),
        error_messages={
            "required": _("Please explain briefly why you request access."),
            "min_length": _("Please explain in a few words (at least 20 characters) why you request access."),
        },
    )
    contact_hp = forms.CharField(
        label=_("Leave this field empty"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    privacy = forms.BooleanField(
        label=_("I have read the privacy note."),
        error_messages={"required": _("Please confirm that you have read the privacy note.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send request"))
        self.helper.layout = Layout(
            "name", "email", "function", "municipality", "justification",
            Div("contact_hp", css_class="d-none", aria_hidden="true"),
            "privacy",
        )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not any(character.isalpha() for character in name):
            raise forms.ValidationError(_("Please enter your name."))
        if "://" in name or "www." in name.lower():
            raise forms.ValidationError(_("Please enter your name, without a web address."))
        return name

    def clean_function(self):
        function = " ".join(self.cleaned_data["function"].split())
        if not any(character.isalpha() for character in function):
            raise forms.ValidationError(_("Please enter your function."))
        return function

    @property
    def is_bot(self) -> bool:
        """True when the honeypot was filled in."""
        return bool(self.cleaned_data.get("contact_hp"))


class AccessRequestDecisionForm(forms.Form):
    """A reviewer approves or declines a request; declining needs a reason (the requester receives it)."""

    APPROVE, DECLINE = "approve", "decline"

    version = forms.IntegerField(widget=forms.HiddenInput, required=True)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": "2000"}),
        help_text=_("Required when declining: the requester receives it by e-mail. When approving, an optional "
                    "note for the requester."),
    )
    action = forms.ChoiceField(
        choices=[(APPROVE, _("Approve")), (DECLINE, _("Decline"))], widget=forms.HiddenInput,
        error_messages={
            "required": _("Please choose whether to approve or decline the request."),
            "invalid_choice": _("Please choose whether to approve or decline the request."),
        },
    )

    def __init__(self, *args, access_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        if access_request is not None:
            self.initial.setdefault("version", access_request.version)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == self.DECLINE and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Please give a reason: the requester receives it by e-mail."))
        return cleaned
