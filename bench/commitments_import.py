"""Import speed of the commitments ledger: rows per second on generated plain-layout rows.

Usage: ``python bench/commitments_import.py [--rows 100000] [--database URL]``. Without
``--database`` it measures on a fresh SQLite file; give a PostgreSQL URL to an *empty*
database to measure there (the database is migrated and seeded with the members it needs).
The last line printed is JSON with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("COALITION_ENVIRONMENT", "test")
os.environ.setdefault("COALITION_SECRET_KEY", "bench-secret-" + "b" * 40)

import coalition.models  # noqa: F401 - every table registered
from coalition.commitments import importer
from coalition.core import migrate
from coalition.core.audit import ensure_head
from coalition.core.db import get_engine, transaction
from coalition.core.principal import SYSTEM
from coalition.members.model import Member

MEMBERS = ["SEC", "GBR", "FRA", "DEU", "POL", "NLD", "DNK", "NOR", "CAN", "EU"]
CATEGORIES = ["military", "financial", "humanitarian", "force_contribution", "training"]
CURRENCIES = ["EUR", "EUR", "GBP", "USD", "PLN", "DKK", "NOK", "CAD"]
HEADER = "source_id,member,announced_on,category,item,quantity,unit,value,currency,status,marking\n"


def generate(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for i in range(rows):
            day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            out.write(
                f"bench-{i},{rng.choice(MEMBERS[1:])},{day},{rng.choice(CATEGORIES)},"
                f"Item {i},{rng.randint(1, 500)},units,"
                f"{rng.randint(1, 10**8)}.{rng.randint(0, 99):02d},"
                f"{rng.choice(CURRENCIES)},announced,PUBLIC\n"
            )


def seed_members(url: str) -> None:
    engine = get_engine(url)
    migrate.upgrade(engine)
    with transaction(engine, actor="bench") as session:
        ensure_head(session)
        for code in MEMBERS:
            if session.get(Member, code) is None:
                session.add(
                    Member(code=code, name=code, kind="state", owner_code="SEC", marking="PUBLIC")
                )
                session.flush()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", default=None)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="coalition-bench-"))
    url = args.database or f"sqlite:///{work / 'bench.db'}"
    seed_members(url)
    engine = get_engine(url)
    data = work / "commitments.csv"
    generate(data, args.rows)
    size = data.stat().st_size
    started = time.perf_counter()
    first = importer.import_file(engine, SYSTEM, data, "csv", max_bytes=size + 1)
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    again = importer.import_file(engine, SYSTEM, data, "csv", max_bytes=size + 1)
    again_s = time.perf_counter() - started
    figures = {
        "database": engine.dialect.name,
        "rows": args.rows,
        "file_mb": round(size / 1_048_576, 1),
        "inserted": first.summary.inserted,
        "first_run_s": round(first_s, 1),
        "first_run_rows_per_s": round(args.rows / first_s),
        "rerun_unchanged": again.summary.unchanged,
        "rerun_s": round(again_s, 1),
        "rerun_rows_per_s": round(args.rows / again_s),
    }
    print(json.dumps(figures))
    return 0 if first.summary.inserted == args.rows else 1


if __name__ == "__main__":
    sys.exit(main())
