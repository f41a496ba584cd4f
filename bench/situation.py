"""The situation's territory at the size of an OSINT map's history: import, change, map.

Generates ``--days`` daily snapshots of a front of ``--vertices`` points (situation_front.py:
a jagged line of contact across southern and eastern Ukraine that moves a little each
day, cut to the shipped oblast outlines, with pockets and enclaves) as a gzip-compressed
GeoJSON history, then in one run, on SQLite and, when it answers, on PostgreSQL (a fresh
database, dropped after), each in a process of its own:

- imports the whole file through ``ingest.import_territory`` (streamed, repaired,
  stored with its simplified copies, true area and area by oblast, audited): seconds in
  all and per snapshot, against the bare computation on the same file in a process of
  its own: each feature parsed with ``json`` and ``shapely.geometry.shape``, made valid
  (``make_valid``), its area taken with ``pyproj.Geod(ellps="WGS84")
  .geometry_area_perimeter``, and split by the same oblast outlines with shapely's
  ``intersection`` (each part's area taken the same way): the work without our code or a
  database. The bare run goes just before each import in the same process, so that both
  see the same load on a shared machine. ``ratio_to_bare`` is the bare time over ours
  (the target: at least 0.5); ``ratio_to_bare_cpu`` the same in this process's CPU
  seconds, steadier when other work shares the cores (on PostgreSQL it leaves out the
  server's own CPU, so there it flatters us);
- asks ``territory.change`` for the change from the first day to the last and between
  two adjacent days in the middle (median of 3, each in a transaction of its own);
- asks ``service.snapshot_feature`` (the map's GeoJSON response, the body the route
  ``/api/v1/situation/snapshots/{id}/geojson`` sends, without HTTP) for the last day's
  snapshot at each zoom in ``ZOOMS``, ``--requests`` times per zoom, in a transaction
  each: the whole shape at zooms below 8 (a browser's window then shows all of it), and
  at 8 and above a 1280 x 800 pixel window centred on points along the front: bytes
  (uncompressed) and latency p50/p95;
- reads the process's peak resident memory (VmHWM, /proc/self/status).

Progress goes to stderr; the last line printed is one JSON object with the figures.
``--profile N`` instead profiles the import of the first N days on SQLite (cProfile, to
stderr) and exits.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gzip
import json
import multiprocessing
import os
import pstats
import statistics
import sys
import time
from typing import Any

os.environ.setdefault("COALITION_ENVIRONMENT", "test")
os.environ.setdefault("COALITION_SECRET_KEY", "bench-" + "k" * 40)

from situation_front import SOURCE, days_of, generate

from coalition.core.audit import ensure_head
from coalition.core.db import get_engine, transaction
from coalition.core.principal import Principal, Role

ZOOMS = (4, 6, 8, 10, 12, 14)
WINDOW_PX = (1280, 800)  # a browser window's map, in screen pixels
ANALYST = Principal(username="bench", member="SEC", role=Role.MONITOR)


def peak_mb() -> float:
    """This process's peak resident memory in MB, from /proc (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _migrate(url: str) -> None:
    from coalition.core import migrate

    migrate.upgrade(get_engine(url))


def upgrade(url: str) -> None:
    """Create the schema in a process of its own: loading the migrations is not the
    import's memory to carry."""
    child = multiprocessing.get_context("spawn").Process(target=_migrate, args=(url,))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"migrating {url} failed")


def in_child(target: Any, *args: Any) -> Any:
    """``target(*args, out)`` in a spawned process; what it put on ``out``."""
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    child = ctx.Process(target=target, args=(*args, out))
    child.start()
    found = out.get()
    child.join()
    if child.exitcode != 0 or isinstance(found, str):
        raise RuntimeError(f"{target.__name__} failed: {found}")
    return found


def quantiles(times: list[float]) -> dict[str, float]:
    """p50 and p95 of ``times`` (seconds) in milliseconds."""
    if len(times) < 2:
        return {"p50_ms": round(times[0] * 1000, 1), "p95_ms": round(times[0] * 1000, 1)}
    return {
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(statistics.quantiles(times, n=20)[-1] * 1000, 1),
    }


# The bare computation ------------------------------------------------------------------


def bare(path: str) -> dict[str, Any]:
    """Parse, make valid, take the true area and split it by oblast, feature by feature,
    with json, shapely and pyproj alone."""
    import shapely
    from pyproj import Geod
    from shapely.geometry import shape

    from coalition.situation.outlines import outlines

    geod = Geod(ellps="WGS84")
    regions = [o.geometry for o in outlines()]  # the same outlines, read before the clock
    times: list[float] = []
    total = 0.0
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        cpu = time.process_time()
        start = time.perf_counter()
        for line in lines:
            began = time.perf_counter()
            text = line.strip().lstrip(",")
            if not text.startswith('{"type":"Feature"'):
                continue  # the collection's opening and closing lines
            feature = json.loads(text)
            geom = shapely.make_valid(shape(feature["geometry"]))
            total += abs(geod.geometry_area_perimeter(geom)[0]) / 1e6
            shapely.prepare(geom)
            for region in regions:
                if shapely.intersects(geom, region):
                    part = shapely.intersection(geom, region)
                    abs(geod.geometry_area_perimeter(part)[0])
            times.append(time.perf_counter() - began)
        took = time.perf_counter() - start
        cpu = time.process_time() - cpu
    return {
        "snapshots": len(times),
        "seconds": round(took, 2),
        "cpu_seconds": round(cpu, 2),
        "per_snapshot": quantiles(times),
        "mean_area_km2": round(total / max(len(times), 1)),
        "peak_memory_mb": peak_mb(),
    }


# Ours ----------------------------------------------------------------------------------


def _run(url: str, path: str, days: int, requests: int, out: Any) -> None:
    try:
        out.put(run(url, path, days, requests))
    except Exception as exc:  # the parent reports it
        out.put(f"{type(exc).__name__}: {exc}")
        raise


def prepare(url: str) -> Any:
    import coalition.models  # noqa: F401 - every table registered
    from coalition.members.model import Member

    engine = get_engine(url)
    upgrade(url)
    with transaction(engine) as session:
        ensure_head(session)
        session.add(Member(code="SEC", name="Secretariat", kind="secretariat", owner_code="SEC"))
    return engine


def import_file(engine: Any, path: str) -> tuple[float, float, list[float], Any]:
    """Import ``path`` whole: seconds, CPU seconds, each snapshot's seconds, the summary."""
    from coalition.core.marking import Marking
    from coalition.situation import ingest, territory
    from coalition.situation.outlines import outlines

    outlines()  # read once per process, as the bare computation reads them before its clock
    labels = territory.Labels(
        method="synthetic front (bench)",
        marking=Marking.COALITION,
        source_title="bench/situation_front.py",
        illustrative=True,
    )
    stamps: list[float] = []
    cpu = time.process_time()
    start = time.perf_counter()
    with open(path, "rb") as f:
        summary = ingest.import_territory(
            engine,
            ANALYST,
            f,
            SOURCE,
            labels,
            name=os.path.basename(path),
            between=lambda _: stamps.append(time.perf_counter()),
        )
    took = time.perf_counter() - start
    cpu = time.process_time() - cpu
    each = [b - a for a, b in zip([start, *stamps], stamps, strict=False)]
    return took, cpu, each, summary


def run(url: str, path: str, days: int, requests: int) -> dict[str, Any]:
    from coalition.situation import service, territory

    engine = prepare(url)
    figures: dict[str, Any] = {"bare": bare(path)}
    took, cpu, each, summary = import_file(engine, path)
    figures["import"] = {
        **summary.counts(),
        "repairs": len(summary.repairs),
        "seconds": round(took, 2),
        "cpu_seconds": round(cpu, 2),
        "snapshots_per_s": round(summary.read / took, 2),
        "per_snapshot": quantiles(each),
        "broken": summary.broken,
        "ratio_to_bare": round(figures["bare"]["seconds"] / took, 3),
        "ratio_to_bare_cpu": round(figures["bare"]["cpu_seconds"] / cpu, 3),
    }
    print(json.dumps({"progress": {url.split(":")[0]: figures}}), file=sys.stderr, flush=True)
    every = days_of(days)
    middle = len(every) // 2
    pairs = {
        "first_to_last": (every[0], every[-1]),
        "adjacent": (every[max(middle - 1, 0)], every[middle]),
    }
    figures["change"] = {}
    for name, (start, end) in pairs.items():
        times: list[float] = []
        for _ in range(3):
            began = time.perf_counter()
            with transaction(engine) as session:
                found = territory.change(session, ANALYST, SOURCE, start, end)
                gained, lost, regions = found.gained_km2, found.lost_km2, len(found.regions)
            times.append(time.perf_counter() - began)
        figures["change"][name] = {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "seconds": round(statistics.median(times), 3),
            "gained_km2": gained,
            "lost_km2": lost,
            "regions": regions,
        }
    figures["map"] = map_figures(engine, every[-1], requests, service, territory)
    figures["peak_memory_mb"] = peak_mb()
    engine.dispose()
    return figures


def window(zoom: int, centre: tuple[float, float]) -> tuple[float, float, float, float]:
    """The bbox a browser window of :data:`WINDOW_PX` shows at ``zoom`` around ``centre``
    (degrees of longitude per pixel as Leaflet's; latitude squeezed by its cosine)."""
    import math

    from coalition.situation.geometry import pixel_deg

    half_w = WINDOW_PX[0] / 2 * pixel_deg(zoom)
    half_h = WINDOW_PX[1] / 2 * pixel_deg(zoom) * math.cos(math.radians(centre[1]))
    x, y = centre
    return (x - half_w, y - half_h, x + half_w, y + half_h)


def map_figures(
    engine: Any, day: dt.date, requests: int, service: Any, territory: Any
) -> dict[str, Any]:
    """The map's response for the snapshot of ``day`` at each zoom."""
    import numpy as np
    import shapely

    with transaction(engine) as session:
        snapshot = territory.snapshot_on(session, ANALYST, SOURCE, day)
        snapshot_id = snapshot.id
        shape = territory.shape_of(session, snapshot)
    # Points along the boundary, where a reader looks closely.
    boundary = shapely.get_coordinates(shapely.boundary(shape))
    picks = boundary[np.linspace(0, len(boundary) - 1, max(requests, 1)).astype(int)]
    centres = [(float(x), float(y)) for x, y in picks]
    found: dict[str, Any] = {}
    for zoom in ZOOMS:
        times: list[float] = []
        sizes: list[int] = []
        for n in range(requests):
            bounds = window(zoom, centres[n % len(centres)]) if zoom >= 8 else None
            began = time.perf_counter()
            with transaction(engine) as session:
                body = service.snapshot_feature(session, ANALYST, snapshot_id, zoom, bounds)
            times.append(time.perf_counter() - began)
            sizes.append(len(body.encode()))
        found[str(zoom)] = {
            "bytes_max": max(sizes),
            "bytes_median": round(statistics.median(sizes)),
            **quantiles(times),
        }
    return found


def profile(path: str, url: str) -> None:
    """The import of ``path`` into ``url`` under cProfile, the top of it to stderr."""
    engine = prepare(url)
    profiler = cProfile.Profile()
    profiler.enable()
    import_file(engine, path)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(20)


def _scratch(db: str) -> None:
    for leftover in (db, db + "-wal", db + "-shm"):
        if os.path.exists(leftover):
            os.remove(leftover)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=600)
    parser.add_argument("--vertices", type=int, default=30_000)
    parser.add_argument("--requests", type=int, default=50, help="map requests per zoom")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", type=int, default=0, help="profile N days' import, exit")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    days = args.profile or args.days
    path = f"/tmp/coalition-bench-situation-{os.getpid()}.geojson.gz"
    db = f"/tmp/coalition-bench-situation-{os.getpid()}.db"
    started = time.perf_counter()
    written = generate(path, days, args.vertices, args.seed)
    figures: dict[str, Any] = {
        "days": days,
        "vertices_per_snapshot": written.vertices_mean,
        "vertices_max": written.vertices_max,
        "file_mb": written.file_mb,
        "file_uncompressed_mb": written.raw_mb,
        "generate_seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps({"progress": figures}), file=sys.stderr, flush=True)
    try:
        if args.profile:
            profile(path, f"sqlite:///{db}")
            return
        try:
            figures["sqlite"] = in_child(_run, f"sqlite:///{db}", path, days, args.requests)
        finally:
            _scratch(db)
        print(json.dumps({"progress": {"sqlite": figures["sqlite"]}}), file=sys.stderr, flush=True)
        figures["postgresql"] = postgresql(args.pg, path, days, args.requests)
    finally:
        os.remove(path)
        _scratch(db)
    figures["targets_met"] = targets(figures)
    print(json.dumps(figures))


def postgresql(admin: str, path: str, days: int, requests: int) -> dict[str, Any]:
    name = f"coalition_bench_situation_{os.getpid()}"
    try:
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # the bench still reports SQLite without a server
        return {"error": str(exc)[:200]}
    try:
        url = admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        found: dict[str, Any] = in_child(_run, f"{url}/{name}", path, days, requests)
        return found
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def targets(figures: dict[str, Any]) -> dict[str, bool]:
    """Each of the issue's targets, met or not, on every database measured."""
    met: dict[str, bool] = {}
    for db in ("sqlite", "postgresql"):
        found = figures.get(db, {})
        if "import" not in found:
            continue
        met[f"{db}_import_half_bare"] = found["import"]["ratio_to_bare"] >= 0.5
        met[f"{db}_change_under_1s"] = all(c["seconds"] < 1 for c in found["change"].values())
        met[f"{db}_map_under_300kB"] = all(z["bytes_max"] < 300_000 for z in found["map"].values())
        met[f"{db}_map_p95_under_100ms"] = all(z["p95_ms"] < 100 for z in found["map"].values())
        met[f"{db}_memory_under_500MB"] = found["peak_memory_mb"] < 500
    return met


if __name__ == "__main__":
    main()
