"""What the pages show to each role."""

import pytest
from django.urls import reverse

from guidance.models import StepProgress
from tests.factories.guidance import GActorTypeFactory, GuidancePageFactory, MaterialFactory

pytestmark = pytest.mark.django_db


def test_index_shows_three_areas_and_the_roadmap(client, steps):
    GuidancePageFactory(title="Rechtsgrundlagen", area="administration")
    html = client.get(reverse("guidance:index")).content.decode()
    for area in ("Entscheidung &amp; Gestaltung", "Aufbau &amp; Umsetzung", "Praxis"):
        assert area in html
    assert "Rechtsgrundlagen" in html
    assert html.count('class="roadmap-sequence__step') == 8
    assert html.count("<h1") == 1


def test_step_page_shows_why_tasks_actor_types_material(client, steps):
    step = steps[2]
    step.why = "Ein Beschluss gibt **Rückendeckung**.<script>alert(1)</script>"
    step.save()
    step.actor_types.add(GActorTypeFactory(name="Jugendamt", slug="jugendamt"))
    MaterialFactory(step=step, title="Beispielvorlage", url="https://www.example.org/vorlage")
    html = client.get(reverse("guidance:step", kwargs={"slug": step.slug})).content.decode()
    assert "<strong>Rückendeckung</strong>" in html
    assert "<script>alert" not in html  # sanitised Markdown
    assert "beschluss-fassen Aufgabe 1" in html
    assert "Jugendamt" in html
    assert "Beispielvorlage" in html
    assert "Schritt 3 von 8" in html


def test_step_page_lists_published_examples_of_the_catalogue(client, steps):
    from tests.factories.catalogue import make_example

    step = steps[5]
    make_example(title="Kooperation Sucht- und Jugendhilfe", steps=[step.pk])
    make_example(title="Noch ein Entwurf", steps=[step.pk], publish=False)
    html = client.get(reverse("guidance:step", kwargs={"slug": step.slug})).content.decode()
    assert "Kooperation Sucht- und Jugendhilfe" in html
    assert "Noch ein Entwurf" not in html


def test_page_renders_markdown_and_sources(client):
    page = GuidancePageFactory(slug="datenschutz", body="## Einwilligung\n\n[Link](javascript:alert(1))", sources="- § 4 KKG")
    html = client.get(page.get_absolute_url()).content.decode()
    assert "<h2>Einwilligung</h2>" in html
    assert "javascript:" not in html
    assert "§ 4 KKG" in html


def test_figures_page_has_charts_with_tables_sources_and_years(client):
    html = client.get(reverse("guidance:figures")).content.decode()
    assert html.count("<svg") == html.count("<caption") == 5
    assert 'role="img"' in html
    assert "style=" not in html.split("<main", 1)[1]  # CSP: no inline styles
    assert "BT-Drs. 18/12247" in html and "2017" in html
    assert "18/11848" not in html  # the question, not the Federal Government's answer with the figure
    assert "im Verlauf eines Jahres" in html  # the 3.8 million counts children over a year
    assert "KiD 0-3 2022" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"children_under_18": "-5"}, "nicht negativ"),
        ({"children_under_18": "viele"}, "ganze Zahl"),
        ({"children_under_18": "99999999999999999999"}, "unplausibel groß"),
        ({"municipality": "gibt-es-nicht"}, "Keine Kommune passt zu „gibt-es-nicht“"),
        ({"children_under_18": "", "children_under_3": ""}, "Kommune"),
    ],
)
def test_estimator_invalid_input_gets_a_message(client, params, message):
    response = client.get(reverse("guidance:estimator"), params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_estimator_heinsberg_from_the_registry(client, heinsberg):
    html = client.get(reverse("guidance:estimator"), {"municipality": "kreis-heinsberg"}).content.decode()
    assert "Schätzung für Kreis Heinsberg" in html
    assert "5.904" in html  # 18 % of 32,800
    assert "900" in html
    assert "18 %" in html


def test_estimator_numbers_entered_by_hand(client):
    html = client.get(reverse("guidance:estimator"), {"children_under_18": "10000"}).content.decode()
    assert "2.190 bis 2.910" in html  # 3 and 4 million of about 13.7 million children under 18
    assert "21,9 % bis 29,1 %" in html
    assert "Zählen Sie die Zeilen nicht zusammen." in html


def test_cost_calculator(client):
    html = client.get(reverse("guidance:costs"), {"families": "100"}).content.decode()
    assert "727.400" in html
    assert "1:13" in html and "1:34" in html
    assert "33.300" in html and "34.100" in html  # the ratios' base: prevention over the life course
    assert "das 60-Fache" in html and "das 159-Fache" in html  # against the 7.274 € of early help
    assert "9.456.200" not in html and "59,5" not in html  # 727,400 × 13 is no avoided cost
    assert "Annäherung" in html
    bad = client.get(reverse("guidance:costs"), {"families": "0"})
    assert bad.status_code == 200 and "mindestens eine Familie" in bad.content.decode()


def test_progress_pages_need_login(client, heinsberg, steps):
    for url in (
        reverse("guidance:progress", kwargs={"slug": heinsberg.slug}),
        reverse("guidance:progress-step-edit", kwargs={"slug": heinsberg.slug, "step_slug": steps[0].slug}),
        reverse("guidance:progress-overview"),
        reverse("guidance:resolution"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_verwaltung_reads_progress_but_cannot_change(client, heinsberg, steps, verwaltung_user):
    StepProgress.objects.create(municipality=heinsberg, step=steps[0], status="done", responsible="Kreisjugendamt")
    client.force_login(verwaltung_user)
    html = client.get(reverse("guidance:progress", kwargs={"slug": heinsberg.slug})).content.decode()
    assert "Unser Fahrplan: Kreis Heinsberg" in html
    assert "Kreisjugendamt" not in html  # who is responsible is internal to the municipality (finding 10)
    assert "1 von 8 Schritten erledigt" in html
    assert reverse("guidance:progress-step-edit", kwargs={"slug": heinsberg.slug, "step_slug": steps[0].slug}) not in html
    url = reverse("guidance:progress-step-edit", kwargs={"slug": heinsberg.slug, "step_slug": steps[0].slug})
    assert client.get(url).status_code == 403
    assert client.post(url, {"version": 1, "status": "open"}).status_code == 403


def test_other_coordinator_cannot_change(client, heinsberg, steps, other_coordinator):
    client.force_login(other_coordinator)
    url = reverse("guidance:progress-step-edit", kwargs={"slug": heinsberg.slug, "step_slug": steps[2].slug})
    assert client.post(url, {"version": 0, "status": "in_progress"}).status_code == 403
    assert not StepProgress.objects.exists()


def test_coordinator_records_the_resolution(client, heinsberg, steps, coordinator):
    client.force_login(coordinator)
    step = steps[2]
    tasks = list(step.tasks.all())
    url = reverse("guidance:progress-step-edit", kwargs={"slug": heinsberg.slug, "step_slug": step.slug})
    form = client.get(url).content.decode()
    assert "Drucksache" in form
    response = client.post(url, {
        "version": 0, "status": "done", "started_on": "2015-06-01", "completed_on": "2015-11-26",
        "done_tasks": [tasks[0].id, tasks[1].id], "responsible": "Kreisjugendamt",
        "resolution-committee": "Kreistag", "resolution-session_date": "2015-11-26",
        "resolution-reference": "0257/2015", "resolution-result": "adopted",
        "resolution-link": "https://sitzungsdienst.example.org/vo0050.asp",
    })
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "0257/2015" in html and "Kreistag" in html and "26. November 2015" in html
    assert "2 von 3 Aufgaben abgehakt" in html


def test_progress_form_shows_validation_messages(client, heinsberg, steps, coordinator):
    client.force_login(coordinator)
    url = reverse("guidance:progress-step-edit", kwargs={"slug": heinsberg.slug, "step_slug": steps[2].slug})
    response = client.post(url, {"version": 0, "status": "done", "resolution-reference": "<b>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "nur Buchstaben, Ziffern" in html
    response = client.post(url, {"version": 0, "status": "done"})
    assert "nur mit seinem Nachweis" in response.content.decode()


def test_stale_progress_form_shows_what_changed(client, heinsberg, steps, coordinator, admin_user):
    from guidance import services

    services.progress_update(municipality=heinsberg, step=steps[1], by=admin_user, version=0, status="in_progress",
                             responsible="Gesundheitsamt")
    client.force_login(coordinator)
    url = reverse("guidance:progress-step-edit", kwargs={"slug": heinsberg.slug, "step_slug": steps[1].slug})
    response = client.post(url, {"version": 0, "status": "done", "responsible": "Jugendamt"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Nicht gespeichert: Jemand anderes hat den Eintrag inzwischen geändert" in html
    assert "Gesundheitsamt" in html and admin_user.get_full_name() in html
    assert StepProgress.objects.get().responsible == "Gesundheitsamt"
    # The person's entries stay in the form, which now carries the current version.
    form = response.context["form"]
    assert form["responsible"].value() == "Jugendamt" and int(form["version"].value()) == 1


def test_overview_for_redaktion_only(client, heinsberg, steps, redaktion_user, verwaltung_user):
    StepProgress.objects.create(municipality=heinsberg, step=steps[0], status="done")
    client.force_login(verwaltung_user)
    assert client.get(reverse("guidance:progress-overview")).status_code == 403
    client.force_login(redaktion_user)
    html = client.get(reverse("guidance:progress-overview")).content.decode()
    assert "Kreis Heinsberg" in html and "1 von 8" in html


def test_redaktion_edits_a_step_in_the_portal_and_history_shows_it(client, steps, redaktion_user):
    client.force_login(redaktion_user)
    step = steps[0]
    url = reverse("guidance:step-edit", kwargs={"slug": step.slug})
    response = client.post(url, {"version": 1, "title": "Problem erkennen", "summary": "Neu", "why": "Warum",
                                 "involve": "", "sources": ""})
    assert response.status_code == 302
    html = client.get(reverse("guidance:step-history", kwargs={"slug": step.slug})).content.decode()
    assert redaktion_user.get_full_name() in html  # who
    assert "(bearbeitet)" in html  # what kind of change, stored as a code and shown in German
    assert "Warum" in html and "Darum ist der Schritt" in html  # what: after and before
    # A second save from the same (now stale) form is refused and names the change.
    response = client.post(url, {"version": 1, "title": "Anders", "summary": "", "why": "", "involve": "", "sources": ""})
    assert response.status_code == 409
    assert "Problem erkennen" in response.content.decode()
    step.refresh_from_db()
    assert step.title == "Problem erkennen"


def test_coordinator_cannot_edit_content(client, steps, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("guidance:step-edit", kwargs={"slug": steps[0].slug})).status_code == 403


def test_site_search_provider_finds_pages_and_steps(steps, anonymous_user):
    from guidance.selectors import site_search_pages

    GuidancePageFactory(title="Datenschutz in der Zusammenarbeit", body="Einwilligung der Eltern")
    steps[2].summary = "Eine Beschlussvorlage mit Einwilligung"
    steps[2].save()
    group = site_search_pages(query="einwilligung", user=anonymous_user, limit=5)
    assert group.key == "pages"
    assert group.total == 2
    assert {hit.title for hit in group.hits} == {"Datenschutz in der Zusammenarbeit", steps[2].title}
    assert all("<mark>" in hit.excerpt for hit in group.hits)


def test_history_names_changed_actor_types(client, steps, redaktion_user):
    step = steps[0]
    step.actor_types.add(GActorTypeFactory(name="Suchtberatungsstelle"))
    client.force_login(redaktion_user)
    html = client.get(reverse("guidance:step-history", kwargs={"slug": step.slug})).content.decode()
    assert "Suchtberatungsstelle" in html


def test_history_is_for_staff_only(client, steps):
    response = client.get(reverse("guidance:step-history", kwargs={"slug": steps[0].slug}))
    assert response.status_code == 302


def test_estimator_fills_in_the_registry_figures(client, heinsberg):
    html = client.get(reverse("guidance:estimator"), {"municipality": "kreis-heinsberg"}).content.decode()
    assert 'value="32800"' in html and 'value="5000"' in html
    # Numbers entered by hand win over the registry's figures.
    params = {"municipality": "kreis-heinsberg", "children_under_18": "40000"}
    html = client.get(reverse("guidance:estimator"), params).content.decode()
    assert 'value="40000"' in html and "rund 7.200" in html  # 18 % of 40,000
    # ... but must stay plausible: the registry has 5,000 children under 3.
    params["children_under_18"] = "1000"
    html = client.get(reverse("guidance:estimator"), params).content.decode()
    assert "nicht mehr Kinder unter 3 als unter 18" in html


def test_material_links_only_to_the_web_or_the_portal(client, steps):
    from django.core.exceptions import ValidationError

    bad = MaterialFactory.build(step=steps[0], url="javascript:alert(1)")
    with pytest.raises(ValidationError):
        bad.full_clean()
    MaterialFactory(step=steps[0], title="Unsicherer Link", url="javascript:alert(1)")  # e.g. imported raw
    html = client.get(reverse("guidance:step", kwargs={"slug": steps[0].slug})).content.decode()
    assert "Unsicherer Link" in html and "javascript:" not in html


def test_step_page_offers_progress_shortcuts_only_for_own_municipalities(client, steps, coordinator, eschweiler):
    client.force_login(coordinator)
    html = client.get(reverse("guidance:step", kwargs={"slug": steps[2].slug})).content.decode()
    assert "Fortschritt für Kreis Heinsberg eintragen" in html
    assert "Stadt Eschweiler" not in html
