# ruff: noqa: S603, S310, S108  (a local benchmark: fixed commands, loopback URLs, a scratch dir)
"""``make bench``: the portal at national scale on PostgreSQL, measured.

Steps: migrate, load the demo content, the official municipality register and synthetic networks on
it if missing, start gunicorn on 127.0.0.1 with the production settings, drive each key page with wrk
(8 connections; the municipality pages are those of a real Landkreis), measure the largest city's
municipality page once (``largest_city_page``), count each page's SQL queries through Django's test
client, time a 10,000-row CSV import, show the catalogue search plan, print one table and, as the
last line, one JSON object keyed ``page:role``. The result is also written
to bench/BENCHMARKS.md together with the machine it ran on.

Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/sn_bench),
BENCH_PORT (8791), BENCH_DURATION seconds per page (8), BENCH_WORKERS gunicorn workers (4),
BENCH_CONNECTIONS (8), BENCH_CACHE_URL: the shared cache of the gunicorn workers (default
redis://127.0.0.1:6379/3, as in production; locmem:// for each worker's own memory),
BENCH_RANDOM_PAGE_COST: the database's random_page_cost (1.1, as the README advises for SSD
storage; empty: the server's default).

Issue 18 (bench/honest.py) adds to the same run: VACUUM ANALYZE after preparing the data; the floor
(/healthz) and the ceiling (a static file through WhiteNoise); the key pages (home, the municipality
pages of the median, 90th-percentile and largest Kreis by population, /register/, a coordinator's
partner edit form ...) cached and uncached (a second gunicorn on BENCH_PORT+1 with
PAGE_CACHE_ENABLED=false), one request at a time and p95 at 8 connections, /healthz right before
each, every page twice; a Zipf mix over the national data without edits, with one edit every 5 s and
with one per second (through networks.services). It refuses to start while the 1-minute load average
exceeds the cores (BENCH_IGNORE_LOAD=1 overrides). More environment: BENCH_MIX_DURATION seconds per
mix phase (30), BENCH_ZIPF_S the Zipf exponent (1.0), BENCH_FLOOR_DURATION seconds of each /healthz
run before a page (3).
"""

from __future__ import annotations

import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import honest  # bench/honest.py: `python bench/run.py` has this folder on sys.path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sn_bench")
PORT = int(os.environ.get("BENCH_PORT", "8791"))
DURATION = int(os.environ.get("BENCH_DURATION", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
RANDOM_PAGE_COST = os.environ.get("BENCH_RANDOM_PAGE_COST", "1.1")
BASE = f"http://127.0.0.1:{PORT}"
LUA = Path(__file__).resolve().parent / "report.lua"

TARGETS = {"anonymous_ratio": 0.5, "user_ratio": 0.2, "p95_ms": 100, "queries": 12, "fts_ms": 20,
           "import_rows_s": 2000, "first_load_kb": 150}

ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "portal.settings.prod",
    "DATABASE_URL": DB_URL,
    "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", "bench-" + secrets.token_hex(24)),
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "STATIC_ROOT": os.environ.get("STATIC_ROOT", "/tmp/sn-bench-static"),
    "LOG_LEVEL": "WARNING",
    # The shared cache of the page cache: a Redis database of its own, or each process's memory.
    "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/3"),
}
VERSION_STORE = f"cache {ENV['CACHE_URL']}"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, check=True, stdout=sys.stderr)


def create_database() -> None:
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    admin_url = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            say(f"== creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def tune_database() -> None:
    """What the README advises for SSD storage: random reads cost about as much as sequential ones."""
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(DB_URL, autocommit=True) as conn:
        if RANDOM_PAGE_COST:
            conn.execute(f'ALTER DATABASE "{name}" SET random_page_cost = {float(RANDOM_PAGE_COST)}')
        else:
            conn.execute(f'ALTER DATABASE "{name}" RESET random_page_cost')


def prepare() -> None:
    create_database()
    tune_database()
    say("== preparing the database (migrate, demo content, register and synthetic networks if missing)")
    manage("migrate", "--noinput", "-v0")
    manage("compile_translations")
    manage("collectstatic", "--noinput", "-v0")
    # The demo content comes first; once synthetic data exists it is there already.
    check = subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c",
         "from portal.demo.national import synthetic_present; print(synthetic_present())"],
        cwd=ROOT, env=ENV, check=True, capture_output=True, text=True,
    ).stdout.strip()
    if check != "True":
        manage("seed_demo", "--force")
    # Idempotent: loads the register if it is missing, replaces the invented country of earlier
    # versions, and does nothing when the synthetic networks are there.
    manage("generate_national_data")


def setup_django() -> None:
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def pick_targets() -> dict:
    """The objects the key pages show, all on the real register: a Landkreis (Kreis Kleve, the first
    of Nordrhein-Westfalen with synthetic partners), the largest city (Berlin), and a coordinator of
    the Kreis."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from guidance.models import RoadmapStep
    from networks.models import Actor, ActorType, TargetGroup
    from portal.core import roles
    from portal.demo import national

    kreis, city = national.benchmark_kreis(), national.largest_city()
    if kreis is None or city is None:
        raise SystemExit("no synthetic networks on the register: run `manage.py generate_national_data`")
    actor = Actor.objects.filter(municipality=kreis, is_active=True, contacts__isnull=False).order_by("pk").first()
    User = get_user_model()
    user, _ = User.objects.get_or_create(username="bench-koordination", defaults={"email": ""})
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=roles.KOORDINATION))
    kreis.coordinators.add(user)
    return {
        "kreis": kreis, "city": city, "actor": actor, "user": user,
        "step": RoadmapStep.objects.order_by("number").first(),
        "example": national.synthetic_examples().filter(status="published").order_by("pk").first(),
        "type": ActorType.objects.order_by("order", "pk").first(),
        "group": TargetGroup.objects.order_by("order", "pk").first(),
    }


def pages(t: dict) -> list[tuple[str, str, tuple[str, ...]]]:
    both = ("anonymous", "coordinator")
    return [
        ("home", "/", both),
        ("roadmap-step", f"/leitfaden/fahrplan/{t['step'].slug}/", both),
        ("catalogue-search", f"/gute-praxis/?q=Sucht&bundesland=05&target_group={t['group'].slug}", both),
        ("example", f"/gute-praxis/{t['example'].slug}/", both),
        ("registry-list", f"/register/partner/?type={t['type'].slug}&land=05", both),
        ("municipality", f"/register/kommunen/{t['kreis'].slug}/", both),
        ("municipality-progress", f"/leitfaden/kommunen/{t['kreis'].slug}/", ("coordinator",)),
        ("actor", f"/register/partner/{t['actor'].pk}/", both),
        ("hsds-kreis", f"/register/kommunen/{t['kreis'].slug}/hsds.json", ("anonymous",)),
        ("site-search", "/suche/?q=Suchtberatung", both),
    ]


def session_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def count_queries(t: dict, page_list) -> dict[str, dict]:
    """Per page: SQL queries and time of a page rendered afresh (page cache emptied first; the
    median of three requests) and the queries of the same page served from the page cache."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext


    anonymous, coordinator = Client(), Client()
    coordinator.force_login(t["user"])
    result = {}
    for key, url, roles in [("trivial", "/healthz", ("anonymous",)), *page_list]:
        for role in roles:
            client = anonymous if role == "anonymous" else coordinator
            client.get(url)  # warm other caches (templates, translations) the way a running server has them
            times, fresh, response = _fresh_renders(client, url, label=f"{url} as {role}")
            with CaptureQueriesContext(connection) as cached:
                client.get(url)
            result[f"{key}:{role}"] = {
                "queries": len(fresh.captured_queries),
                "queries_cached": len(cached.captured_queries),
                "fresh_ms": round(sorted(times)[1], 1),
            }
    return result



def _fresh_renders(client, url: str, *, label: str, runs: int = 3):
    """``url`` rendered afresh ``runs`` times (page cache emptied each time): the times in ms, the
    queries of the last run and its response."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from portal.core import pagecache

    times = []
    for _ in range(runs):
        pagecache.clear()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as fresh:
            response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{label}: HTTP {response.status_code}")
    return times, fresh, response

def largest_city_page(t: dict) -> dict:
    """The municipality page of the largest city (Berlin with the whole register), as an anonymous
    visitor: rendered afresh (median of 3), its size, the partners it lists, its queries and whether
    the page cache keeps it. Not driven with wrk: pages rendered for seconds would still hold the
    workers when the next page's run starts and lower its figures."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from networks import selectors

    city = t["city"]
    url = f"/register/kommunen/{city.slug}/"
    client = Client()
    client.get(url)
    times, fresh, response = _fresh_renders(client, url, label=url)
    with CaptureQueriesContext(connection) as cached:
        client.get(url)
    return {
        "name": city.name, "url": url, "population": city.population or 0,
        "partners": selectors.active_actors_for(municipality=city).count(), "kb": len(response.content) / 1024,
        "queries": len(fresh.captured_queries), "fresh_ms": round(sorted(times)[1], 1),
        "cached": len(cached.captured_queries) < len(fresh.captured_queries),
    }


def import_rate(t: dict) -> tuple[int, float]:
    """Validate and write a generated 10,000-row CSV through the registry's importer; roll back."""
    from django.db import transaction

    from networks import importer
    from networks.models import TargetGroup

    types = list(t["type"].__class__.objects.values_list("name", flat=True))
    groups = list(TargetGroup.objects.values_list("name", flat=True))
    lines = ["Name;Typ;Träger-Art;Träger;Straße;PLZ;Ort;E-Mail;Website;Angebot;Zielgruppen;Sprachen"]
    for n in range(10_000):
        lines.append(
            f"Bench-Import {n} (synthetisch);{types[n % len(types)]};frei;Verein {n % 37};Hauptstraße {n % 300 + 1};"
            f"{10000 + n % 80000:05d};Musterort;bench-{n}@synthetisch.invalid;https://example.invalid/{n};"
            f"Beratung und Begleitung;{groups[n % len(groups)]};Deutsch"
        )
    raw = ("\n".join(lines) + "\n").encode("utf-8")
    started = time.perf_counter()
    with transaction.atomic():
        result = importer.check_file(raw, "bench.csv")
        if not result.is_valid:
            raise SystemExit(f"bench import file invalid: {result.file_errors} {result.row_errors[:1]}")
        count = importer.write_rows(result=result, municipality=t["kreis"], by=t["user"])
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return count, elapsed


def plan_queries(t: dict) -> list[tuple[str, str]]:
    """The catalogue searches whose plans are shown. The target (a full-text search over all
    examples served from the GIN index, under 20 ms) is checked on the query alone, broad (it
    matches most synthetic examples: the generator's vocabulary is small) and selective. The key
    page's query adds two facets, so it searches only the examples they leave; it is shown for its
    plan and checked against the time limit."""
    return [
        ("Sucht alone", "q=Sucht"),
        ("Patenschaft alone", "q=Patenschaft"),
        (FACETED, f"q=Sucht&bundesland=05&target_group={t['group'].slug}"),
    ]


FACETED = "key page: Sucht within Land 05 and a target group"


def search_plans(t: dict) -> list[tuple[str, str, float, bool, float | None]]:
    """EXPLAIN ANALYZE of the catalogue search as the list page runs it (its ranked first page):
    (label, plan, ms, GIN used, ms with table scans switched off or None). The last figure is for
    comparison only, where PostgreSQL chose to read the whole table; the portal never forces it."""
    from django.db import connection, transaction
    from django.http import QueryDict

    from guidance.catalogue import selectors as sel
    from guidance.catalogue.views import PAGE_SIZE

    def execution_ms(plan: str) -> float:
        match = re.search(r"Execution Time: ([\d.]+) ms", plan)
        return float(match.group(1)) if match else float("nan")

    def median_run(first_page) -> tuple[float, str]:
        """The median of three runs: one cold run (a table not yet in memory) says little."""
        runs = sorted((execution_ms(plan), plan) for plan in (first_page.explain(analyze=True) for _ in range(3)))
        return runs[1]

    result = []
    for label, params in plan_queries(t):
        data = QueryDict(params)
        _searched, _filters, ranked = sel.catalogue_results(params=data, query=data["q"], sort="relevance")
        ms, plan = median_run(ranked[:PAGE_SIZE])
        forced = None
        if "Seq Scan on guidance_example " in plan:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
                forced = median_run(ranked[:PAGE_SIZE])[0]
        result.append((label, plan, ms, "guidance_example_search_gin" in plan, forced))
    return result


def first_load() -> tuple[int, list[str]]:
    """Bytes transferred (gzip accepted) for the home page and the assets it references."""
    def fetch(url):
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, br"})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (local server)
            return response.read()

    html = fetch(BASE + "/")
    total = len(html)
    third_party = []
    for ref in re.findall(rb'(?:src|href)="([^"]+)"', html):
        ref = ref.decode()
        if ref.startswith(("http://", "https://", "//")) and not ref.startswith(BASE):
            if re.search(r"\.(css|js|png|svg|woff2?|jpg)(\?|$)", ref):
                third_party.append(ref)
            continue
        if ref.startswith("/static/") or ref.startswith("/media/"):
            total += len(fetch(BASE + ref))
    return total, third_party


def wait_for_server() -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(BASE + "/healthz", timeout=1).read()  # noqa: S310 - fixed http URL of the local server
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def run_wrk(url: str, cookie: str | None, *, port: int = PORT, warm: bool = True, duration: int | None = None) -> dict:
    base = f"http://127.0.0.1:{port}"
    cmd = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration or DURATION}s", "--timeout", "10s", "-s", str(LUA), base + url]
    if cookie:
        cmd[1:1] = ["-H", f"Cookie: {cookie}"]
    if warm:
        subprocess.run([*cmd[:-1], "-d1s", base + url], capture_output=True, check=True)  # warm-up
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    data = json.loads(out.split("WRKJSON", 1)[1].strip().splitlines()[0])
    seconds = data["duration_us"] / 1e6
    done = data["requests"] > 0  # no response within the run: no latency to report
    return {
        "rps": round(data["requests"] / seconds, 1),
        "p50_ms": round(data["p50_us"] / 1000, 1) if done else None,
        "p95_ms": round(data["p95_us"] / 1000, 1) if done else None,
        "errors": data["non2xx"] + data["errors"],
    }


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    except OSError:
        mem_kb = 0
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute("SHOW random_page_cost")
        random_page_cost = cursor.fetchone()[0]
    load = os.getloadavg()
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "postgresql": pg, "os": platform.platform(),
            "database": DB_URL.rsplit("@", 1)[-1], "random_page_cost": random_page_cost,
            "loadavg_before": f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"}


def data_size() -> dict:
    from guidance.catalogue.models import Example
    from networks.models import Actor, Cooperation, Municipality

    return {"municipalities": Municipality.objects.count(), "actors": Actor.objects.count(),
            "with_partners": Actor.objects.values("municipality").distinct().count(),
            "cooperations": Cooperation.objects.count(),
            "published_examples": Example.objects.filter(status="published").count()}


def wait_for(port: int) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()  # noqa: S310 - local server
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn on port {port} did not start")


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: install it with `apt-get install wrk` (the Makefile does this as root).")
    load_start = honest.check_load()
    prepare()
    say("== VACUUM ANALYZE")
    vacuum_s = honest.vacuum_analyze(DB_URL)
    setup_django()
    from django.db import connection

    info = machine()
    info["loadavg_before"] = honest.fmt_load(load_start)
    info["vacuum_analyze_s"] = round(vacuum_s, 1)
    size = data_size()
    t = pick_targets()
    t["kreise"] = honest.kreis_pages()
    page_list = pages(t)
    key_list = honest.key_pages(t)
    mix_urls = honest.mix_urls()
    info["mix_urls"] = ", ".join(f"{kind} {len(urls):,}" for kind, urls in mix_urls.items())
    editor = honest.editor_user()
    say("== counting SQL queries per page (test client, same database)")
    queries = count_queries(t, page_list)
    say(f"== the largest city's page ({t['city'].name}), rendered afresh")
    city = largest_city_page(t)
    say("== EXPLAIN ANALYZE of the catalogue full-text search")
    plans = search_plans(t)
    cookie = session_cookie(t["user"])
    connection.close()

    uncached_port = PORT + 1
    say(f"== starting gunicorn ({WORKERS} workers) on {BASE} and, page cache off, on port {uncached_port}")
    server = honest.start_server(PYTHON, ROOT, ENV, PORT, WORKERS, cache_enabled=True)
    uncached = honest.start_server(PYTHON, ROOT, ENV, uncached_port, WORKERS, cache_enabled=False)
    results: dict[str, dict] = {}
    try:
        wait_for(PORT)
        wait_for(uncached_port)
        first_kb, third_party = first_load()
        trivial = []
        trivial.append(run_wrk("/healthz", None))
        for key, url, roles in page_list:
            for role in roles:
                say(f"   {key}:{role}  {url}")
                results[f"{key}:{role}"] = run_wrk(url, None if role == "anonymous" else cookie)
        trivial.append(run_wrk("/healthz", None))
        info["loadavg_pages"] = honest.fmt_load(os.getloadavg())
        say("== floor, ceiling and key pages, cached and uncached")
        static = honest.static_url(BASE)
        ends = {
            "healthz:floor": {**run_wrk("/healthz", None), "single_ms": honest.single_ms(PORT, "/healthz", None)},
            "static:ceiling": {**run_wrk(static, None), "single_ms": honest.single_ms(PORT, static, None)},
        }
        ends["static:ceiling"]["ratio"] = round(ends["static:ceiling"]["rps"] / ends["healthz:floor"]["rps"], 3)
        page_results = honest.measure_pages({"cached": PORT, "uncached": uncached_port}, key_list, cookie,
                                            run_wrk, say)
        say(f"== the Zipf mix ({honest.MIX_DURATION} s per phase): no edits, one every 5 s, one per second")
        mix = honest.run_mix(PORT, mix_urls, ENV["CACHE_URL"], CONNECTIONS, editor)
    finally:
        for process in (server, uncached):
            process.terminate()
        for process in (server, uncached):
            process.wait(timeout=30)
    # After the load runs: the rolled-back rows leave dead tuples that autovacuum would clean up
    # while wrk measures.
    say("== CSV import of 10,000 rows (validated, written, rolled back)")
    rows, seconds = import_rate(t)
    info["loadavg_after"] = honest.fmt_load(os.getloadavg())
    floor = sum(r["rps"] for r in trivial) / len(trivial)
    results = {"trivial:anonymous": {**trivial[0], "rps": round(floor, 1)}, **results}
    for key, r in results.items():
        r["ratio"] = round(r["rps"] / floor, 3)
        r.update(queries[key])

    report = render(results, info, size, rows, seconds, plans, first_kb / 1024, third_party, city)
    report += "\n\n" + honest.render_pages(page_results, mix, ends, t["kreise"], info)
    print(report)
    summary = {
        key: {k: r[k] for k in ("rps", "p50_ms", "p95_ms", "ratio", "queries", "queries_cached", "fresh_ms")}
        for key, r in results.items()
    }
    summary.update(honest.summary(page_results, mix, ends))
    (ROOT / "bench" / "BENCHMARKS.md").write_text(markdown(report, info, size, summary))
    print(json.dumps(summary, separators=(",", ":")))


def shortfalls(results, plans, import_rate_s, first_kb, city) -> list[str]:
    out = []
    for key, r in results.items():
        if key.startswith("trivial"):
            continue
        target = TARGETS["anonymous_ratio"] if key.endswith(":anonymous") else TARGETS["user_ratio"]
        if r["ratio"] < target:
            out.append(f"{key}: throughput ratio {r['ratio']:.0%} < {target:.0%} (short by {target - r['ratio']:.0%} "
                       f"of the trivial view)")
        if r["p95_ms"] is None:
            out.append(f"{key}: no response completed within the {DURATION} s run")
        elif r["p95_ms"] >= TARGETS["p95_ms"]:
            out.append(f"{key}: p95 {r['p95_ms']} ms >= {TARGETS['p95_ms']} ms (over by {r['p95_ms'] - TARGETS['p95_ms']:.1f} ms)")
        if r["queries"] > TARGETS["queries"]:
            out.append(f"{key}: {r['queries']} queries > {TARGETS['queries']}")
        if r.get("errors"):
            out.append(f"{key}: {r['errors']} failed responses")
    for query, _plan, ms, gin, forced in plans:
        if ms >= TARGETS["fts_ms"]:
            out.append(f"catalogue full-text query ({query}) {ms} ms >= {TARGETS['fts_ms']} ms "
                       f"(over by {ms - TARGETS['fts_ms']:.1f} ms)")
        if not gin and query != FACETED:
            why = f"; with table scans switched off: {forced} ms" if forced is not None else ""
            out.append(f"catalogue full-text query ({query}) not served from the GIN index ({ms} ms{why})")
    if import_rate_s < TARGETS["import_rows_s"]:
        out.append(f"CSV import {import_rate_s:.0f} rows/s < {TARGETS['import_rows_s']} rows/s "
                   f"(short by {TARGETS['import_rows_s'] - import_rate_s:.0f} rows/s)")
    if first_kb >= TARGETS["first_load_kb"]:
        out.append(f"first page load {first_kb:.1f} KB >= {TARGETS['first_load_kb']} KB")
    if city["queries"] > TARGETS["queries"]:
        out.append(f"largest city's municipality page: {city['queries']} queries > {TARGETS['queries']}")
    if not city["cached"] and city["fresh_ms"] >= TARGETS["p95_ms"]:
        out.append(f"largest city's municipality page ({city['name']}): not kept by the page cache, so every "
                   f"request renders it afresh in {city['fresh_ms']:,.0f} ms >= {TARGETS['p95_ms']} ms")
    return out


def render(results, info, size, rows, seconds, plans, first_kb, third_party, city) -> str:
    lines = [
        f"Data: {size['municipalities']:,} municipalities ({size['with_partners']:,} with partners), "
        f"{size['actors']:,} partners, "
        f"{size['cooperations']:,} cooperations, {size['published_examples']:,} published examples",
        f"Load: wrk, {CONNECTIONS} connections, {DURATION} s per page, gunicorn {WORKERS} sync workers, "
        f"settings portal.settings.prod, page cache with its {VERSION_STORE}",
        "",
        f"{'page:role':<34} {'rps':>8} {'p50 ms':>8} {'p95 ms':>8} {'ratio':>7} {'queries':>8} {'errors':>7}"
        f" {'fresh ms':>9} {'cached q':>9}",
        "-" * 106,
    ]
    for key, r in results.items():
        p50 = "n/a" if r["p50_ms"] is None else f"{r['p50_ms']:.1f}"
        p95 = "n/a" if r["p95_ms"] is None else f"{r['p95_ms']:.1f}"
        lines.append(f"{key:<34} {r['rps']:>8.1f} {p50:>8} {p95:>8} {r['ratio']:>7.2f} "
                     f"{r['queries']:>8} {r.get('errors', 0):>7} {r['fresh_ms']:>9.1f} {r['queries_cached']:>9}")
    rate = rows / seconds
    lines += [
        "",
        "rps, p50, p95 and ratio: under load, pages served from the page cache after the first request of",
        "each worker. queries: SQL queries of a page rendered afresh (the worst case, as after an edit);",
        "fresh ms: that page's time in one uncached request (test client, median of 3); cached q: the",
        "queries of a page served from the cache.",
        "",
        f"Largest city: {city['name']} ({city['population']:,} inhabitants), {city['url']}: "
        f"{city['partners']:,} partners listed, {city['kb']:,.0f} KB, {city['queries']} queries, "
        f"{city['fresh_ms']:,.0f} ms rendered afresh (median of 3), kept by the page cache: "
        f"{'yes' if city['cached'] else 'no'}; measured once, not driven with wrk.",
        "",
        f"CSV import: {rows:,} rows validated and written in {seconds:.2f} s = {rate:,.0f} rows/s",
        f"First page load (home + its static assets, gzip accepted): {first_kb:.1f} KB; "
        f"third-party assets: {', '.join(third_party) or 'none'}",
    ]
    for query, plan, ms, gin, forced in plans:
        lines += [
            "",
            f"Catalogue full-text search, EXPLAIN ANALYZE (median of 3), {query}: {ms} ms, GIN index used: "
            f"{'yes' if gin else 'no'}",
            plan,
        ]
        if forced is not None:
            lines.append(f"For comparison only (the portal never does this): with table scans switched off, "
                         f"{forced} ms.")
        if query == FACETED:
            lines.append("Within facets PostgreSQL may start from a facet's index and check the search vector on "
                         "the examples it leaves; the GIN criterion applies to the searches over all examples above.")
    lines += [
        "",
        "Targets not met:",
        *(f"  - {line}" for line in shortfalls(results, plans, rate, first_kb, city) or ["(none)"]),
    ]
    return "\n".join(lines)


def markdown(report: str, info: dict, size: dict, summary: dict) -> str:
    notes = Path(__file__).resolve().parent / "NOTES.md"
    machine_lines = "\n".join(f"- {key}: {value}" for key, value in info.items())
    return (
        "# Benchmarks\n\n"
        "Written by `make bench` (bench/run.py); rerun it to refresh. Synthetic networks on the official "
        "municipality register (`generate_national_data`), PostgreSQL, gunicorn on 127.0.0.1, wrk.\n\n"
        f"Run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n\n"
        f"## Machine\n\n{machine_lines}\n\n"
        f"## Result\n\n```\n{report}\n```\n\n"
        f"## Machine-readable\n\n```json\n{json.dumps(summary, indent=1)}\n```\n\n"
        + (notes.read_text() if notes.exists() else "")
    )


if __name__ == "__main__":
    main()
