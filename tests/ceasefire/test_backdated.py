"""A back-dated report regroups its neighbourhood only, and holds up no other writer.

A report dated days back used to regroup its whole compartment from its own time to the
present, under the audit chain's head lock: seconds during which every other writer
waited. These tests store a few thousand synthetic reports, file late ones, and check
what the regroup read and changed (never how long it took), that the incidents are those
grouping every report at once gives, and that writers running beside it all succeed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, func, select

from coalition.ceasefire import grouping, ingest, service, synthetic
from coalition.ceasefire.fields import read_report
from coalition.ceasefire.model import Incident, IncidentMember, Report
from coalition.ceasefire.regroup import sighting
from coalition.ceasefire.schemas import ReportCreate
from coalition.commitments import service as commitments
from coalition.commitments.model import Category, Commitment
from coalition.commitments.schemas import CommitmentCreate
from coalition.core import audit
from coalition.core.db import transaction
from tests.world import World

NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
STAMP = ingest.Stamp("GBR", "COALITION", "")


def _store(engine: Engine, per_day: int, days: int) -> int:
    """Store synthetic reports over ``days`` days in batches of 1,000; how many."""
    rows = [
        (line, read_report(raw, NOW))
        for line, raw in enumerate(
            synthetic.reports(
                dt.date(2025, 3, 25), 0, days, per_day_before=0, per_day_during=per_day
            ),
            start=2,
        )
    ]
    for n, start in enumerate(range(0, len(rows), 1000)):
        with transaction(engine) as session:
            ingest.store_batch(session, STAMP, rows[start : start + 1000], f"seed:{n}", "seed")
    return len(rows)


def _stored_sightings(engine: Engine) -> dict[int, grouping.Sighting]:
    with transaction(engine) as session:
        rows = session.execute(
            select(
                Report.id,
                Report.occurred_at,
                Report.source_name,
                Report.source_id,
                Report.latitude,
                Report.longitude,
                Report.type,
                Report.marking,
                Report.owner_code,
                Report.rel_to,
                Report.time_precision,
            )
        ).all()
    return {
        r.id: sighting(
            r.occurred_at,
            r.source_name,
            r.source_id,
            r.latitude,
            r.longitude,
            r.type,
            grouping.compartment(r.marking, r.owner_code, r.rel_to),
            r.time_precision,
        )
        for r in rows
    }


def _late(engine: Engine, days_back: float) -> tuple[dt.datetime, float, float, str]:
    """Where and when a late report lands on a stored seed and takes its incident: 30
    minutes before it, at its place, where no earlier seed takes the late one in."""
    stored = grouping.assign(_stored_sightings(engine).values())
    newest = max(stored).occurred_at
    for seed in sorted(s for s, first in stored.items() if s == first):
        if seed.occurred_at < newest - dt.timedelta(days=days_back):
            continue
        at = seed.occurred_at - dt.timedelta(minutes=30)
        late = grouping.Sighting(
            at, "Late|x", seed.latitude, seed.longitude, seed.type, seed.compartment
        )
        if len(grouping.cascade([late], stored).seeds) > 1:
            return at, seed.latitude, seed.longitude, seed.type
    raise AssertionError("no stored seed a late report would take over")


def _late_row(at: dt.datetime, lat: float, lon: float, kind: str, source_id: str) -> Any:
    raw = {
        "source_kind": "monitor_patrol",
        "source_name": "Late patrol",
        "source_id": source_id,
        "reliability": "B",
        "credibility": "2",
        "occurred_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "latitude": f"{lat:.5f}",
        "longitude": f"{lon:.5f}",
        "type": kind,
    }
    return read_report(raw, NOW)


def _assert_grouped_as_at_once(engine: Engine) -> None:
    """Every report sits in the incident of the seed grouping all reports at once gives."""
    sighting = _stored_sightings(engine)
    with transaction(engine) as session:
        rows = session.execute(
            select(IncidentMember.report_id, Incident.key_report_id).join(
                Incident, Incident.id == IncidentMember.incident_id
            )
        ).all()
        incidents = session.scalar(select(func.count()).select_from(Incident))
        report = audit.verify(session)
    assert report.ok, report.problems[:3]
    assert len(rows) == len(sighting)
    expected = grouping.assign(sighting.values())
    assert {sighting[r.report_id]: sighting[r.key_report_id] for r in rows} == expected
    assert incidents == len(set(expected.values()))


def test_a_back_dated_report_regroups_only_its_neighbourhood(engine: Engine, world: World) -> None:
    stored = _store(engine, per_day=400, days=5)
    assert stored > 3000
    at, lat, lon, kind = _late(engine, days_back=4)
    with transaction(engine) as session:
        result = ingest.store_batch(
            session, STAMP, [(2, _late_row(at, lat, lon, kind, "L-1"))], "late:1", "late"
        )
    assert result.inserted == 1
    # Four days back, the regroup read the few hours and kilometres around the report,
    # not the reports since (which a regroup to the present would read: thousands).
    regrouped = result.regrouping
    assert 0 < regrouped.read < 60, regrouped
    assert 1 <= regrouped.moved < 20, regrouped
    assert regrouped.incidents < 20, regrouped
    _assert_grouped_as_at_once(engine)


def test_a_monitor_files_a_back_dated_report_into_the_right_incidents(
    engine: Engine, world: World
) -> None:
    _store(engine, per_day=200, days=3)
    at, lat, lon, kind = _late(engine, days_back=2.5)
    monitor = world.principal("gbr.monitor")
    with transaction(engine, actor=monitor.actor) as session:
        report = service.file_report(
            session,
            monitor,
            ReportCreate(
                source_name="Patrol 9",
                source_id="P9-1",
                reliability="B",
                credibility=2,
                occurred_at=at,
                latitude=lat,
                longitude=lon,
                type=kind,  # type: ignore[arg-type]
                marking="COALITION",  # type: ignore[arg-type]
            ),
        )
        rid = report.id
    with transaction(engine) as session:
        incident = session.scalar(
            select(Incident)
            .join(IncidentMember, IncidentMember.incident_id == Incident.id)
            .where(IncidentMember.report_id == rid)
        )
        assert incident is not None and incident.key_report_id == rid
        assert incident.report_count >= 2  # the seed it lands on, and what joined it
    _assert_grouped_as_at_once(engine)


def _together(*calls: Callable[[], Any]) -> list[Any]:
    """Run ``calls`` in threads released at once; each result or raised error."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a writer never finished"
    return results


def test_back_dated_reports_and_commitments_written_together_all_succeed(
    engine: Engine, world: World
) -> None:
    _store(engine, per_day=200, days=3)
    at, lat, lon, kind = _late(engine, days_back=2.5)
    monitor = world.principal("gbr.monitor")
    contributor = world.principal("gbr.contributor")

    def filing(n: int) -> Callable[[], int]:
        def call() -> int:
            with transaction(engine, actor=monitor.actor) as session:
                data = ReportCreate(
                    source_name="Patrol 9",
                    source_id=f"P9-{n}",
                    reliability="B",
                    credibility=2,
                    # Two late reports in one neighbourhood: each must regroup what the
                    # other stored, whichever commits first.
                    occurred_at=at + dt.timedelta(minutes=7 * n),
                    latitude=lat + 0.01 * n,
                    longitude=lon,
                    type=kind,  # type: ignore[arg-type]
                    marking="COALITION",  # type: ignore[arg-type]
                )
                return service.file_report(session, monitor, data).id

        return call

    def pledging(n: int) -> Callable[[], int]:
        def call() -> int:
            with transaction(engine, actor=contributor.actor) as session:
                data = CommitmentCreate(
                    member="GBR",
                    category=Category.HUMANITARIAN,
                    item=f"Shelter kits, lot {n}",
                    announced_on=dt.date(2025, 3, 27),
                )
                return commitments.create_commitment(session, contributor, data).id

        return call

    results = _together(filing(1), pledging(1), filing(2), pledging(2), pledging(3))
    assert all(isinstance(r, int) for r in results), results
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(Commitment)) == 3
    _assert_grouped_as_at_once(engine)


def test_batches_in_and_out_of_time_order_group_as_at_once(engine: Engine, world: World) -> None:
    """Batches after everything stored and batches reaching back are both grouped over
    columns: the incidents are the same as grouping all at once."""
    rows = [
        (line, read_report(raw, NOW))
        for line, raw in enumerate(
            synthetic.reports(dt.date(2025, 3, 25), 0, 3, per_day_before=0, per_day_during=300),
            start=2,
        )
    ]
    ordered = sorted(rows, key=lambda r: (r[1].occurred_at, r[1].source_name, r[1].source_id))
    late, timely = ordered[::7], [r for i, r in enumerate(ordered) if i % 7]
    for n, start in enumerate(range(0, len(timely), 150)):
        with transaction(engine) as session:
            ingest.store_batch(session, STAMP, timely[start : start + 150], f"t:{n}", "t")
    for n, start in enumerate(range(0, len(late), 40)):
        with transaction(engine) as session:
            ingest.store_batch(session, STAMP, late[start : start + 40], f"l:{n}", "l")
    _assert_grouped_as_at_once(engine)


def test_reports_beyond_75_degrees_group_through_the_rules_own_regroup(
    engine: Engine, world: World
) -> None:
    at = dt.datetime(2025, 4, 1, 12, tzinfo=dt.UTC)
    rows = [
        (
            2 + n,
            _late_row(
                at + dt.timedelta(minutes=10 * n), 78.2 + n / 1000, 15.6, "shelling", f"P-{n}"
            ),
        )
        for n in range(6)
    ]
    other = [
        (r[0], dataclasses.replace(r[1], source_name="Other patrol", source_id=f"O-{r[0]}"))
        for r in rows
    ]
    for n, batch in enumerate((rows[:3], other[:3], rows[3:], other[3:])):
        with transaction(engine) as session:
            ingest.store_batch(session, STAMP, batch, f"polar:{n}", "polar")
    _assert_grouped_as_at_once(engine)
