"""Time filing one report among many stored ones: current, back-dated, and beside a writer.

Imports N synthetic reports (the importer, as ``bench/ingest.py`` does) into a fresh SQLite
file and, when PostgreSQL answers, into a fresh database there; then times, on each:
filing a report just after the newest stored one, filing one dated three weeks before it,
posting a commitment alone, and posting a commitment while another thread files a
back-dated report (the commitment starts once the report's transaction is under way).
Each figure is the median of ``--repeats`` runs. The last line printed is one JSON object
with the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import threading
import time
from typing import Any

os.environ.setdefault("COALITION_ENVIRONMENT", "test")
os.environ.setdefault("COALITION_SECRET_KEY", "bench-" + "k" * 40)

from feed import generate
from sqlalchemy import Engine, func, select

from coalition.ceasefire import importer, ingest, service
from coalition.ceasefire.layouts import Layout
from coalition.ceasefire.model import Report
from coalition.ceasefire.schemas import ReportCreate
from coalition.commitments import service as commitments
from coalition.commitments.model import Category
from coalition.commitments.schemas import CommitmentCreate
from coalition.core import migrate
from coalition.core.audit import ensure_head
from coalition.core.db import get_engine, transaction
from coalition.core.principal import SYSTEM, Principal, Role

MONITOR = Principal(username="gbr.monitor", member="GBR", role=Role.MONITOR)
CONTRIBUTOR = Principal(username="gbr.contributor", member="GBR", role=Role.CONTRIBUTOR)


def load(url: str, path: str) -> Engine:
    import coalition.models  # noqa: F401 - every table registered
    from coalition.members.model import Member

    engine = get_engine(url)
    migrate.upgrade(engine)
    with transaction(engine) as session:
        ensure_head(session)
        for code, kind in (("SEC", "secretariat"), ("GBR", "state")):
            session.add(Member(code=code, name=code, kind=kind, owner_code="SEC"))
    with open(path, "rb") as f:
        importer.import_file(
            engine,
            SYSTEM,
            Layout.CSV,
            f,
            ingest.Stamp("SEC", "COALITION", ""),  # type: ignore[arg-type]
        )
    return engine


SERIAL = iter(range(1, 1_000_000))


def _report(at: dt.datetime, lat: float = 48.40, lon: float = 37.90) -> ReportCreate:
    return ReportCreate(
        source_name="Bench patrol",
        source_id=f"B-{next(SERIAL)}",
        reliability="B",
        credibility=2,
        occurred_at=at,
        latitude=lat,
        longitude=lon,
        type="shelling",  # type: ignore[arg-type]
        marking="COALITION",  # type: ignore[arg-type]
    )


def file(engine: Engine, data: ReportCreate) -> float:
    start = time.perf_counter()
    with transaction(engine, actor=MONITOR.actor) as session:
        service.file_report(session, MONITOR, data)
    return time.perf_counter() - start


def commit(engine: Engine) -> float:
    data = CommitmentCreate(
        member="GBR",
        category=Category.HUMANITARIAN,
        item="Bench shelter kits",
        announced_on=dt.date(2025, 3, 2),
    )
    start = time.perf_counter()
    with transaction(engine, actor=CONTRIBUTOR.actor) as session:
        commitments.create_commitment(session, CONTRIBUTOR, data)
    return time.perf_counter() - start


def side_by_side(engine: Engine, data: ReportCreate) -> tuple[float, float]:
    """File ``data`` and post a commitment once the report's transaction is under way."""
    times: dict[str, float] = {}
    started = threading.Event()

    def report() -> None:
        start = time.perf_counter()
        with transaction(engine, actor=MONITOR.actor) as session:
            session.connection()  # the transaction begins (SQLite: the write lock is taken)
            started.set()
            service.file_report(session, MONITOR, data)
        times["report"] = time.perf_counter() - start

    def commitment() -> None:
        started.wait()
        time.sleep(0.005)  # let the report reach its regroup
        times["commitment"] = commit(engine)

    threads = [threading.Thread(target=report), threading.Thread(target=commitment)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times["report"], times["commitment"]


def measure(engine: Engine, repeats: int) -> dict[str, Any]:
    with transaction(engine) as session:
        newest: dt.datetime = session.scalar(select(func.max(Report.occurred_at)))  # type: ignore[assignment]
        stored = session.scalar(select(func.count()).select_from(Report)) or 0
    back = newest - dt.timedelta(days=21)
    current, late, alone, beside, late_beside = [], [], [], [], []
    for i in range(repeats):
        step = dt.timedelta(minutes=7 * i + 1)
        current.append(file(engine, _report(newest + step)))
        late.append(file(engine, _report(back + step, 48.0 + 0.1 * i)))
        alone.append(commit(engine))
        r, c = side_by_side(engine, _report(back + step + dt.timedelta(hours=5), 47.6 + 0.1 * i))
        late_beside.append(r)
        beside.append(c)

    def ms(xs: list[float]) -> float:
        return round(statistics.median(xs) * 1000, 1)

    return {
        "stored_reports": stored,
        "current_report_ms": ms(current),
        "backdated_report_ms": ms(late),
        "commitment_alone_ms": ms(alone),
        "backdated_beside_commitment_ms": ms(late_beside),
        "commitment_beside_backdated_ms": ms(beside),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    path = f"/tmp/coalition-backdated-{os.getpid()}.csv"
    generate(path, args.rows)
    figures: dict[str, Any] = {"rows": args.rows}
    db = f"/tmp/coalition-backdated-{os.getpid()}.db"
    try:
        figures["sqlite"] = measure(load(f"sqlite:///{db}", path), args.repeats)
    finally:
        for leftover in (db, db + "-wal", db + "-shm"):
            if os.path.exists(leftover):
                os.remove(leftover)
    print(json.dumps({"progress": figures}), file=sys.stderr, flush=True)
    name = f"coalition_backdated_{os.getpid()}"
    try:
        import psycopg

        with psycopg.connect(args.pg, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = (args.pg.rsplit("/", 1)[0] + "/" + name).replace(
            "postgresql://", "postgresql+psycopg://"
        )
        engine = load(url, path)
        figures["postgresql"] = measure(engine, args.repeats)
        engine.dispose()
    except Exception as exc:  # the bench still reports SQLite without a server
        figures["postgresql"] = {"error": str(exc)[:200]}
    finally:
        try:
            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception:  # noqa: S110 - no server, nothing was created
            pass
    os.remove(path)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
