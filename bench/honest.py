# ruff: noqa: S603, S310  (a local benchmark: fixed commands, loopback URLs)
"""Issue 18, "an honest benchmark": the parts of ``make bench`` that measure pages against a floor and
a ceiling, cached and uncached, and a realistic mix of many URLs with and without concurrent edits.

- floor: the trivial view ``/healthz``; ceiling: a hashed static file served by WhiteNoise;
- every key page on two gunicorns on the same database and Redis: one as in production (page cache
  on) and one with ``PAGE_CACHE_ENABLED=false``. Uncached means the whole page cache is off, so every
  request renders the page and runs its queries: the cost of the first reader after an edit, without
  guessing which made-up parameter bypasses the cache (undeclared parameters also change what a view
  may read). Per page: one request at a time (median of 5 after one warm-up) and wrk at 8 connections
  (p95), with ``/healthz`` measured right before it on the same server, every page twice;
- the mix: a Python load generator (threads, http.client, keep-alive, loopback only, bounded in time)
  drawing URLs from a Zipf distribution over the national data, with no edits, one edit every 5 s
  and one edit per second made by a thread through ``networks.services.actor_update`` (optimistic
  locking: the version read is passed in). After each edit the edited partner page is fetched and a
  response without the new text counts as ``stale``.
"""

from __future__ import annotations

import bisect
import http.client
import itertools
import os
import random
import secrets
import subprocess
import threading
import time
import zlib
from pathlib import Path
from urllib.parse import quote

SINGLE_RUNS = 5
ROUNDS = 2
FLOOR_DURATION = int(os.environ.get("BENCH_FLOOR_DURATION", "3"))  # the /healthz run before each page
MIX_DURATION = int(os.environ.get("BENCH_MIX_DURATION", "30"))
ZIPF_S = float(os.environ.get("BENCH_ZIPF_S", "1.0"))
SEARCH_WORDS = ["Beratung", "Sucht", "Familie", "Jugend", "Schule", "Kita", "Erziehung", "Pflege", "Migration",
                "Sport", "Hilfe", "Kinder", "Eltern", "Gesundheit", "Verein", "Zentrum", "Diakonie", "Caritas",
                "Frühe Hilfen", "Jugendamt", "Schulden", "Gewalt", "Trennung", "Wohnen", "Arbeit", "Sprache",
                "Patenschaft", "Netzwerk", "Beratungsstelle", "Therapie"]


def check_load(cores: int | None = None) -> tuple[float, float, float]:
    """Refuse to measure on a machine already busy: the 1-minute load must not exceed the cores
    (BENCH_IGNORE_LOAD=1 overrides; the load is recorded either way)."""
    load = os.getloadavg()
    cores = cores or os.cpu_count() or 1
    if load[0] > cores and os.environ.get("BENCH_IGNORE_LOAD", "") not in ("1", "true", "yes"):
        raise SystemExit(f"1-minute load {load[0]:.2f} exceeds the {cores} cores: figures would measure the other "
                         "work. Wait, or set BENCH_IGNORE_LOAD=1 (the load is written into the result).")
    return load


def fmt_load(load) -> str:
    return f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"


def vacuum_analyze(db_url: str) -> float:
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


# --- what to request -----------------------------------------------------------------------------


def kreis_pages() -> dict[str, object]:
    """The Kreis-level municipalities (Landkreise, Regionen, kreisfreie Städte) by population: the
    median, the 90th percentile and the largest."""
    from networks.models import Municipality, MunicipalityKind

    kreise = list(Municipality.objects.filter(
        kind__in=[MunicipalityKind.KREIS, MunicipalityKind.REGION, MunicipalityKind.KREISFREIE_STADT],
        population__isnull=False).order_by("population", "ags"))
    n = len(kreise)
    return {"median": kreise[n // 2], "p90": kreise[min(n - 1, int(n * 0.9))], "largest": kreise[-1]}


def key_pages(t: dict) -> list[tuple[str, str, bool]]:
    """(name, url, signed in as the coordinator)."""
    k = t["kreise"]
    return [
        ("home", "/", False),
        ("municipality-median", f"/register/kommunen/{k['median'].slug}/", False),
        ("municipality-p90", f"/register/kommunen/{k['p90'].slug}/", False),
        ("municipality-largest", f"/register/kommunen/{k['largest'].slug}/", False),
        ("register", "/register/", False),
        ("registry-list", f"/register/partner/?type={t['type'].slug}&land=05", False),
        ("catalogue-search", f"/gute-praxis/?q=Sucht&bundesland=05&target_group={t['group'].slug}", False),
        ("example", f"/gute-praxis/{t['example'].slug}/", False),
        ("actor", f"/register/partner/{t['actor'].pk}/", False),
        ("site-search", "/suche/?q=Suchtberatung", False),
        ("actor-edit-form", f"/register/partner/{t['actor'].pk}/bearbeiten/", True),
    ]


def mix_urls() -> dict[str, list[str]]:
    """Distinct URLs per kind, most popular first (rank 1 is drawn most often)."""
    from guidance.catalogue.models import Example
    from networks.models import Actor, Municipality

    rnd = random.Random(18)
    munis = list(Municipality.objects.filter(pk__in=Actor.objects.filter(is_active=True).values("municipality_id"))
                 .order_by("-population", "ags").values_list("slug", flat=True)[:5000])
    actor_ids = list(Actor.objects.filter(is_active=True).values_list("pk", flat=True))
    rnd.shuffle(actor_ids)
    actors = [f"/register/partner/{pk}/" for pk in actor_ids[:20000]]
    lands = [f"{n:02d}" for n in range(1, 17)]
    searches = []
    for word in (quote(w) for w in SEARCH_WORDS):  # "Frühe Hilfen": percent-encoded, as a browser sends it
        searches += [f"/register/?q={word}", f"/suche/?q={word}", f"/gute-praxis/?q={word}"]
        searches += [f"/register/?q={word}&land={land}" for land in rnd.sample(lands, 4)]
    rnd.shuffle(searches)
    examples = list(Example.objects.filter(status="published").order_by("pk").values_list("slug", flat=True))
    rnd.shuffle(examples)
    catalogue = ["/gute-praxis/", *(f"/gute-praxis/?page={p}" for p in range(2, 30)),
                 *(f"/gute-praxis/{slug}/" for slug in examples[:3000])]
    return {"municipality": [f"/register/kommunen/{s}/" for s in munis], "partner": actors,
            "search": searches, "catalogue": catalogue}


MIX_WEIGHTS = {"municipality": 0.35, "partner": 0.35, "search": 0.15, "catalogue": 0.15}


class Zipf:
    def __init__(self, urls: dict[str, list[str]], seed: int) -> None:
        self.rnd = random.Random(seed)
        self.kinds = list(MIX_WEIGHTS)
        self.kind_cum = list(itertools.accumulate(MIX_WEIGHTS[k] for k in self.kinds))
        self.urls = urls
        self.cum = {k: list(itertools.accumulate(1 / (r ** ZIPF_S) for r in range(1, len(v) + 1)))
                    for k, v in urls.items()}

    def draw(self) -> str:
        kind = self.kinds[bisect.bisect(self.kind_cum, self.rnd.random() * self.kind_cum[-1])]
        cum = self.cum[kind]
        i = min(bisect.bisect(cum, self.rnd.random() * cum[-1]), len(cum) - 1)
        return self.urls[kind][i]


# --- clients -------------------------------------------------------------------------------------


def get(port: int, url: str, cookie: str | None = None, conn: http.client.HTTPConnection | None = None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    conn.request("GET", url, headers=headers)
    response = conn.getresponse()
    body = response.read()
    if own:
        conn.close()
    return response.status, body


def single_ms(port: int, url: str, cookie: str | None) -> float:
    """One request at a time on a kept-alive connection: median of SINGLE_RUNS after one warm-up."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    get(port, url, cookie, conn)
    times = []
    for _ in range(SINGLE_RUNS):
        started = time.perf_counter()
        status, _body = get(port, url, cookie, conn)
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"{url}: HTTP {status}")
    conn.close()
    return round(sorted(times)[len(times) // 2], 1)


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * p / 100))], 1)


def load(port: int, draw, seconds: float, connections: int) -> dict:
    """``connections`` threads, each with its own kept-alive connection, requesting ``draw()`` until
    the time is up."""
    latencies: list[float] = []
    errors = [0]
    failed: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(seed: int) -> None:
        pick = draw(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], 0
        while time.monotonic() < deadline:
            url = pick()
            started = time.perf_counter()
            try:
                status, _ = get(port, url, None, conn)
            except (OSError, http.client.HTTPException) as exc:
                bad += 1
                failed.append(f"{url} {type(exc).__name__}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append((time.perf_counter() - started) * 1000)
            if status != 200:
                bad += 1
                failed.append(f"{url} HTTP {status}")
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {"requests": len(latencies), "rps": round(len(latencies) / elapsed, 1), "errors": errors[0],
            "p50_ms": percentile(latencies, 50), "p95_ms": percentile(latencies, 95),
            "p99_ms": percentile(latencies, 99), "failed": failed[:5]}


# --- edits ---------------------------------------------------------------------------------------


class Editor(threading.Thread):
    """Edits partners through ``networks.services.actor_update`` every ``interval`` seconds (the most
    requested partners of the mix first), then fetches the partner page and checks the new text."""

    def __init__(self, port: int, actor_urls: list[str], interval: float, user, originals: dict) -> None:
        super().__init__(daemon=True)
        self.port, self.interval, self.user, self.originals = port, interval, user, originals
        self.ids = [int(url.rstrip("/").rsplit("/", 1)[1]) for url in actor_urls[:50]]
        self.stop = threading.Event()
        self.edits = self.stale = self.conflicts = 0
        self.edit_ms: list[float] = []

    def run(self) -> None:
        from django.db import connection

        from networks import services
        from networks.models import Actor
        from portal.core.locking import EditConflict

        try:
            for n in itertools.cycle(range(len(self.ids))):
                if self.stop.wait(self.interval):
                    break
                actor = Actor.objects.get(pk=self.ids[n])
                self.originals.setdefault(actor.pk, actor.offer)
                token = "benchedit" + secrets.token_hex(6)
                started = time.perf_counter()
                try:
                    services.actor_update(actor=actor, data={"offer": f"{self.originals[actor.pk]}\n\n{token}"},
                                          version=actor.version, by=self.user)
                except EditConflict:
                    self.conflicts += 1
                    continue
                self.edit_ms.append((time.perf_counter() - started) * 1000)
                self.edits += 1
                status, body = get(self.port, f"/register/partner/{actor.pk}/")
                if status != 200 or token.encode() not in body:
                    self.stale += 1
        finally:
            connection.close()


def restore(originals: dict, user) -> None:
    from networks import services
    from networks.models import Actor

    for pk, offer in originals.items():
        actor = Actor.objects.get(pk=pk)
        services.actor_update(actor=actor, data={"offer": offer}, version=actor.version, by=user)


def editor_user():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="bench-editor", defaults={"email": ""})
    user.set_unusable_password()
    user.is_superuser = True
    user.save()
    return user


def pages_stored_since(cache_url: str, started: float) -> int:
    """The pages the page cache stored in the benchmark's Redis database (keys ``sn:1:page:*``) since
    ``started`` (time.monotonic()): those whose time to live is still above PAGE_CACHE_SECONDS less
    the time since then. A key set twice in that time counts once."""
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(cache_url)
    keys = list(client.scan_iter(match="sn:1:page:*", count=5000))
    threshold = settings.PAGE_CACHE_SECONDS - (time.monotonic() - started) - 1
    stored = 0
    for start in range(0, len(keys), 5000):
        pipe = client.pipeline(transaction=False)
        for key in keys[start:start + 5000]:
            pipe.ttl(key)
        stored += sum(1 for ttl in pipe.execute() if ttl is not None and ttl > threshold)
    return stored


def run_mix(port: int, urls: dict[str, list[str]], cache_url: str, connections: int, user) -> dict:
    """The mix without edits, with one every 5 s and with one per second; the generator's own floor
    (/healthz with the same Python client) gives the ratio."""
    floor = load(port, lambda _seed: (lambda: "/healthz"), min(MIX_DURATION, 10), connections)
    results = {"mix:floor-healthz": floor}
    originals: dict = {}
    try:
        # mix:warm-up: the same mix first, so that the three phases compared start from a cache that
        # has seen traffic, as a running server's has.
        for name, interval in (("mix:warm-up", None), ("mix:no-edits", None), ("mix:edits-5s", 5.0), ("mix:edits-1s", 1.0)):
            editor = Editor(port, urls["partner"], interval, user, originals) if interval else None
            started = time.monotonic()
            if editor:
                editor.start()
            r = load(port, lambda seed, name=name: Zipf(urls, seed=zlib.crc32(f"{name}{seed}".encode())).draw,
                     MIX_DURATION, connections)
            if editor:
                editor.stop.set()
                editor.join(timeout=30)
            stored = pages_stored_since(cache_url, started)
            r["stored_pages"] = stored
            r["hit_rate"] = round(max(0.0, 1 - stored / r["requests"]), 3) if r["requests"] else None
            r["ratio"] = round(r["rps"] / floor["rps"], 3) if floor["rps"] else None
            r["edits"] = editor.edits if editor else 0
            r["stale"] = editor.stale if editor else 0
            r["conflicts"] = editor.conflicts if editor else 0
            r["edit_p50_ms"] = percentile(editor.edit_ms, 50) if editor else None
            results[name] = r
    finally:
        restore(originals, user)
    return results


# --- the page table ------------------------------------------------------------------------------


def static_url(base: str) -> str:
    import re
    import urllib.request

    html = urllib.request.urlopen(base + "/", timeout=10).read().decode()
    refs = re.findall(r'(?:src|href)="(/static/[^"]+\.css)"', html) or re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    if not refs:
        raise SystemExit("no static file referenced by the home page")
    return refs[0]


def measure_pages(servers: dict[str, int], page_list, cookie: str, run_wrk, say) -> dict:
    """servers: {"cached": port, "uncached": port}. For each round, page and server: /healthz with
    wrk, then the page once at a time and with wrk. Returns {"page:variant": figures}."""
    results: dict[str, dict] = {}
    for rnd in range(ROUNDS):
        for name, url, signed_in in page_list:
            for variant, port in servers.items():
                say(f"   round {rnd + 1}: {name}:{variant}  {url}")
                floor = run_wrk("/healthz", None, port=port, warm=False, duration=FLOOR_DURATION)
                c = cookie if signed_in else None
                one = single_ms(port, url, c)
                w = run_wrk(url, c, port=port, warm=rnd == 0)
                r = results.setdefault(f"{name}:{variant}", {"url": url, "runs": []})
                r["runs"].append({"single_ms": one, "p95_ms": w["p95_ms"], "p50_ms": w["p50_ms"], "rps": w["rps"],
                                  "errors": w["errors"], "healthz_rps": floor["rps"],
                                  "ratio": round(w["rps"] / floor["rps"], 3) if floor["rps"] else None})
    for r in results.values():
        runs = r["runs"]
        r["single_ms"] = min(x["single_ms"] for x in runs)
        p95s = [x["p95_ms"] for x in runs if x["p95_ms"] is not None]
        r["p95_ms"] = max(p95s) if p95s else None  # the worse of the rounds
        r["rps"] = round(sum(x["rps"] for x in runs) / len(runs), 1)
        r["ratio"] = round(sum(x["ratio"] or 0 for x in runs) / len(runs), 3)
        r["errors"] = sum(x["errors"] for x in runs)
    return results


def render_pages(results: dict, mix: dict, ends: dict, kreise: dict, info: dict) -> str:
    lines = [
        "Pages against the floor and the ceiling (wrk at 8 connections; /healthz measured on the same",
        "server right before each page; ratio = page rps / that /healthz rps; single = one request at a",
        f"time, median of {SINGLE_RUNS}; {ROUNDS} rounds: single is the better, p95 the worse of them;",
        "uncached = a second gunicorn with PAGE_CACHE_ENABLED=false on the same database and Redis)",
        f"Kreise by population: median {kreise['median'].name} ({kreise['median'].population:,}), "
        f"90th percentile {kreise['p90'].name} ({kreise['p90'].population:,}), "
        f"largest {kreise['largest'].name} ({kreise['largest'].population:,})",
        "",
        f"{'page:variant':<32} {'single ms':>9} {'rps':>8} {'p50 ms':>7} {'p95 ms':>7} {'ratio':>6} {'errors':>6}",
        "-" * 81,
    ]
    for key, r in ends.items():
        lines.append(f"{key:<32} {r.get('single_ms', 0):>9.1f} {r['rps']:>8.1f} {r['p50_ms'] or 0:>7.1f} "
                     f"{r['p95_ms'] or 0:>7.1f} {r.get('ratio', 1):>6.2f} {r['errors']:>6}")
    for key, r in results.items():
        p50 = max(x["p50_ms"] or 0 for x in r["runs"])
        lines.append(f"{key:<32} {r['single_ms']:>9.1f} {r['rps']:>8.1f} {p50:>7.1f} "
                     f"{r['p95_ms'] or 0:>7.1f} {r['ratio']:>6.2f} {r['errors']:>6}")
    lines += [
        "",
        f"Mix: Zipf (s={ZIPF_S}) over distinct URLs, {MIX_DURATION} s per phase, Python client (threads, http.client,",
        "keep-alive) at 8 connections against the cached server; ratio = rps / the same client's rps on",
        "/healthz; hit rate = 1 - pages Redis gained / requests (each miss of a storable page stores one",
        "new key; the page cache sets no response header, so this is an estimate from the keys); stale =",
        "edited partner pages fetched right after the edit without the new text.",
        "",
        f"{'phase':<18} {'rps':>8} {'ratio':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'errors':>6} {'hit':>6} "
        f"{'edits':>5} {'stale':>5} {'confl':>5}",
        "-" * 90,
    ]
    for key, r in mix.items():
        lines.append(f"{key:<18} {r['rps']:>8.1f} {r.get('ratio') or 1:>6.2f} {r['p50_ms'] or 0:>7.1f} "
                     f"{r['p95_ms'] or 0:>7.1f} {r['p99_ms'] or 0:>7.1f} {r['errors']:>6} "
                     f"{r.get('hit_rate') if r.get('hit_rate') is not None else '-':>6} {r.get('edits', 0):>5} "
                     f"{r.get('stale', 0):>5} {r.get('conflicts', 0):>5}")
    failed = [f"{key}: {', '.join(r['failed'])}" for key, r in mix.items() if r.get("failed")]
    if failed:
        lines += ["", "First failed mix requests:", *(f"  {line}" for line in failed)]
    lines += ["", f"Load average before: {info.get('loadavg_before')}, before the page table: "
              f"{info.get('loadavg_pages')}, after: {info.get('loadavg_after')}"]
    return "\n".join(lines)


def summary(results: dict, mix: dict, ends: dict) -> dict:
    out: dict[str, dict] = {}
    for key, r in ends.items():
        out[key] = {"single_ms": r.get("single_ms"), "p95_ms": r["p95_ms"], "rps": r["rps"]}
    for key, r in results.items():
        out[key] = {"single_ms": r["single_ms"], "p95_ms": r["p95_ms"], "ratio": r["ratio"]}
    for key, r in mix.items():
        if key in ("mix:floor-healthz", "mix:warm-up"):
            continue
        out[key] = {"ratio": r["ratio"], "rps": r["rps"], "p50_ms": r["p50_ms"], "p95_ms": r["p95_ms"],
                    "p99_ms": r["p99_ms"], "errors": r["errors"], "hit_rate": r["hit_rate"], "stale": r["stale"],
                    "edits": r["edits"]}
    return out


def start_server(python: str, root: Path, env: dict, port: int, workers: int, cache_enabled: bool):
    return subprocess.Popen(
        [str(Path(python).parent / "gunicorn"), "portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--log-level", "warning"],
        cwd=root, env={**env, "PAGE_CACHE_ENABLED": "true" if cache_enabled else "false"},
    )
