"""Delivered amounts in tracker sheets become deliveries, on both databases.

Each sample under ``samples/`` is one shape a sheet comes in: the 2022-23 release's spelled-out
columns, the later releases' abbreviations, a sheet an analyst dated, a spreadsheet's
Windows-1252 re-save. The shipped real extract is imported too, with its before and after
figures: before, its three rows stating deliveries were all imported as "announced".
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, select

from coalition.commitments import importer, service
from coalition.commitments.model import Commitment, DatePrecision, Delivery
from coalition.core import audit
from coalition.core.db import transaction
from tests.world import World

SAMPLES = Path(__file__).parent / "samples"
EXTRACT = files("coalition") / "data" / "kiel_extract_2023-01.csv"
REPORTED = dt.date(2025, 5, 31)


def _import(engine: Engine, world: World, path: Path) -> importer.Outcome:
    analyst = world.principal("sec.contributor")
    return importer.import_file(engine, analyst, path, "kiel", reported_on=REPORTED)


def _ledger(engine: Engine) -> tuple[dict[str, str], dict[str, list[Delivery]]]:
    """Each live tracker commitment's status, and its deliveries, by source id."""
    with transaction(engine) as session:
        live = session.execute(
            select(Commitment.source_id, Commitment.record_id, Commitment.status).where(
                Commitment.superseded_at.is_(None), Commitment.source == "kiel"
            )
        ).all()
        by_record = {r.record_id: str(r.source_id) for r in live}
        deliveries: dict[str, list[Delivery]] = {}
        for d in session.scalars(select(Delivery).order_by(Delivery.id)):
            if d.record_id in by_record:
                session.expunge(d)
                deliveries.setdefault(by_record[d.record_id], []).append(d)
    return {str(r.source_id): str(r.status) for r in live}, deliveries


def _amounts(deliveries: list[Delivery]) -> list[tuple[object, object]]:
    return [(d.quantity, d.value) for d in deliveries]


def _verified(engine: Engine) -> None:
    with transaction(engine) as session:
        report = audit.verify(session)
    assert report.ok, report.problems


def _delivery_count(engine: Engine) -> int:
    with transaction(engine) as session:
        return session.scalar(select(func.count()).select_from(Delivery)) or 0


def test_the_real_extract_records_the_deliveries_it_states(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    """Before: 13 rows imported, 0 deliveries, every row "announced", though AUM4 and AUM5
    state deliveries. After: 2 deliveries, and the statuses follow."""
    path = tmp_path / "extract.csv"
    path.write_text(EXTRACT.read_text("utf-8"), encoding="utf-8")
    outcome = importer.import_file(
        engine, world.principal("sec.contributor"), path, "kiel", reported_on=dt.date(2023, 1, 5)
    )
    s = outcome.summary
    assert (s.read, s.inserted, s.rejected, s.delivered, s.undisclosed) == (13, 13, 0, 2, 1)
    statuses, deliveries = _ledger(engine)
    assert {k: v for k, v in statuses.items() if v != "announced"} == {
        "AUM4-1": "delivered",  # 20 of 20 Bushmasters
        "AUM5-1": "delivered",  # its whole euro value delivered
        "AUM5-2": "in_delivery",  # delivered, the count undisclosed
    }
    (bushmasters,) = deliveries["AUM4-1"]
    assert (bushmasters.quantity, bushmasters.value) == (20, 49_000_000)
    assert bushmasters.currency == "AUD"
    assert bushmasters.delivered_on == dt.date(2023, 1, 5)
    assert bushmasters.date_precision == DatePrecision.BY
    assert bushmasters.rate_date is not None and bushmasters.value_eur is not None
    assert "20 units delivered" in bushmasters.note and "news.defence.gov.au" in bushmasters.note
    (anti_armour,) = deliveries["AUM5-1"]
    assert (anti_armour.quantity, anti_armour.value) == (None, 26_500_000)
    again = importer.import_file(
        engine, world.principal("sec.contributor"), path, "kiel", reported_on=dt.date(2023, 2, 1)
    )
    assert (again.summary.unchanged, again.summary.delivered) == (13, 0)
    assert _delivery_count(engine) == 2
    _verified(engine)


def test_the_2022_23_columns_record_deliveries_and_refuse_what_cannot_be(
    engine: Engine, world: World
) -> None:
    outcome = _import(engine, world, SAMPLES / "kiel_2023_delivered.csv")
    s = outcome.summary
    assert (s.read, s.inserted, s.rejected, s.delivered, s.undisclosed) == (12, 6, 6, 4, 1)
    reasons = {r.line: r.reason for r in outcome.rejects}
    assert "delivered quantity 15 is more than the 12 committed" in reasons[8]
    assert "the row commits no quantity" in reasons[9]
    assert "negative" in reasons[10]
    assert "'some' is not a number" in reasons[11]
    assert "implausibly large" in reasons[12]
    assert "8000000.01 EUR is more than the 8000000.00 EUR committed" in reasons[13]
    assert {r.source_id for r in outcome.rejects} == {f"D-{n:02}" for n in range(7, 13)}
    statuses, deliveries = _ledger(engine)
    assert statuses == {
        "D-01-1": "delivered",
        "D-02-1": "in_delivery",
        "D-03-1": "in_delivery",
        "D-04-1": "in_delivery",
        "D-05-1": "in_delivery",
        "D-06-1": "announced",
    }
    assert _amounts(deliveries["D-01-1"]) == [(20, 120_000_000)]  # GBP, all of it
    assert _amounts(deliveries["D-02-1"]) == [(4, None)]
    # EUR 48m of the tracker's EUR 96m: half the GBP 80m pledge.
    assert _amounts(deliveries["D-03-1"]) == [(None, 40_000_000)]
    assert deliveries["D-03-1"][0].currency == "GBP"
    # The own dollar estimates: 25m of 100m, a quarter of PLN 400m.
    assert _amounts(deliveries["D-04-1"]) == [(None, 100_000_000)]
    assert set(deliveries) == {"D-01-1", "D-02-1", "D-03-1", "D-04-1"}
    for d in deliveries["D-02-1"]:
        assert (d.delivered_on, d.date_precision) == (REPORTED, DatePrecision.BY)
    _verified(engine)


def test_a_re_import_changes_nothing(engine: Engine, world: World) -> None:
    first = _import(engine, world, SAMPLES / "kiel_2023_delivered.csv")
    before = _ledger(engine)
    again = _import(engine, world, SAMPLES / "kiel_2023_delivered.csv")
    s = again.summary
    assert (s.inserted, s.updated, s.unchanged, s.delivered) == (0, 0, 6, 0)
    assert [r.line for r in again.rejects] == [r.line for r in first.rejects]
    after = _ledger(engine)
    assert after[0] == before[0]
    assert {k: _amounts(v) for k, v in after[1].items()} == {
        k: _amounts(v) for k, v in before[1].items()
    }
    _verified(engine)


def _release(path: Path, delivered: str) -> Path:
    path.write_text(
        "ID,Donor,Aid type general,Aid type specific,Item,Announcement date,Reporting date,"
        "Quantity,Amount (in original currency),Currency,No. of Units delivered,Source\n"
        f"L-1,Germany,Military,Weapons and equipment,tanks,3/2/2025,{delivered}\n",
        encoding="utf-8",
    )
    return path


def test_a_later_release_adds_only_the_difference(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    """The sheet states running totals: each release records what is new since the last,
    and one stating less than is recorded is refused, the ledger unchanged."""
    path = tmp_path / "release.csv"
    outcome = _import(engine, world, _release(path, "3/20/2025,20,40000000,EUR,5,x"))
    assert outcome.summary.delivered == 1
    outcome = _import(engine, world, _release(path, "4/20/2025,20,40000000,EUR,12,x"))
    assert (outcome.summary.unchanged, outcome.summary.delivered) == (1, 1)
    statuses, deliveries = _ledger(engine)
    assert statuses == {"L-1-1": "in_delivery"}
    assert _amounts(deliveries["L-1-1"]) == [(5, None), (7, None)]
    assert [d.delivered_on for d in deliveries["L-1-1"]] == [
        dt.date(2025, 3, 20),
        dt.date(2025, 4, 20),
    ]
    assert "recorded before" in deliveries["L-1-1"][1].note
    outcome = _import(engine, world, _release(path, "5/20/2025,20,40000000,EUR,20,x"))
    assert (outcome.summary.updated, outcome.summary.delivered) == (1, 1)
    statuses, deliveries = _ledger(engine)
    assert statuses == {"L-1-1": "delivered"}
    assert sum(d.quantity or 0 for d in deliveries["L-1-1"]) == 20
    lower = _import(engine, world, _release(path, "6/20/2025,20,40000000,EUR,10,x"))
    assert lower.summary.rejected == 1 and lower.summary.delivered == 0
    assert "less than the 20 already recorded" in lower.rejects[0].reason
    assert _ledger(engine)[0] == {"L-1-1": "delivered"}
    assert _delivery_count(engine) == 3
    _verified(engine)


def test_deliveries_recorded_by_hand_count_toward_the_sheet_total(
    engine: Engine, world: World, tmp_path: Path
) -> None:
    path = tmp_path / "release.csv"
    _import(engine, world, _release(path, "3/20/2025,20,40000000,EUR,.,x"))
    statuses, _ = _ledger(engine)
    assert statuses == {"L-1-1": "announced"}
    sec = world.principal("sec.contributor")
    with transaction(engine, actor=sec.actor) as session:
        record = session.scalars(select(Commitment.record_id)).one()
        service.add_delivery(
            session,
            sec,
            record,
            service.DeliveryCreate(delivered_on=dt.date(2025, 3, 25), quantity=Decimal(8)),
        )
    outcome = _import(engine, world, _release(path, "4/20/2025,20,40000000,EUR,12,x"))
    assert outcome.summary.delivered == 1
    _, deliveries = _ledger(engine)
    assert _amounts(deliveries["L-1-1"]) == [(8, None), (4, None)]
    assert deliveries["L-1-1"][0].date_precision == DatePrecision.DAY
    _verified(engine)


def test_the_later_release_columns_are_read(engine: Engine, world: World) -> None:
    outcome = _import(engine, world, SAMPLES / "kiel_snake_delivered.csv")
    s = outcome.summary
    assert (s.read, s.inserted, s.rejected, s.delivered) == (4, 4, 0, 3), outcome.rejects
    statuses, deliveries = _ledger(engine)
    assert statuses == {
        "S-01-1": "in_delivery",
        "S-02-1": "in_delivery",
        "S-03-1": "delivered",
        "S-04-1": "announced",
    }
    assert _amounts(deliveries["S-01-1"]) == [(1, 500_000_000)]
    # Dollar estimates: 15m of 60m, a quarter of EUR 50m.
    assert _amounts(deliveries["S-02-1"]) == [(2500, 12_500_000)]
    # Measure "Delivery": the row delivered all it commits.
    assert _amounts(deliveries["S-03-1"]) == [(None, 300_000_000)]
    assert deliveries["S-03-1"][0].currency == "GBP"


def test_delivery_dates_keep_their_precision(engine: Engine, world: World) -> None:
    outcome = _import(engine, world, SAMPLES / "kiel_dated_delivered.csv")
    s = outcome.summary
    assert (s.read, s.inserted, s.rejected, s.delivered, s.undisclosed) == (9, 7, 2, 5, 1)
    reasons = {r.line: r.reason for r in outcome.rejects}
    assert "unreadable date 'after the thaw'" in reasons[9]
    assert "delivery status 'maybe'" in reasons[10]
    statuses, deliveries = _ledger(engine)
    assert statuses == {
        "T-01-1": "delivered",
        "T-02-1": "in_delivery",
        "T-03-1": "delivered",
        "T-04-1": "in_delivery",
        "T-05-1": "delivered",
        "T-06-1": "in_delivery",
        "T-07-1": "announced",
    }
    dated = {k: (v[0].delivered_on, v[0].date_precision) for k, v in deliveries.items()}
    assert dated == {
        "T-01-1": (dt.date(2025, 3, 15), DatePrecision.DAY),
        "T-02-1": (dt.date(2025, 4, 1), DatePrecision.MONTH),
        "T-03-1": (dt.date(2025, 4, 15), DatePrecision.BY),
        "T-04-1": (dt.date(2025, 3, 25), DatePrecision.BY),  # the reporting date
        "T-05-1": (dt.date(2025, 3, 26), DatePrecision.BY),
    }
    assert _amounts(deliveries["T-05-1"]) == [(8, 1_000_000)]


@pytest.mark.parametrize("workbook", [False, True], ids=["cp1252-csv", "xlsx"])
def test_a_spreadsheet_re_save_reads_the_same(
    engine: Engine, world: World, tmp_path: Path, workbook: bool
) -> None:
    """Windows-1252, semicolons, day-first dates with a re-save's midnight; and the same rows
    in a workbook, its numbers and dates as cells."""
    path = tmp_path / "resave.csv"
    shutil.copy(SAMPLES / "kiel_resave_cp1252.csv", path)
    if workbook:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        lines = (SAMPLES / "kiel_resave_cp1252.csv").read_text("cp1252").splitlines()
        for n, line in enumerate(lines):
            cells: list[object] = list(line.split(";"))
            if n:
                cells[6] = dt.datetime.strptime(str(cells[6]), "%d/%m/%Y")
                cells[9] = int(str(cells[9]))
            sheet.append(cells)
        path = tmp_path / "resave.xlsx"
        book.save(path)
    outcome = _import(engine, world, path)
    assert outcome.encoding == ("" if workbook else "cp1252")
    s = outcome.summary
    assert (s.read, s.inserted, s.rejected, s.delivered) == (2, 2, 0, 2), outcome.rejects
    statuses, deliveries = _ledger(engine)
    assert statuses == {"R-01-1": "in_delivery", "R-02-1": "delivered"}
    gepard = deliveries["R-01-1"][0]
    assert (gepard.quantity, gepard.delivered_on) == (5, dt.date(2025, 3, 25))
    assert gepard.date_precision == DatePrecision.BY
    vehicles = deliveries["R-02-1"][0]
    assert (vehicles.value, vehicles.delivered_on) == (40_000_000, dt.date(2025, 3, 28))
    with transaction(engine) as session:
        item = session.scalars(select(Commitment.item).where(Commitment.source_id == "R-01-1"))
        assert item.one() == "Flugabwehr – Geräte"
    again = _import(engine, world, path)
    assert (again.summary.unchanged, again.summary.delivered) == (2, 0)


def test_a_delivery_audited_before_the_precision_column_still_verifies(
    engine: Engine, world: World
) -> None:
    """Migration 0014 adds ``date_precision`` with its default; a delivery whose last audit
    entry predates the column matches it while the column holds that default."""
    with transaction(engine, actor="alice@SEC") as session:
        row = {
            "record_id": "0" * 32,
            "delivered_on": dt.date(2025, 3, 1),
            "quantity": Decimal(1),
            "note": "",
            "recorded_at": dt.datetime(2025, 3, 1, tzinfo=dt.UTC),
        }
        new_id = session.execute(insert(Delivery.__table__).values(**row)).inserted_primary_key
        delivery = session.get(Delivery, new_id[0])
        assert delivery is not None and delivery.date_precision == "day"
        after = audit.snapshot(delivery)
        del after["date_precision"]  # written before the column existed
        key = str(delivery.id)
        audit.record(session, [audit.Change("create", "commitment_deliveries", key, None, after)])
    _verified(engine)


def test_the_command_says_how_many_deliveries_it_recorded(
    engine: Engine,
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from coalition import cli
    from coalition.commitments import commands
    from coalition.members import acting

    monkeypatch.setattr(commands, "get_engine", lambda: engine)
    monkeypatch.setattr(acting, "get_engine", lambda: engine)
    path = tmp_path / "extract.csv"
    path.write_text(EXTRACT.read_text("utf-8"), encoding="utf-8")
    argv = ["import", "commitments", str(path), "--format", "kiel", "--as", "sec.contributor"]
    assert cli.main([*argv, "--reported-on", "2023-01-05"]) == 0
    out = capsys.readouterr().out
    assert "read 13, inserted 13, updated 0, unchanged 0, rejected 0, deliveries recorded 2" in out
    assert "1 rows say something was delivered without saying how much" in out
    assert cli.main([*argv, "--reported-on", "5 Jan"]) != 0
    assert "--reported-on is YYYY-MM-DD" in capsys.readouterr().err
    assert cli.main(argv) == 0
    assert "unchanged 13, rejected 0, deliveries recorded 0" in capsys.readouterr().out
    with transaction(engine) as session:
        days = set(session.scalars(select(Delivery.delivered_on)))
    assert days == {dt.date(2023, 1, 5)}


def test_the_api_and_the_page_show_how_well_a_delivery_is_dated(  # type: ignore[no-untyped-def]
    engine: Engine, world: World, client_for
) -> None:
    _import(engine, world, SAMPLES / "kiel_dated_delivered.csv")
    with transaction(engine) as session:
        records = dict(
            session.execute(
                select(Commitment.source_id, Commitment.record_id).where(
                    Commitment.superseded_at.is_(None)
                )
            ).all()
        )
    reader = client_for("fra.viewer")
    month = reader.get(f"/api/v1/commitments/{records['T-02-1']}/deliveries").json()
    assert [(d["delivered_on"], d["date_precision"]) for d in month] == [("2025-04-01", "month")]
    page = reader.get(f"/commitments/{records['T-04-1']}")
    assert page.status_code == 200 and "by 2025-03-25" in page.text
    assert "2025-04</td>" in reader.get(f"/commitments/{records['T-02-1']}").text
