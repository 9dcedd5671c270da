"""Form helpers shared by the apps: a bounded multiple-choice field and how service errors reach a form."""

from django import forms
from django.core.exceptions import ValidationError

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


def apply_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: on its fields where it names them."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
