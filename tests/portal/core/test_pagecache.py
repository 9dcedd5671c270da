"""The page cache: fast repeat reads, and every edit visible to the next reader at once.

These tests run with real commits (``transactional_db``): the scope versions change only when a
writing transaction commits, as in production. The caches are each test process's own memory (the
embedded default); ``tests/reliability/test_two_servers.py`` runs two servers on one Redis.
"""

import io
import re
import threading

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.models import Actor, Municipality
from portal.core import pagecache
from tests.factories.catalogue import make_example


@pytest.fixture
def cached(settings, transactional_db):
    """The page cache on; yields the queries a page from the cache spends on the versions: none."""
    settings.PAGE_CACHE_ENABLED = True
    pagecache.clear()
    caches["default"].clear()
    yield 0
    pagecache.clear()
    caches["default"].clear()


def stored() -> int:
    """How many pages the cache holds."""
    return len(caches["pages"])


@pytest.fixture
def registry(cached):
    from portal.demo.registry import seed

    seed(stdout=io.StringIO())
    return Municipality.objects.get(slug="kreis-heinsberg")


@pytest.fixture
def actor(registry):
    return Actor.objects.get(name="Kreisjugendamt Heinsberg")


def test_a_repeated_read_is_served_from_the_cache(client, cached, actor, django_assert_num_queries):
    url = actor.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(cached):  # nothing: the versions and the page are in the cache
        second = client.get(url)
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')  # masked anew for every response
    assert token.sub(b"", second.content) == token.sub(b"", first.content)


def test_an_edit_through_the_form_is_visible_to_the_next_reader(client, registry, actor, koordination_user):
    reader = Client()
    assert "Kreisjugendamt Heinsberg" in reader.get(registry.get_absolute_url()).content.decode()
    assert "Kreisjugendamt Heinsberg" in reader.get(actor.get_absolute_url()).content.decode()

    registry.coordinators.add(koordination_user)
    client.force_login(koordination_user)
    page = client.get(reverse("networks:actor-edit", args=[actor.pk]))
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update(name="Amt für Jugend und Familie Heinsberg", version=actor.version)
    data["target_groups"] = [g.pk for g in actor.target_groups.all()]
    data["serves"] = [m.pk for m in actor.serves.all()]
    response = client.post(reverse("networks:actor-edit", args=[actor.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    assert "Amt für Jugend und Familie Heinsberg" in reader.get(registry.get_absolute_url()).content.decode()
    assert "Amt für Jugend und Familie Heinsberg" in reader.get(actor.get_absolute_url()).content.decode()
    listing = reader.get("/register/partner/?q=Familie").content.decode()
    assert "Amt für Jugend und Familie Heinsberg" in listing


def test_an_edit_committed_by_another_process_is_seen_at_once(client, actor):
    """Another thread commits: the versions change in the cache every process reads."""
    url = actor.get_absolute_url()
    assert "Kreisjugendamt Heinsberg" in client.get(url).content.decode()

    def other_process():
        try:
            other = Actor.objects.get(pk=actor.pk)
            other.name = "Jugendamt (umbenannt in anderem Prozess)"
            other.save()
        finally:
            connection.close()

    worker = threading.Thread(target=other_process)
    worker.start()
    worker.join()
    assert "Jugendamt (umbenannt in anderem Prozess)" in client.get(url).content.decode()


def test_a_catalogue_edit_by_the_editors_is_visible_at_once(client, cached, redaktion_user):
    from guidance.catalogue import services as services_catalogue

    example = make_example(user=redaktion_user, title="Patenschaften für Kinder in Musterstadt")
    assert "Patenschaften für Kinder in Musterstadt" in client.get("/gute-praxis/").content.decode()
    assert client.get(example.get_absolute_url()).status_code == 200
    services_catalogue.example_archive(example=example, user=redaktion_user)
    assert "Patenschaften für Kinder in Musterstadt" not in client.get("/gute-praxis/").content.decode()
    assert client.get(example.get_absolute_url()).status_code == 404


def test_each_user_and_language_gets_its_own_page(client, registry, actor, koordination_user):
    registry.coordinators.add(koordination_user)
    anonymous = Client()
    url = actor.get_absolute_url()
    edit_url = reverse("networks:actor-edit", args=[actor.pk])
    assert edit_url not in anonymous.get(url).content.decode()
    client.force_login(koordination_user)
    assert edit_url in client.get(url).content.decode()
    assert edit_url not in anonymous.get(url).content.decode()  # the coordinator's page is not shared

    english = Client()
    english.cookies["sn_language"] = "en"
    assert 'lang="en"' in english.get(url).content.decode()
    assert 'lang="de"' in anonymous.get(url).content.decode()


def test_a_new_role_shows_at_once(client, registry, actor, koordination_user):
    client.force_login(koordination_user)
    url = actor.get_absolute_url()
    edit_url = reverse("networks:actor-edit", args=[actor.pk])
    assert edit_url not in client.get(url).content.decode()
    registry.coordinators.add(koordination_user)
    assert edit_url in client.get(url).content.decode()


def test_messages_are_shown_once_and_never_cached(client, registry, actor, koordination_user):
    registry.coordinators.add(koordination_user)
    client.force_login(koordination_user)
    url = actor.get_absolute_url()
    client.get(url)  # cached without a message
    response = client.post(reverse("networks:actor-verify", args=[actor.pk]), {"version": actor.version}, follow=True)
    first = response.content.decode()
    assert 'role="status"' in first and "alert-success" in first
    message = re.search(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', first, re.S)
    assert message is not None
    again = client.get(url).content.decode()
    assert message.group(1).strip() not in again


def test_forms_on_cached_pages_carry_each_visitors_own_csrf_token(registry, actor, koordination_user):
    registry.coordinators.add(koordination_user)
    url = actor.get_absolute_url()
    visitors, tokens = [], []
    for _ in range(2):  # the first request stores the page, the second is served from the cache
        visitor = Client(enforce_csrf_checks=True)
        visitor.force_login(koordination_user)
        html = visitor.get(url).content.decode()
        assert pagecache.CSRF_PLACEHOLDER not in html
        visitors.append(visitor)
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1))
    for visitor, token in zip(visitors, tokens, strict=True):
        actor.refresh_from_db()
        response = visitor.post(
            reverse("networks:actor-verify", args=[actor.pk]),
            {"version": actor.version, "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302  # accepted: the token matches this visitor's cookie
    assert tokens[0] != tokens[1]


def test_an_import_is_visible_at_once(client, registry, koordination_user):
    from networks import importer

    listing = "/register/partner/?q=Patenschaftsdienst"
    assert "Patenschaftsdienst Wassenberg" not in client.get(listing).content.decode()
    content = (
        "Name;Typ;Träger-Art;Träger;Straße;PLZ;Ort;E-Mail;Zielgruppen\r\n"
        "Patenschaftsdienst Wassenberg;suchtberatung;frei;Caritas;Roerstraße 1;41849;Wassenberg;;\r\n"
    ).encode()
    result = importer.check_file(content, "partner.csv")
    assert result.is_valid, [row.errors for row in result.rows]
    registry.coordinators.add(koordination_user)
    importer.write_rows(result=result, municipality=registry, by=koordination_user)
    assert "Patenschaftsdienst Wassenberg" in client.get(listing).content.decode()


def test_a_login_does_not_empty_the_cache(client, actor, koordination_user, password):
    before = pagecache.versions([pagecache.SITE, pagecache.ANY])
    response = client.post(reverse("login"), {"username": koordination_user.username, "password": password})
    assert response.status_code == 302
    assert pagecache.versions([pagecache.SITE, pagecache.ANY]) == before


def test_error_pages_and_redirects_are_not_cached(client, cached):
    assert client.get("/leitfaden/kommunen/").status_code == 302  # to the login
    assert client.get("/register/partner/999999/").status_code == 404
    assert stored() == 0


def test_a_signed_in_page_from_the_cache_needs_only_the_session(
    client, cached, registry, actor, koordination_user, django_assert_num_queries
):
    registry.coordinators.add(koordination_user)
    client.force_login(koordination_user)
    url = actor.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(1 + cached):
        html = client.get(url).content.decode()
    assert reverse("networks:actor-edit", args=[actor.pk]) in html


def test_a_session_from_before_a_password_change_gets_no_cached_page(registry, actor, koordination_user, password):
    registry.coordinators.add(koordination_user)
    url = actor.get_absolute_url()
    edit_url = reverse("networks:actor-edit", args=[actor.pk])
    old = Client()
    old.force_login(koordination_user)
    assert edit_url in old.get(url).content.decode()

    koordination_user.set_password("Ein-ganz-neues-Passwort-2026")
    koordination_user.save()
    new = Client()
    new.force_login(koordination_user)
    assert edit_url in new.get(url).content.decode()  # cached for the new session
    assert edit_url not in old.get(url).content.decode()  # the old session is signed out


@pytest.fixture
def coordinator_page(client, registry, actor, koordination_user):
    """The actor's page, cached for its signed-in coordinator: (address, the edit link it shows)."""
    registry.coordinators.add(koordination_user)
    client.force_login(koordination_user)
    url = actor.get_absolute_url()
    edit_url = reverse("networks:actor-edit", args=[actor.pk])
    assert edit_url in client.get(url).content.decode()
    return url, edit_url


def test_a_signed_out_session_gets_no_cached_page(client, coordinator_page):
    url, edit_url = coordinator_page
    stolen = client.cookies["sessionid"].value
    assert client.post(reverse("logout")).status_code == 302
    replay = Client()
    replay.cookies["sessionid"] = stolen
    assert edit_url not in replay.get(url).content.decode()


def test_a_deactivated_account_gets_no_cached_page(client, coordinator_page, koordination_user):
    url, edit_url = coordinator_page
    koordination_user.is_active = False
    koordination_user.save()
    assert edit_url not in client.get(url).content.decode()


def test_a_bulk_write_with_a_bump_is_visible_at_once(client, cached, actor):
    url = actor.get_absolute_url()
    client.get(url)
    Actor.objects.filter(pk=actor.pk).update(name="Jugendamt nach einer Massenänderung")  # no signal
    pagecache.bump()  # as the bulk writers do
    assert "Jugendamt nach einer Massenänderung" in client.get(url).content.decode()


def test_an_unreachable_cache_serves_pages_uncached(client, cached, actor, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(pagecache, "versions", unreachable)
    url = actor.get_absolute_url()
    assert client.get(url).status_code == 200
    Actor.objects.filter(pk=actor.pk).update(name="Jugendamt ohne Cache")
    assert "Jugendamt ohne Cache" in client.get(url).content.decode()
    assert stored() == 0


def test_made_up_query_strings_add_nothing_to_the_cache(client, cached, actor):
    """Security finding 8: ``?v=1``..``?v=80`` grew each worker by 65 MB."""
    url = actor.get_absolute_url()
    client.get(url)
    assert stored() == 1
    for n in range(80):
        response = client.get(f"{url}?v={n}")
        assert response.status_code == 200
    assert stored() == 1  # answered afresh, never stored


def test_every_cached_view_declares_the_parameters_it_reads():
    """A parameter a view reads but does not declare would be answered afresh every time (never wrong,
    but uncached); one it declares is part of the key."""
    from django.urls import get_resolver

    def views(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern.url_patterns)
            else:
                yield pattern.callback

    cached = [view for view in views(get_resolver().url_patterns) if hasattr(view, "page_cache_params")]
    assert len(cached) >= 20
    names = {view.__name__: view.page_cache_params for view in cached}
    assert set(names["actor_list"]) >= {"q", "page", "type", "land"}
    assert set(names["example_list"]) >= {"q", "sort", "page", "keyword"}


def test_the_cache_holds_no_more_bytes_than_allowed(client, cached, actor, settings):
    from portal.settings.base import caches_for

    settings.CACHES = caches_for("", max_mb=0.2)
    pagecache.clear()
    for n in range(40):
        client.get(f"/register/partner/?q=Beratung{n}")
    assert 0 < caches["pages"].size <= 0.2 * 1024 * 1024
    assert stored() < 40  # the oldest pages made room


# ---------------------------------------------------------------------------
# Scopes: an edit invalidates what it changes, not the whole site
# ---------------------------------------------------------------------------


@pytest.fixture
def eschweiler(registry):
    return Municipality.objects.get(slug="stadt-eschweiler")


def test_an_edit_in_one_municipality_leaves_another_municipalitys_page_cached(
    client, registry, actor, eschweiler, django_assert_num_queries
):
    other_url = eschweiler.get_absolute_url()
    before = client.get(other_url).content
    assert client.get(registry.get_absolute_url()).status_code == 200
    listing = "/register/partner/?q=Jugend"
    assert "Kreisjugendamt Heinsberg" in client.get(listing).content.decode()

    actor.name = "Kreisjugendamt Heinsberg (neu benannt)"
    actor.save()

    with django_assert_num_queries(0):  # Eschweiler's page is still cached
        assert client.get(other_url).content == before
    assert "Kreisjugendamt Heinsberg (neu benannt)" in client.get(registry.get_absolute_url()).content.decode()
    assert "Kreisjugendamt Heinsberg (neu benannt)" in client.get(listing).content.decode()
    assert "Kreisjugendamt Heinsberg (neu benannt)" in client.get(actor.get_absolute_url()).content.decode()


def test_an_edit_of_a_towns_partner_refreshes_its_kreis(client, registry, eschweiler, django_assert_num_queries):
    town_actor = Actor.objects.filter(municipality__parent=registry).first()
    assert town_actor is not None, "the demo registry has partners in the towns of Kreis Heinsberg"
    kreis_url = registry.get_absolute_url()
    client.get(kreis_url)
    client.get(eschweiler.get_absolute_url())
    town_actor.name = "Beratungsstelle mit neuem Namen"
    town_actor.save()
    assert "Beratungsstelle mit neuem Namen" in client.get(kreis_url).content.decode()
    with django_assert_num_queries(0):
        client.get(eschweiler.get_absolute_url())


def test_a_partner_moved_to_another_municipality_leaves_both_pages_fresh(client, registry, actor, eschweiler):
    client.get(registry.get_absolute_url())
    client.get(eschweiler.get_absolute_url())
    assert f"{actor.name}</a> <span class=\"small text-body-secondary\">– Stadt Eschweiler" not in (
        client.get(registry.get_absolute_url()).content.decode())
    actor.municipality = eschweiler
    actor.save()
    # Still serving the Kreis, now from Eschweiler: both pages show the move at once.
    assert f"{actor.name}</a> <span class=\"small text-body-secondary\">– Stadt Eschweiler" in (
        client.get(registry.get_absolute_url()).content.decode())
    assert actor.name in client.get(eschweiler.get_absolute_url()).content.decode()


def test_a_guidance_edit_leaves_the_registry_cached(client, registry, actor, django_assert_num_queries):
    from guidance.models import GuidancePage

    page = GuidancePage.objects.create(slug="netzwerkpflege", title="Netzwerkpflege", area="practice", body="Alt")
    urls = [registry.get_absolute_url(), actor.get_absolute_url(), "/register/partner/", "/register/kommunen/"]
    for url in urls:
        assert client.get(url).status_code == 200
    page.body = "Neu"
    page.save()
    for url in urls:
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200


def test_a_new_coordinator_changes_every_page(client, registry, actor, eschweiler, koordination_user):
    """Roles change what a page offers (edit links): a write nobody declared changes ``site``."""
    eschweiler_actor = Actor.objects.filter(municipality=eschweiler).first()
    client.force_login(koordination_user)
    url = eschweiler_actor.get_absolute_url()
    edit_url = reverse("networks:actor-edit", args=[eschweiler_actor.pk])
    assert edit_url not in client.get(url).content.decode()
    eschweiler.coordinators.add(koordination_user)
    assert edit_url in client.get(url).content.decode()


def test_a_cooperation_change_refreshes_its_partners_municipalities(client, registry, actor, eschweiler):
    from networks.models import Cooperation

    cooperation = Cooperation.objects.filter(municipality=registry, is_active=True).first()
    url = registry.get_absolute_url()
    client.get(url)
    cooperation.title = "Arbeitskreis mit neuem Namen"
    cooperation.save()
    assert "Arbeitskreis mit neuem Namen" in client.get(url).content.decode()

    partner = cooperation.actors.first()
    home = pagecache.municipality(partner.municipality.slug)
    scopes = [pagecache.municipality(registry.slug), home, "registry"]
    eschweiler_scope = pagecache.municipality(eschweiler.slug)
    before = pagecache.versions([*scopes, eschweiler_scope])
    cooperation.actors.clear()  # the partners' gap analyses change too
    after = pagecache.versions([*scopes, eschweiler_scope])
    assert all(after[scope] != before[scope] for scope in scopes)
    assert after[eschweiler_scope] == before[eschweiler_scope]


def test_every_declared_view_exists():
    """A typo in networks/caching.py would leave a page on ``any``: correct, but never what was meant."""
    from django.urls import get_resolver

    def views(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern.url_patterns)
            else:
                yield pattern.callback

    names = {getattr(view, "page_cache_name", None) for view in views(get_resolver().url_patterns)}
    assert pagecache.declared_views() <= names
    assert "networks.views.public.municipality_detail" in pagecache.declared_views()


def test_scopes_change_once_the_writing_transaction_commits(cached, registry, actor, eschweiler):
    from django.db import transaction

    scope, other = pagecache.municipality(registry.slug), pagecache.municipality(eschweiler.slug)
    before, other_before = pagecache.versions([scope])[scope], pagecache.versions([other])[other]
    with transaction.atomic():
        actor.name = "Jugendamt, erste Änderung"
        actor.save()
        actor.name = "Jugendamt, zweite Änderung"
        actor.save()
        assert pagecache.versions([scope])[scope] == before  # a reader now still sees the committed page
        try:
            with transaction.atomic():  # a rolled-back savepoint takes nothing of the outer writes along
                eschweiler.name = "Eschweiler (zurückgenommen)"
                eschweiler.save()
                raise RuntimeError
        except RuntimeError:
            pass
    assert pagecache.versions([scope])[scope] != before
    assert pagecache.versions([other])[other] == other_before


def test_the_cache_settings_name_redis_or_local_memory():
    from django.core.exceptions import ImproperlyConfigured

    from portal.settings.base import caches_for

    shared = caches_for("redis://cache.example:6379/1")
    assert {alias: config["BACKEND"] for alias, config in shared.items()} == {
        "default": "django.core.cache.backends.redis.RedisCache",
        "pages": "django.core.cache.backends.redis.RedisCache",
    }
    assert shared["pages"]["LOCATION"] == "redis://cache.example:6379/1"
    local = caches_for("", max_mb=1)
    assert local["pages"]["OPTIONS"]["MAX_BYTES"] == 1024 * 1024
    with pytest.raises(ImproperlyConfigured):
        caches_for("memcached://127.0.0.1:11211")


def test_the_deployment_check_warns_of_a_cache_per_process(settings):
    from portal.settings.base import caches_for

    settings.PAGE_CACHE_ENABLED = True
    assert [w.id for w in pagecache.check_shared_cache()] == ["portal.W001"]
    settings.CACHES = caches_for("redis://127.0.0.1:6379/1")
    assert pagecache.check_shared_cache() == []


def test_a_partner_edit_leaves_the_guide_cached_and_refreshes_what_shows_it(
    client, registry, actor, eschweiler, verwaltung_user, django_assert_num_queries
):
    """The guide's pages declare what they show: a partner's edit leaves the roadmap, the figures and
    the home page cached, and refreshes the site search and its municipality's progress page."""
    from guidance.models import RoadmapStep

    step = RoadmapStep.objects.create(number=1, slug="problem-erkennen", title="Problem erkennen")
    guide = ["/", reverse("guidance:index"), reverse("guidance:roadmap"), step.get_absolute_url(),
             reverse("guidance:figures"), reverse("guidance:costs")]
    for url in guide:
        assert client.get(url).status_code == 200
    search = "/suche/?q=Kreisjugendamt"
    assert "Kreisjugendamt Heinsberg" in client.get(search).content.decode()
    reader = Client()
    reader.force_login(verwaltung_user)
    progress, other = (reverse("guidance:progress", args=[m.slug]) for m in (registry, eschweiler))
    assert reader.get(progress).status_code == 200
    assert reader.get(other).status_code == 200

    actor.name = "Kreisjugendamt Heinsberg (umbenannt)"
    actor.save()

    for url in guide:
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200
    with django_assert_num_queries(1):  # the session only: the page comes from the cache
        assert reader.get(other).status_code == 200
    assert "Kreisjugendamt Heinsberg (umbenannt)" in client.get(search).content.decode()
    with CaptureQueriesContext(connection) as rendered:  # its gap analysis counts the partners anew
        assert reader.get(progress).status_code == 200
    assert len(rendered) > 1


def test_a_published_example_shows_on_its_roadmap_step_at_once(client, cached, redaktion_user):
    from guidance.models import RoadmapStep

    step = RoadmapStep.objects.create(number=1, slug="problem-erkennen", title="Problem erkennen")
    assert "Lotsendienst im Kreis" not in client.get(step.get_absolute_url()).content.decode()
    make_example(user=redaktion_user, title="Lotsendienst im Kreis", steps=[step.pk])
    assert "Lotsendienst im Kreis" in client.get(step.get_absolute_url()).content.decode()
