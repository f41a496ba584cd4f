"""Time `coalition import reports` against loading the same CSV raw into a bare table.

Writes N synthetic reports to /tmp, imports them through the importer (validation,
natural-key de-duplication, grouping, rollups, batch audit) into a fresh SQLite file and,
when PostgreSQL answers, into a fresh database there; then loads the same file raw
(``sqlite3 .import`` into a bare SQLite table; COPY into a bare PostgreSQL table), and
once more raw into a table carrying only the natural-key and time indexes, the floor
under any import that keeps them; on SQLite, also that indexed load with every row handed
over by Python's sqlite3 module, the ceiling for any importer written in Python. The last
line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("COALITION_ENVIRONMENT", "test")
os.environ.setdefault("COALITION_SECRET_KEY", "bench-" + "k" * 40)

from feed import COLUMNS, generate

from coalition.ceasefire import importer, ingest
from coalition.ceasefire.layouts import Layout
from coalition.core.audit import ensure_head
from coalition.core.db import get_engine, transaction
from coalition.core.principal import SYSTEM


def upgrade(url: str) -> None:
    """Create the schema in a process of its own: the migrations are not the import's
    to carry, and loading them adds some 70 MB to a process's peak memory."""
    ctx = multiprocessing.get_context("spawn")
    child = ctx.Process(target=_migrate, args=(url,))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"migrating {url} failed")


def _migrate(url: str) -> None:
    from coalition.core import migrate

    migrate.upgrade(get_engine(url))


def import_into(url: str, path: str) -> tuple[float, float]:
    """Import ``path`` into ``url`` in a process of its own, as ``coalition import reports``
    runs: its seconds, and its peak resident memory in MB (VmHWM, which starts afresh in a
    new program, unlike ``ru_maxrss``, which a spawned child inherits from its parent)."""
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    child = ctx.Process(target=_import, args=(url, path, out))
    child.start()
    took, peak = out.get()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"importing into {url} failed")
    return took, peak


def peak_mb() -> float:
    """This process's peak resident memory in MB, from /proc (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _import(url: str, path: str, out: Any) -> None:
    import coalition.models  # noqa: F401 - every table registered
    from coalition.members.model import Member

    engine = get_engine(url)
    upgrade(url)
    with transaction(engine) as session:
        ensure_head(session)
        session.add(Member(code="SEC", name="Secretariat", kind="secretariat", owner_code="SEC"))
    start = time.perf_counter()
    with open(path, "rb") as f:
        importer.import_file(
            engine,
            SYSTEM,
            Layout.CSV,
            f,
            ingest.Stamp("SEC", "COALITION", ""),  # type: ignore[arg-type]
        )
    took = time.perf_counter() - start
    engine.dispose()
    out.put((took, peak_mb()))


def probe(url: str, stop: Any, out: Any) -> None:
    """In a process of its own, as a web server would be: answer the map's grid and
    the incidents list for a coalition reader over and over, 10 a second, until told
    to stop; put each answer's time (seconds) on ``out``."""
    import random

    from coalition.ceasefire import service
    from coalition.core.principal import Principal, Role

    engine = get_engine(url)
    reader = Principal(username="gbr.viewer", member="GBR", role=Role.VIEWER)
    rnd = random.Random(11)
    times: list[float] = []
    while not stop.is_set():
        w = rnd.uniform(0.5, 12)
        west, south = rnd.uniform(30, 40 - w / 2), rnd.uniform(44, 52 - w / 3)
        box = (west, south, west + w, south + w / 2)
        start = time.perf_counter()
        with transaction(engine) as session:
            service.grid(session, reader, box)
            service.list_incidents(session, reader, bbox=box, limit=50)
        times.append(time.perf_counter() - start)
        stop.wait(0.1)
    engine.dispose()
    out.put(times)


def latency(url: str, work: Callable[[], float]) -> tuple[float, dict[str, float]]:
    """Run ``work`` (returning its own time) while :func:`probe` asks the database in
    another process; the work's time and the answers' p50/p95 in milliseconds."""
    ctx = multiprocessing.get_context("spawn")
    stop, out = ctx.Event(), ctx.Queue()
    asker = ctx.Process(target=probe, args=(url, stop, out))
    asker.start()
    try:
        took = work()
    finally:
        stop.set()
        times = out.get(timeout=60)
        asker.join()
    if len(times) < 2:
        return took, {"requests": len(times)}
    cuts = statistics.quantiles(times, n=20)
    return took, {
        "requests": len(times),
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(cuts[-1] * 1000, 1),
    }


RAW_TABLE = f"CREATE TABLE raw ({', '.join(c + ' TEXT' for c in COLUMNS)})"
# The floor any import with a natural key and a time index pays: the same raw load into
# a table that carries just those two indexes.
RAW_INDEXES = [
    "CREATE UNIQUE INDEX raw_key ON raw (source_name, source_id)",
    "CREATE INDEX raw_time ON raw (occurred_at)",
]


def raw_sqlite(path: str, *, indexed: bool = False, through_python: bool = False) -> float:
    """``sqlite3 .import`` into a bare table (executemany where the shell is missing, or
    when ``through_python``: the most any importer written in Python can do, since every
    row must cross the sqlite3 module's ``executemany``)."""
    db = tempfile.mktemp(suffix=".db", dir="/tmp")  # noqa: S306 - a scratch file for the bench
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(RAW_TABLE)
    for ddl in RAW_INDEXES if indexed else []:
        conn.execute(ddl)
    conn.commit()
    conn.close()
    shell = None if through_python else shutil.which("sqlite3")
    start = time.perf_counter()
    if shell:
        subprocess.run(  # noqa: S603 - the system's sqlite3 shell on our own scratch file
            [shell, db, f".import --csv --skip 1 {path} raw"], check=True
        )
    else:
        conn = sqlite3.connect(db)
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            next(reader)
            conn.executemany(f"INSERT INTO raw VALUES ({', '.join('?' * len(COLUMNS))})", reader)
        conn.commit()
        conn.close()
    elapsed = time.perf_counter() - start
    for leftover in (db, db + "-wal", db + "-shm"):
        if os.path.exists(leftover):
            os.remove(leftover)
    return elapsed


def raw_postgres(admin_url: str, path: str, *, indexed: bool = False) -> float:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS raw")
        conn.execute(RAW_TABLE)
        for ddl in RAW_INDEXES if indexed else []:
            conn.execute(ddl)
        start = time.perf_counter()
        with (
            open(path, "rb") as f,
            conn.cursor().copy("COPY raw FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
        ):
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        elapsed = time.perf_counter() - start
        conn.execute("DROP TABLE raw")
    return elapsed


def _figures(
    rows: int, t: float, raw: float, floor: float, driver: float | None = None
) -> dict[str, object]:
    extra = (
        {
            # The same indexed load with each row handed over by Python's sqlite3 module,
            # no parsing or checks: the ceiling for an importer written in Python.
            "python_driver_indexed_rows_per_s": round(rows / driver),
            "python_driver_indexed_ratio": round(raw / driver, 3),
        }
        if driver
        else {}
    )
    return {
        "rows_per_s": round(rows / t),
        "raw_rows_per_s": round(rows / raw),
        "ratio": round(raw / t, 3),
        # The raw load into a table with only the natural-key and time indexes: how
        # near the ratio any import that keeps those indexes can come.
        "raw_indexed_rows_per_s": round(rows / floor),
        "raw_indexed_ratio": round(raw / floor, 3),
        # The target: the importer's rows per second over the indexed raw load's.
        "ratio_to_indexed": round(floor / t, 3),
        **extra,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    path = f"/tmp/coalition-bench-{os.getpid()}-{args.rows}.csv"
    generate(path, args.rows)
    figures: dict[str, object] = {"rows": args.rows}
    db = f"/tmp/coalition-bench-{os.getpid()}.db"
    try:
        t, peak = import_into(f"sqlite:///{db}", path)
    finally:
        for leftover in (db, db + "-wal", db + "-shm"):
            if os.path.exists(leftover):
                os.remove(leftover)
    figures["sqlite"] = _figures(
        args.rows,
        t,
        raw_sqlite(path),
        raw_sqlite(path, indexed=True),
        raw_sqlite(path, indexed=True, through_python=True),
    )
    figures["sqlite"]["import_peak_memory_mb"] = peak  # type: ignore[index]
    print(json.dumps({"progress": figures}), file=sys.stderr, flush=True)
    name = f"coalition_bench_{os.getpid()}"
    try:
        import psycopg

        with psycopg.connect(args.pg, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = args.pg.rsplit("/", 1)[0] + "/" + name
        engine_url = url.replace("postgresql://", "postgresql+psycopg://")
        upgrade(engine_url)  # the tables the answers read exist
        imported: list[tuple[float, float]] = []

        def work() -> float:
            imported.append(import_into(engine_url, path))
            return imported[0][0]

        t, during = latency(engine_url, work)
        # The same questions on the loaded database with nothing else running.
        _, idle = latency(engine_url, lambda: time.sleep(10) or 0.0)
        raw = raw_postgres(url, path)
        floor = raw_postgres(url, path, indexed=True)
        get_engine(engine_url).dispose()
        figures["postgresql"] = {
            **_figures(args.rows, t, raw, floor),
            "import_peak_memory_mb": imported[0][1],
            # The map's grid and the incidents list, answered in another process while
            # the import ran, and after it with the machine otherwise idle.
            "answers_during_import": during,
            "answers_idle": idle,
        }
    except Exception as exc:  # the bench still reports SQLite without a server
        figures["postgresql"] = {"error": str(exc)[:200]}
    finally:
        try:
            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception:  # noqa: S110 - no server, nothing was created
            pass
    # The bench's own process: the generator, the raw loads through Python, and the
    # processes it spawned (which inherit its size at their start), not the imports alone.
    figures["bench_peak_memory_mb"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    )
    os.remove(path)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
