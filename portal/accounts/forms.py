from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
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

    def full_clean(self):
        """After a failed login the error summary gets the focus, not the user name (no autofocus),
        and both fields are marked invalid and point to the error (WCAG 3.3.1, 4.1.2)."""
        super().full_clean()
        if self.is_bound and self._errors:
            for name in ("username", "password"):
                attrs = self.fields[name].widget.attrs
                attrs.pop("autofocus", None)
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = "form-errors"


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Checks the old password through the login throttle (django-axes): wrong old passwords count as
    failed logins of the account, so guessing it here is as limited as at the login."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        from django.contrib.auth import authenticate

        old_password = self.cleaned_data["old_password"]
        user = authenticate(self.request, username=self.user.get_username(), password=old_password)
        if user is None or user.pk != self.user.pk:
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class PortalAdminAuthenticationForm(_BoundedUsernameMixin, AdminAuthenticationForm):
    """The admin's login form with the same length check."""
