"""No page lists a whole table in a <select> or in checkboxes: with more than 100 municipalities, members
of a Kreis and partners of one network, the main pages and forms offer at most 100 options in any
<select> (and at most 100 checkboxes in a group); larger choices are typed, with suggestions."""

import re

import pytest
from django.urls import reverse

from networks import selectors
from networks.models import Cooperation
from tests.factories.networks import ActorFactory, ActorTypeFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db
MAX_OPTIONS = 100
MANY = MAX_OPTIONS + 15
_SELECT = re.compile(r"<select\b.*?</select>", re.S)
_CHECKBOX_NAME = re.compile(r'<input[^>]*type="checkbox"[^>]*name="([^"]+)"')


def largest_choice(html: str) -> int:
    selects = [block.count("<option") for block in _SELECT.findall(html)]
    names = _CHECKBOX_NAME.findall(html)
    checkboxes = [names.count(name) for name in set(names)]
    return max(selects + checkboxes + [0])


@pytest.fixture
def large_kreis():
    kreis = MunicipalityFactory(kind="kreis", name="Großkreis", slug="grosskreis")
    for _ in range(MANY):
        MunicipalityFactory(parent=kreis)
    kind = ActorTypeFactory()
    partners = [ActorFactory(municipality=kreis, actor_type=kind) for _ in range(MANY)]
    return kreis, partners


def test_main_pages_and_forms_list_no_whole_table(client, admin_user, large_kreis):
    kreis, partners = large_kreis
    client.force_login(admin_user)
    urls = [
        "/", "/register/", "/register/partner/", "/register/partner/?q=Beratung", "/register/kommunen/",
        kreis.get_absolute_url(), reverse("networks:actor-detail", args=[partners[0].pk]),
        reverse("networks:actor-edit", args=[partners[0].pk]), reverse("networks:actor-create", args=[kreis.slug]),
        reverse("networks:cooperation-create", args=[kreis.slug]), reverse("networks:import"),
        "/gute-praxis/", reverse("catalogue:create"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert largest_choice(response.content.decode()) <= MAX_OPTIONS, url


def test_a_large_network_names_the_partners_of_a_cooperation(client, admin_user, large_kreis):
    kreis, partners = large_kreis
    client.force_login(admin_user)
    url = reverse("networks:cooperation-create", args=[kreis.slug])
    html = client.get(url).content.decode()
    assert f'data-suggest-url="{reverse("networks:partner-suggest")}?kommune={kreis.slug}"' in html
    labels = "; ".join(selectors.partner_label(actor=a) for a in partners[:3])
    response = client.post(url, {"title": "Arbeitskreis Groß", "kind": "working_group", "actors": labels,
                                 "is_active": "on"})
    assert response.status_code == 302
    assert set(Cooperation.objects.get(title="Arbeitskreis Groß").actors.all()) == set(partners[:3])
    # A partner of another network is refused.
    stranger = ActorFactory()
    response = client.post(url, {"title": "Fremd", "kind": "working_group", "is_active": "on",
                                 "actors": f"{labels}; {selectors.partner_label(actor=stranger)}"})
    assert response.status_code == 200 and not Cooperation.objects.filter(title="Fremd").exists()
