"""Form fields shared by the apps."""

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
