"""Random query parameters never break the public registry pages."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PARAM = st.text(max_size=40)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=PARAM, type_=PARAM, sector=PARAM, land=PARAM, target=PARAM, page=PARAM)
def test_registry_list_survives_any_parameters(client, demo, q, type_, sector, land, target, page):
    params = {"q": q, "type": type_, "sector": sector, "land": land, "target": target, "page": page}
    params = {k: v.replace("\x00", "") for k, v in params.items()}
    assert client.get("/register/", params).status_code == 200
    assert client.get("/register/kommunen/", {"q": params["q"], "land": params["land"], "page": params["page"]}).status_code == 200
