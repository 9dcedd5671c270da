from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class _BoundedUsernameMixin:
    """Django sets the user name's max_length after the field is built, so no length check runs and
    an overlong name reaches authenticate(); django-axes then fails to log it (PostgreSQL: value too
    long) and the login answers with a server error. Check the length before authenticating."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length or 150))


class PortalAuthenticationForm(_BoundedUsernameMixin, AuthenticationForm):
    """Login form with the portal's wording; throttling is done by django-axes."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The user name or password is not correct. Please note that both are case-sensitive. "
            "After five failed attempts the account is locked for a while."
        ),
    }


class PortalAdminAuthenticationForm(_BoundedUsernameMixin, AdminAuthenticationForm):
    """The admin's login form with the same length check."""
