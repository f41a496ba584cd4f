"""Storing reports in batches: de-duplication, grouping, rollups and audit, atomically.

One call of :func:`store_batch` runs inside one transaction: the batch's new reports,
the incidents they form or grow, the rollup counts and one audit entry for the batch are
written together or not at all, so a killed import leaves no partial batch and a re-run
finds every stored report by its natural key and skips it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, delete, func, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from coalition.ceasefire import grouping
from coalition.ceasefire.fields import ReportFields
from coalition.ceasefire.model import (
    CellRollup,
    Incident,
    IncidentMember,
    IncidentStatusChange,
    Report,
    ReportRollup,
)
from coalition.core import audit
from coalition.core.db import is_postgres, utcnow

BATCH_ENTITY = "report_batch"
CELL = 0.1  # degrees: the finest grid the rollups keep; maps coarsen it by powers of two

# The fields of a report that make its canonical form for a batch digest: what was
# received, never anything derived later.
CANONICAL_FIELDS = (
    "source_name",
    "source_id",
    "source_kind",
    "reliability",
    "credibility",
    "occurred_at",
    "received_at",
    "latitude",
    "longitude",
    "precision_m",
    "region",
    "type",
    "weapon",
    "attribution",
    "casualties",
    "text",
    "owner_code",
    "marking",
    "rel_to",
    "illustrative",
    "source_title",
    "source_ref",
)


@dataclass(frozen=True)
class Stamp:
    """Who a batch belongs to: owner, marking and release, and whether it is invented."""

    owner: str
    marking: str
    rel_to: str
    illustrative: bool = False
    source_title: str = ""
    source_ref: str = ""


@dataclass
class BatchResult:
    inserted: int = 0
    unchanged: int = 0
    rejects: list[tuple[int, str]] = field(default_factory=list)


def _insert(session: Session) -> Any:
    return (postgresql if is_postgres(session) else sqlite).insert


def natural_key(source_name: str, source_id: str) -> str:
    return f"{source_name}|{source_id}"


def canonical_form(row: dict[str, Any]) -> str:
    """One report's content as a JSON list in :data:`CANONICAL_FIELDS` order, from an
    inserted row or a stored one (times in UTC ISO form, floats by ``repr``)."""
    values = []
    for name in CANONICAL_FIELDS:
        value = row[name]
        if isinstance(value, dt.datetime):
            value = value.astimezone(dt.UTC).isoformat()
        elif isinstance(value, float):
            value = repr(value)
        elif isinstance(value, bool):
            value = int(value)
        values.append(value)
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def batch_digest(rows: Iterable[dict[str, Any]]) -> tuple[int, str]:
    """(count, sha256) over rows in natural-key order."""
    digest = hashlib.sha256()
    n = 0
    for row in sorted(rows, key=lambda r: (r["source_name"], r["source_id"])):
        digest.update(canonical_form(row).encode())
        digest.update(b"\n")
        n += 1
    return n, digest.hexdigest()


def cell_of(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude / CELL), math.floor(longitude / CELL)


def store_batch(
    session: Session,
    stamp: Stamp,
    rows: list[tuple[int, ReportFields]],
    batch_key: str,
    run: str,
) -> BatchResult:
    """Store one batch of read reports; ``batch_key`` is ``run:n``, unique per batch."""
    result = BatchResult()
    seen: dict[str, int] = {}
    values: list[dict[str, Any]] = []
    line_of: dict[str, int] = {}
    now = utcnow()
    for line, f in rows:
        key = natural_key(f.source_name, f.source_id)
        if key in seen:
            result.rejects.append((line, f"source id repeats line {seen[key]} of this file"))
            continue
        seen[key] = line
        line_of[key] = line
        values.append(
            {
                "source_kind": f.source_kind,
                "source_name": f.source_name,
                "source_id": f.source_id,
                "reliability": f.reliability,
                "credibility": f.credibility,
                "occurred_at": f.occurred_at,
                "received_at": f.received_at or now,
                "latitude": f.latitude,
                "longitude": f.longitude,
                "precision_m": f.precision_m,
                "region": f.region,
                "type": f.type,
                "weapon": f.weapon,
                "attribution": f.attribution,
                "casualties": f.casualties,
                "text": f.text,
                "owner_code": stamp.owner,
                "marking": stamp.marking,
                "rel_to": stamp.rel_to,
                "illustrative": stamp.illustrative,
                "source_title": stamp.source_title,
                "source_ref": stamp.source_ref,
                "import_batch": batch_key,
            }
        )
    if not values:
        return result
    ins = _insert(session)(Report).on_conflict_do_nothing(
        index_elements=["source_name", "source_id"]
    )
    returned = session.execute(
        ins.returning(Report.id, Report.source_name, Report.source_id), values
    ).all()
    ids = {natural_key(r.source_name, r.source_id): r.id for r in returned}
    clashes = [v for v in values if natural_key(v["source_name"], v["source_id"]) not in ids]
    if clashes:
        _sort_clashes(session, clashes, line_of, run, result)
    fresh = [v for v in values if natural_key(v["source_name"], v["source_id"]) in ids]
    for v in fresh:
        v["id"] = ids[natural_key(v["source_name"], v["source_id"])]
    result.inserted = len(fresh)
    if fresh:
        group_reports(session, fresh)
        add_to_rollups(session, fresh)
        count, digest = batch_digest(fresh)
        audit.record(
            session,
            [
                audit.Change(
                    "create",
                    BATCH_ENTITY,
                    batch_key,
                    None,
                    {
                        "count": count,
                        "first_id": min(ids.values()),
                        "last_id": max(ids.values()),
                        "sha256": digest,
                    },
                )
            ],
        )
    return result


def _sort_clashes(
    session: Session,
    clashes: list[dict[str, Any]],
    line_of: dict[str, int],
    run: str,
    result: BatchResult,
) -> None:
    # A key already stored by an earlier batch of this same run repeats within the file
    # (rejected); one stored by another run is a re-import (unchanged).
    keys = [(v["source_name"], v["source_id"]) for v in clashes]
    held = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        for r in session.execute(
            select(Report.source_name, Report.source_id, Report.import_batch).where(
                tuple_(Report.source_name, Report.source_id).in_(chunk)
            )
        ):
            held[natural_key(r.source_name, r.source_id)] = r.import_batch or ""
    for name, sid in keys:
        key = natural_key(name, sid)
        if held.get(key, "").startswith(f"{run}:"):
            result.rejects.append((line_of[key], "source id repeats an earlier line of this file"))
        else:
            result.unchanged += 1


def _sighting(row: Any) -> grouping.Sighting:
    return grouping.Sighting(
        occurred_at=row["occurred_at"],
        key=natural_key(row["source_name"], row["source_id"]),
        latitude=row["latitude"],
        longitude=row["longitude"],
        type=row["type"],
        compartment=grouping.compartment(row["marking"], row["owner_code"], row["rel_to"]),
    )


def group_reports(session: Session, fresh: list[dict[str, Any]]) -> None:
    """Put newly stored reports into incidents, creating, growing or merging them."""
    sighted = {_sighting(v): v for v in fresh}
    lo = min(s.occurred_at for s in sighted) - grouping.WINDOW
    hi = max(s.occurred_at for s in sighted) + grouping.WINDOW
    lat_lo = min(s.latitude for s in sighted) - 0.05
    lat_hi = max(s.latitude for s in sighted) + 0.05
    widest = max(abs(lat_lo), abs(lat_hi))
    lon_pad = 0.05 / math.cos(math.radians(widest)) if widest < 85 else 360.0
    lon_lo = min(s.longitude for s in sighted) - lon_pad
    lon_hi = max(s.longitude for s in sighted) + lon_pad
    new_ids = [v["id"] for v in fresh]
    # Near the antimeridian or a pole the window wraps: search every longitude then.
    lon_clause = (
        and_(Report.longitude >= lon_lo, Report.longitude <= lon_hi)
        if lon_lo >= -180 and lon_hi <= 180
        else Report.longitude.is_not(None)
    )
    query = (
        select(
            Report.id,
            Report.source_name,
            Report.source_id,
            Report.occurred_at,
            Report.latitude,
            Report.longitude,
            Report.type,
            Report.marking,
            Report.owner_code,
            Report.rel_to,
            IncidentMember.incident_id,
        )
        .join(IncidentMember, IncidentMember.report_id == Report.id)
        .where(
            Report.occurred_at >= lo,
            Report.occurred_at <= hi,
            Report.latitude >= lat_lo,
            Report.latitude <= lat_hi,
            lon_clause,
        )
    )
    known = {}
    fresh_ids = set(new_ids)
    for r in session.execute(query).mappings():
        if r["id"] not in fresh_ids:
            known[_sighting(r)] = r["incident_id"]

    joins = grouping.join(list(sighted), known)
    touched = {i for _group, joined in joins for i in joined}
    incidents = (
        {i.id: i for i in session.scalars(select(Incident).where(Incident.id.in_(touched)))}
        if touched
        else {}
    )
    placed: list[tuple[Any, list[dict[str, Any]]]] = []
    created: list[SimpleNamespace] = []
    # No autoflush while incidents merge: a survivor may take the key of an incident whose
    # row is deleted only a moment later.
    with session.no_autoflush:
        _place(session, joins, sighted, incidents, placed, created)
    session.flush()
    if created:
        # New incidents go in as one multi-row INSERT, not one ORM insert each.
        ids = {
            r.key: r.id
            for r in session.execute(
                _insert(session)(Incident).returning(Incident.id, Incident.key),
                [vars(draft) for draft in created],
            )
        }
        for draft in created:
            draft.id = ids[draft.key]
    members = [
        {"report_id": r["id"], "incident_id": incident.id}
        for incident, rows in placed
        for r in rows
    ]
    session.execute(_insert(session)(IncidentMember), members)


def _place(
    session: Session,
    joins: list[tuple[list[grouping.Sighting], set[int]]],
    sighted: dict[grouping.Sighting, dict[str, Any]],
    incidents: dict[int, Incident],
    placed: list[tuple[Any, list[dict[str, Any]]]],
    created: list[SimpleNamespace],
) -> None:
    for group, joined in joins:
        rows = [sighted[s] for s in group]
        incident: Any
        if not joined:
            incident = _new_incident(rows)
            created.append(incident)
        else:
            survivor_id = min(joined)
            incident = incidents[survivor_id]
            for other_id in sorted(joined - {survivor_id}):
                other = incidents[other_id]
                _absorb(incident, other)
                session.execute(
                    update(IncidentMember)
                    .where(IncidentMember.incident_id == other_id)
                    .values(incident_id=survivor_id)
                )
                session.execute(delete(Incident).where(Incident.id == other_id))
                session.expunge(other)
            for row in rows:
                _grow(incident, row)
            if len(joined) > 1:
                _restore_decision(session, incident)
        placed.append((incident, rows))


def _new_incident(rows: list[dict[str, Any]]) -> SimpleNamespace:
    # A plain draft with the incident's columns: cheaper than an ORM object to build, and
    # inserted in bulk once the batch is grouped.
    first = rows[0]
    s = _sighting(first)
    incident = SimpleNamespace(
        key=s.key,
        key_report_id=first["id"],
        compartment=s.compartment,
        type=first["type"],
        first_at=first["occurred_at"],
        last_at=first["occurred_at"],
        latitude=first["latitude"],
        longitude=first["longitude"],
        region=first["region"],
        report_count=1,
        casualties=first["casualties"],
        claimed_attribution=first["attribution"],
        status="reported",
        assessed_attribution="",
        owner_code=first["owner_code"],
        marking=first["marking"],
        rel_to=first["rel_to"],
    )
    for row in rows[1:]:
        _grow(incident, row)
    return incident


def _earlier(at: dt.datetime, key: str, incident: Any) -> bool:
    return (at, key) < (incident.first_at, incident.key)


def _grow(incident: Any, row: dict[str, Any]) -> None:
    """Fold one report into an incident's summary (reports of one event overlap, so
    casualties take the highest count, not the sum)."""
    n = incident.report_count
    incident.latitude = (incident.latitude * n + row["latitude"]) / (n + 1)
    incident.longitude = (incident.longitude * n + row["longitude"]) / (n + 1)
    incident.report_count = n + 1
    incident.casualties = max(incident.casualties, row["casualties"])
    key = natural_key(row["source_name"], row["source_id"])
    if _earlier(row["occurred_at"], key, incident):
        incident.key, incident.key_report_id = key, row["id"]
        incident.first_at = row["occurred_at"]
        incident.owner_code = row["owner_code"]
        if row["type"] != "other":
            incident.type = row["type"]
    incident.last_at = max(incident.last_at, row["occurred_at"])
    if incident.type == "other" and row["type"] != "other":
        incident.type = row["type"]
    incident.region = incident.region or row["region"]
    incident.claimed_attribution = incident.claimed_attribution or row["attribution"]
    if incident.report_count >= 2 and incident.status == "reported":
        incident.status = "corroborated"


def _absorb(incident: Incident, other: Incident) -> None:
    total = incident.report_count + other.report_count
    incident.latitude = (
        incident.latitude * incident.report_count + other.latitude * other.report_count
    ) / total
    incident.longitude = (
        incident.longitude * incident.report_count + other.longitude * other.report_count
    ) / total
    incident.report_count = total
    incident.casualties = max(incident.casualties, other.casualties)
    if _earlier(other.first_at, other.key, incident):
        incident.key, incident.key_report_id = other.key, other.key_report_id
        incident.first_at, incident.owner_code = other.first_at, other.owner_code
        incident.type = other.type if other.type != "other" else incident.type
    incident.last_at = max(incident.last_at, other.last_at)
    incident.region = incident.region or other.region
    incident.claimed_attribution = incident.claimed_attribution or other.claimed_attribution


def _restore_decision(session: Session, incident: Incident) -> None:
    # Merged incidents keep the latest decision any of them carried.
    latest = session.scalars(
        select(IncidentStatusChange)
        .join(IncidentMember, IncidentMember.report_id == IncidentStatusChange.report_id)
        .where(IncidentMember.incident_id == incident.id)
        .order_by(IncidentStatusChange.created_at.desc(), IncidentStatusChange.id.desc())
        .limit(1)
    ).first()
    if latest is not None:
        incident.status = latest.status
        incident.assessed_attribution = latest.assessed_attribution
    elif incident.report_count >= 2:
        incident.status = "corroborated"


_MARKS = ("owner_code", "marking", "rel_to")
_DAILY_KEY = ("day", "type", "attribution", "region", *_MARKS)
_CELL_KEY = ("level", "day", "cell_y", "cell_x", "type", *_MARKS)
LEVELS = (16, 4, 1)  # cell sizes kept, in multiples of CELL, coarsest first


def add_to_rollups(session: Session, fresh: list[dict[str, Any]]) -> None:
    """Add new reports to the rollup counts (upsert: insert or add to the row)."""
    daily: Counter[tuple[Any, ...]] = Counter()
    casualties: Counter[tuple[Any, ...]] = Counter()
    cells: Counter[tuple[Any, ...]] = Counter()
    for v in fresh:
        day = v["occurred_at"].date()
        marks = (v["owner_code"], v["marking"], v["rel_to"])
        key = (day, v["type"], v["attribution"], v["region"], *marks)
        daily[key] += 1
        casualties[key] += v["casualties"]
        cy, cx = cell_of(v["latitude"], v["longitude"])
        for level in LEVELS:
            cells[(level, day, cy // level, cx // level, v["type"], *marks)] += 1
    _upsert(
        session,
        ReportRollup,
        _DAILY_KEY,
        [
            {**dict(zip(_DAILY_KEY, k, strict=True)), "reports": n, "casualties": casualties[k]}
            for k, n in sorted(daily.items())
        ],
        ("reports", "casualties"),
    )
    _upsert(
        session,
        CellRollup,
        _CELL_KEY,
        [{**dict(zip(_CELL_KEY, k, strict=True)), "reports": n} for k, n in sorted(cells.items())],
        ("reports",),
    )


def _upsert(
    session: Session,
    model: Any,
    key: tuple[str, ...],
    rows: list[dict[str, Any]],
    sums: tuple[str, ...],
) -> None:
    ins = _insert(session)(model)
    stmt = ins.on_conflict_do_update(
        index_elements=list(key),
        set_={name: getattr(model, name) + getattr(ins.excluded, name) for name in sums},
    )
    for start in range(0, len(rows), 1000):
        session.execute(stmt, rows[start : start + 1000])


def verify_batches(session: Session, entries: list[Any]) -> tuple[set[str], list[audit.Problem]]:
    """Re-check every batch entry's digest against the reports stored under it."""
    covered: set[str] = set()
    problems: list[audit.Problem] = []
    columns = [getattr(Report, n) for n in CANONICAL_FIELDS]
    for entry in entries:
        after = entry.after or {}
        rows = [
            dict(r._mapping)
            for r in session.execute(
                select(Report.id, *columns).where(Report.import_batch == entry.entity_id)
            )
        ]
        count, digest = batch_digest(rows)
        if (count, digest) != (after.get("count"), after.get("sha256")):
            problems.append(
                audit.Problem(
                    f"report_batch {entry.entity_id}",
                    "the batch's reports differ from its audit entry",
                )
            )
        covered.update(str(r["id"]) for r in rows)
    return covered, problems


def count_reports(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Report)) or 0
