"""Sanctions alignment at the size of ten members' lists: import, resolution, gaps.

Generates ``--lists`` lists of ``--per-list`` designations each (sanctions_feed.py: the
same persons, companies, banks and vessels on several lists, spelled each list's way,
identifiers on some lists and not others), then in one run, on SQLite and, when it
answers, on PostgreSQL:

- imports each list as a snapshot (``ingest.import_snapshot``: checked by FtM, stored,
  designations derived) against loading the same JSON lines raw into a bare table
  (``executemany`` on SQLite, ``COPY`` on PostgreSQL);
- runs resolution over all lists (``resolution.find_candidates``: candidates stored,
  strong identifiers judged by rule, clusters written to the designations) and scores the
  candidates against the generator's truth (precision and recall over pairs of refs; see
  bench/sanctions_match.py);
- rewrites the alignment's summary whole (``summary.refresh_all``; the import and the
  resolution keep it as they go, so this is what one rewrite of it costs), and settles the
  alignment's tables (``summary.settle``: on PostgreSQL, ``VACUUM (ANALYZE)``), as the
  import and the resolve command do after their writes;
- asks for the gap between two members (one list each: its size, and its first page of
  100 ranked targets with their evidence, as the API answers) and for the whole members x
  themes matrix, as a coalition reader, best of 3, against DuckDB answering the same
  question from the same base tables, designations and applications (copied into it in
  the same run, not timed; not the summary, which DuckDB does without): the targets A
  lists and B does not ranked by their figures with the first page's listings, and
  distinct targets per member and theme.

With ``--keep FOLDER`` the databases stay (SQLite's file in FOLDER, PostgreSQL's named in
FOLDER/pg_name); ``--keep FOLDER --queries-only`` then times the gap and the matrix alone on
them, brought up to the newest migration, without the quarter of an hour of loading.

Peak memory is the process's resident peak (VmHWM), reset between phases (Linux's
clear_refs) so each phase is measured alone: ``peak_memory_mb`` is the highest of the
platform's own phases (import, resolution, summary, queries), the figure the target is
for; ``phase_peaks_mb`` adds the generator's, the raw load's and DuckDB's. Each database is run
in a process of its own (and the generated lists are written out and dropped before), so
neither is measured on what the other left resident. The last line printed
is one JSON object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import multiprocessing
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("COALITION_ENVIRONMENT", "test")
os.environ.setdefault("COALITION_SECRET_KEY", "bench-" + "k" * 40)

from sanctions_feed import evaluate, generate_lists
from sqlalchemy import select

from coalition.core.audit import ensure_head
from coalition.core.db import get_engine, transaction
from coalition.core.principal import SYSTEM, Principal, Role

DAY = dt.date(2025, 3, 1)
PAGE = 100  # gap rows a page of the API and the web page carries, with their evidence
READER = Principal(username="bench.viewer", member="MA", role=Role.VIEWER)


def peak_mb() -> float:
    """The process's peak resident memory since it started or since :func:`phase_peak_mb`."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


PEAKS: dict[str, float] = {}  # the highest peak of each phase over both databases


def phase_peak_mb(phase: str) -> float:
    """The peak resident memory of the phase just ended, noted under ``phase``; the peak is
    then reset (Linux's clear_refs), so the next phase is measured from where it starts."""
    peak = peak_mb()
    PEAKS[phase] = max(PEAKS.get(phase, 0.0), peak)
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:  # not Linux: the peaks run on from the start
        pass
    return peak


def _migrate(url: str) -> None:
    from coalition.core import migrate

    migrate.upgrade(get_engine(url))


def upgrade(url: str) -> None:
    child = multiprocessing.get_context("spawn").Process(target=_migrate, args=(url,))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"migrating {url} failed")


PLATFORM = ("import", "resolution", "summary", "queries")


def memory_figures() -> dict[str, Any]:
    """The peak of the platform's own phases (the target), and every phase's peak, the
    generator's, the raw load's and DuckDB's among them."""
    phase_peak_mb("end")
    return {
        "peak_memory_mb": max((PEAKS[p] for p in PLATFORM if p in PEAKS), default=0.0),
        "phase_peaks_mb": PEAKS,
    }


def member_code(n: int) -> str:
    return "M" + chr(ord("A") + n)


def best(work: Any, times: int = 3) -> tuple[float, Any]:
    took, result = float("inf"), None
    for _ in range(times):
        start = time.perf_counter()
        result = work()
        took = min(took, time.perf_counter() - start)
    return took, result


def run(url: str, paths: list[str], codes: list[str], truth: dict[str, str]) -> dict[str, Any]:
    import coalition.models  # noqa: F401 - every table registered
    from coalition.members.model import Member
    from coalition.sanctions import alignment, ingest, resolution
    from coalition.sanctions import summary as summarised
    from coalition.sanctions.model import Candidate

    engine = get_engine(url)
    upgrade(url)
    with transaction(engine) as session:
        ensure_head(session)
        session.add(Member(code="SEC", name="Secretariat", kind="secretariat", owner_code="SEC"))
        for n, _ in enumerate(codes):
            session.add(
                Member(code=member_code(n), name=f"Member {n}", kind="state", owner_code="SEC")
            )
    figures: dict[str, Any] = {}
    rows = 0
    start = time.perf_counter()
    for path, code in zip(paths, codes, strict=True):
        with open(path, "rb") as f:
            summary = ingest.import_snapshot(
                engine,
                SYSTEM,
                f,
                list_code=code,
                taken_on=DAY,
                sha256=ingest.file_digest(Path(path)),
                run_key="",
            )
        rows += summary.read
    took = time.perf_counter() - start
    import_peak = phase_peak_mb("import")
    raw = raw_load(engine, paths)
    phase_peak_mb("raw load")
    figures["import"] = {
        "entities": rows,
        "seconds": round(took, 1),
        "peak_memory_mb": import_peak,
        "entities_per_s": round(rows / took),
        "raw_entities_per_s": round(rows / raw),
        "ratio_to_raw": round(raw / took, 3),
    }
    print(json.dumps({"progress": figures}), file=sys.stderr, flush=True)
    with transaction(engine) as session:
        for n, code in enumerate(codes):
            alignment.apply_list(session, SYSTEM, member_code(n), code, DAY)
    start = time.perf_counter()
    with transaction(engine) as session:
        found = resolution.find_candidates(session, SYSTEM)
    summarised.settle(engine)  # as `coalition sanctions resolve` does
    took = time.perf_counter() - start
    resolution_peak = phase_peak_mb("resolution")
    with transaction(engine) as session:
        pairs = session.execute(
            __import__("sqlalchemy").select(Candidate.left_ref, Candidate.right_ref)
        ).all()
    scored = evaluate([_Pair(a, b) for a, b in pairs], truth)
    figures["resolution"] = {
        "targets": found.targets,
        "candidates": found.candidates,
        "judged_by_rule": found.judged_by_rule,
        "seconds": round(took, 1),
        "peak_memory_mb": resolution_peak,
        **{k: round(v, 4) for k, v in scored.items()},
    }
    print(json.dumps({"progress": figures}), file=sys.stderr, flush=True)
    start = time.perf_counter()
    with transaction(engine) as session:
        periods = summarised.refresh_all(session)
    summarised.settle(engine)
    figures["summary"] = {
        "periods": periods,
        "seconds": round(time.perf_counter() - start, 1),
        "peak_memory_mb": phase_peak_mb("summary"),
    }
    figures.update(queries(url))
    engine.dispose()
    return figures


def _run_child(sender: Any, url: str, paths: list[str], codes: list[str], truth: Any) -> None:
    sender.send((run(url, paths, codes, truth), PEAKS))
    sender.close()


def run_apart(
    url: str, paths: list[str], codes: list[str], truth: dict[str, str]
) -> dict[str, Any]:
    """:func:`run` in a process of its own, so that each database's phases are measured
    from a fresh process, not on what the other's left resident."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run_child, args=(sender, url, paths, codes, truth))
    child.start()
    sender.close()
    try:
        figures, peaks = receiver.recv()
    except EOFError:
        child.join()
        raise RuntimeError(f"the run on {url} failed (exit code {child.exitcode})") from None
    child.join()
    for phase, peak in peaks.items():
        PEAKS[phase] = max(PEAKS.get(phase, 0.0), peak)
    return dict(figures)


def queries(url: str) -> dict[str, Any]:
    """The gap and the matrix against DuckDB's answers, on a database already loaded."""
    import coalition.models  # noqa: F401 - every table registered
    from coalition.sanctions import alignment

    engine = get_engine(url)
    figures: dict[str, Any] = {}

    def gap() -> int:
        with transaction(engine) as session:
            found = alignment.gap(session, READER, "MA", "MB", as_of=DAY, limit=PAGE)
            return found.total

    def matrix() -> int:
        with transaction(engine) as session:
            return len(alignment.matrix(session, READER, as_of=DAY).rows)

    phase_peak_mb("before queries")
    gap_s, gap_rows = best(gap)
    matrix_s, _ = best(matrix)
    figures["queries_peak_memory_mb"] = phase_peak_mb("queries")
    duck = duckdb_answers(engine)
    phase_peak_mb("duckdb")
    figures["gap"] = {
        "rows": gap_rows,
        "seconds": round(gap_s, 3),
        "duckdb_seconds": round(duck["gap_s"], 3),
        "duckdb_rows": duck["gap_rows"],
        "ratio_to_duckdb": round(gap_s / duck["gap_s"], 2),
    }
    figures["matrix"] = {
        "seconds": round(matrix_s, 3),
        "duckdb_seconds": round(duck["matrix_s"], 3),
        "ratio_to_duckdb": round(matrix_s / duck["matrix_s"], 2),
    }
    return figures


class _Pair:
    def __init__(self, left_ref: str, right_ref: str) -> None:
        self.left_ref, self.right_ref = left_ref, right_ref


def raw_load(engine: Any, paths: list[str]) -> float:
    """Seconds to load the same JSON lines raw: id, schema and properties as text."""
    if engine.dialect.name == "sqlite":
        db = tempfile.mktemp(suffix=".db", dir="/tmp")  # noqa: S306 - scratch file
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE raw (id TEXT, schema TEXT, properties TEXT)")
        start = time.perf_counter()
        for path in paths:
            with open(path, encoding="utf-8") as f:
                rows = (_split(line) for line in f)
                conn.executemany("INSERT INTO raw VALUES (?, ?, ?)", rows)
            conn.commit()
        took = time.perf_counter() - start
        conn.close()
        os.remove(db)
        return took
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("CREATE TEMP TABLE raw (id text, schema text, properties jsonb)")
        start = time.perf_counter()
        for path in paths:
            with open(path, encoding="utf-8") as f, cur.copy("COPY raw FROM STDIN") as copy:
                for line in f:
                    copy.write_row(_split(line))
        raw.commit()
        return time.perf_counter() - start
    finally:
        raw.close()


def _split(line: str) -> tuple[str, str, str]:
    data = json.loads(line)
    return data["id"], data["schema"], json.dumps(data["properties"])


GAP_SQL = """
WITH a AS (
  SELECT DISTINCT canonical_coalition AS t FROM d
  WHERE list_code IN (SELECT list_code FROM app WHERE member_code = 'MA')
    AND first_seen <= DATE '{day}' AND (listed_until IS NULL OR listed_until > DATE '{day}')
), b AS (
  SELECT DISTINCT canonical_coalition AS t FROM d
  WHERE list_code IN (SELECT list_code FROM app WHERE member_code = 'MB')
    AND first_seen <= DATE '{day}' AND (listed_until IS NULL OR listed_until > DATE '{day}')
), gap AS (SELECT t FROM a EXCEPT SELECT t FROM b)
SELECT d.canonical_coalition, count(DISTINCT app.member_code) AS members,
       bool_or(d.un_listed), min(d.kind), min(coalesce(d.listing_date, d.first_seen)),
       count(*) AS listings
FROM d JOIN gap ON d.canonical_coalition = gap.t
LEFT JOIN app ON app.list_code = d.list_code
WHERE d.first_seen <= DATE '{day}' AND (d.listed_until IS NULL OR d.listed_until > DATE '{day}')
GROUP BY d.canonical_coalition
ORDER BY members DESC, bool_or(d.un_listed) DESC, min(d.kind),
         min(coalesce(d.listing_date, d.first_seen))
"""
MATRIX_SQL = """
SELECT app.member_code, d.theme, count(DISTINCT d.canonical_coalition)
FROM d JOIN app ON app.list_code = d.list_code
WHERE d.first_seen <= DATE '{day}' AND (d.listed_until IS NULL OR d.listed_until > DATE '{day}')
GROUP BY app.member_code, d.theme
"""


def duckdb_answers(engine: Any) -> dict[str, Any]:
    """The gap and the matrix from the same tables, copied into DuckDB through CSV files
    (the copy not timed)."""
    import csv

    import duckdb

    from coalition.sanctions.model import Application, Designation

    columns = [
        Designation.list_code,
        Designation.ref,
        Designation.canonical_coalition,
        Designation.theme,
        Designation.kind,
        Designation.un_listed,
        Designation.listing_date,
        Designation.first_seen,
        Designation.listed_until,
    ]
    folder = tempfile.mkdtemp(prefix="coalition-duck-")
    tables = {
        "d": (columns, os.path.join(folder, "d.csv")),
        "app": ([Application.member_code, Application.list_code], os.path.join(folder, "a.csv")),
    }
    with engine.connect() as conn:
        for selected, path in tables.values():
            with open(path, "w", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                writer.writerow([c.key for c in selected])
                for row in conn.execute(select(*selected)):
                    writer.writerow(
                        ["" if v is None else int(v) if v is True or v is False else v for v in row]
                    )
    db = duckdb.connect()
    types = (
        "{'listing_date': 'DATE', 'first_seen': 'DATE', 'listed_until': 'DATE', "
        "'un_listed': 'BOOLEAN'}"
    )
    for table, (_, path) in tables.items():
        typed = f", types={types}" if table == "d" else ""
        db.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header=true{typed})")

    def gap() -> int:
        # The whole gap ranked (its size, as the page's total), then the first page's rows
        # with every listing as evidence, as the platform answers.
        ranked = db.execute(GAP_SQL.format(day=DAY)).fetchall()
        page = [row[0] for row in ranked[:PAGE]]
        db.execute("SELECT * FROM d WHERE canonical_coalition IN ?", [page]).fetchall()
        return len(ranked)

    gap_s, rows = best(gap)
    matrix_s, _ = best(lambda: db.execute(MATRIX_SQL.format(day=DAY)).fetchall())
    db.close()
    shutil.rmtree(folder, ignore_errors=True)
    return {"gap_s": gap_s, "gap_rows": rows, "matrix_s": matrix_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=int, default=10)
    parser.add_argument("--per-list", type=int, default=50_000)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--keep",
        metavar="FOLDER",
        help="keep the SQLite and PostgreSQL databases (the latter named in FOLDER/pg_name)",
    )
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="time only the gap and the matrix, on the databases an earlier --keep run left",
    )
    parser.add_argument(
        "--databases",
        default="sqlite,postgresql",
        help="which to run, comma-separated (default: sqlite,postgresql)",
    )
    args = parser.parse_args()
    args.databases = set(args.databases.split(","))
    if args.queries_only and not args.keep:
        parser.error("--queries-only reads the databases a --keep run left: name its folder")
    folder = args.keep or tempfile.mkdtemp(prefix="coalition-sanctions-")
    os.makedirs(folder, exist_ok=True)
    db = os.path.join(folder, "bench.db")
    named = Path(folder, "pg_name")
    figures: dict[str, Any] = {"lists": args.lists, "per_list": args.per_list}
    if args.queries_only:  # brought up to the newest migration first (an index added since)
        if "sqlite" in args.databases:
            upgrade(f"sqlite:///{db}")
            figures["sqlite"] = queries(f"sqlite:///{db}")
            print(json.dumps({"progress": figures}), file=sys.stderr, flush=True)
        try:
            if "postgresql" not in args.databases:
                raise RuntimeError("not asked for (--databases)")
            url = args.pg.rsplit("/", 1)[0] + "/" + named.read_text().strip()
            url = url.replace("postgresql://", "postgresql+psycopg://")
            upgrade(url)
            figures["postgresql"] = queries(url)
        except Exception as exc:  # the bench still reports SQLite without a server
            figures["postgresql"] = {"error": str(exc)[:200]}
        figures.update(memory_figures())
        print(json.dumps(figures))
        return
    start = time.perf_counter()
    lists = generate_lists(args.lists, args.per_list)
    paths = lists.write(folder)
    codes, truth = lists.codes, lists.truth
    del lists  # the platform's phases are measured without the generator's objects
    gc.collect()
    figures["generated_s"] = round(time.perf_counter() - start, 1)
    phase_peak_mb("generate")
    if "sqlite" in args.databases:
        figures["sqlite"] = run_apart(f"sqlite:///{db}", paths, codes, truth)
        print(json.dumps({"progress": figures}), file=sys.stderr, flush=True)
    name = f"coalition_sanctions_{os.getpid()}"
    try:
        if "postgresql" not in args.databases:
            raise RuntimeError("not asked for (--databases)")
        import psycopg

        with psycopg.connect(args.pg, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        named.write_text(name)
        url = args.pg.rsplit("/", 1)[0] + "/" + name
        figures["postgresql"] = run_apart(
            url.replace("postgresql://", "postgresql+psycopg://"), paths, codes, truth
        )
    except Exception as exc:  # the bench still reports SQLite without a server
        figures["postgresql"] = {"error": str(exc)[:200]}
    finally:
        if not args.keep:
            try:
                with psycopg.connect(args.pg, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception:  # noqa: S110 - no server, nothing was created
                pass
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    figures.update(memory_figures())
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
