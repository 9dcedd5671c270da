import pytest
from django.core.exceptions import ValidationError

from networks.validators import validate_ags
from tests.factories.networks import MunicipalityFactory


@pytest.mark.parametrize("value", ["05370000", "05334012", "16077000", "01001000"])
def test_valid_ags(value):
    validate_ags(value)


@pytest.mark.parametrize(
    "value, code",
    [("5370000", "ags_format"), ("053700000", "ags_format"), ("0537000a", "ags_format"), ("", "ags_format"),
     ("05 37000", "ags_format"), ("00370000", "ags_state"), ("17370000", "ags_state"), ("99000000", "ags_state")],
)
def test_invalid_ags_is_refused_with_a_german_message(value, code):
    with pytest.raises(ValidationError) as exc:
        validate_ags(value)
    assert exc.value.code == code


def test_ags_is_unique(db):
    MunicipalityFactory(ags="05370000", slug="a")
    duplicate = MunicipalityFactory.build(ags="05370000", slug="b", name="B")
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert "ags" in exc.value.message_dict
