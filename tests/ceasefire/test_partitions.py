"""The reports' month partitions on PostgreSQL: the migration, the natural key kept beside
them, the partitions made ahead and after a history, and queries reading only their months.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError

from coalition import cli
from coalition.ceasefire import importer, ingest, partitions
from coalition.ceasefire.batches import STORED_SCHEMA
from coalition.ceasefire.layouts import Layout
from coalition.core import audit, migrate
from coalition.core.db import transaction
from coalition.core.settings import get_settings
from tests.world import World, build_world

HEADER = (
    "source_kind,source_name,source_id,reliability,credibility,occurred_at,"
    "latitude,longitude,type,casualties\n"
)
# Partitions are PostgreSQL's: these tests run there only.
ON_POSTGRES = pytest.mark.parametrize("bare_engine", ["postgresql"], indirect=True)
MONTHS = ["2024-02-10T10:00:00Z", "2024-03-05T08:00:00Z", "2024-03-20T12:00:00Z"]


@given(st.dates(), st.integers(0, 30))
def test_months_ahead_are_consecutive_first_days(day: dt.date, ahead: int) -> None:
    months = partitions.months_ahead(day, ahead)
    assert len(months) == ahead + 1 and months[0] == day.replace(day=1)
    for earlier, later in itertools.pairwise(months):
        assert later.day == 1 and later > earlier
        assert (later - earlier).days in (28, 29, 30, 31)


@pytest.fixture
def partitioned(bare_engine: sa.Engine) -> Iterator[tuple[sa.Engine, World]]:
    migrate.upgrade(bare_engine)
    yield bare_engine, build_world(bare_engine)


def _import(engine: sa.Engine, world: World, rows: list[str]) -> importer.Summary:
    data = (HEADER + "".join(rows)).encode()
    return importer.import_file(
        engine,
        world.principal("gbr.monitor"),
        Layout.CSV,
        io.BufferedReader(io.BytesIO(data)),
        ingest.Stamp("GBR", "COALITION", ""),
        now=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
    )


def _row(n: int, when: str) -> str:
    return f"monitor_patrol,patrol,P-{n},B,2,{when},48.{n % 9},37.7,shelling,0\n"


def _where(conn: sa.Connection) -> dict[str, int]:
    return {p.name: p.reports for p in partitions.existing(conn) if p.reports}


@ON_POSTGRES
def test_the_migration_partitions_the_reports_by_month_ahead_of_time(
    partitioned: tuple[sa.Engine, World],
) -> None:
    engine, _world = partitioned
    this_month = dt.datetime.now(dt.UTC).date().replace(day=1)
    with engine.connect() as conn:
        held = partitions.existing(conn)
    names = [p.name for p in held]
    assert names[-1] == partitions.DEFAULT
    assert [p.start for p in held[:-1]] == partitions.months_ahead(this_month, partitions.AHEAD)
    assert names[0] == partitions.partition_name(this_month)


@ON_POSTGRES
def test_reports_of_unpartitioned_months_wait_in_the_default_and_move_on_ensure(
    partitioned: tuple[sa.Engine, World],
) -> None:
    engine, world = partitioned
    summary = _import(engine, world, [_row(n, when) for n, when in enumerate(MONTHS)])
    assert (summary.inserted, summary.rejected) == (3, 0)
    with engine.begin() as conn:
        assert _where(conn) == {partitions.DEFAULT: 3}
        created = partitions.ensure(conn, dt.date(2024, 3, 15), ahead=1)
    assert created == [f"ceasefire_reports_2024_0{m}" for m in (2, 3, 4)]
    with engine.begin() as conn:
        assert _where(conn) == {"ceasefire_reports_2024_02": 1, "ceasefire_reports_2024_03": 2}
        assert partitions.ensure(conn, dt.date(2024, 3, 15), ahead=1) == []  # idempotent
    # The same file again: every report found by its natural key, none doubled.
    again = _import(engine, world, [_row(n, when) for n, when in enumerate(MONTHS)])
    assert (again.inserted, again.unchanged) == (0, 3)
    with transaction(engine) as session:
        keys = session.execute(sa.text("SELECT count(*) FROM ceasefire_report_keys")).scalar()
        assert keys == 3
        report = audit.verify(session)
        assert report.ok, report.problems


@ON_POSTGRES
def test_the_natural_key_holds_across_partitions(partitioned: tuple[sa.Engine, World]) -> None:
    engine, world = partitioned
    _import(engine, world, [_row(1, MONTHS[0])])
    with engine.begin() as conn:
        columns = ", ".join(c for c in STORED_SCHEMA if c not in ("occurred_at",))
        copy = (
            f"INSERT INTO ceasefire_reports ({columns}, occurred_at) "  # noqa: S608
            f"SELECT {columns}, occurred_at + interval '400 days' FROM ceasefire_reports"
        )
    with pytest.raises(IntegrityError, match="ceasefire_report_keys"), engine.begin() as conn:
        conn.execute(sa.text(copy))
    with engine.begin() as conn:
        # A report moved to another month keeps its key; renamed, its key follows.
        later = "UPDATE ceasefire_reports SET occurred_at = occurred_at + interval '1 year'"
        conn.execute(sa.text(later))
        conn.execute(sa.text("UPDATE ceasefire_reports SET source_id = 'P-renamed'"))
        keys = conn.execute(sa.text("SELECT source_id, report_id FROM ceasefire_report_keys")).all()
        ids = conn.execute(sa.text("SELECT id FROM ceasefire_reports")).scalars().all()
        assert keys == [("P-renamed", ids[0])]
        conn.execute(sa.text("DELETE FROM ceasefire_reports"))
        assert conn.execute(sa.text("SELECT count(*) FROM ceasefire_report_keys")).scalar() == 0


@ON_POSTGRES
def test_a_range_of_days_reads_only_its_months(partitioned: tuple[sa.Engine, World]) -> None:
    engine, world = partitioned
    _import(engine, world, [_row(n, when) for n, when in enumerate(MONTHS)])
    with engine.begin() as conn:
        partitions.ensure(conn, dt.date(2024, 3, 1), ahead=0)
        plan = "\n".join(
            conn.execute(
                sa.text(
                    "EXPLAIN SELECT count(*) FROM ceasefire_reports "
                    "WHERE occurred_at >= '2024-03-01' AND occurred_at < '2024-03-08'"
                )
            ).scalars()
        )
    assert "ceasefire_reports_2024_03" in plan
    assert "ceasefire_reports_2024_02" not in plan and partitions.DEFAULT not in plan


@ON_POSTGRES
def test_downgrading_restores_one_table_with_its_rows(partitioned: tuple[sa.Engine, World]) -> None:
    engine, world = partitioned
    _import(engine, world, [_row(n, when) for n, when in enumerate(MONTHS)])
    migrate.downgrade(engine, "0015_cell_rollup_indexes")
    with engine.connect() as conn:
        assert not partitions.is_partitioned(conn)
        assert conn.execute(sa.text("SELECT count(*) FROM ceasefire_reports")).scalar() == 3
    migrate.upgrade(engine)
    with engine.connect() as conn:
        assert partitions.is_partitioned(conn)
        assert sum(_where(conn).values()) == 3


@ON_POSTGRES
def test_the_command_creates_and_lists_the_partitions(
    partitioned: tuple[sa.Engine, World],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    engine, world = partitioned
    _import(engine, world, [_row(1, MONTHS[0])])
    monkeypatch.setenv("COALITION_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    try:
        assert cli.main(["ceasefire", "partitions", "--dry-run"]) == 0
        assert "0 partitions created" in capsys.readouterr().out
        assert cli.main(["ceasefire", "partitions", "--ahead", "1"]) == 0
        out = capsys.readouterr().out
        assert "ceasefire_reports_2024_02\t2024-02-01 to 2024-03-01\t1 reports (created)" in out
        assert cli.main(["ceasefire", "partitions", "--ahead", "-1"]) != 0
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_sqlite_says_it_has_no_partitions(
    engine: sa.Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COALITION_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    try:
        assert cli.main(["ceasefire", "partitions"]) == 0
        assert "not partitioned" in capsys.readouterr().out
    finally:
        get_settings.cache_clear()
