"""Time ceasefire statistics and the map grid over N reports against DuckDB.

Loads N synthetic reports into a fresh SQLite database (reports plus the rollups the
importer maintains), writes the same rows to a CSV for DuckDB, then times the statistics
of one ceasefire and map-grid requests for random views, each against DuckDB computing the
same answer from the raw reports in the same run. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import statistics
import time

os.environ.setdefault("COALITION_ENVIRONMENT", "test")
os.environ.setdefault("COALITION_SECRET_KEY", "bench-" + "k" * 40)

START = dt.date(2025, 3, 25)


def load(url: str, csv_path: str, rows: int) -> None:
    import coalition.models  # noqa: F401 - every table registered
    from coalition.ceasefire import rollups, synthetic
    from coalition.ceasefire.fields import read_report
    from coalition.ceasefire.model import Ceasefire, Report
    from coalition.core import migrate
    from coalition.core.audit import ensure_head
    from coalition.core.db import get_engine, transaction
    from coalition.members.model import Member

    engine = get_engine(url)
    migrate.upgrade(engine)
    now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    with transaction(engine) as session:
        ensure_head(session)
        for code in ("SEC", "GBR", "POL"):
            session.add(Member(code=code, name=code, kind="state", owner_code="SEC"))
        session.flush()
        session.add(
            Ceasefire(
                name="bench",
                parties="A; B",
                scope="all_fronts",
                starts_on=START,
                duration_days=30,
                status="in_force",
                owner_code="SEC",
                marking="PUBLIC",
            )
        )
    per_day = max(1, rows // 120)
    stream = synthetic.reports(START, 30, 30, per_day_before=per_day, per_day_during=per_day)
    markings = [("SEC", "PUBLIC", ""), ("GBR", "COALITION", ""), ("POL", "NATIONAL", "")]
    with open(csv_path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["day", "lat", "lon", "type", "attribution", "region", "marking", "owner"])
        chunk: list[dict[str, object]] = []
        for n, raw in enumerate(stream):
            if n >= rows:
                break
            fields = read_report(raw, now)
            owner, marking, rel = markings[n % 3]
            chunk.append(
                {
                    **{k: getattr(fields, k) for k in fields.__dataclass_fields__},
                    "received_at": fields.received_at or now,
                    "owner_code": owner,
                    "marking": marking,
                    "rel_to": rel,
                }
            )
            writer.writerow(
                [
                    fields.occurred_at.date().isoformat(),
                    fields.latitude,
                    fields.longitude,
                    fields.type,
                    fields.attribution,
                    fields.region,
                    marking,
                    owner,
                ]
            )
            if len(chunk) == 20_000:
                _store(engine, chunk, Report, rollups, transaction)
        _store(engine, chunk, Report, rollups, transaction)


def _store(engine, chunk, Report, rollups, transaction) -> None:  # type: ignore[no-untyped-def]
    # Reports go in raw (grouping is the ingest bench's business); rollups through the
    # same code the importer uses.
    if not chunk:
        return
    import polars as pl
    from sqlalchemy import insert

    needed = ["occurred_at", "latitude", "longitude", "type", "attribution", "region"]
    needed += ["casualties", "owner_code", "marking", "rel_to"]
    frame = pl.DataFrame({n: [str(r[n]) if n == "type" else r[n] for r in chunk] for n in needed})
    with transaction(engine) as session:
        session.execute(insert(Report), chunk)
        rollups.add_to_rollups(session, frame)
    chunk.clear()


def duck_stats(con, member: str) -> object:  # type: ignore[no-untyped-def]
    before = (START - dt.timedelta(days=30)).isoformat()
    last = (START + dt.timedelta(days=29)).isoformat()
    where = f"(marking IN ('PUBLIC', 'COALITION') OR owner = '{member}')"
    out = []
    out.append(
        con.execute(
            f"SELECT day, count(*) FROM r WHERE {where} AND day BETWEEN '{before}' AND '{last}' "
            "GROUP BY day"
        ).fetchall()
    )
    for column in ("type", "region", "attribution"):
        out.append(
            con.execute(
                f"SELECT {column}, count(*) FROM r WHERE {where} "
                f"AND day BETWEEN '{START.isoformat()}' AND '{last}' GROUP BY {column}"
            ).fetchall()
        )
    return out


def duck_grid(con, member: str, box: tuple[float, float, float, float], size: float) -> object:  # type: ignore[no-untyped-def]
    west, south, east, north = box
    return con.execute(
        f"SELECT floor(lat / {size}), floor(lon / {size}), count(*) FROM r "
        f"WHERE (marking IN ('PUBLIC', 'COALITION') OR owner = '{member}') "
        f"AND lat BETWEEN {south} AND {north} AND lon BETWEEN {west} AND {east} GROUP BY 1, 2"
    ).fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    import duckdb

    from coalition.ceasefire import service, stats
    from coalition.ceasefire.model import Ceasefire
    from coalition.core.db import get_engine, transaction
    from coalition.core.principal import Principal, Role

    db = f"/tmp/coalition-query-{os.getpid()}.db"
    path = f"/tmp/coalition-query-{os.getpid()}.csv"
    url = f"sqlite:///{db}"
    started = time.perf_counter()
    load(url, path, args.rows)
    load_s = time.perf_counter() - started
    reader = Principal(username="gbr.viewer", member="GBR", role=Role.VIEWER)
    engine = get_engine(url)
    con = duckdb.connect()
    con.execute(f"CREATE TABLE r AS SELECT * FROM read_csv_auto('{path}')")
    rnd = random.Random(7)

    def timed(fn):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        fn()
        return time.perf_counter() - t

    with transaction(engine) as session:
        ceasefire = session.query(Ceasefire).one()
        ours_stats = min(
            timed(lambda: stats.ceasefire_stats(session, reader, ceasefire, START))
            for _ in range(5)
        )
        duck_stats_s = min(timed(lambda: duck_stats(con, "GBR")) for _ in range(5))
        ours, duck = [], []
        for _ in range(args.requests):
            w = rnd.uniform(0.5, 12)
            west, south = rnd.uniform(30, 40 - w / 2), rnd.uniform(44, 52 - w / 3)
            box = (west, south, west + w, south + w / 2)
            grid = service.grid(session, reader, box)
            ours.append(timed(lambda b=box: service.grid(session, reader, b)))
            duck.append(timed(lambda b=box, s=grid.cell_degrees: duck_grid(con, "GBR", b, s)))
    p95 = statistics.quantiles(ours, n=20)[-1]
    figures = {
        "rows": args.rows,
        "load_s": round(load_s, 1),
        "stats_ms": round(ours_stats * 1000, 2),
        "duckdb_stats_ms": round(duck_stats_s * 1000, 2),
        "stats_ratio": round(ours_stats / duck_stats_s, 2),
        "grid_p95_ms": round(p95 * 1000, 2),
        "duckdb_grid_p95_ms": round(statistics.quantiles(duck, n=20)[-1] * 1000, 2),
        "grid_ratio": round(statistics.median(ours) / statistics.median(duck), 2),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    os.remove(db)
    os.remove(path)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
