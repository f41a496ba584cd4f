"""Each capability's importer, as the browser and the job queue use it: guessed from the
file, previewed without a write, run with its hooks, stopped between batches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from coalition.ceasefire.model import Report
from coalition.commitments.model import Commitment
from coalition.core import audit
from coalition.core.db import transaction
from coalition.core.errors import Invalid, NotFound
from coalition.core.importing import IMPORTERS, Cancelled, Hooks, importer_named
from coalition.core.sniff import sniff
from tests.world import World

REPORTS = (
    "source_kind,source_name,source_id,reliability,credibility,occurred_at,latitude,"
    "longitude,type,casualties,unused\n"
)
PLEDGES = (
    "source_id,member,announced_on,category,item,quantity,unit,value,currency,status,"
    "marking,rel_to\n"
)


def _reports(n: int, bad: set[int] = frozenset()) -> str:  # type: ignore[assignment]
    rows = [
        # Spread over days and places: few reports near enough to group.
        f"monitor_patrol,patrol,P-{i},B,2,2025-03-{1 + i % 28:02d}T{i % 24:02d}:00:00Z,"
        f"{'91' if i in bad else 45 + (i % 500) / 100},{30 + (i // 500) / 20},shelling,0,x\n"
        for i in range(n)
    ]
    return REPORTS + "".join(rows)


def _count(engine: Engine, model: object) -> int:
    with transaction(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[arg-type]


def test_the_registered_importers_and_their_guesses() -> None:
    assert set(IMPORTERS) >= {"reports", "commitments"}
    reports, pledges = importer_named("reports"), importer_named("commitments")
    with pytest.raises(NotFound):
        importer_named("nothing")
    assert reports.guess(sniff(_reports(2).encode())) == "csv"
    assert (
        reports.guess(sniff(b"event_id_cnty,event_date,latitude\nUKR1,2025-03-01,48\n")) == "acled"
    )
    assert reports.guess(sniff(b"id,date_start,best,latitude\n1,2025-03-01,2,48\n")) == "ucdp"
    geojson = json.dumps({"type": "FeatureCollection", "features": []}).encode()
    assert reports.guess(sniff(geojson)) == "geojson"
    assert reports.guess(sniff(b"\x89PNG\r\n\x1a\n\x00\x00")) is None
    assert pledges.guess(sniff(PLEDGES.encode())) == "csv"
    assert pledges.guess(sniff(b"ID,Donor,Aid type general,Item\n1,Germany,Military,x\n")) == "kiel"
    assert pledges.guess(sniff(geojson)) is None


def test_a_report_preview_maps_the_columns_shows_rows_and_problems_and_writes_nothing(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    path = tmp_path / "reports.csv"
    path.write_text(_reports(30, bad={3, 7}), encoding="utf-8")
    reports = importer_named("reports")
    monitor = world.principal("gbr.monitor")
    with transaction(engine) as session:
        seen = reports.preview(session, monitor, path, "csv", {})
        # Read as ACLED, the same file lacks ACLED's columns: the preview says which.
        wrong = reports.preview(session, monitor, path, "acled", {})
        with pytest.raises(Invalid):
            reports.preview(session, monitor, path, "xml", {})
    assert seen.mapping["source_id"] == "source_id" and seen.mapping["unused"] == ""
    assert seen.missing == [] and seen.read == 30
    assert [line for line, _ in seen.problems] == [5, 9]  # rows 3 and 7, after the header
    assert "latitude" in seen.problems[0][1]
    assert len(seen.rows) == 10 and seen.rows[0][0] == 2
    assert seen.rows[0][1][seen.fields.index("source_id")] == "P-0"
    assert _count(engine, Report) == 0
    assert "event_id_cnty" in wrong.missing


def test_a_report_run_reports_through_its_hooks_and_stops_between_batches(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    from coalition.ceasefire.importer import BATCH_SIZE

    rows = BATCH_SIZE * 2 + 100
    path = tmp_path / "reports.csv"
    path.write_text(_reports(rows, bad={12}), encoding="utf-8")
    run = importer_named("reports").run
    principal = world.principal("gbr.monitor")
    seen: list[tuple[int | None, int]] = []
    refused: list[tuple[int, str, str]] = []
    asked = {"n": 0}

    def stop() -> bool:
        asked["n"] += 1
        return asked["n"] >= 1  # after the first batch

    hooks = Hooks(
        reject=lambda *r: refused.append(r),
        progress=lambda rows, at: seen.append((rows, at)),
        stop_requested=stop,
    )
    with pytest.raises(Cancelled):
        run(engine, principal, path, "csv", {"marking": "COALITION"}, "0123456789abcdef", hooks)
    stored = _count(engine, Report)
    assert stored == BATCH_SIZE - 1  # the first batch, whole, less its one bad row
    assert seen and seen[-1][1] > 0
    again = run(engine, principal, path, "csv", {}, "fedcba9876543210", Hooks())
    assert _count(engine, Report) == rows - 1  # every valid row once, nothing doubled
    assert again.counts["inserted"] + stored == rows - 1 and again.broken is None
    assert [r[0] for r in refused] == [14]
    with transaction(engine) as session:
        assert audit.verify(session).ok


def test_a_pledge_preview_checks_rows_without_writing_and_the_run_counts(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    path = tmp_path / "plain.csv"
    path.write_text(
        PLEDGES
        + "g1,GBR,2025-03-02,military,Vehicles,10,vehicles,5000000,GBP,announced,PUBLIC,\n"
        + "f1,FRA,2025-03-02,military,Not ours,1,x,,,announced,PUBLIC,\n"
        + "g3,GBR,2025-03-02,military,Typo,-4,x,,,announced,PUBLIC,\n",
        encoding="utf-8",
    )
    pledges = importer_named("commitments")
    principal = world.principal("gbr.contributor")
    with transaction(engine) as session:
        seen = pledges.preview(session, principal, path, "csv", {})
    assert seen.mapping["member"] == "member" and seen.missing == []
    assert [line for line, _ in seen.problems] == [3, 4] and len(seen.rows) == 1
    assert _count(engine, Commitment) == 0
    refused: list[tuple[int, str, str]] = []
    outcome = pledges.run(
        engine,
        principal,
        path,
        "csv",
        {},
        "0123456789abcdef",
        Hooks(reject=lambda *r: refused.append(r)),
    )
    assert outcome.counts["inserted"] == 1 and outcome.counts["rejected"] == 2
    assert [r[0] for r in refused] == [3, 4]
    with transaction(engine) as session, pytest.raises(Invalid):
        pledges.preview(session, principal, path, "kiel", {"reported_on": "yesterday"})
