"""Time `coalition audit verify` on a database holding N imported ceasefire reports.

Writes N synthetic reports to /tmp, imports them (the importer: batch audit entries,
grouping, rollups) into a fresh SQLite file and, when PostgreSQL answers, into a fresh
database there, then times ``audit.verify`` as a whole (the chain and its MACs, the
batch digests, audited rows against their entries, every derived table recomputed) and
each derived-table check on its own. ``--db FILE`` keeps the SQLite file (and reuses it
when it exists) so repeated runs skip the import. The last line printed is one JSON
object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import time
from typing import Any

os.environ.setdefault("COALITION_ENVIRONMENT", "test")
os.environ.setdefault("COALITION_SECRET_KEY", "bench-" + "k" * 40)
os.environ.setdefault("COALITION_AUDIT_KEYS", "bench:" + "a" * 40)

from feed import generate
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url

import coalition.capabilities  # noqa: F401 - every capability's audit checks installed
from coalition.ceasefire import importer, ingest
from coalition.ceasefire.layouts import Layout
from coalition.ceasefire.model import Report
from coalition.core import audit, migrate
from coalition.core.db import get_engine, transaction
from coalition.core.principal import SYSTEM


def load(engine: Engine, path: str) -> None:
    import coalition.models  # noqa: F401 - every table registered
    from coalition.members.model import Member

    migrate.upgrade(engine)
    with transaction(engine) as session:
        audit.ensure_head(session)
        if session.get(Member, "SEC") is None:
            session.add(
                Member(code="SEC", name="Secretariat", kind="secretariat", owner_code="SEC")
            )
    with open(path, "rb") as f:
        importer.import_file(engine, SYSTEM, Layout.CSV, f, ingest.Stamp("SEC", "COALITION", ""))


def measure(engine: Engine) -> dict[str, Any]:
    with transaction(engine) as session:
        reports = session.scalar(select(func.count()).select_from(Report)) or 0
    checks: dict[str, float] = {}
    for name, check in sorted(audit.DERIVED_CHECKS.items()):
        start = time.perf_counter()
        with transaction(engine) as session:
            problems = check(session)
        checks[name] = round(time.perf_counter() - start, 2)
        if problems:
            raise SystemExit(f"{name}: {problems[0]}")
    start, cpu = time.perf_counter(), time.process_time()
    with transaction(engine) as session:
        report = audit.verify(session)
    elapsed = time.perf_counter() - start
    return {
        "reports": reports,
        "entries": report.entries,
        "ok": report.ok,
        "verify_s": round(elapsed, 2),
        "verify_cpu_s": round(time.process_time() - cpu, 2),
        "chain_and_rows_s": round(elapsed - sum(checks.values()), 2),
        "derived_checks_s": checks,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--db", help="SQLite file to keep (reused when it exists)")
    parser.add_argument("--pg", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    path = f"/tmp/coalition-verify-{os.getpid()}-{args.rows}.csv"
    figures: dict[str, Any] = {"rows": args.rows}
    try:
        db = args.db or f"/tmp/coalition-verify-{os.getpid()}.db"
        fresh = not os.path.exists(db)
        if fresh:
            generate(path, args.rows)
        engine = get_engine(f"sqlite:///{db}")
        try:
            if fresh:
                load(engine, path)
            figures["sqlite"] = measure(engine)
        finally:
            engine.dispose()
            if not args.db:
                for leftover in (db, db + "-wal", db + "-shm"):
                    if os.path.exists(leftover):
                        os.remove(leftover)
        figures["postgresql"] = postgres(args.pg, path, args.rows)
    finally:
        if os.path.exists(path):
            os.remove(path)
    print(json.dumps(figures))


def postgres(admin_url: str, path: str, rows: int) -> dict[str, Any]:
    name = f"coalition_verify_{secrets.token_hex(4)}"
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any failure to reach the server
        return {"error": f"PostgreSQL not reachable: {type(exc).__name__}"}
    engine = get_engine(
        make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    )
    try:
        if not os.path.exists(path):
            generate(path, rows)
        load(engine, path)
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        return measure(engine)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
