"""Every spreadsheet export neutralises formulas, the public open-data feed included.

Records are stored with a formula payload in every text column they have (as an import
or a careless form would store them); each CSV is read back with the csv module and each
XLSX with openpyxl, and no cell may be a formula or begin with a formula trigger.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, update

from coalition import cli
from coalition.ceasefire import exports as incident_exports
from coalition.ceasefire import ingest
from coalition.ceasefire.fields import read_report
from coalition.ceasefire.model import Incident
from coalition.commitments import commands as commitment_commands
from coalition.commitments import export as commitment_export
from coalition.commitments.model import Commitment
from coalition.commitments.service import record_id_for
from coalition.core.cells import TRIGGERS
from coalition.core.db import transaction, utcnow
from coalition.core.marking import Marking
from tests.world import World

PAYLOADS = [
    '=HYPERLINK("http://x","click")',
    "=cmd|' /C calc'!A0",
    "+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
]


def _assert_safe(cell: str) -> None:
    assert cell[:1] not in TRIGGERS and cell.lstrip()[:1] not in TRIGGERS, repr(cell)


def _store_commitments(engine: Engine) -> None:
    with transaction(engine) as session:
        for i, payload in enumerate(PAYLOADS):
            session.add(
                Commitment(
                    record_id=record_id_for("csv", f"p{i}"),
                    revision=1,
                    recorded_at=utcnow(),
                    announced_on=dt.date(2025, 3, 2),
                    date_text=payload,
                    category="military",
                    item=payload,
                    explanation=payload,
                    quantity=Decimal("12"),
                    unit=payload,
                    value=Decimal("1000.00"),
                    currency="EUR",
                    value_eur=Decimal("1000.00"),
                    rate=Decimal("1"),
                    rate_date=dt.date(2025, 3, 2),
                    source=payload[:20],
                    source_id=payload,
                    source_title=payload,
                    source_ref=payload,
                    owner_code="GBR",
                    marking=Marking.PUBLIC.value,
                )
            )


def _check_commitment_csv(body: str) -> None:
    first, rest = body.split("\r\n", 1)
    assert first == "# marking: PUBLIC"
    rows = list(csv.DictReader(io.StringIO(rest, newline="")))
    assert len(rows) == len(PAYLOADS)
    items = set()
    for row in rows:
        for column, cell in row.items():
            if column not in commitment_export.NUMBERS:
                _assert_safe(cell)
        items.add(row["item"])
        assert row["quantity"] == "12.000" and row["value"] == "1000.00"
        # The original is the cell without the one quote put in front.
        for column in ("item", "explanation", "unit", "source_id", "source_title", "source_ref"):
            assert row[column] == row["item"], column
    assert items == {"'" + p for p in PAYLOADS}


def _check_commitment_xlsx(body: bytes) -> None:
    sheet = load_workbook(io.BytesIO(body))["Commitments"]
    assert sheet is not None
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    assert len(rows) == len(PAYLOADS) + 1
    items = set()
    for row in rows[1:]:
        for column, cell in zip(header, row, strict=True):
            assert cell.data_type != "f", (column, cell.value)
            if column in commitment_export.NUMBERS:
                assert cell.value is None or cell.data_type == "n", (column, cell.value)
            elif isinstance(cell.value, str):
                _assert_safe(cell.value)
        values = dict(zip(header, (c.value for c in row), strict=True))
        assert values["quantity"] == 12 and values["value"] == 1000
        items.add(values["item"])
    # XML reads a carriage return back as a line feed; the quote is there all the same.
    assert items == {"'" + p.replace("\r", "\n") for p in PAYLOADS}


@pytest.mark.parametrize("reader", [None, "gbr.viewer"])
def test_the_commitment_feed_carries_no_formula(
    engine: Engine, world: World, client_for: Any, reader: str | None
) -> None:
    _store_commitments(engine)
    client = client_for(reader)
    csv_response = client.get("/api/v1/commitments/export", params={"format": "csv"})
    assert csv_response.status_code == 200
    _check_commitment_csv(csv_response.text)
    xlsx_response = client.get("/api/v1/commitments/export", params={"format": "xlsx"})
    assert xlsx_response.status_code == 200
    _check_commitment_xlsx(xlsx_response.content)
    # JSON is not a spreadsheet: it carries the text exactly as stored.
    data = client.get("/api/v1/commitments/export", params={"format": "json"}).json()
    assert {c["item"] for c in data["commitments"]} == set(PAYLOADS)


def test_the_command_line_feed_carries_no_formula(
    engine: Engine, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(commitment_commands, "get_engine", lambda: engine)
    _store_commitments(engine)
    target = tmp_path / "open.xlsx"
    assert cli.main(["export", "commitments", "--format", "xlsx", "-o", str(target)]) == 0
    _check_commitment_xlsx(target.read_bytes())
    target = tmp_path / "open.csv"
    assert cli.main(["export", "commitments", "--format", "csv", "-o", str(target)]) == 0
    _check_commitment_csv(target.read_bytes().decode("utf-8"))


def test_characters_xml_cannot_hold_do_not_break_the_workbook(
    engine: Engine, world: World, client_for: Any
) -> None:
    officer = client_for("gbr.contributor")
    pledge = {"member": "GBR", "category": "military", "marking": "PUBLIC"}
    created = officer.post(
        "/api/v1/commitments",
        json={**pledge, "announced_on": "2025-03-02", "item": "bell\x07=1", "unit": "\x1b-1"},
    )
    assert created.status_code == 201, created.text
    response = client_for(None).get("/api/v1/commitments/export", params={"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Commitments"]
    assert sheet is not None
    row = [c.value for c in next(sheet.iter_rows(min_row=2))]
    assert "bell\ufffd=1" in row and "'\ufffd-1" not in row and "\ufffd-1" in row


def _store_incidents(engine: Engine) -> None:
    now = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    rows = []
    for i in range(len(PAYLOADS)):
        raw = {
            "source_kind": "monitor_patrol",
            "source_name": "formula",
            "source_id": str(i),
            "reliability": "B",
            "credibility": "2",
            "occurred_at": f"2025-03-{10 + i}T10:00:00Z",
            "latitude": "47.5",
            "longitude": "37.5",
            "region": "Donetsk",
            "type": "shelling",
            "attribution": "Party A",
            "casualties": "1",
            "text": "x",
        }
        rows.append((i + 1, read_report(raw, now)))
    with transaction(engine) as session:
        ingest.store_batch(
            session, ingest.Stamp("GBR", Marking.PUBLIC.value, ""), rows, "formula:1", "formula"
        )
    with transaction(engine) as session:
        incidents = session.scalars(Incident.__table__.select().order_by(Incident.id)).all()
        assert len(incidents) == len(PAYLOADS)
        for incident_id, payload in zip(incidents, PAYLOADS, strict=True):
            session.execute(
                update(Incident)
                .where(Incident.id == incident_id)
                .values(region=payload, claimed_attribution=payload, assessed_attribution=payload)
            )


def test_the_incident_csv_carries_no_formula(engine: Engine, world: World) -> None:
    _store_incidents(engine)
    out = io.StringIO(newline="")
    with transaction(engine) as session:
        assert incident_exports.write_csv(session, world.principal(None), out) == len(PAYLOADS)
    marking, body = out.getvalue().split("\r\n", 1)
    assert marking == "# marking: PUBLIC"
    rows = list(csv.DictReader(io.StringIO(body, newline="")))
    assert {r["claimed_attribution"] for r in rows} == {"'" + p for p in PAYLOADS}
    for row in rows:
        for column, cell in row.items():
            if column not in incident_exports.NUMBERS:
                _assert_safe(cell)
        assert row["region"] == row["assessed_attribution"] == row["claimed_attribution"]
        assert float(row["latitude"]) == 47.5 and row["report_count"] == "1"


def test_the_rejects_file_carries_no_formula(
    engine: Engine, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coalition.members import acting

    monkeypatch.setattr(commitment_commands, "get_engine", lambda: engine)
    monkeypatch.setattr(acting, "get_engine", lambda: engine)  # who --as names
    source = tmp_path / "pledges.csv"
    with source.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["source_id", "member", "announced_on", "category", "item"])
        for payload in PAYLOADS:
            writer.writerow([payload, "ZZZ", "2025-03-02", "military", payload])
    argv = ["import", "commitments", str(source), "--format", "csv", "--as", "sec.contributor"]
    assert cli.main(argv) == 0
    with (tmp_path / "pledges.csv.rejects.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["line", "source_id", "reason"] and len(rows) == len(PAYLOADS) + 1
    for _line, source_id, reason in rows[1:]:
        _assert_safe(source_id)
        _assert_safe(reason)
    # Each refused row's source id is kept (the reader trims it) behind one quote.
    assert all(r[1].startswith("'") and r[1][1:] in PAYLOADS for r in rows[1:])
