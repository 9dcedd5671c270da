from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class PortalAuthenticationForm(AuthenticationForm):
    """Login form with the portal's wording; throttling is done by django-axes."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The user name or password is not correct. Please note that both are case-sensitive. "
            "After five failed attempts the account is locked for a while."
        ),
    }
