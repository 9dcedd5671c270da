"""Germany at a glance: the map of how far each Kreis has come, and the neighbours of a municipality."""

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from guidance import geo, selectors
from guidance.models import ResolutionEvidence, StepProgress
from guidance.selectors import Stage
from tests.factories.accounts import UserFactory
from tests.factories.guidance import GMunicipalityFactory
from tests.german import de

pytestmark = pytest.mark.django_db

MAP = reverse("guidance:map")


def place(name, *, kind="kreis", land="05", lat=None, lon=None, **extra):
    return GMunicipalityFactory(
        name=name, kind=kind, bundesland=land,
        latitude=Decimal(str(lat)) if lat is not None else None,
        longitude=Decimal(str(lon)) if lon is not None else None, **extra,
    )


def step_of(steps, slug):
    return next(s for s in steps if s.slug == slug)


def progress(municipality, steps, slug, status, result=None):
    row = StepProgress.objects.create(municipality=municipality, step=step_of(steps, slug), status=status)
    if result is not None:
        ResolutionEvidence.objects.create(progress=row, result=result)
    return row


@pytest.fixture
def country(steps):
    """Kreise in three Länder at every stage, a Gemeinde with its own progress, one without, and a
    Kreis without coordinates."""
    made = {
        "none": place("Kreis Ohne", lat=51.9, lon=7.6),
        "started": place("Kreis Beginn", lat=51.5, lon=7.4),
        "resolution": place("Kreis Beschluss", lat=51.2, lon=6.8, kind="kreisfreie_stadt"),
        "adopted": place("Kreis Angenommen", lat=50.9, lon=6.95),
        "working": place("Städteregion Netz", lat=50.8, lon=6.1, kind="region"),
        "bavaria": place("Landkreis Süd", land="09", lat=48.1, lon=11.6),
        "hesse": place("Kreis Mitte", land="06", lat=50.1, lon=8.7),
        "gemeinde": place("Stadt Fortschritt", kind="stadt", lat=51.3, lon=7.0),
        "quiet": place("Gemeinde Still", kind="gemeinde", lat=51.35, lon=7.1),
        "nowhere": place("Kreis Nirgendwo"),
    }
    progress(made["started"], steps, "problem-erkennen", "in_progress")
    progress(made["resolution"], steps, "beschluss-fassen", "done")
    progress(made["adopted"], steps, "beschluss-fassen", "in_progress", result="adopted_amended")
    for slug in ("beschluss-fassen", "kooperation-vereinbaren", "umsetzen"):
        progress(made["working"], steps, slug, "done")
    progress(made["bavaria"], steps, "beschluss-fassen", "done")
    progress(made["gemeinde"], steps, "agenda-setzen", "done")
    progress(made["quiet"], steps, "problem-erkennen", "open")  # only an open step: no record
    return made


def svg_of(html):
    match = re.search(r"<svg viewBox=.*?</svg>", html, re.S)
    assert match, "no map on the page"
    return match.group(0)


def titles_by_stage(svg):
    """{stage key: [names]} of the points drawn in each stage's group."""
    found = {}
    for key, body in re.findall(r'<g class="guidance-map-(\w+)"[^>]*>(.*?)</g>', svg, re.S):
        found[key] = sorted(title.split(" – ")[0] for title in re.findall(r"<title>(.*?)</title>", body))
    return found


def table_names(html):
    return re.findall(r'<tr class="guidance-map-row[^"]*"><th scope="row"><a href="[^"]+">([^<]+)</a>', html)


# --- Stages -----------------------------------------------------------------------------------------
def test_stages_follow_the_documented_definition(country, steps, django_assert_num_queries):
    progress(place("Kreis Abgelehnt", lat=50.0, lon=7.0), steps, "beschluss-fassen", "in_progress", result="rejected")
    half = place("Kreis Halb", lat=50.0, lon=7.2)
    progress(half, steps, "kooperation-vereinbaren", "done")
    progress(half, steps, "umsetzen", "in_progress")
    working_without_resolution = place("Kreis Praxis", lat=50.0, lon=7.4)
    for slug in ("kooperation-vereinbaren", "umsetzen"):
        progress(working_without_resolution, steps, slug, "done")
    with django_assert_num_queries(1):
        stages = selectors.stages()
    assert stages[country["started"].pk] == Stage.STARTED
    assert stages[country["resolution"].pk] == Stage.RESOLUTION
    assert stages[country["adopted"].pk] == Stage.RESOLUTION  # adopted with amendments, step still in progress
    assert stages[country["working"].pk] == Stage.WORKING
    assert stages[country["gemeinde"].pk] == Stage.STARTED
    assert country["quiet"].pk not in stages and country["none"].pk not in stages
    by_name = {m.name: stages.get(m.pk, Stage.NONE) for m in (half, working_without_resolution)}
    assert by_name == {"Kreis Halb": Stage.STARTED, "Kreis Praxis": Stage.WORKING}
    assert selectors.stages(municipality_ids=[country["working"].pk]) == {country["working"].pk: Stage.WORKING}


# --- The map ----------------------------------------------------------------------------------------
def test_map_draws_each_place_in_the_shape_and_colour_of_its_stage(client, verwaltung_user, country):
    client.force_login(verwaltung_user)
    html = client.get(MAP).content.decode()
    groups = titles_by_stage(svg_of(html))
    assert groups == {
        "none": ["Kreis Mitte", "Kreis Ohne"],
        "started": ["Kreis Beginn", "Stadt Fortschritt"],
        "resolution": ["Kreis Angenommen", "Kreis Beschluss", "Landkreis Süd"],
        "working": ["Städteregion Netz"],
    }
    svg = svg_of(html)
    for key, (fill, _stroke) in {"none": geo.STAGE_STYLE[Stage.NONE], "working": geo.STAGE_STYLE[Stage.WORKING]}.items():
        assert re.search(rf'<g class="guidance-map-{key}" fill="{fill}"', svg)
    shapes = {key: body for key, body in re.findall(r'<g class="guidance-map-(\w+)"[^>]*>(.*?)</g>', svg, re.S)}
    assert "<circle" in shapes["none"] and "<rect" in shapes["resolution"]
    assert "<path" in shapes["started"] and "<path" in shapes["working"] and "<circle" not in shapes["working"]
    # The Gemeinde with progress is a smaller point than the Kreise.
    triangles = dict(re.findall(r'<path d="M[\d.]+ ([\d.]+)L[\d.]+ ([\d.]+)[^"]*"><title>([^<]+) – ', shapes["started"])
                     and [(name, float(b) - float(a)) for a, b, name in re.findall(
                         r'<path d="M[\d.]+ ([\d.]+)L[\d.]+ ([\d.]+)[^"]*"><title>([^<]+) – ', shapes["started"])])
    assert triangles["Stadt Fortschritt"] < triangles["Kreis Beginn"]
    assert "Gemeinde Still" not in html  # an open step alone is no record; a Gemeinde without one is no point
    assert de("Not on the map, because the register has no coordinates for them:") in html
    assert "Kreis Nirgendwo" in html.split(de("Not on the map, because the register has no coordinates for them:"))[1]
    assert html.count("<h1") == 1
    assert "style=" not in html.split("<main", 1)[1]  # CSP: no inline styles


def test_table_rows_are_the_points_of_the_map(client, verwaltung_user, country):
    client.force_login(verwaltung_user)
    html = client.get(MAP).content.decode()
    drawn = sorted(name for names in titles_by_stage(svg_of(html)).values() for name in names)
    assert sorted(table_names(html)) == drawn
    row = re.search(r'<tr class="guidance-map-row guidance-map-row--working">(.*?)</tr>', html).group(1)
    assert reverse("guidance:progress", kwargs={"slug": country["working"].slug}) in row
    assert "Nordrhein-Westfalen" in row and "◆" in row and de("network working") in row
    assert de("Data of the map: %(counter)s place", upto_placeholder=True) + "8 Orte" in html


def test_land_filter_keeps_the_chosen_land_and_shows_the_others_faintly(client, verwaltung_user, country):
    place("Kreis Nebenan", land="08", lat=48.3, lon=11.0)  # Baden-Württemberg, inside Bavaria's frame
    client.force_login(verwaltung_user)
    html = client.get(MAP, {"land": "09"}).content.decode()
    svg = svg_of(html)
    assert titles_by_stage(svg) == {"resolution": ["Landkreis Süd"]}
    assert table_names(html) == ["Landkreis Süd"]
    assert '<option value="09" selected>Bayern</option>' in html
    assert de("Germany at a glance: %(land)s", land="Bayern") in html
    # Other Länder are grey dots without names, and only those inside the zoomed frame.
    context = re.search(rf'<g fill="{geo.CONTEXT_COLOUR}" aria-hidden="true">(.*?)</g>', svg).group(1)
    assert context.count("<circle") == 1 and "<title>" not in context
    assert "Kreis Nebenan" not in svg and "Kreis Ohne" not in svg
    # A made-up Land shows all of Germany.
    everything = client.get(MAP, {"land": "99"}).content.decode()
    assert len(table_names(everything)) == 9
    assert "selected" not in everything.split('id="map-land"')[1].split("</select>")[0]
    assert geo.CONTEXT_COLOUR not in svg_of(everything)


def test_summary_sentences_per_land_and_overall(client, verwaltung_user, country):
    client.force_login(verwaltung_user)
    html = client.get(MAP).content.decode()
    assert ("In Nordrhein-Westfalen haben 3 Kreise und kreisfreie Städte einen Beschluss erfasst oder arbeiten "
            "schon als Netzwerk.") in html
    assert "4 von 6 haben mit dem Fahrplan begonnen." in html  # NRW: the Kreis level only, located or not
    assert "In 1 davon arbeitet das Netzwerk bereits." in html
    assert ("In Bayern hat 1 Kreis oder kreisfreie Stadt einen Beschluss erfasst oder arbeitet schon als "
            "Netzwerk.") in html
    assert "1 von 1 hat mit dem Fahrplan begonnen." in html
    assert de("In %(land)s, no Kreis and no kreisfreie Stadt has recorded a council resolution yet.", land="Hessen") in html
    assert ("In Deutschland haben 4 Kreise und kreisfreie Städte einen Beschluss erfasst oder arbeiten schon als "
            "Netzwerk.") in html
    assert "5 von 8 haben mit dem Fahrplan begonnen." in html
    hesse = re.search(r"<li><p[^>]*>In Hessen.*?</p>\s*</li>", html, re.S).group(0)
    assert de("None has started on the roadmap there yet.") in hesse
    assert "Sachsen" not in html.split('class="guidance-map-lands"')[1].split("</ul>")[0]  # no Kreis there
    # The chosen Land's summary comes first, with the overall one beside it.
    bavaria = client.get(MAP, {"land": "09"}).content.decode()
    brief = bavaria.split('id="summary-title"')[1].split("</section>")[0]
    assert brief.index("In Bayern hat 1") < brief.index("In Deutschland haben 4")


def test_map_names_its_source_and_has_no_external_addresses(client, verwaltung_user, country):
    client.force_login(verwaltung_user)
    html = client.get(MAP).content.decode()
    svg = svg_of(html)
    assert "http" not in svg and "//" not in svg and "href" not in svg and "<image" not in svg
    assert 'role="img"' in svg and 'aria-labelledby="map-title map-desc"' in svg
    assert "<title id=\"map-title\">" + de("Map of Germany: how far the Kreise and kreisfreie Städte have come") in svg
    assert "© Statistisches Bundesamt (Destatis)" in html and "dl-de/by-2-0" in html
    assert "31.12.2019" in html


def test_map_is_for_staff_like_the_roadmaps(client, country, verwaltung_user, redaktion_user):
    response = client.get(MAP)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(UserFactory(username="t-ohne-rolle"))
    assert client.get(MAP).status_code == 403
    for user in (verwaltung_user, redaktion_user):
        client.force_login(user)
        assert client.get(MAP).status_code == 200


def test_map_and_neighbours_are_linked(client, verwaltung_user, country):
    client.force_login(verwaltung_user)
    for url in (reverse("guidance:index"), reverse("guidance:progress-list")):
        assert f'href="{MAP}"' in client.get(url).content.decode()
    slug = country["working"].slug
    neighbours = reverse("guidance:neighbours", kwargs={"slug": slug})
    assert neighbours in client.get(reverse("guidance:progress", kwargs={"slug": slug})).content.decode()
    registry_page = country["working"].get_absolute_url()
    assert neighbours in client.get(registry_page).content.decode()
    client.logout()
    assert neighbours not in client.get(registry_page).content.decode()


def test_projection_keeps_germany_in_its_frame_and_upright():
    frame = geo.Frame(geo.GERMANY)
    flensburg, munich = frame.xy(54.78, 9.44), frame.xy(48.14, 11.58)
    aachen, goerlitz = frame.xy(50.78, 6.08), frame.xy(51.15, 14.99)
    assert flensburg[1] < munich[1] and aachen[0] < goerlitz[0]
    for x, y in (flensburg, munich, aachen, goerlitz):
        assert 0 < x < geo.WIDTH and 0 < y < frame.height
    # Equal scale in both directions at 51°: 100 km east and 100 km north are equally long.
    east = frame.xy(51.0, 10.0 + 100 / (geo.KM_PER_DEGREE * geo.X_FACTOR))[0] - frame.xy(51.0, 10.0)[0]
    north = frame.xy(51.0, 10.0)[1] - frame.xy(51.0 + 100 / geo.KM_PER_DEGREE, 10.0)[1]
    assert east == pytest.approx(north)
    assert 1.2 < frame.height / geo.WIDTH < 1.45


def test_the_whole_register_on_one_map_in_bounded_queries(client, verwaltung_user, django_assert_max_num_queries):
    call_command("load_register", verbosity=0)
    client.force_login(verwaltung_user)
    client.get(reverse("guidance:index"))  # warm the session
    with django_assert_max_num_queries(4):  # session, user, places, stages
        response = client.get(MAP)
    html = response.content.decode()
    svg = svg_of(html)
    assert svg.count("<title>") == 401
    assert len(table_names(html)) == 401
    assert ("In Deutschland hat noch kein Kreis und keine kreisfreie Stadt einen Beschluss erfasst.") in html
    assert de("None has started on the roadmap there yet.") in html
    for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg):
        assert 0 < float(x) < geo.WIDTH and 0 < float(y) < float(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))
    with django_assert_max_num_queries(4):
        nrw = client.get(MAP, {"land": "05"}).content.decode()
    assert len(table_names(nrw)) == 53
    with django_assert_max_num_queries(5):  # session, user, municipality, places nearby, stages
        near = client.get(reverse("guidance:neighbours", kwargs={"slug": "kreis-heinsberg"}), {"km": 100})
    assert near.status_code == 200


# --- Neighbours -------------------------------------------------------------------------------------
@pytest.fixture
def around(steps):
    """A Kreis and places at known distances north of it (0.1° of latitude is 11.1 km)."""
    home = place("Kreis Mitte", lat=51.0, lon=7.0)
    made = {
        "home": home,
        "k6": place("Kreis Sechs", lat=51.05, lon=7.0),
        "k17": place("Kreis Siebzehn", lat=51.15, lon=7.0, kind="kreisfreie_stadt"),
        "k33": place("Kreis Dreiunddreißig", lat=51.3, lon=7.0, land="06"),
        "k89": place("Kreis Neunundachtzig", lat=51.8, lon=7.0),
        "k111": place("Kreis Hundertelf", lat=52.0, lon=7.0),
        "corner": place("Kreis Ecke", lat=51.2, lon=7.3),  # in the box of 25 km, 30.6 km away
        "g2": place("Gemeinde Zwei", kind="gemeinde", lat=51.02, lon=7.0),
        "g20": place("Stadt Zwanzig", kind="stadt", lat=50.82, lon=7.0),
        "unlocated": place("Kreis Ohne Lage"),
    }
    progress(made["k17"], steps, "beschluss-fassen", "done")
    return made


def neighbour_names(html, section):
    part = html.split(f'id="{section}-title"')[1].split("</section>")[0]
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', part)


def test_neighbours_sorted_by_distance_and_within_the_chosen_km(client, verwaltung_user, around):
    client.force_login(verwaltung_user)
    url = reverse("guidance:neighbours", kwargs={"slug": around["home"].slug})
    html = client.get(url).content.decode()  # 25 km by default
    assert neighbour_names(html, "kreise") == ["Kreis Sechs", "Kreis Siebzehn"]
    assert neighbour_names(html, "gemeinden") == ["Gemeinde Zwei", "Stadt Zwanzig"]
    assert "5,6 km" in html and "16,7 km" in html and "2,2 km" in html
    assert '<option value="25" selected>' in html
    siebzehn = html.split("Kreis Siebzehn")[1].split("</tr>")[0]
    assert "■" in siebzehn and de("resolution passed") in siebzehn
    assert de("no progress recorded") in html.split("Kreis Sechs")[1].split("</tr>")[0]
    assert neighbour_names(client.get(url, {"km": 10}).content.decode(), "kreise") == ["Kreis Sechs"]
    wide = client.get(url, {"km": 50}).content.decode()
    assert neighbour_names(wide, "kreise") == ["Kreis Sechs", "Kreis Siebzehn", "Kreis Ecke", "Kreis Dreiunddreißig"]
    assert "Hessen" in wide.split("Kreis Dreiunddreißig")[1].split("</tr>")[0]  # another Land is named
    assert neighbour_names(client.get(url, {"km": 100}).content.decode(), "kreise")[-1] == "Kreis Neunundachtzig"
    assert neighbour_names(client.get(url, {"km": "7; drop"}).content.decode(), "kreise") == [
        "Kreis Sechs", "Kreis Siebzehn"]
    assert ">Kreis Mitte</a></th>" not in html  # not its own neighbour


def test_neighbours_are_limited_and_say_so(client, verwaltung_user, around):
    for n in range(3):
        place(f"Gemeinde Nah {n}", kind="gemeinde", lat=51.0 + 0.001 * (n + 1), lon=7.0)
    neighbourhood = selectors.neighbours_of(municipality=around["home"], km=25, limit=2)
    assert [n.place.name for n in neighbourhood.gemeinden] == ["Gemeinde Nah 0", "Gemeinde Nah 1"]
    assert neighbourhood.gemeinden_total == 5
    assert [round(n.distance_km, 1) for n in neighbourhood.kreise] == [5.6, 16.7]


def test_neighbours_in_bounded_queries(client, verwaltung_user, around, django_assert_max_num_queries):
    for n in range(30):
        place(f"Gemeinde {n}", kind="gemeinde", lat=51.0 + 0.002 * n, lon=7.01)
    client.force_login(verwaltung_user)
    client.get(reverse("guidance:index"))
    with django_assert_max_num_queries(5):
        response = client.get(reverse("guidance:neighbours", kwargs={"slug": around["home"].slug}), {"km": 100})
    assert len(neighbour_names(response.content.decode(), "gemeinden")) == 32


def test_a_municipality_without_coordinates_gets_a_clear_message(client, verwaltung_user, around):
    client.force_login(verwaltung_user)
    unlocated = around["unlocated"]
    html = client.get(reverse("guidance:neighbours", kwargs={"slug": unlocated.slug})).content.decode()
    assert de(
        "The register has no coordinates for %(name)s, so its neighbours cannot be found. Once its location is "
        "recorded, this page lists the Kreise and towns nearby.", name=unlocated.name,
    ) in html
    assert 'id="kreise-title"' not in html


def test_neighbours_are_for_staff(client, around, koordination_user):
    url = reverse("guidance:neighbours", kwargs={"slug": around["home"].slug})
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    client.force_login(UserFactory(username="t-ohne-rolle"))
    assert client.get(url).status_code == 403
    client.force_login(koordination_user)  # any staff role, also for a municipality they do not coordinate
    assert client.get(url).status_code == 200
    assert client.get(reverse("guidance:neighbours", kwargs={"slug": "gibt-es-nicht"})).status_code == 404


def test_neighbours_show_the_stage_only_never_internal_notes(client, verwaltung_user, around, steps):
    row = StepProgress.objects.get(municipality=around["k17"])
    row.notes = "Interne Notiz: Frau X fragen"
    row.responsible = "Herr Y"
    row.save()
    client.force_login(verwaltung_user)
    html = client.get(reverse("guidance:neighbours", kwargs={"slug": around["home"].slug})).content.decode()
    assert "Interne Notiz" not in html and "Herr Y" not in html
    html = client.get(MAP).content.decode()
    assert "Interne Notiz" not in html and "Herr Y" not in html
