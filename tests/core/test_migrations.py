"""The migrations build exactly the schema the models declare, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from coalition.core import migrate
from coalition.core.db import Base


def test_migrated_schema_matches_the_models(engine) -> None:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_object": migrate.schema_filter(engine.dialect.name),
            },
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == [], "add an Alembic revision for these model changes"


CEASEFIRE_HEAD = "0016_report_partitions"
HELD = {  # the rows a database in use holds, linked as the application links them
    "members": {"code": "GBR", "owner_code": "GBR"},
    "ceasefire_reports": {"id": 1, "owner_code": "GBR"},
    "ceasefire_incidents": {"id": 1, "key_report_id": 1, "owner_code": "GBR"},
    "ceasefire_incident_members": {"report_id": 1, "incident_id": 1},
    "ceasefire_incident_status": {"id": 1, "report_id": 1},
}


def _filled(table: sa.Table, given: dict[str, object]) -> dict[str, object]:
    """A row for ``table``: the given values, and a plain value for every other column."""
    row: dict[str, object] = {}
    for column in table.columns:
        if column.name in given:
            row[column.name] = given[column.name]
        elif column.nullable or column.server_default is not None or column.primary_key:
            continue
        elif isinstance(column.type, sa.Integer | sa.Float):
            row[column.name] = 1
        elif isinstance(column.type, sa.Boolean):
            row[column.name] = False
        elif isinstance(column.type, sa.DateTime):
            row[column.name] = dt.datetime(2025, 3, 26, 10, 0)
        elif isinstance(column.type, sa.Date):
            row[column.name] = dt.date(2025, 3, 26)
        else:
            row[column.name] = "x"
    return row


def _counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: conn.execute(sa.text(f"SELECT count(*) FROM {name}")).scalar_one()  # noqa: S608
            for name in HELD
        }


@pytest.fixture
def empty_engine(bare_engine: sa.Engine) -> sa.Engine:
    """A database with no schema at all."""
    return bare_engine


def test_upgrading_a_database_in_use_keeps_its_rows(empty_engine: sa.Engine) -> None:
    """Migrations that rebuild tables (SQLite) must not cascade deletes or trip on keys."""
    migrate.upgrade(empty_engine, "0004_ceasefire")
    metadata = sa.MetaData()
    metadata.reflect(empty_engine)
    with empty_engine.begin() as conn:
        for name, given in HELD.items():
            conn.execute(
                sa.insert(metadata.tables[name]).values(_filled(metadata.tables[name], given))
            )
    assert set(_counts(empty_engine).values()) == {1}
    migrate.upgrade(empty_engine, CEASEFIRE_HEAD)
    assert set(_counts(empty_engine).values()) == {1}
    with empty_engine.connect() as conn:  # the region stored until now was as received
        row = conn.execute(sa.text("SELECT region, reported_region FROM ceasefire_reports"))
        assert row.one() == ("x", "x")
    command.downgrade(migrate.alembic_config(empty_engine), "0004_ceasefire")
    assert set(_counts(empty_engine).values()) == {1}
