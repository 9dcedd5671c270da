"""The permission matrix: every URL pattern of the project, for every role, GET and POST.

The expectation table below must name every route the URL configuration has (outside the admin):
a new view without an entry makes ``test_every_route_has_an_expectation`` fail. Each cell is
requested with the Django test client inside a savepoint that is rolled back, so POSTs that change
something (submit, verify, deactivate ...) do not affect the next cell.

Roles (columns of the table, in this order):
anonymous, verwaltung, koordination on its own municipality (Kreis Heinsberg), the same
coordinator on another municipality's objects (Stadt Eschweiler), redaktion, admin.

Outcomes: ``200``, ``L`` (302 to the login page), ``R`` (302 elsewhere), ``403``, ``404``, ``405``.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.security.conftest import add_figure
from tests.security.urlwalk import admin_routes, project_routes

ROLES = ("anonymous", "verwaltung", "koordination_own", "koordination_other", "redaktion", "admin")
ROLE_USER = {
    "anonymous": None, "verwaltung": "verwaltung", "koordination_own": "koordination",
    "koordination_other": "koordination", "redaktion": "redaktion", "admin": "admin",
}

ALL_200 = "200 200 200 200 200 200"
ALL_405 = "405 405 405 405 405 405"
LOGIN_THEN_405 = "L 405 405 405 405 405"
STAFF_200 = "L 200 200 200 200 200"
COORD_EDIT = "L 403 200 403 403 200"  # only the municipality's coordinator and admins
COORD_ACTION = "L 403 R 403 403 R"
CURATORS = "L 403 403 403 200 200"
DRAFT_VIEW = "404 404 200 404 200 200"


@dataclass(frozen=True)
class Case:
    get: str
    post: str
    args: Callable = staticmethod(lambda side: {})  # side (own/other records) -> URL kwargs
    variant: str = ""


def hsds_id(kind, actor):
    """The HSDS API's id of the record ``kind`` for the partner ``actor``."""
    from networks import hsds, selectors

    return {
        "service": lambda: hsds.service_id(actor),
        # A partner with a place (an address or its municipality's coordinates), whichever side asks.
        "service_at_location": lambda: hsds.service_at_location_id(
            selectors.hsds_filter(queryset=selectors.hsds_actors(), with_location=True).first()),
        "taxonomy": lambda: hsds.PARTNER_TYPES.id,
        "term": lambda: hsds.actor_type_term(actor.actor_type).id,
    }[kind]()


def muni(side):
    return {"slug": side.municipality.slug}


def ex(attr):
    return lambda side: {"slug": getattr(side, attr).slug}


MATRIX: dict[str, list[Case]] = {
    # --- portal frame
    "": [Case(ALL_200, ALL_405)],
    "suche/": [Case(ALL_200, ALL_405)],
    "healthz": [Case(ALL_200, ALL_405)],  # plain "ok" for load balancers
    "favicon.ico": [Case("R R R R R R", ALL_405)],  # to /static/favicon.svg
    "impressum/": [Case(ALL_200, ALL_405)],
    "datenschutz/": [Case(ALL_200, ALL_405)],
    "barrierefreiheit/": [Case(ALL_200, ALL_405)],
    "barrierefreiheit/barriere-melden/": [Case(ALL_200, ALL_200)],  # a POST without input: the form again
    "barrierefreiheit/barriere-melden/danke/": [Case(ALL_200, ALL_405)],
    "i18n/setlang/": [Case("R R R R R R", "R R R R R R")],
    "accounts/login/": [Case("200 R R R R R", "200 R R R R R")],
    "accounts/logout/": [Case(ALL_405, "R R R R R R")],
    "accounts/password_change/": [Case(STAFF_200, STAFF_200)],
    "accounts/meine-daten/": [Case(STAFF_200, LOGIN_THEN_405)],
    "accounts/meine-daten/export.json": [Case(STAFF_200, LOGIN_THEN_405)],
    "accounts/password_change/done/": [Case(STAFF_200, LOGIN_THEN_405)],
    "accounts/password_reset/": [Case(ALL_200, ALL_200)],
    "accounts/password_reset/done/": [Case(ALL_200, ALL_405)],
    "accounts/reset/<uidb64>/<token>/": [
        Case(ALL_200, ALL_200, lambda side: {"uidb64": "MQ", "token": "abc-0123456789abcdef"})
    ],
    "accounts/reset/done/": [Case(ALL_200, ALL_405)],
    # --- guidance: roadmap, pages, tools, progress
    "leitfaden/": [Case(ALL_200, ALL_405)],
    "leitfaden/fahrplan/": [Case(ALL_200, ALL_405)],
    "leitfaden/fahrplan/<slug:slug>/": [Case(ALL_200, ALL_405, lambda s: {"slug": s.extra["step"]})],
    "leitfaden/fahrplan/<slug:slug>/bearbeiten/": [Case(CURATORS, CURATORS, lambda s: {"slug": s.extra["step"]})],
    "leitfaden/fahrplan/<slug:slug>/verlauf/": [Case(STAFF_200, LOGIN_THEN_405, lambda s: {"slug": s.extra["step"]})],
    "leitfaden/themen/<slug:slug>/": [Case(ALL_200, ALL_405, lambda s: {"slug": s.extra["page"]})],
    "leitfaden/themen/<slug:slug>/bearbeiten/": [Case(CURATORS, CURATORS, lambda s: {"slug": s.extra["page"]})],
    "leitfaden/themen/<slug:slug>/verlauf/": [Case(STAFF_200, LOGIN_THEN_405, lambda s: {"slug": s.extra["page"]})],
    "leitfaden/grafiken/": [Case(ALL_200, ALL_405)],
    "leitfaden/grafiken/<slug:key>.<str:extension>": [
        Case(ALL_200, ALL_405, lambda side: {"key": "children", "extension": "svg"}, "svg"),
        Case(ALL_200, ALL_405, lambda side: {"key": "children", "extension": "png"}, "png"),
    ],
    "leitfaden/werkzeuge/betroffene-kinder/": [Case(ALL_200, ALL_405)],
    "leitfaden/werkzeuge/kosten-und-nutzen/": [Case(ALL_200, ALL_405)],
    "leitfaden/werkzeuge/beschlussvorlage/": [Case(STAFF_200, LOGIN_THEN_405)],
    "leitfaden/werkzeuge/beschlussvorlage/<slug:slug>/": [Case(STAFF_200, LOGIN_THEN_405, muni)],
    "leitfaden/werkzeuge/beschlussvorlage/<slug:slug>/entwurf.docx": [Case(STAFF_200, LOGIN_THEN_405, muni)],
    "leitfaden/werkzeuge/beschlussvorlage/<slug:slug>/kooperationsvereinbarung.docx": [
        Case(STAFF_200, LOGIN_THEN_405, muni)],
    "leitfaden/werkzeuge/beschlussvorlage/<slug:slug>/schweigepflichtentbindung.docx": [
        Case(STAFF_200, LOGIN_THEN_405, muni)],
    "leitfaden/werkzeuge/beschlussvorlage/<slug:slug>/praesentation.pptx": [Case(STAFF_200, LOGIN_THEN_405, muni)],
    "leitfaden/kommunen/": [Case(STAFF_200, LOGIN_THEN_405)],
    "leitfaden/kommunen/uebersicht/": [Case(CURATORS, LOGIN_THEN_405)],
    "leitfaden/karte/": [Case(STAFF_200, LOGIN_THEN_405)],
    "leitfaden/kommunen/<slug:slug>/": [Case(STAFF_200, LOGIN_THEN_405, muni)],
    "leitfaden/kommunen/<slug:slug>/nachbarn/": [Case(STAFF_200, LOGIN_THEN_405, muni)],
    # The council's record (OParl): the municipality's coordinators and admins (an empty system address
    # removes the system; an empty paper address shows the form again; no council system is read); the
    # public list of linked resolutions.
    "leitfaden/kommunen/<slug:slug>/ratsinformation/": [Case(COORD_EDIT, COORD_ACTION, muni)],
    "leitfaden/kommunen/<slug:slug>/ratsinformation/vorlage/": [Case(LOGIN_THEN_405, COORD_EDIT, muni)],
    "leitfaden/kommunen/<slug:slug>/ratsinformation/aktualisieren/": [Case(LOGIN_THEN_405, COORD_ACTION, muni)],
    "leitfaden/kommunen/<slug:slug>/ratsinformation/loesen/": [Case(LOGIN_THEN_405, COORD_ACTION, muni)],
    "leitfaden/beschluesse/": [Case(ALL_200, ALL_405)],
    "leitfaden/kommunen/<slug:slug>/<slug:step_slug>/": [
        Case(COORD_EDIT, COORD_EDIT, lambda s: {"slug": s.municipality.slug, "step_slug": s.extra["step"]})
    ],
    # --- catalogue of good practice
    "gute-praxis/": [Case(ALL_200, ALL_405)],
    "gute-praxis/verwalten/": [Case("L 200 200 200 200 200", LOGIN_THEN_405)],
    "gute-praxis/neu/": [Case("L 403 200 200 200 200", "L 403 200 200 200 200")],
    "gute-praxis/<slug:slug>/": [
        Case(ALL_200, ALL_405, ex("published"), "published"),
        Case(DRAFT_VIEW, ALL_405, ex("draft"), "draft"),
    ],
    "gute-praxis/<slug:slug>/steckbrief/": [
        Case(ALL_200, ALL_405, ex("published"), "published"),
        Case(DRAFT_VIEW, ALL_405, ex("draft"), "draft"),
    ],
    "gute-praxis/<slug:slug>/bearbeiten/": [
        Case("L 404 200 404 200 200", "L 404 200 404 200 200", ex("published"), "published"),
        Case("L 404 200 404 200 200", "L 404 200 404 200 200", ex("draft"), "draft"),
    ],
    "gute-praxis/<slug:slug>/einreichen/": [
        Case(LOGIN_THEN_405, "L 404 R 404 R R", ex("published"), "published"),
        Case(LOGIN_THEN_405, "L 404 R 404 R R", ex("draft"), "draft"),
    ],
    "gute-praxis/<slug:slug>/pruefen/": [
        # An empty POST names no action: the review form is shown again.
        Case(CURATORS, CURATORS, ex("published"), "published"),
        Case(CURATORS, CURATORS, ex("draft"), "draft"),
    ],
    "gute-praxis/<slug:slug>/archivieren/": [
        Case(LOGIN_THEN_405, "L 403 403 403 R R", ex("published"), "published"),
        Case(LOGIN_THEN_405, "L 403 403 403 R R", ex("draft"), "draft"),
    ],
    "gute-praxis/<slug:slug>/verlauf/": [
        Case("L 404 200 404 200 200", LOGIN_THEN_405, ex("published"), "published"),
        Case("L 404 200 404 200 200", LOGIN_THEN_405, ex("draft"), "draft"),
    ],
    "gute-praxis/<slug:slug>/anhang/<int:pk>/": [
        Case(ALL_200, ALL_405, lambda s: {"slug": s.published.slug, "pk": s.public_attachment.pk}, "published"),
        Case(DRAFT_VIEW, ALL_405, lambda s: {"slug": s.draft.slug, "pk": s.draft_attachment.pk}, "draft"),
        # A draft attachment addressed through another example's URL: nobody gets it.
        Case(
            "404 404 404 404 404 404", ALL_405,
            lambda s: {"slug": s.published.slug, "pk": s.draft_attachment.pk}, "mismatched",
        ),
    ],
    # --- registry
    "register/": [Case(ALL_200, ALL_405)],
    "register/partner/": [Case(ALL_200, ALL_405)],
    "register/partner/vorschlaege/": [Case(ALL_200, ALL_405)],
    "register/partner/<int:pk>/": [
        Case(ALL_200, ALL_405, lambda s: {"pk": s.actor.pk}, "active"),
        Case("404 404 200 404 404 200", ALL_405, lambda s: {"pk": s.inactive_actor.pk}, "inactive"),
    ],
    "register/partner/<int:pk>/bearbeiten/": [
        Case(COORD_EDIT, COORD_EDIT, lambda s: {"pk": s.actor.pk}, "active"),
        Case(COORD_EDIT, COORD_EDIT, lambda s: {"pk": s.inactive_actor.pk}, "inactive"),
    ],
    "register/partner/<int:pk>/pruefen/": [Case(LOGIN_THEN_405, COORD_ACTION, lambda s: {"pk": s.actor.pk})],
    "register/partner/<int:pk>/deaktivieren/": [Case(COORD_EDIT, COORD_ACTION, lambda s: {"pk": s.actor.pk})],
    "register/partner/<int:pk>/aktivieren/": [
        Case(LOGIN_THEN_405, COORD_ACTION, lambda s: {"pk": s.inactive_actor.pk})
    ],
    "register/partner/<int:pk>/ansprechpersonen/neu/": [Case(COORD_EDIT, COORD_EDIT, lambda s: {"pk": s.actor.pk})],
    "register/ansprechpersonen/<int:pk>/bearbeiten/": [Case(COORD_EDIT, COORD_EDIT, lambda s: {"pk": s.contact.pk})],
    # Service areas: asked for by the partner's keepers, confirmed or ended by the municipality served (a
    # Kreis coordinator speaks for its members); an empty request answers with a message.
    "register/partner/<int:pk>/zustaendigkeit/": [Case(LOGIN_THEN_405, COORD_ACTION, lambda s: {"pk": s.actor.pk})],
    "register/zustaendigkeiten/<int:pk>/bestaetigen/": [
        Case(LOGIN_THEN_405, COORD_ACTION, lambda s: {"pk": s.extra["area"].pk})
    ],
    "register/zustaendigkeiten/<int:pk>/beenden/": [
        Case(LOGIN_THEN_405, COORD_ACTION, lambda s: {"pk": s.extra["area"].pk})
    ],
    "register/kommunen/": [Case(ALL_200, ALL_405)],
    "register/kommunen/<slug:slug>/": [Case(ALL_200, ALL_405, muni)],
    "register/kommunen/<slug:slug>/netzwerk/": [Case(ALL_200, ALL_405, muni)],
    # What the register does not know (own Jugendamt, newer child figures): its coordinators and the
    # editorial team; an empty POST shows the form again with its messages.
    "register/kommunen/<slug:slug>/bearbeiten/": [Case("L 403 200 403 200 200", "L 403 200 403 200 200", muni)],
    "register/kommunen/vorschlaege/": [Case(ALL_200, ALL_405)],
    "register/kommunen/<slug:slug>/partner/neu/": [Case(COORD_EDIT, COORD_EDIT, muni)],
    "register/kommunen/<slug:slug>/kooperationen/neu/": [Case(COORD_EDIT, COORD_EDIT, muni)],
    "register/kommunen/<slug:slug>/export.csv": [Case(ALL_200, ALL_405, muni)],
    "register/kommunen/<slug:slug>/export.xlsx": [Case(ALL_200, ALL_405, muni)],
    "register/kommunen/<slug:slug>/kooperationen.csv": [Case(ALL_200, ALL_405, muni)],
    "register/kommunen/<slug:slug>/kooperationen.xlsx": [Case(ALL_200, ALL_405, muni)],
    "register/kommunen/<slug:slug>/hsds.json": [Case(ALL_200, ALL_405, muni)],
    # --- the registry's HSDS 3.0 API: public, read-only (GET only), no session
    "api/hsds/": [Case(ALL_200, ALL_405)],
    "api/hsds/services": [Case(ALL_200, ALL_405)],
    "api/hsds/services/<str:pk>": [Case(ALL_200, ALL_405, lambda s: {"pk": hsds_id("service", s.actor)})],
    "api/hsds/organizations": [Case(ALL_200, ALL_405)],
    "api/hsds/organizations/<str:pk>": [Case(ALL_200, ALL_405, lambda s: {"pk": str(s.actor.uuid)})],
    "api/hsds/service_at_locations": [Case(ALL_200, ALL_405)],
    "api/hsds/service_at_locations/<str:pk>": [
        Case(ALL_200, ALL_405, lambda s: {"pk": hsds_id("service_at_location", s.actor)})
    ],
    "api/hsds/taxonomies": [Case(ALL_200, ALL_405)],
    "api/hsds/taxonomies/<str:pk>": [Case(ALL_200, ALL_405, lambda s: {"pk": hsds_id("taxonomy", s.actor)})],
    "api/hsds/taxonomy_terms": [Case(ALL_200, ALL_405)],
    "api/hsds/taxonomy_terms/<str:pk>": [Case(ALL_200, ALL_405, lambda s: {"pk": hsds_id("term", s.actor)})],
    "api/hsds/schema/": [Case(ALL_200, ALL_405)],
    "api/hsds/docs/": [Case(ALL_200, ALL_405)],
    "register/kooperationen/<int:pk>/": [
        Case(ALL_200, ALL_405, lambda s: {"pk": s.cooperation.pk}, "active"),
        Case("404 404 200 404 404 200", ALL_405, lambda s: {"pk": s.extra["ended_cooperation"].pk}, "ended"),
    ],
    "register/kooperationen/<int:pk>/bearbeiten/": [Case(COORD_EDIT, COORD_EDIT, lambda s: {"pk": s.cooperation.pk})],
    "register/import/": [Case("L 403 200 200 403 200", "L 403 200 200 403 200")],
    "register/import/kooperationen/": [Case("L 403 200 200 403 200", "L 403 200 200 403 200")],
    # The blank templates hold no data: anyone may download them.
    "register/import/vorlage-<slug:kind>.<slug:fmt>": [
        Case(ALL_200, ALL_405, lambda s: {"kind": "partner", "fmt": "xlsx"}, "partner"),
        Case(ALL_200, ALL_405, lambda s: {"kind": "kooperationen", "fmt": "csv"}, "kooperationen"),
    ],
    # Requests for access: anyone asks (an empty form is shown again); the editorial team and admins
    # review and decide (an empty decision names no action: the page is shown again).
    "register/zugang/": [Case(ALL_200, ALL_200)],
    "register/zugang/danke/": [Case(ALL_200, ALL_405)],
    "register/zugang/anfragen/": [Case(CURATORS, LOGIN_THEN_405)],
    "register/zugang/anfragen/<int:pk>/": [
        Case(CURATORS, CURATORS, lambda s: {"pk": s.extra["access_request"].pk})
    ],
    "register/zugang/anfragen/<int:pk>/link/": [
        Case(LOGIN_THEN_405, "L 403 403 403 R R", lambda s: {"pk": s.extra["access_request"].pk})
    ],
}


def test_every_route_has_an_expectation():
    routes = set(project_routes())
    missing = sorted(routes - set(MATRIX))
    stale = sorted(set(MATRIX) - routes)
    assert not missing, f"Routes without an entry in the permission matrix: {missing}"
    assert not stale, f"Entries for routes that no longer exist: {stale}"


def _outcome(response) -> str:
    if response.status_code == 302:
        location = response.headers["Location"]
        return "L" if location.startswith(reverse("login")) else "R"
    return str(response.status_code)


def _url(route: str, kwargs: dict) -> str:
    name = project_routes()[route]
    return reverse(name, kwargs=kwargs or None)


def _request(client: Client, method: str, url: str):
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, {})
        transaction.set_rollback(True)
    return response


def _cells():
    for route, cases in MATRIX.items():
        for case in cases:
            yield pytest.param(route, case, id=f"{route or '/'}{'#' + case.variant if case.variant else ''}")


@pytest.mark.parametrize(("route", "case"), list(_cells()))
def test_matrix(in_world, route, case):
    world = in_world
    mismatches = []
    for method, row in (("GET", case.get), ("POST", case.post)):
        expected_row = dict(zip(ROLES, row.split(), strict=True))
        for role in ROLES:
            side = world.other if role == "koordination_other" else world.own
            url = _url(route, case.args(side))
            client = Client()
            if ROLE_USER[role]:
                client.force_login(world.users[ROLE_USER[role]])
            got = _outcome(_request(client, method, url))
            add_figure("permission_matrix", "cells")
            if got != expected_row[role]:
                mismatches.append(f"{method} {url} as {role}: expected {expected_row[role]}, got {got}")
    assert not mismatches, "\n".join(mismatches)


# --- the admin: everything behind the admin login for non-staff ------------------------------------


def _admin_url(route: str) -> str:
    import re

    url = "/" + route
    url = re.sub(r"<[^>]+>", "1", url)
    url = re.sub(r"\(\?P<app_label>([^|)]+)[^)]*\)", r"\1", url)
    url = url.replace("([^/]+)", "1").replace("^", "").replace("$", "")
    url = re.sub(r"\(\?P<url>\.\*\)", "nirgendwo/", url)
    return url


@pytest.mark.parametrize("role", ["anonymous", "verwaltung", "koordination_own"])
def test_admin_only(in_world, role):
    client = Client()
    if ROLE_USER[role]:
        client.force_login(in_world.users[ROLE_USER[role]])
    wrong = []
    checked = 0
    for route, name in admin_routes().items():
        url = _admin_url(route)
        if name == "admin:login":
            continue
        response = _request(client, "GET", url)
        checked += 1
        location = response.headers.get("Location", "")
        if name == "admin:view_on_site":
            # Django's shortcut only redirects to a public page; bogus ids are 404.
            ok = response.status_code in (302, 404)
        elif name == "admin:logout":
            ok = response.status_code == 302 and location == "/admin/"
        else:
            ok = response.status_code == 302 and location.startswith("/admin/login/")
        if not ok:
            wrong.append(f"{url} ({name}): {response.status_code} {location}")
    add_figure("permission_matrix", "admin_cells", checked)
    assert checked > 50
    assert not wrong, "\n".join(wrong)
