"""Forms of the registry (crispy forms, Bootstrap 5). They validate input; services write."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from networks.models import Actor, ContactPerson, Cooperation, Municipality
from portal.core.forms import BoundedModelMultipleChoiceField
from portal.core.uploads import validate_document

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


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
            "since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"actors": BoundedModelMultipleChoiceField}
        error_messages = {
            "title": {"required": _("Please give the cooperation a title.")},
            "kind": {"required": _("Please choose the kind of cooperation.")},
            "actors": {"required": _("Please choose the partners involved (at least two).")},
            "link": {"invalid": _("Please enter a complete web address starting with https://.")},
        }

    def __init__(self, *args, actor_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_version_field(self.instance if self.instance.pk else None)
        if not self.instance.pk:
            del self.fields["version"]
        if actor_queryset is not None:
            self.fields["actors"].queryset = actor_queryset
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
            self.fields["municipality"].queryset = municipalities
        self.helper = _helper(_("Check file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB. Please split it into smaller files.")
                % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload
