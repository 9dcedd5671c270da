"""Issue 16, the frame's small things and the layout seen in the HTML: the icon, the German 404 page also in
development, the header's links, German dates in forms, the order of results and filters, charts in labelled
scroll regions and silent roadmap arrows. (The same at 390 px in a browser: tests/browser/test_layout.py.)"""

import datetime
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


# --- the icon ---------------------------------------------------------------------------------------------


def test_every_page_names_the_icon_and_the_browsers_default_request_finds_it(client):
    html = client.get(reverse("home")).content.decode()
    assert re.search(r'<link rel="icon" href="/static/favicon\.svg" type="image/svg\+xml">', html)
    assert finders.find("favicon.svg"), "static/favicon.svg is missing"
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.svg"


# --- the German 404 page with DEBUG on (make run) ------------------------------------------------------------


def _dev_middleware():
    from portal.settings import dev

    return dev.MIDDLEWARE


def test_development_settings_show_the_portals_404_page():
    assert "portal.middleware.DebugNotFoundMiddleware" in _dev_middleware()


@pytest.mark.parametrize("address", ["/gibt-es-nicht/", "/gute-praxis/gibt-es-nicht/", "/register/kommunen/nirgendwo/"])
def test_with_debug_on_an_unknown_address_gets_the_german_404_page(client, address):
    with override_settings(DEBUG=True, MIDDLEWARE=_dev_middleware()):
        response = client.get(address)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Seite nicht gefunden" in html and 'class="skip-link"' in html
    assert "URLconf" not in html and "DEBUG = True" not in html  # not Django's technical page


def test_with_debug_on_a_missing_slash_is_still_redirected(client):
    with override_settings(DEBUG=True, MIDDLEWARE=_dev_middleware()):
        response = client.get("/gute-praxis")
    assert response.status_code == 301 and response["Location"] == "/gute-praxis/"


# --- the header -----------------------------------------------------------------------------------------------


def test_header_offers_to_change_the_password(client, verwaltung_user):
    client.force_login(verwaltung_user)
    html = client.get(reverse("home")).content.decode()
    assert f'<a class="btn btn-link btn-sm" href="{reverse("password_change")}">Passwort ändern</a>' in html


def test_header_menu_is_a_disclosure_that_works_without_javascript(client):
    html = client.get(reverse("home")).content.decode()
    header = html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    menu = re.search(r"<details [^>]*data-site-menu[^>]*>\s*<summary[^>]*>(.*?)</summary>(.*)</details>", header, re.S)
    assert menu, "the menu is not a <details> disclosure"
    assert re.search(r"Menü|Menu", menu.group(1))
    assert 'aria-label="Hauptnavigation"' in menu.group(2) or 'class="main-nav"' in menu.group(2)
    assert 'role="search"' in menu.group(2)


# --- German dates -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("typed", ["14.06.2015", "14.6.2015", "14.06.15", "2015-06-14"])
def test_date_fields_take_german_dates_in_any_interface_language(language, typed):
    from guidance.forms import ResolutionForm

    with translation.override(language):
        form = ResolutionForm(data={"resolution-session_date": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["session_date"] == datetime.date(2015, 6, 14)


@pytest.mark.parametrize("language", ["de", "en"])
def test_date_fields_show_german_dates(language):
    from networks.forms import CooperationForm
    from networks.models import Cooperation

    with translation.override(language):
        form = CooperationForm(instance=Cooperation(since=datetime.date(2016, 5, 1)))
        html = str(form["since"])
    assert 'value="01.05.2016"' in html and 'type="text"' in html


def test_a_wrong_date_is_refused_with_a_german_example(client):
    from guidance.forms import ProgressForm

    form = ProgressForm(data={"status": "open", "started_on": "31.02.2024", "version": 0})
    assert not form.is_valid()
    assert "31.02.2024" not in str(form.cleaned_data.get("started_on", ""))
    assert "14.06.2015" in str(form.errors["started_on"])


def test_a_coordinator_saves_the_figures_date_typed_the_german_way(client, koordination_user):
    from tests.factories.networks import MunicipalityFactory

    town = MunicipalityFactory(kind="stadt")
    town.coordinators.add(koordination_user)
    client.force_login(koordination_user)
    url = reverse("networks:municipality-edit", kwargs={"slug": town.slug})
    form_html = client.get(url).content.decode()
    assert re.search(r"TT\.MM\.JJJJ|DD\.MM\.YYYY", form_html)  # the format is named beside the field
    response = client.post(url, {"version": town.version, "figures_source": "IT.NRW", "figures_date": "31.12.2023",
                                 "notes": "", "website": ""})
    assert response.status_code == 302
    town.refresh_from_db()
    assert town.figures_date == datetime.date(2023, 12, 31)
    assert 'value="31.12.2023"' in client.get(url).content.decode()


# --- results before filters ---------------------------------------------------------------------------------------


def test_catalogue_lists_results_before_the_facets_and_folds_the_facet_groups(client):
    from tests.factories.catalogue import KeywordFactory, make_example

    keyword = KeywordFactory(name="Elternarbeit", slug="elternarbeit")
    make_example(title="Arbeitskreis Familie und Sucht", keywords=[keyword.pk])
    html = client.get(reverse("catalogue:index")).content.decode()
    assert html.index('class="card catalogue-card') < html.index('class="catalogue-facets"')
    assert "order-1" not in html and "order-2" not in html  # no visual reordering against the source
    groups = re.findall(r'<details class="facet-group[^"]*"( open)?>', html)
    assert groups and not any(groups)  # folded while nothing is chosen
    chosen = client.get(reverse("catalogue:index"), {"keyword": "elternarbeit"}).content.decode()
    keyword_group = re.search(r'<details class="facet-group[^"]*"( open)?>\s*<summary[^>]*><h3 id="facet-keyword"',
                              chosen)
    assert keyword_group and keyword_group.group(1) == " open"


def test_registry_folds_its_filters_and_opens_them_when_one_is_chosen(client):
    from tests.factories.networks import ActorFactory

    actor = ActorFactory(name="Suchtberatung Heinsberg")
    html = client.get(reverse("networks:index")).content.decode()
    panel = re.search(r'<details class="registry-filter-panel[^"]*"( open)?[^>]*>\s*<summary', html)
    assert panel and not panel.group(1)
    assert html.index('id="registry-q"') < html.index('class="registry-filter-panel')  # the keyword stays outside
    chosen = client.get(reverse("networks:index"), {"type": actor.actor_type.slug}).content.decode()
    assert re.search(r'<details class="registry-filter-panel[^"]*" open', chosen)


# --- charts and the roadmap -------------------------------------------------------------------------------------


def test_each_chart_scrolls_in_a_labelled_focusable_region_with_its_caption_outside(client):
    html = client.get(reverse("guidance:figures")).content.decode()
    regions = re.findall(
        r'<div class="guidance-chart-scroll" role="region" tabindex="0" aria-label="([^"]+)">\s*<svg(.*?)</svg>\s*</div>',
        html, re.S)
    assert len(regions) == html.count("<svg") == 5
    for label, svg in regions:
        assert re.fullmatch(r"(Grafik|Chart): .+", label)
        assert "<figcaption" not in svg
        assert 'overflow="visible"' in svg
        assert re.search(r'viewBox="-\d+ 0 ', svg)  # room on the left for labels set with more spacing


def test_roadmap_arrows_are_silent(client):
    from tests.factories.guidance import eight_steps

    eight_steps()
    html = client.get(reverse("guidance:roadmap")).content.decode()
    arrows = re.findall(r'<span class="roadmap-sequence__arrow"([^>]*)>(.*?)</span>', html)
    assert len(arrows) == 7  # between eight steps
    assert all(attrs.strip() == 'aria-hidden="true"' and not text for attrs, text in arrows)
    with open(finders.find("css/portal.css"), encoding="utf-8") as css:
        rules = css.read()
    assert 'content: "→" / "";' in rules and 'content: "↓" / "";' in rules  # no alternative text to read aloud
    assert "roadmap-sequence__step:not(:last-child)::after" not in rules


def test_step_pager_arrows_are_silent(client):
    from tests.factories.guidance import eight_steps

    steps = eight_steps()
    html = client.get(reverse("guidance:step", kwargs={"slug": steps[3].slug})).content.decode()
    pager = html.split('class="guidance-pager', 1)[1].split("</nav>", 1)[0]
    assert pager.count('<span aria-hidden="true">') == 2
    assert "← " not in re.sub(r'<span aria-hidden="true">[^<]*</span>', "", pager)
    assert " →" not in re.sub(r'<span aria-hidden="true">[^<]*</span>', "", pager)
