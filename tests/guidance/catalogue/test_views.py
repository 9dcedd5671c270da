"""The catalogue's pages per role: list, detail, fact sheet, editing, review; fixed query counts."""

import pytest
from django.urls import reverse

from guidance.catalogue.models import Example, ExampleStatus
from tests.factories.catalogue import (
    ActorFactory,
    KeywordFactory,
    MunicipalityFactory,
    RoadmapStepFactory,
    TargetGroupFactory,
    make_example,
)
from tests.german import de

pytestmark = pytest.mark.django_db


@pytest.fixture
def muni():
    return MunicipalityFactory(name="Kreis Beispiel", slug="kreis-beispiel", kind="kreis", regierungsbezirk="Köln",
                               seat="Beispielstadt", population=248_233)


@pytest.fixture
def coordinator(koordination_user, muni):
    muni.coordinators.add(koordination_user)
    return koordination_user


def login(client, user, password):
    client.force_login(user)



def as_posted(form):
    """What a browser sends back for a loaded form: each field's rendered value (a picker's text, not a
    primary key)."""
    data = {}
    for name, value in form.initial.items():
        if value in (None, [], ""):
            continue
        field = form.fields.get(name)
        data[name] = field.prepare_value(value) if getattr(field, "objects_for", None) else value
    return data

def test_list_shows_published_only_with_highlighted_excerpt(client, muni):
    make_example(municipality=muni, title="Öffentlich", goal="Eltern in Substitution werden begleitet.")
    make_example(municipality=muni, title="Geheimer Entwurf", publish=False)
    response = client.get(reverse("catalogue:index"), {"q": "substitution"})
    html = response.content.decode()
    assert "Öffentlich" in html and "Geheimer Entwurf" not in html
    assert "<mark>Substitution</mark>" in html


def test_list_filters_by_facet_from_a_shareable_url(client, muni):
    keyword = KeywordFactory(name="Suchthilfe", slug="suchthilfe")
    make_example(municipality=muni, title="Mit Stichwort", keywords=[keyword.pk])
    make_example(municipality=muni, title="Ohne Stichwort")
    html = client.get(reverse("catalogue:index") + "?keyword=suchthilfe").content.decode()
    assert "Mit Stichwort" in html and "Ohne Stichwort" not in html
    assert 'aria-current="true"' in html


def test_list_pages_keep_the_ranking_and_show_each_cards_keywords(client, muni):
    first, second = KeywordFactory(name="Patenschaft", slug="patenschaft", order=1), KeywordFactory(
        name="Elternarbeit", slug="elternarbeit", order=2)
    for i in range(23):
        make_example(municipality=muni, title=f"Beispiel {i:02d}", keywords=[second.pk, first.pk] if i == 22 else [],
                     goal="Kinder psychisch kranker Eltern finden Paten.")
    top = make_example(municipality=muni, title="Patenschaften für Kinder", goal="Paten begleiten Kinder.")
    response = client.get(reverse("catalogue:index"), {"q": "Patenschaften"})
    # The title match ranks before the example that has it only as a keyword.
    assert [e.title for e in response.context["page_obj"]] == ["Patenschaften für Kinder", "Beispiel 22"]
    assert response.context["page_obj"][0].pk == top.pk

    by_date = client.get(reverse("catalogue:index"), {"sort": "date"}).context["page_obj"]
    second_page = client.get(reverse("catalogue:index"), {"sort": "date", "page": 2}).context["page_obj"]
    assert by_date.paginator.count == 24 and len(by_date) == 20 and len(second_page) == 4
    titles = [e.title for e in by_date] + [e.title for e in second_page]
    assert titles == [e.title for e in Example.objects.order_by("-last_published_at", "title")]
    html = client.get(reverse("catalogue:index"), {"q": "Beispiel 22"}).content.decode()
    # The card lists its keywords in their vocabulary's order.
    assert html.index(">Patenschaft</span>") < html.index(">Elternarbeit</span>")


def _bulk(muni, n):
    keyword = KeywordFactory(name="Suchthilfe", slug="suchthilfe")
    step = RoadmapStepFactory(slug="umsetzen", title="Umsetzen", number=7)
    group = TargetGroupFactory(slug="eltern-sucht", name="Eltern mit Sucht")
    for i in range(n):
        make_example(municipality=muni, title=f"Beispiel Sucht {i}", keywords=[keyword.pk], steps=[step.pk],
                     target_groups=[group.pk], municipalities=[muni.pk], legal_form="informell")


@pytest.mark.parametrize("n", [2, 25])
def test_list_and_search_have_a_fixed_query_count(client, muni, n, django_assert_max_num_queries):
    _bulk(muni, n)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("catalogue:index"))
    assert response.status_code == 200
    with django_assert_max_num_queries(20):
        response = client.get(reverse("catalogue:index"), {"q": "Sucht", "keyword": "suchthilfe", "sort": "date"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == n
    assert len(response.context["page_obj"]) == min(n, 20)


@pytest.mark.parametrize("n", [2, 25])
def test_site_search_has_a_fixed_query_count(client, muni, n, django_assert_max_num_queries):
    _bulk(muni, n)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("search"), {"q": "Sucht"})
    assert "Beispiel Sucht" in response.content.decode()


def test_detail_in_fixed_structure_with_registry_links(client, muni):
    actor = ActorFactory(name="Suchtberatungsstelle Beispiel", municipality=muni)
    example = make_example(
        municipality=muni, title="Kooperation Sucht und Jugendhilfe", legal_form="oeffentlich_rechtlich",
        since_month=5, since_year=2016, participants=[{"actor": actor.pk, "name": actor.name}, {"name": "Freier Träger"}],
        contact_organisation="Kreisverwaltung", contact_phone="01234 5", links=[{"url": "https://example.org", "label": "Quelle"}],
        criteria=[{"criterion": "vernetzung", "justification": "Alle am Tisch."}], figures_note="Fläche widersprüchlich.",
    )
    html = client.get(example.get_absolute_url()).content.decode()
    for heading in ("Occasion", "Goal", "Implementation", "Financing", "Contact", "Municipalities involved"):
        assert f">{de(heading)}</h2>" in html
    assert "öffentlich-rechtliche Vereinbarung" in html and "Mai 2016" in html
    assert "248.233" in html and "Köln" in html
    assert "Fläche widersprüchlich." in html and "Alle am Tisch." in html
    assert "Freier Träger" in html and "Suchtberatungsstelle Beispiel" in html
    assert html.count("<h1") == 1


def test_fact_sheet_print_view(client, muni):
    example = make_example(municipality=muni, title="Steckbrief-Test")
    response = client.get(reverse("catalogue:print", kwargs={"slug": example.slug}))
    html = response.content.decode()
    assert response.status_code == 200 and "Steckbrief-Test" in html and "catalogue-print.js" in html
    assert "<script>" not in html


def test_related_examples_share_keywords_or_steps(client, muni):
    keyword = KeywordFactory(name="Frühe Hilfen", slug="fruehe-hilfen")
    example = make_example(municipality=muni, title="Erstes", keywords=[keyword.pk])
    make_example(municipality=muni, title="Verwandtes", keywords=[keyword.pk])
    make_example(municipality=muni, title="Fremdes")
    html = client.get(example.get_absolute_url()).content.decode()
    assert "Verwandtes" in html and "Fremdes" not in html


@pytest.mark.parametrize("who", ["anonymous", "verwaltung", "other_koordination"])
def test_draft_is_404_for_those_who_may_not_see_it(client, muni, who, password, verwaltung_user,
                                                    other_koordination_user):
    draft = make_example(municipality=muni, title="Entwurf", publish=False)
    if who == "verwaltung":
        login(client, verwaltung_user, password)
    elif who == "other_koordination":
        login(client, other_koordination_user, password)
    for name in ("detail", "print"):
        assert client.get(reverse(f"catalogue:{name}", kwargs={"slug": draft.slug})).status_code == 404
    assert client.get(reverse("search"), {"q": "Entwurf"}).content.decode().count(draft.get_absolute_url()) == 0


def test_coordinator_sees_own_draft(client, muni, coordinator, password):
    draft = make_example(municipality=muni, title="Mein Entwurf", publish=False)
    login(client, coordinator, password)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "Mein Entwurf" in html and de("Submit for review") in html


def test_coordinator_creates_and_submits_via_pages(client, muni, coordinator, password):
    login(client, coordinator, password)
    response = client.post(reverse("catalogue:create"), {
        "title": "Lotsen im Kreis", "municipality": muni.pk, "lead_name": "Jugendamt",
        "goal": "Familien finden Hilfe.", "links": "https://example.org/bericht Bericht",
        "criterion_vernetzung": "Viele Partner.",
    })
    example = Example.objects.get(title="Lotsen im Kreis")
    assert response.status_code == 302 and example.status == ExampleStatus.DRAFT
    assert example.criteria.get().criterion == "vernetzung"
    client.post(reverse("catalogue:submit", kwargs={"slug": example.slug}))
    example.refresh_from_db()
    assert example.status == ExampleStatus.SUBMITTED
    # The coordinator cannot open the review page or publish.
    review = reverse("catalogue:review", kwargs={"slug": example.slug})
    assert client.get(review).status_code == 403
    assert client.post(review, {"action": "publish"}).status_code == 403
    example.refresh_from_db()
    assert example.status == ExampleStatus.SUBMITTED


def test_form_errors_are_german(client, muni, coordinator, password):
    login(client, coordinator, password)
    html = client.post(reverse("catalogue:create"), {"title": "", "links": "kein-link"}).content.decode()
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert de("Line %(number)s is not a web address starting with http:// or https://.", number=1) in html


def test_coordinator_cannot_create_for_foreign_municipality(client, muni, coordinator, password):
    other = MunicipalityFactory(name="Fremd", slug="fremd")
    login(client, coordinator, password)
    response = client.post(reverse("catalogue:create"), {"title": "X", "municipality": other.pk, "lead_name": "Y"})
    assert response.status_code == 200 and not Example.objects.exists()


def test_redaktion_reviews_with_diff_asks_for_changes_and_publishes(client, muni, coordinator, redaktion_user, password):
    example = make_example(municipality=muni, title="Alt")
    login(client, coordinator, password)
    edit = reverse("catalogue:edit", kwargs={"slug": example.slug})
    form = client.get(edit).context["form"]
    data = as_posted(form)
    data.update({"title": "Neu", "municipality": muni.pk})
    client.post(edit, data)
    client.post(reverse("catalogue:submit", kwargs={"slug": example.slug}))
    assert "Alt" in client.get(example.get_absolute_url()).content.decode()
    client.logout()

    login(client, redaktion_user, password)
    review = reverse("catalogue:review", kwargs={"slug": example.slug})
    html = client.get(review).content.decode()
    assert "Alt</del>" in html and "Neu</ins>" in html
    response = client.post(review, {"action": "request_changes", "comment": ""})
    assert de("Please explain in a comment what should change.") in response.content.decode()
    client.post(review, {"action": "request_changes", "comment": "Quelle fehlt."})
    history = client.get(reverse("catalogue:history", kwargs={"slug": example.slug})).content.decode()
    assert "Quelle fehlt." in history
    client.logout()

    login(client, coordinator, password)
    client.post(reverse("catalogue:submit", kwargs={"slug": example.slug}))
    client.logout()
    login(client, redaktion_user, password)
    client.post(review, {"action": "publish"})
    example.refresh_from_db()
    assert example.title == "Neu" and example.status == ExampleStatus.PUBLISHED


def test_stale_edit_shows_what_the_other_person_changed(client, muni, coordinator, redaktion_user, password):
    from guidance.catalogue import services as svc
    from tests.factories.catalogue import example_data

    example = make_example(municipality=muni, title="Start", publish=False)
    login(client, coordinator, password)
    edit = reverse("catalogue:edit", kwargs={"slug": example.slug})
    form = client.get(edit).context["form"]
    svc.example_save(example=example, user=redaktion_user, version=example.version,
                     data=example_data(muni, title="Von der Redaktion"))
    data = as_posted(form)
    data.update({"title": "Meins", "municipality": muni.pk})
    response = client.post(edit, data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Von der Redaktion" in html and "Was sich seit dem Öffnen des Formulars geändert hat" in html
    assert redaktion_user.get_full_name() in html  # who changed it
    example.refresh_from_db()
    assert example.title == "Von der Redaktion"
    # The user's input is kept; saving again, knowingly, builds on the current version.
    kept = response.context["form"]
    assert kept.data["title"] == "Meins" and int(kept.data["version"]) == example.version
    client.post(edit, kept.data)
    example.refresh_from_db()
    assert example.title == "Meins"


def test_manage_page_lists_queue_for_redaktion(client, muni, coordinator, redaktion_user, password):
    from guidance.catalogue import services as svc

    example = make_example(municipality=muni, title="Wartet", publish=False)
    svc.example_submit(example=example, user=coordinator)
    login(client, redaktion_user, password)
    html = client.get(reverse("catalogue:manage")).content.decode()
    assert "Wartet" in html and reverse("catalogue:review", kwargs={"slug": example.slug}) in html


def test_sort_by_date_puts_the_newest_first(client, muni):
    from datetime import timedelta

    from django.utils import timezone

    old = make_example(municipality=muni, title="Sucht im Titel")
    new = make_example(municipality=muni, title="Neuer Eintrag", goal="Auch hier geht es um Sucht.")
    Example.objects.filter(pk=old.pk).update(last_published_at=timezone.now() - timedelta(days=30))
    by_date = client.get(reverse("catalogue:index"), {"q": "Sucht", "sort": "date"}).context["page_obj"]
    assert [e.pk for e in by_date] == [new.pk, old.pk]
    by_relevance = client.get(reverse("catalogue:index"), {"q": "Sucht"}).context["page_obj"]
    assert [e.pk for e in by_relevance] == [old.pk, new.pk]


def test_invalid_filter_value_shows_a_hint_not_an_error(client, muni):
    make_example(municipality=muni)
    response = client.get(reverse("catalogue:index"), {"bundesland": "99", "page": "abc", "sort": "x"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 0
    assert de("One of the filters in the address is not valid; please choose it again.") in response.content.decode()


def test_pages_render_with_system_author_and_lead_without_actor(client, muni, redaktion_user):
    """Seeded content has no author and a lead organisation given as text only."""
    from guidance.catalogue import services as svc
    from tests.factories.catalogue import example_data

    example = make_example(municipality=muni, lead_name=muni.name)
    svc.example_save(example=example, user=None, version=example.version, data=example_data(muni, goal="Neu"))
    client.force_login(redaktion_user)
    for name in ("detail", "print", "review", "history"):
        response = client.get(reverse(f"catalogue:{name}", kwargs={"slug": example.slug}))
        assert response.status_code == 200, name
    html = client.get(example.get_absolute_url()).content.decode()
    assert f'<a href="{reverse("networks:municipality-detail", kwargs={"slug": muni.slug})}">{muni.name}</a>' in html
