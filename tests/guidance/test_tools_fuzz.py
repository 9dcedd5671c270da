"""Whatever people type into the tools, they get a page with a message, never a server error."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

ANY_INPUT = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(under_18=ANY_INPUT, under_3=ANY_INPUT, municipality=st.text(max_size=20))
def test_estimator_never_fails(client, under_18, under_3, municipality):
    response = client.get(reverse("guidance:estimator"), {
        "children_under_18": under_18, "children_under_3": under_3, "municipality": municipality,
    })
    assert response.status_code == 200


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(families=ANY_INPUT)
def test_cost_calculator_never_fails(client, families):
    assert client.get(reverse("guidance:costs"), {"families": families}).status_code == 200
