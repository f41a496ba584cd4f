"""`audit verify` recomputes what is derived from reports, and names what was edited.

Rollups, incidents, their membership and each report's region are not audited row by
row; each test stores reports the ordinary way (an import, a monitor's form, a decision),
checks that verify passes, edits one derived value with straight SQL as someone with
write access to the database would, and expects verify to name the row and both values.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import Engine, select, text

from coalition.ceasefire import importer, ingest, integrity, service
from coalition.ceasefire.layouts import Layout
from coalition.ceasefire.model import Incident, Report
from coalition.ceasefire.schemas import ReportCreate, StatusChangeIn
from coalition.ceasefire.vocabulary import IncidentType, Verification
from coalition.core import audit
from coalition.core.db import transaction
from tests.world import World

HEADER = (
    "source_kind,source_name,source_id,reliability,credibility,occurred_at,latitude,longitude,"
    "region,type,attribution,casualties\n"
)


def _row(i: int, lat: float, lon: float, when: str = "2025-03-10T10:00:00Z", **kw: str) -> str:
    cells = {
        "kind": "monitor_patrol",
        "name": kw.get("name", "patrol"),
        "id": f"P-{i}",
        "rel": "B",
        "cred": "2",
        "when": when,
        "lat": str(lat),
        "lon": str(lon),
        "region": kw.get("region", ""),
        "type": kw.get("type", "shelling"),
        "attribution": kw.get("attribution", ""),
        "cas": kw.get("casualties", "0"),
    }
    return ",".join(cells.values()) + "\n"


def _import(engine: Engine, world: World, rows: list[str]) -> None:
    summary = importer.import_file(
        engine,
        world.principal("gbr.monitor"),
        Layout.CSV,
        io.BufferedReader(io.BytesIO((HEADER + "".join(rows)).encode())),  # type: ignore[arg-type]
        ingest.Stamp("GBR", "COALITION", ""),
        now=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
    )
    assert summary.inserted == len(rows), summary


# Five sources' reports of one event in Donetsk oblast; one in Kharkiv; one in the southern and
# western hemispheres (negative cells); one on a cell boundary (48.4 / 0.1 < 484).
ROWS = [
    *(
        _row(i, 48.1, 37.7, attribution="party A" if i == 3 else "", name=f"source {i}")
        for i in range(5)
    ),
    _row(10, 49.99, 36.23, "2025-03-11T08:00:00Z", type="small_arms", casualties="2"),
    _row(11, -33.91, -0.05, "2025-03-12T23:59:59Z", region="Nowhere", type="other"),
    _row(12, 48.4, 37.9, "2025-03-12T00:00:00Z", type="missile"),
]


@pytest.fixture
def stored(engine: Engine, world: World) -> Engine:
    _import(engine, world, ROWS)
    with transaction(engine) as session:
        # One report filed from the form, and a monitor's decision on the big incident.
        service.file_report(
            session,
            world.principal("gbr.monitor"),
            ReportCreate(
                source_name="form",
                source_id="F-1",
                reliability="A",
                credibility=1,
                occurred_at=dt.datetime(2025, 3, 10, 10, 30, tzinfo=dt.UTC),
                latitude=48.11,
                longitude=37.71,
                type=IncidentType.DRONE_STRIKE,
                casualties=4,
            ),
        )
        big = session.scalars(select(Incident).order_by(Incident.report_count.desc())).first()
        assert big is not None and big.report_count == 6
        service.set_status(
            session,
            world.principal("gbr.monitor"),
            big.id,
            StatusChangeIn(status=Verification.VERIFIED, reason="seen by a patrol"),
        )
    return engine


def _problems(engine: Engine) -> list[str]:
    with transaction(engine) as session:
        report = audit.verify(session)
    return [str(p) for p in report.problems]


def _edit(engine: Engine, sql: str, **params: object) -> None:
    with engine.begin() as conn:
        assert conn.execute(text(sql), params).rowcount >= 1  # type: ignore[attr-defined]


def test_verify_recomputes_every_derived_table_and_they_match(stored: Engine) -> None:
    with transaction(stored) as session:
        report = audit.verify(session)
    assert report.ok, report.problems
    assert set(integrity.CHECKS) <= set(report.derived)


def test_every_check_is_registered_under_its_name() -> None:
    assert set(integrity.CHECKS) <= set(audit.DERIVED_CHECKS)


def test_a_tenfold_cell_rollup_is_named_with_both_counts(stored: Engine) -> None:
    _edit(
        stored,
        "UPDATE ceasefire_cell_rollup SET reports = reports * 10"
        " WHERE level = 1 AND cell_y = 481 AND cell_x = 377",
    )
    assert _problems(stored) == [
        "ceasefire cell rollup 2025-03-10 cell 48.1,37.7 (0.1°) drone_strike (COALITION, GBR): "
        "stored 10, recomputed 1",
        "ceasefire cell rollup 2025-03-10 cell 48.1,37.7 (0.1°) shelling (COALITION, GBR): "
        "stored 50, recomputed 5",
    ]


def test_a_cell_rollup_row_added_or_removed_is_named(stored: Engine) -> None:
    _edit(stored, "DELETE FROM ceasefire_cell_rollup WHERE level = 16 AND cell_y < 0")
    _edit(
        stored,
        "INSERT INTO ceasefire_cell_rollup (level, day, cell_y, cell_x, type, reports,"
        " owner_code, marking, rel_to) VALUES (4, '2025-03-01', 1, 1, 'shelling', 3, 'GBR',"
        " 'PUBLIC', '')",
    )
    problems = _problems(stored)
    assert (
        "ceasefire cell rollup 2025-03-01 cell 0.4,0.4 (0.4°) shelling (PUBLIC, GBR): "
        "stored 3, recomputed 0" in problems
    )
    assert any(
        p.startswith("ceasefire cell rollup 2025-03-12 cell -35.2,-1.6 (1.6°) other")
        and p.endswith("stored 0, recomputed 1")
        for p in problems
    ), problems


def test_a_report_rollup_edit_is_named(stored: Engine) -> None:
    _edit(stored, "UPDATE ceasefire_report_rollup SET casualties = 20 WHERE region = 'Kharkiv'")
    assert _problems(stored) == [
        "ceasefire report rollup 2025-03-11 small_arms in Kharkiv claimed by (nobody) "
        "(COALITION, GBR): stored 1 reports and 20 casualties, recomputed 1 and 2"
    ]


def test_an_edited_region_is_named(stored: Engine) -> None:
    with transaction(stored) as session:
        rid = session.scalars(select(Report.id).where(Report.source_id == "P-10")).one()
    # The region and the rollup it counts under, changed together: the rollup then
    # agrees with the reports, and only the region's rule catches it.
    _edit(stored, "UPDATE ceasefire_reports SET region = 'Sumy' WHERE id = :id", id=rid)
    _edit(stored, "UPDATE ceasefire_report_rollup SET region = 'Sumy' WHERE region = 'Kharkiv'")
    problems = _problems(stored)
    assert f"ceasefire report {rid}: region stored 'Sumy', located 'Kharkiv'" in problems


def test_a_form_report_region_edit_is_caught_by_its_own_entry_too(stored: Engine) -> None:
    _edit(stored, "UPDATE ceasefire_reports SET region = 'Sumy' WHERE source_id = 'F-1'")
    problems = _problems(stored)
    assert any(p.endswith("row differs from its last audit entry") for p in problems)
    assert any("region stored 'Sumy', located 'Donetsk'" in p for p in problems)


@pytest.mark.parametrize(
    ("column", "value", "named"),
    [
        ("report_count", "60", "report_count stored 60, recomputed 6"),
        ("status", "'disputed'", "status stored 'disputed', recomputed 'verified'"),
        ("casualties", "0", "casualties stored 0, recomputed 4"),
        (
            "claimed_attribution",
            "'party B'",
            "claimed_attribution stored 'party B', recomputed 'party A'",
        ),
        ("latitude", "latitude + 0.5", "latitude stored"),
    ],
)
def test_an_incident_summary_edit_is_named(
    stored: Engine, column: str, value: str, named: str
) -> None:
    with transaction(stored) as session:
        big = session.scalars(select(Incident.id).where(Incident.report_count == 6)).one()
    _edit(stored, f"UPDATE ceasefire_incidents SET {column} = {value} WHERE id = :id", id=big)  # noqa: S608
    problems = _problems(stored)
    assert len(problems) == 1 and problems[0].startswith(f"ceasefire incident {big}: {named}")


def test_a_report_moved_to_another_incident_is_named(stored: Engine) -> None:
    with transaction(stored) as session:
        moved = session.scalars(select(Report).where(Report.source_id == "P-12")).one()
        big = session.scalars(select(Incident).where(Incident.report_count == 6)).one()
        moved_id, at, big_id, seed = moved.id, moved.occurred_at, big.id, big.key_report_id
    # Moved into the big incident, with both summaries made to agree with the move.
    _edit(
        stored,
        "UPDATE ceasefire_incident_members SET incident_id = :big WHERE report_id = :id",
        big=big_id,
        id=moved_id,
    )
    _edit(stored, "DELETE FROM ceasefire_incidents WHERE key_report_id = :id", id=moved_id)
    _edit(
        stored,
        "UPDATE ceasefire_incidents SET report_count = 7, last_at = :last,"
        " latitude = (latitude * 6 + 48.4) / 7, longitude = (longitude * 6 + 37.9) / 7"
        " WHERE id = :big",
        big=big_id,
        last=at if stored.dialect.name != "sqlite" else "2025-03-12 00:00:00.000000",
    )
    problems = _problems(stored)
    assert (
        f"ceasefire report {moved_id} (patrol|P-12): sits in the incident of report {seed}; "
        f"the grouping rule puts it in that of report {moved_id}"
    ) in problems, problems


def test_a_value_no_check_can_read_is_named_not_a_crash(stored: Engine) -> None:
    # What each database lets through: text in a time column (SQLite), NaN (PostgreSQL).
    hostile = (
        "occurred_at = 'the day after'" if stored.dialect.name == "sqlite" else "latitude = 'NaN'"
    )
    _edit(stored, f"UPDATE ceasefire_reports SET {hostile} WHERE source_id = 'P-10'")  # noqa: S608
    problems = _problems(stored)
    assert any(
        p.startswith("report_batch ") and p.endswith("differ from its audit entry")
        for p in problems
    ), problems
