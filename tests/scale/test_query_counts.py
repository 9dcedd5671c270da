"""Every key page runs a fixed number of SQL queries (at most 12), whatever the data size.

Each page is measured with small and with larger synthetic networks on the real municipality register
(loaded by the generator); the count must stay within
the limit on both and must not grow with the data. The page cache is on, as in production, and
emptied before each measured request: the count is that of a page rendered afresh, including the
read of the content version; a page served from the cache needs only that read (and, signed in,
the session).
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guidance.models import RoadmapStep
from networks.models import Actor, ActorType
from portal.core import pagecache, roles
from portal.demo import national
from tests.factories.accounts import UserFactory

MAX_QUERIES = 12
SMALL, LARGE = 0.002, 0.008


def build(scale, *, reset=False):
    """Demo content plus synthetic networks at ``scale``; the key pages as (key, url, roles)."""
    devnull = open("/dev/null", "w")  # noqa: SIM115
    if not reset:
        call_command("seed_demo", force=True, stdout=devnull)
    args = ["generate_national_data", "--scale", str(scale), "--seed", "5"] + (["--reset"] if reset else [])
    call_command(*args, stdout=devnull)
    kreis = national.benchmark_kreis()
    actor = Actor.objects.filter(municipality=kreis, is_active=True).order_by("pk").first()
    coordinator = UserFactory(username=f"q-koordination-{scale}", roles=[roles.KOORDINATION])
    kreis.coordinators.add(coordinator)
    step = RoadmapStep.objects.order_by("number").first()
    example = national.synthetic_examples().order_by("pk").first()
    # Facet values that have results, so the lists render rows and run their prefetches.
    actor_type = ActorType.objects.filter(actors__municipality__bundesland="05").order_by("order", "pk").first()
    found = (
        national.synthetic_examples().filter(implementation__icontains="Sucht", target_groups__isnull=False)
        .select_related("municipality").order_by("pk").first()
    )
    land, group = found.municipality.bundesland, found.target_groups.order_by("pk").first()
    both = ("anonymous", "coordinator")
    pages = [
        ("home", "/", both),
        ("roadmap-step", f"/leitfaden/fahrplan/{step.slug}/", both),
        ("catalogue-search", f"/gute-praxis/?q=Sucht&bundesland={land}&target_group={group.slug}", both),
        ("example", f"/gute-praxis/{example.slug}/", both),
        ("registry-list", f"/register/partner/?type={actor_type.slug}&land=05", both),
        ("registry-all", "/register/partner/", both),
        ("municipality-list", "/register/kommunen/", both),
        ("municipality", f"/register/kommunen/{kreis.slug}/", both),
        ("municipality-progress", f"/leitfaden/kommunen/{kreis.slug}/", ("coordinator",)),
        ("actor", f"/register/partner/{actor.pk}/", both),
        ("hsds-kreis", f"/register/kommunen/{kreis.slug}/hsds.json", ("anonymous",)),
        ("site-search", "/suche/?q=Suchtberatung", both),
    ]
    return coordinator, pages


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    pagecache.clear()
    yield
    pagecache.clear()


def measure(client, coordinator, pages, django_assert_max_num_queries) -> dict[str, int]:
    """Each key page as each of its roles, rendered afresh and then from the cache: within the
    limits, and what the page must show; returns the counts of the fresh renderings."""
    counts = {}
    for key, url, page_roles in pages:
        for role in page_roles:
            client.logout()
            if role == "coordinator":
                client.force_login(coordinator)
            client.get(url)  # the first request may fill other caches
            pagecache.clear()
            with django_assert_max_num_queries(MAX_QUERIES, info=f"{key}:{role} rendered afresh"):
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(url)
            assert response.status_code == 200, f"{key}:{role} {url} -> {response.status_code}"
            counts[f"{key}:{role}"] = len(ctx.captured_queries)
            if key == "catalogue-search":
                assert b"catalogue-card" in response.content, "the search must find examples"
            if key == "registry-list":
                assert b'<li class="card' in response.content, "the filtered list must show partners"
            # Served from the cache: the content version, and for a signed-in user the session.
            with django_assert_max_num_queries(1 if role == "anonymous" else 2, info=f"{key}:{role} from the cache"):
                again = client.get(url)
            assert again.status_code == 200
    return counts


def test_trivial_view_runs_no_query(db, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get("/healthz")
    assert response.content == b"ok"


def test_key_pages_stay_within_the_limit_and_do_not_grow_with_the_data(
    db, client, page_cache, django_assert_max_num_queries
):
    small = measure(client, *build(SMALL), django_assert_max_num_queries)
    large = measure(client, *build(LARGE, reset=True), django_assert_max_num_queries)
    assert Actor.objects.count() > 3 * SMALL * 250_000
    grown = {key: (small[key], large[key]) for key in small if large[key] > small[key]}
    assert not grown, f"query count grows with the data (small, larger): {grown}"
