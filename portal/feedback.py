"""Reporting a barrier ("Barriere melden"): the feedback mechanism that BITV 2.0 § 7 asks of every
accessibility statement. Anyone may write; the message goes by e-mail to ``ACCESSIBILITY_FEEDBACK_EMAIL``,
else to the operator's address, else to every active member of the Redaktion and every admin, so that
it reaches a person from the first start on. Nothing is stored. Limited per client address like the
request for access (``portal.core.throttle``); a honeypot field catches simple bots.
"""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.core import roles
from portal.core.text import strip_control_characters

THROTTLE_SCOPE = "accessibility-feedback"


class BarrierReportForm(forms.Form):
    """What someone found: where, what, and (if they want an answer) how to reach them."""

    page = forms.CharField(
        label=_("Where did you find the barrier?"), max_length=500, required=False,
        help_text=_("The address (URL) or the name of the page, if you know it."),
    )
    description = forms.CharField(
        label=_("What is the barrier?"), max_length=5000, min_length=10,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": "5000"}),
        help_text=_("Describe what did not work, and with which aid (for example a screen reader or "
                    "enlargement) if you used one. At most 5,000 characters."),
        error_messages={
            "required": _("Please describe the barrier."),
            "min_length": _("Please describe the barrier in a few words (at least 10 characters)."),
        },
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("Your e-mail address (optional)"), max_length=254, required=False,
        help_text=_("Only if you would like an answer."),
        error_messages={"invalid": _("Please enter a valid e-mail address, e.g. name@kommune.de.")},
    )
    contact_hp = forms.CharField(
        label=_("Leave this field empty"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("send", _("Send report")))
        self.helper.layout = Layout(
            "page", "description", "name", "email", Div("contact_hp", css_class="d-none", aria_hidden="true"),
        )

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("contact_hp"))

    def clean_description(self) -> str:
        return strip_control_characters(self.cleaned_data["description"]).strip()

    def clean_page(self) -> str:
        return " ".join(strip_control_characters(self.cleaned_data["page"]).split())

    def clean_name(self) -> str:
        return " ".join(strip_control_characters(self.cleaned_data["name"]).split())


def feedback_recipients() -> list[str]:
    """Who reads barrier reports: the configured address, else the operator, else the Redaktion and admins."""
    if settings.ACCESSIBILITY_FEEDBACK_EMAIL:
        return [settings.ACCESSIBILITY_FEEDBACK_EMAIL]
    if settings.PORTAL_OPERATOR.get("email"):
        return [settings.PORTAL_OPERATOR["email"]]
    return roles.editorial_emails(with_admins=True)


def barrier_report_send(*, page: str, description: str, name: str, email: str, site_url: str) -> int:
    """E-mail the report to :func:`feedback_recipients` (in German); the reporter's address, if given,
    is the reply-to. Returns how many recipients it was sent to."""
    recipients = feedback_recipients()
    if not recipients:
        return 0
    context = {"page": page, "description": description, "name": name, "email": email, "site_url": site_url}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("emails/barrier_report_subject.txt", context).split())
        body = render_to_string("emails/barrier_report.txt", context)
    reply_to = [email] if email else None
    get_connection().send_messages([EmailMessage(subject, body, to=[to], reply_to=reply_to) for to in recipients])
    return len(recipients)
