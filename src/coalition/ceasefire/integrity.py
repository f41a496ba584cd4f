"""What `audit verify` recomputes for the ceasefire: every table derived from reports.

Reports are audited (one by one, or by batch digest); what is derived from them is not,
so a tenfold edit to a rollup or a moved incident would leave the chain intact. Each check
here recomputes one derived table from its sources and names the rows that differ:

- the two rollups (counts by day, type, attribution and oblast; counts by day and grid
  cell), each in one statement: the stored counts and one row per report go through a
  single ``GROUP BY`` on the rollup's key, and a key whose two sums differ is a mismatch
  (the coarser grid levels are then summed from the finest, which has just been checked);
- incident summaries (key, times and their precision, place, counts, fatalities
  reconciled by source, attributions, marking and the status taken from decisions),
  recomputed from each incident's reports with window functions, compared column by
  column;
- incident membership, by running the grouping rule again over every report, in time
  order and in slices, and comparing each report's seed with its incident's;
- each report's region, located again from its position (``regions``).

The rules restated here in SQL are those of ``ingest`` (rollups, summaries); the tests
hold the two to the same results on data they build.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import groupby, islice
from operator import itemgetter
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, String, case, literal, select, text
from sqlalchemy.orm import Session

from coalition.ceasefire import grouping, regions
from coalition.ceasefire.grid import CELL, LEVELS, PER_DEGREE
from coalition.ceasefire.model import Incident, IncidentMember, Report
from coalition.ceasefire.regroup import sighting
from coalition.core.audit import Problem
from coalition.core.db import is_postgres

LIMIT = 5  # mismatches named per table; one more problem says that more differ
SLICE = 20_000  # reports grouped or located at once
COORDINATE_TOLERANCE = 1e-7  # degrees (about 1 cm): a mean summed in another order


def _more(where: str, rows: Sequence[Any]) -> list[Problem]:
    """A problem saying that more than the named rows differ, when they do."""
    return [_too_many(where)] if len(rows) > LIMIT else []


def _too_many(where: str) -> Problem:
    return Problem(where, f"more rows differ than the {LIMIT} named")


def _day(session: Session) -> str:
    """SQL for the UTC day of ``occurred_at``, as the rollups key it."""
    if is_postgres(session):
        return "CAST(timezone('UTC', occurred_at) AS date)"
    return "date(occurred_at)"


def _floor(session: Session, sql: str) -> str:
    """SQL for floor(``sql``) as an integer. SQLite may lack ``floor()``: its CAST
    truncates toward zero, so one is taken off below zero."""
    if is_postgres(session):
        return f"CAST(floor({sql}) AS bigint)"
    return f"(CAST({sql} AS INTEGER) - (({sql}) < CAST({sql} AS INTEGER)))"


def _rel(marking: str, owner: str, rel_to: str) -> str:
    return f"{marking}, {owner}" + (f", rel to {rel_to.strip('|')}" if rel_to else "")


# --- rollups ------------------------------------------------------------------------


def report_rollup_problems(session: Session) -> list[Problem]:
    """Rows of ``ceasefire_report_rollup`` whose counts differ from the reports'."""
    key = "day, type, attribution, region, owner_code, marking, rel_to"
    sql = f"""
        SELECT {key}, sum(stored), sum(counted), sum(stored_casualties), sum(counted_casualties)
        FROM (
            SELECT {key}, reports AS stored, 0 AS counted,
                   casualties AS stored_casualties, 0 AS counted_casualties
            FROM ceasefire_report_rollup
            UNION ALL
            SELECT {_day(session)} AS day, type, attribution, region, owner_code, marking,
                   rel_to, 0, 1, 0, casualties
            FROM ceasefire_reports
        ) AS counts
        GROUP BY {key}
        HAVING sum(stored) <> sum(counted) OR sum(stored_casualties) <> sum(counted_casualties)
        ORDER BY {key}
        LIMIT {LIMIT + 1}
    """  # noqa: S608 - no value is interpolated, only our own SQL
    rows = session.execute(text(sql)).all()
    problems = [
        Problem(
            f"ceasefire report rollup {day} {kind} in {region or '(no region)'}"
            f" claimed by {attribution or '(nobody)'} ({_rel(marking, owner, rel_to)})",
            f"stored {stored} reports and {stored_cas} casualties, "
            f"recomputed {counted} and {counted_cas}",
        )
        for (
            day,
            kind,
            attribution,
            region,
            owner,
            marking,
            rel_to,
            stored,
            counted,
            stored_cas,
            counted_cas,
        ) in rows[:LIMIT]
    ]
    return problems + _more("ceasefire report rollup", rows)


def cell_rollup_problems(session: Session) -> list[Problem]:
    """Rows of ``ceasefire_cell_rollup`` whose counts differ from the reports'.

    The finest cells are recomputed from the reports; once they hold, each coarser level
    is recomputed from them (a coarse cell is the sum of the fine cells inside it), which
    reads the rollup rather than every report once more per level.
    """
    key = "level, day, cell_y, cell_x, type, owner_code, marking, rel_to"
    fine_sql = f"""
        SELECT {key}, sum(stored), sum(counted)
        FROM (
            SELECT {key}, reports AS stored, 0 AS counted
            FROM ceasefire_cell_rollup WHERE level = 1
            UNION ALL
            SELECT 1, {_day(session)}, {_floor(session, "latitude * :per_degree")},
                   {_floor(session, "longitude * :per_degree")}, type, owner_code, marking,
                   rel_to, 0, 1
            FROM ceasefire_reports
        ) AS counts
        GROUP BY {key}
        HAVING sum(stored) <> sum(counted)
        ORDER BY {key}
        LIMIT {LIMIT + 1}
    """  # noqa: S608 - no value is interpolated, only our own SQL
    rows = session.execute(text(fine_sql), {"per_degree": PER_DEGREE}).all()
    if not rows:
        coarse = [n for n in LEVELS if n != 1]
        levels = " UNION ALL ".join(f"SELECT {n} AS level" for n in coarse)
        # Floor division of a fine cell by the level, for negative cells too.
        div = "((f.{c} - ((f.{c} % lv.level) + lv.level) % lv.level) / lv.level)"
        coarse_sql = f"""
            SELECT {key}, sum(stored), sum(counted)
            FROM (
                SELECT {key}, reports AS stored, 0 AS counted
                FROM ceasefire_cell_rollup WHERE level <> 1
                UNION ALL
                SELECT lv.level, f.day, {div.format(c="cell_y")}, {div.format(c="cell_x")},
                       f.type, f.owner_code, f.marking, f.rel_to, 0, f.reports
                FROM ceasefire_cell_rollup AS f CROSS JOIN ({levels}) AS lv
                WHERE f.level = 1
            ) AS counts
            GROUP BY {key}
            HAVING sum(stored) <> sum(counted)
            ORDER BY {key}
            LIMIT {LIMIT + 1}
        """  # noqa: S608 - no value is interpolated, only our own SQL
        rows = session.execute(text(coarse_sql)).all()
    problems = []
    for level, day, y, x, kind, owner, marking, rel_to, stored, counted in rows[:LIMIT]:
        size = CELL * level
        problems.append(
            Problem(
                f"ceasefire cell rollup {day} cell {y * size:.1f},{x * size:.1f}"
                f" ({size:.1f}°) {kind} ({_rel(marking, owner, rel_to)})",
                f"stored {stored}, recomputed {counted}",
            )
        )
    return problems + _more("ceasefire cell rollup", rows)


# --- incident summaries -------------------------------------------------------------

# The columns compared, in the order both sides are selected.
_SUMMARY = (
    "key",
    "key_report_id",
    "compartment",
    "type",
    "first_at",
    "time_precision",
    "last_at",
    "region",
    "report_count",
    "casualties",
    "casualties_low",
    "casualties_high",
    "claimed_attribution",
    "status",
    "assessed_attribution",
    "owner_code",
    "marking",
    "rel_to",
)


def incident_problems(session: Session) -> list[Problem]:
    """Incidents whose stored summary differs from the one their reports give
    (the rule of ``regroup._summaries``, restated in SQL)."""
    collate = ' COLLATE "C"' if is_postgres(session) else ""
    order = f"r.occurred_at, (r.source_name || '|' || r.source_id){collate}"

    # The rank of a report in its incident, as text that sorts as the number does.
    rank = (
        "lpad(CAST(n AS text), 10, '0')"
        if is_postgres(session)
        else "substr('000000000' || n, -10)"
    )

    def first(column: str, condition: str) -> str:
        # The value of the first report (by rank) that meets ``condition``, or NULL: one
        # window (the rank) serves every "first such" column, where a window per column
        # would sort the reports once for each.
        return f"substr(min(CASE WHEN {condition} THEN {rank} || {column} END), 11)"

    differs = " OR ".join(f"i.{c} <> c.{c}" for c in _SUMMARY)
    sql = f"""
        WITH ranked AS (
            SELECT m.incident_id, r.id, r.occurred_at, r.source_name || '|' || r.source_id AS k,
                   r.type, r.region, r.attribution, r.casualties, r.latitude, r.longitude,
                   r.owner_code, r.marking, r.rel_to, r.time_precision,
                   ROW_NUMBER() OVER (PARTITION BY m.incident_id ORDER BY {order}) AS n
            FROM ceasefire_incident_members m
            JOIN ceasefire_reports r ON r.id = m.report_id
        ),
        per_source AS (
            SELECT m.incident_id, r.source_name, max(r.casualties) AS casualties
            FROM ceasefire_incident_members m
            JOIN ceasefire_reports r ON r.id = m.report_id
            GROUP BY m.incident_id, r.source_name
        ),
        reconciled AS (
            SELECT incident_id, max(casualties) AS casualties,
                   min(casualties) AS casualties_low, max(casualties) AS casualties_high,
                   count(*) AS sources
            FROM per_source
            GROUP BY incident_id
        ),
        decided AS (
            SELECT m.incident_id, s.status, s.assessed_attribution,
                   ROW_NUMBER() OVER (
                       PARTITION BY m.incident_id ORDER BY s.created_at DESC, s.id DESC
                   ) AS n
            FROM ceasefire_incident_status s
            JOIN ceasefire_incident_members m ON m.report_id = s.report_id
        ),
        counted AS (
            SELECT incident_id,
                   max(CASE WHEN n = 1 THEN k END) AS key,
                   max(CASE WHEN n = 1 THEN id END) AS key_report_id,
                   max(CASE WHEN n = 1 THEN
                       CASE WHEN marking IN ('PUBLIC', 'COALITION') THEN marking
                       ELSE marking || ':' || owner_code || ':' || rel_to END END) AS compartment,
                   coalesce({first("type", "type <> 'other'")}, 'other') AS type,
                   min(occurred_at) AS first_at,
                   max(CASE WHEN n = 1 THEN time_precision END) AS time_precision,
                   max(occurred_at) AS last_at,
                   avg(latitude) AS latitude,
                   avg(longitude) AS longitude,
                   coalesce({first("region", "region <> ''")}, '') AS region,
                   count(*) AS report_count,
                   coalesce({first("attribution", "attribution <> ''")}, '')
                       AS claimed_attribution,
                   max(CASE WHEN n = 1 THEN owner_code END) AS owner_code,
                   max(CASE WHEN n = 1 THEN marking END) AS marking,
                   max(CASE WHEN n = 1 THEN rel_to END) AS rel_to
            FROM ranked
            GROUP BY incident_id
        ),
        recomputed AS (
            SELECT c.*, s.casualties, s.casualties_low, s.casualties_high,
                   coalesce(d.status, CASE WHEN s.sources >= 2 THEN 'corroborated'
                       ELSE 'reported' END) AS status,
                   coalesce(d.assessed_attribution, '') AS assessed_attribution
            FROM counted c
            JOIN reconciled s ON s.incident_id = c.incident_id
            LEFT JOIN decided d ON d.incident_id = c.incident_id AND d.n = 1
        )
        SELECT i.id, c.incident_id, {", ".join(f"i.{k}, c.{k}" for k in _SUMMARY)},
               i.latitude, c.latitude, i.longitude, c.longitude
        FROM ceasefire_incidents i
        LEFT JOIN recomputed c ON c.incident_id = i.id
        WHERE c.incident_id IS NULL OR {differs}
           OR abs(i.latitude - c.latitude) > :tolerance
           OR abs(i.longitude - c.longitude) > :tolerance
        ORDER BY i.id
        LIMIT {LIMIT + 1}
    """  # noqa: S608 - no value is interpolated, only our own SQL
    rows = session.execute(text(sql), {"tolerance": COORDINATE_TOLERANCE}).all()
    problems = []
    for row in rows[:LIMIT]:
        ident, found, *pairs = row
        where = f"ceasefire incident {ident}"
        if found is None:
            problems.append(Problem(where, "has no reports"))
            continue
        names = [*_SUMMARY, "latitude", "longitude"]
        for name, stored, recomputed in zip(names, pairs[0::2], pairs[1::2], strict=True):
            if name in ("latitude", "longitude"):
                same = abs(stored - recomputed) <= COORDINATE_TOLERANCE
            else:
                same = str(stored) == str(recomputed)
            if not same:
                problems.append(
                    Problem(where, f"{name} stored {stored!r}, recomputed {recomputed!r}")
                )
                break
        else:
            problems.append(Problem(where, "its summary differs from its reports'"))
    return problems + _more("ceasefire incidents", rows)


# --- membership: the grouping rule run again ----------------------------------------


def _compartment() -> ColumnElement[str]:
    return case(
        (Report.marking.in_(("PUBLIC", "COALITION")), Report.marking),
        else_=Report.marking + ":" + Report.owner_code + ":" + Report.rel_to,
    )


def _in_canonical_order(session: Session) -> Iterator[Any]:
    """Every report with its compartment and its incident's seed, by compartment, then
    in the grouping rule's order (time, then natural key, compared byte by byte)."""
    comp = _compartment().label("comp")
    key = (Report.source_name + literal("|", String) + Report.source_id).label("key")
    ordered_key = key.collate("C") if is_postgres(session) else key
    query = (
        select(
            comp,
            Report.id,
            Report.occurred_at,
            Report.source_name,
            Report.source_id,
            Report.latitude,
            Report.longitude,
            Report.type,
            Report.time_precision,
            Incident.key_report_id,
        )
        .outerjoin(IncidentMember, IncidentMember.report_id == Report.id)
        .outerjoin(Incident, Incident.id == IncidentMember.incident_id)
        .order_by(comp, Report.occurred_at, ordered_key)
        .execution_options(yield_per=SLICE)
    )
    return iter(session.execute(query))


def membership_problems(session: Session) -> list[Problem]:
    """Reports whose incident is not the one the grouping rule gives them.

    Each slice of reports (in the rule's order) is grouped starting from the reports
    before it whose incidents are still open (their seeds and the sources they hold),
    which gives what the rule gives over everything at once (as ``grouping.cascade`` does
    for an import); the seed found for each report must be the key report of the
    incident it sits in.
    """
    problems: list[Problem] = []
    for comp, rows in groupby(_in_canonical_order(session), key=itemgetter(0)):
        decided: dict[grouping.Sighting, grouping.Sighting] = {}  # open reports -> seeds
        ident: dict[grouping.Sighting, int] = {}  # each open report's id
        while batch := list(islice(rows, SLICE)):
            sightings = [
                sighting(at, name, sid, lat, lon, kind, comp, precision)
                for _, _, at, name, sid, lat, lon, kind, precision, _ in batch
            ]
            seeds = grouping.assign(sightings, decided)
            for s, row in zip(sightings, batch, strict=True):
                ident[s] = row[1]
            for s, row in zip(sightings, batch, strict=True):
                expected, stored = ident[seeds[s]], row[-1]
                if stored is None or stored == expected:
                    continue  # a report in no incident is named by the membership check
                if len(problems) == LIMIT:
                    return [*problems, _too_many("ceasefire incident membership")]
                problems.append(
                    Problem(
                        f"ceasefire report {row[1]} ({s.key})",
                        f"sits in the incident of report {stored}; "
                        f"the grouping rule puts it in that of report {expected}",
                    )
                )
            # Keep the reports of incidents a later report may still join.
            decided.update(seeds)
            horizon = batch[-1][2] - grouping.WINDOW
            decided = {s: seed for s, seed in decided.items() if seed.ends_at >= horizon}
            ident = {s: i for s, i in ident.items() if s in decided}  # seeds map to themselves
    return problems


# --- regions ------------------------------------------------------------------------


def region_problems(session: Session) -> list[Problem]:
    """Reports whose stored region is not the one their position (or, outside every
    outline, the name received) gives."""
    query = select(
        Report.id,
        Report.latitude,
        Report.longitude,
        Report.region,
        Report.reported_region,
        Report.precision_m,
    ).execution_options(yield_per=SLICE)
    problems: list[Problem] = []
    result = session.execute(query)
    try:
        for part in result.partitions():
            ident, lat, lon, stored, received, precision = (
                np.array(c, dtype=object) for c in zip(*part, strict=True)
            )
            located = regions.assign(
                lat.astype(np.float64),
                lon.astype(np.float64),
                received,
                precision.astype(np.float64),
            )
            for i in np.flatnonzero(located != stored):
                if len(problems) == LIMIT:
                    return [*problems, _too_many("ceasefire report regions")]
                problems.append(
                    Problem(
                        f"ceasefire report {ident[i]}",
                        f"region stored {stored[i]!r}, located {located[i]!r}",
                    )
                )
    finally:
        result.close()
    return problems


# What ``audit verify`` runs, by the name it reports (declared in ``capability``).
CHECKS = {
    "ceasefire report rollup": report_rollup_problems,
    "ceasefire cell rollup": cell_rollup_problems,
    "ceasefire incidents": incident_problems,
    "ceasefire incident membership": membership_problems,
    "ceasefire report regions": region_problems,
}
