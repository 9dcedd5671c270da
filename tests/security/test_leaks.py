"""Nothing leaks around the permission checks: drafts, inactive partners and contact persons stay
out of search results, the site search, exports and the network graph for everyone who may not see
them. What a role may see is asked of the same rules the views use."""

import csv
import io
import json

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from guidance.catalogue.rules import can_view_example
from networks.rules import can_view_actor, can_view_contacts
from tests.security.conftest import SECRET, add_figure

USERS = [None, "verwaltung", "koordination", "koordination2", "redaktion", "admin"]


def _client(world, username):
    client = Client()
    if username:
        client.force_login(world.users[username])
    return client


def _user(world, username):
    from django.contrib.auth.models import AnonymousUser

    return world.users[username] if username else AnonymousUser()


def _secrets(world, user):
    """(text, may this user see it?) for every restricted record of both municipalities."""
    items = []
    for side in (world.own, world.other):
        items.append((side.draft.title, can_view_example(user, side.draft)))
        items.append((side.inactive_actor.name, can_view_actor(user, side.inactive_actor)))
    return items


def _contact_data(world):
    return [v for side in (world.own, world.other) for v in (side.contact.name, side.contact.email, side.contact.phone)]


@pytest.mark.parametrize("username", USERS, ids=lambda u: u or "anonymous")
@pytest.mark.parametrize(
    "url",
    [
        "/register/partner/?q=" + SECRET,
        "/register/partner/",
        "/gute-praxis/?q=" + SECRET,
        "/gute-praxis/?q=Entwurf",
        "/gute-praxis/",
        "/suche/?q=" + SECRET,
        "/suche/?q=Entwurf",
        "/suche/?q=Vertrauliche",
    ],
)
def test_search_results_show_only_what_the_role_may_see(in_world, username, url):
    user = _user(in_world, username)
    html = _client(in_world, username).get(url).content.decode()
    for text, allowed in _secrets(in_world, user):
        add_figure("leaks", "search_checks")
        if not allowed:
            assert text not in html, f"{url} shows {text!r} to {username or 'anonymous'}"
    if "suche" in url or "?q=" in url:
        # Contact persons are never searchable, whoever asks.
        for value in _contact_data(in_world):
            assert value not in html


def test_site_search_finds_drafts_only_for_their_editors(in_world):
    """The positive side, so that the negative checks above cannot pass vacuously."""
    draft = in_world.own.draft.title
    assert draft in _client(in_world, "koordination").get("/suche/?q=" + SECRET).content.decode()
    assert draft not in _client(in_world, "koordination2").get("/suche/?q=" + SECRET).content.decode()
    assert draft not in _client(in_world, None).get("/suche/?q=" + SECRET).content.decode()
    # The public catalogue lists published examples only, whoever asks.
    assert draft not in _client(in_world, "admin").get("/gute-praxis/?q=" + SECRET).content.decode()


def _all_text_of_exports(client, slug):
    base = f"/register/kommunen/{slug}/"
    raw_csv = client.get(base + "export.csv").content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(raw_csv), delimiter=";") for cell in row]
    book = openpyxl.load_workbook(io.BytesIO(client.get(base + "export.xlsx").content))
    cells += [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value]
    hsds = client.get(base + "hsds.json").json()
    return cells, json.dumps(hsds, ensure_ascii=False)


@pytest.mark.parametrize("username", USERS, ids=lambda u: u or "anonymous")
def test_exports_never_contain_contact_persons_or_inactive_partners(in_world, username):
    client = _client(in_world, username)
    for side in (in_world.own, in_world.other):
        cells, hsds = _all_text_of_exports(client, side.municipality.slug)
        assert side.actor.name in cells and side.actor.name in hsds  # the export is not empty
        joined = "\n".join(cells)
        for value in _contact_data(in_world) + [side.inactive_actor.name, SECRET]:
            add_figure("leaks", "export_checks")
            assert value not in joined and value not in hsds


@pytest.mark.parametrize("username", USERS, ids=lambda u: u or "anonymous")
def test_network_graph_and_municipality_page(in_world, username):
    client = _client(in_world, username)
    user = _user(in_world, username)
    for side in (in_world.own, in_world.other):
        graph = client.get(reverse("networks:network-graph", kwargs={"slug": side.municipality.slug})).content.decode()
        assert side.actor.name in graph
        assert side.inactive_actor.name not in graph
        detail = client.get(side.municipality.get_absolute_url()).content.decode()
        if not can_view_actor(user, side.inactive_actor):
            assert side.inactive_actor.name not in detail
        for value in _contact_data(in_world):
            add_figure("leaks", "graph_checks")
            assert value not in graph and value not in detail


@pytest.mark.parametrize("username", USERS, ids=lambda u: u or "anonymous")
def test_contact_persons_only_for_portal_staff(in_world, username):
    user = _user(in_world, username)
    html = _client(in_world, username).get(in_world.own.contact.actor.get_absolute_url()).content.decode()
    assert (in_world.own.contact.name in html) == bool(can_view_contacts(user))


@pytest.mark.parametrize("username", USERS, ids=lambda u: u or "anonymous")
def test_manage_page_and_histories_list_no_foreign_drafts(in_world, username):
    if username is None:
        return  # the manage page asks anonymous visitors to log in (permission matrix)
    user = _user(in_world, username)
    html = _client(in_world, username).get(reverse("catalogue:manage")).content.decode()
    for side in (in_world.own, in_world.other):
        if not can_view_example(user, side.draft):
            assert side.draft.title not in html


def test_unpublished_changes_of_a_published_example_stay_private(in_world):
    """A coordinator's working revision of a published example is a draft too."""
    from guidance.catalogue import services as svc
    from guidance.catalogue.selectors import working_snapshot

    example = in_world.own.published
    data = working_snapshot(example=example)
    data["goal"] = f"Noch nicht freigegeben {SECRET}"
    data["title"] = f"Neuer Titel {SECRET}"
    svc.example_save(example=example, user=in_world.users["koordination"], data=data, version=example.version)
    urls = [
        reverse("catalogue:detail", kwargs={"slug": example.slug}),
        reverse("catalogue:print", kwargs={"slug": example.slug}),
        "/gute-praxis/?q=" + SECRET,
        "/suche/?q=" + SECRET,
        "/suche/?q=freigegeben",
    ]
    for username in (None, "verwaltung", "koordination2"):
        client = _client(in_world, username)
        for url in urls:
            html = client.get(url).content.decode()
            assert "Noch nicht freigegeben" not in html and "Neuer Titel" not in html, (url, username)
    # The change exists: its editors find it in the edit form.
    edit = _client(in_world, "koordination").get(reverse("catalogue:edit", kwargs={"slug": example.slug}))
    assert "Neuer Titel" in edit.content.decode()
