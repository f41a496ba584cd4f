"""Migration 0013 marks the imported reports that gave only a date, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from coalition.core import migrate


@pytest.fixture
def bare(bare_engine: sa.Engine) -> sa.Engine:
    """A database with no schema at all."""
    return bare_engine


def _report(ident: int, at: dt.datetime, batch: str | None) -> dict[str, object]:
    return {
        "id": ident,
        "source_kind": "open_source",
        "source_name": "ACLED" if batch else "form",
        "source_id": str(ident),
        "reliability": "B",
        "credibility": 3,
        "occurred_at": at,
        "received_at": at,
        "latitude": 48.1,
        "longitude": 37.7,
        "precision_m": 1000,
        "region": "",
        "type": "shelling",
        "weapon": "",
        "attribution": "",
        "casualties": 2,
        "text": "",
        "import_batch": batch,
        "owner_code": "GBR",
        "marking": "PUBLIC",
        "rel_to": "",
        "illustrative": False,
        "source_title": "",
        "source_ref": "",
    }


def test_imported_midnight_reports_become_date_only(bare: sa.Engine) -> None:
    migrate.upgrade(bare, "0008_reported_region")
    midnight = dt.datetime(2025, 3, 26, tzinfo=dt.UTC)
    metadata = sa.MetaData()
    metadata.reflect(bare)
    reports, incidents = (
        metadata.tables["ceasefire_reports"],
        metadata.tables["ceasefire_incidents"],
    )
    sqlite = bare.dialect.name == "sqlite"

    def at(value: dt.datetime) -> dt.datetime:
        return value.replace(tzinfo=None) if sqlite else value

    with bare.begin() as conn:
        conn.execute(
            sa.insert(reports),
            [
                _report(1, at(midnight), "run:1"),  # an import's bare date
                _report(2, at(midnight + dt.timedelta(hours=10)), "run:1"),  # a timed import
                _report(3, at(midnight), None),  # filed from the form at midnight
            ],
        )
        conn.execute(
            sa.insert(incidents),
            [
                {
                    "id": n,
                    "key": f"k{n}",
                    "key_report_id": n,
                    "compartment": "PUBLIC",
                    "type": "shelling",
                    "first_at": at(midnight),
                    "last_at": at(midnight),
                    "latitude": 48.1,
                    "longitude": 37.7,
                    "region": "",
                    "report_count": 1,
                    "casualties": 2,
                    "claimed_attribution": "",
                    "status": "reported",
                    "assessed_attribution": "",
                    "owner_code": "GBR",
                    "marking": "PUBLIC",
                    "rel_to": "",
                }
                for n in (1, 2, 3)
            ],
        )
    migrate.upgrade(bare, "0013_report_time_precision")
    with bare.connect() as conn:
        precision = dict(
            conn.execute(sa.text("SELECT id, time_precision FROM ceasefire_reports")).all()
        )
        summary = conn.execute(
            sa.text(
                "SELECT id, time_precision, casualties_low, casualties_high "
                "FROM ceasefire_incidents ORDER BY id"
            )
        ).all()
    assert precision == {1: "day", 2: "minute", 3: "minute"}
    assert [tuple(r) for r in summary] == [
        (1, "day", 2, 2),
        (2, "minute", 2, 2),
        (3, "minute", 2, 2),
    ]
