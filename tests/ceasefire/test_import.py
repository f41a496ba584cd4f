"""Importing report files: layouts, untidy files, hostile input, idempotent re-runs."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from coalition.ceasefire import importer, ingest
from coalition.ceasefire.fields import DateOrder, FieldError, date_order_of, parse_time
from coalition.ceasefire.layouts import Layout
from coalition.ceasefire.model import Incident, IncidentMember, Report, ReportRollup
from coalition.core import audit
from coalition.core.db import transaction
from tests.world import World

SAMPLES = Path(__file__).parent / "samples"
NOW = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
HEADER = (
    "Source_Kind,SOURCE_NAME,source_id,reliability,credibility,occurred_at,latitude,"
    "longitude,type,casualties,text,derived_extra\n"
)


def _row(i: int, when: str = "2025-03-10T10:00:00Z", lat: str = "48.1", **kw: str) -> str:
    cells = {
        "kind": "monitor_patrol",
        "name": "patrol",
        "id": f"P-{i}",
        "rel": "B",
        "cred": "2",
        "when": when,
        "lat": lat,
        "lon": "37.7",
        "type": "shelling",
        "cas": "0",
        "text": f"report {i}",
    }
    cells.update(kw)
    return ",".join([*cells.values(), "ignored"]) + "\n"


def _run(engine: Engine, world: World, data: bytes, layout: Layout = Layout.CSV, **kw):  # type: ignore[no-untyped-def]
    rejects: list[tuple[int, str]] = []
    summary = importer.import_file(
        engine,
        world.principal("gbr.monitor"),
        layout,
        io.BufferedReader(io.BytesIO(data)),  # type: ignore[arg-type]
        ingest.Stamp("GBR", "COALITION", ""),
        on_reject=lambda line, reason: rejects.append((line, reason)),
        now=NOW,
        **kw,
    )
    return summary, rejects


def _count(engine: Engine, model: object) -> int:
    with transaction(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[arg-type]


def test_csv_import_is_idempotent_and_audited(engine: Engine, world: World) -> None:
    data = (HEADER + "".join(_row(i, name=f"patrol {i}") for i in range(5))).encode()
    summary, _rejects = _run(engine, world, data)
    assert (summary.read, summary.inserted, summary.unchanged, summary.rejected) == (5, 5, 0, 0)
    again, _ = _run(engine, world, data)
    assert (again.inserted, again.unchanged) == (0, 5)
    assert _count(engine, Report) == 5
    # Five sources' reports at one place and time form one incident.
    assert _count(engine, Incident) == 1
    with transaction(engine) as session:
        assert session.scalar(select(func.sum(ReportRollup.reports))) == 5
        report = audit.verify(session)
        assert report.ok, report.problems


def test_tampered_batch_fails_the_audit(engine: Engine, world: World) -> None:
    _run(engine, world, (HEADER + _row(1)).encode())
    with transaction(engine) as session:
        session.execute(Report.__table__.update().values(casualties=99))
    with transaction(engine) as session:
        problems = audit.verify(session).problems
    assert any("report_batch" in str(p) for p in problems)


def test_broken_membership_fails_the_audit(engine: Engine, world: World) -> None:
    _run(engine, world, (HEADER + _row(1) + _row(2, lat="49.5")).encode())
    with transaction(engine) as session:
        assert audit.verify(session).ok
        session.execute(IncidentMember.__table__.delete().where(IncidentMember.report_id == 1))
        session.execute(Incident.__table__.delete().where(Incident.key_report_id == 2))
    with transaction(engine) as session:
        problems = [str(p) for p in audit.verify(session).problems]
    assert any("a report in no incident (1)" in p for p in problems), problems
    assert any("a membership whose incident is missing (1)" in p for p in problems), problems


def test_an_import_for_an_unknown_member_is_refused_before_any_row(
    engine: Engine, world: World
) -> None:
    from coalition.core.errors import Invalid

    for stamp in (ingest.Stamp("XXX", "NATIONAL", ""), ingest.Stamp("SEC", "REL_TO", "|YYY|")):
        with pytest.raises(Invalid, match="unknown member code"):
            importer.import_file(
                engine,
                world.principal("sec.contributor"),
                Layout.CSV,
                io.BufferedReader(io.BytesIO((HEADER + _row(1)).encode())),  # type: ignore[arg-type]
                stamp,
                now=NOW,
            )
    assert _count(engine, Report) == 0


def test_untidy_files_gzip_utf16_and_multiline_cells(engine: Engine, world: World) -> None:
    body = HEADER + _row(1) + _row(2, text='"two\nlines"') + _row(3, when="14/03/2025 10:00")
    for data in (gzip.compress(body.encode("utf-16")), body.encode("utf-8-sig")):
        summary, rejects = _run(engine, world, data)
        assert rejects == []
        assert summary.read == 3
    with transaction(engine) as session:
        text = session.scalar(select(Report.text).where(Report.source_id == "P-2"))
        when = session.scalar(select(Report.occurred_at).where(Report.source_id == "P-3"))
    assert text == "two\nlines"
    assert when == dt.datetime(2025, 3, 14, 10, tzinfo=dt.UTC)


def test_hostile_rows_are_rejected_with_line_and_reason(engine: Engine, world: World) -> None:
    body = (
        HEADER
        + _row(1, lat="91")  # line 2
        + _row(2, when="2030-01-01T00:00:00Z")  # line 3
        + _row(3, rel="Z")  # line 4
        + _row(4)  # line 5
        + _row(4)  # line 6: duplicate within the file
        + _row(5, when="03/04/2025")  # line 7: day and month ambiguous
        + _row(6, type="bombardment")  # line 8
    )
    summary, rejects = _run(engine, world, body.encode())
    reasons = dict(rejects)
    assert summary.inserted == 1
    assert set(reasons) == {2, 3, 4, 6, 7, 8}
    assert "latitude" in reasons[2]
    assert "future" in reasons[3]
    assert "reliability" in reasons[4]
    assert "repeats" in reasons[6]
    assert "ambiguous" in reasons[7]


def test_duplicates_across_batches_of_one_file_are_rejected(engine: Engine, world: World) -> None:
    body = HEADER + _row(1) + _row(2) + _row(1)
    summary, rejects = _run(engine, world, body.encode(), batch_size=2)
    assert summary.inserted == 2
    assert [line for line, _ in rejects] == [4]


def test_truncated_file_keeps_whole_records_only(engine: Engine, world: World) -> None:
    body = (HEADER + _row(1) + _row(2) + _row(3)).encode()
    cut = gzip.compress(body)[:-12]  # a gzip stream that breaks off
    summary, rejects = _run(engine, world, cut)
    assert rejects, "a truncated file must be reported"
    assert summary.broken is not None
    with transaction(engine) as session:
        stored = set(session.scalars(select(Report.source_id)))
    assert stored <= {"P-1", "P-2", "P-3"}
    full, _ = _run(engine, world, body)
    assert _count(engine, Report) == 3
    assert full.inserted + full.unchanged == 3


def test_a_windows_1252_resave_is_read_whole(engine: Engine, world: World) -> None:
    """It stopped at its first curly apostrophe, rejected the rows before it as "cut",
    never read the rest, and the command exited 0."""
    rows = [_row(i, text=f"the mayor’s office – “shelling” near café {i}") for i in range(40)]
    summary, rejects = _run(engine, world, (HEADER + "".join(rows)).encode("cp1252"))
    assert rejects == [] and summary.broken is None
    assert (summary.read, summary.inserted) == (40, 40)
    with transaction(engine) as session:
        text = session.scalar(select(Report.text).where(Report.source_id == "P-7"))
    assert text == "the mayor’s office – “shelling” near café 7"


def test_a_file_that_breaks_off_fails_the_command_and_writes_no_empty_rejects(
    engine: Engine, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    from coalition import cli
    from coalition.ceasefire import commands
    from coalition.members import acting

    monkeypatch.setattr(commands, "get_engine", lambda: engine)
    monkeypatch.setattr(acting, "get_engine", lambda: engine)
    folder = tmp_path / "incoming"
    folder.mkdir()
    whole = folder / "whole.csv"
    whole.write_text(HEADER + _row(1) + _row(2), encoding="utf-8")
    folder.chmod(0o555)  # read-only, as a shared drop folder may be
    try:
        argv = ["import", "reports", str(whole), "--as", "gbr.monitor"]
        assert cli.main(argv) == 0, capsys.readouterr()
        assert "read 2, inserted 2" in capsys.readouterr().out
        assert sorted(p.name for p in folder.iterdir()) == ["whole.csv"]
    finally:
        folder.chmod(0o755)
    cut = folder / "cut.csv"
    cut.write_text(HEADER + _row(3) + _row(4) + _row(5, text='"cut in its quoted'))
    assert cli.main(["import", "reports", str(cut), "--as", "gbr.monitor"]) == 2
    captured = capsys.readouterr()
    assert "breaks off at line" in captured.err + captured.out
    assert (folder / "cut.csv.rejects.csv").exists()


def test_killed_import_loses_only_its_batch_and_rerun_completes(
    engine: Engine, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = (HEADER + "".join(_row(i, lat=f"{46 + i * 0.3:.1f}") for i in range(6))).encode()
    real = ingest.store_frame
    calls = {"n": 0}

    def dies_on_second(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            real(*args, **kwargs)  # the work is done, then the process dies before commit
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest, "store_frame", dies_on_second)
    with pytest.raises(KeyboardInterrupt):
        _run(engine, world, body, batch_size=2)
    assert _count(engine, Report) == 2  # the first batch only; the second rolled back
    monkeypatch.setattr(ingest, "store_frame", real)
    summary, _ = _run(engine, world, body, batch_size=2)
    assert (summary.inserted, summary.unchanged) == (4, 2)
    assert _count(engine, Report) == 6
    assert _count(engine, IncidentMember) == 6
    with transaction(engine) as session:
        assert session.scalar(select(func.sum(ReportRollup.reports))) == 6
        assert audit.verify(session).ok


def test_ucdp_and_acled_layouts(engine: Engine, world: World) -> None:
    ucdp, ucdp_rejects = _run(
        engine, world, (SAMPLES / "ucdp_ged_constructed.csv").read_bytes(), Layout.UCDP
    )
    assert ucdp.inserted == 2 and [line for line, _ in ucdp_rejects] == [4]
    acled, acled_rejects = _run(
        engine, world, (SAMPLES / "acled_constructed.csv").read_bytes(), Layout.ACLED
    )
    assert acled.inserted == 2
    assert [line for line, _ in acled_rejects] == [5]  # 03/04/2025 is ambiguous
    with transaction(engine) as session:
        rows = {r.source_id: r for r in session.scalars(select(Report))}
    assert rows["900001"].region == "Donetsk"
    assert rows["900002"].casualties == 2
    assert rows["UKR900001"].type == "shelling"
    assert "two lines" in rows["UKR900001"].text
    assert rows["UKR900002"].type == "drone_strike"
    assert rows["UKR900002"].occurred_at.date() == dt.date(2025, 3, 11)


def test_geojson_layouts(engine: Engine, world: World) -> None:
    def feature(i: int) -> dict[str, object]:
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [37.7, 48.1]},
            "properties": {
                "source_kind": "uav",
                "source_name": "uav",
                "source_id": f"G-{i}",
                "reliability": "A",
                "credibility": 1,
                "occurred_at": "2025-03-10T10:00:00Z",
                "type": "drone_strike",
            },
        }

    collection = json.dumps({"type": "FeatureCollection", "features": [feature(1), feature(2)]})
    lines = "\n".join(json.dumps(feature(i)) for i in (3, 4))
    assert _run(engine, world, collection.encode())[0].inserted == 0  # wrong layout: rejected
    assert _run(engine, world, collection.encode(), Layout.GEOJSON)[0].inserted == 2
    assert _run(engine, world, lines.encode(), Layout.GEOJSON)[0].inserted == 2


def _acled(n: int, event: str, sub: str, notes: str = "constructed") -> str:
    cells = [
        f"UKR91{n:04}",
        "2025-03-10",
        "2025",
        "1",
        "Demonstrations",
        event,
        sub,
        "Actor",
        "",
        "6",
        "",
        "",
        "0",
        "60",
        "",
        "804",
        "Europe",
        "Ukraine",
        "Kharkiv",
        "",
        "",
        "Constructed town",
        "49.99",
        "36.23",
        "1",
        "Constructed source",
        "National",
        notes,
        "0",
        "",
        "1741600000",
    ]
    return ",".join(cells) + "\n"


def test_events_that_are_no_violation_are_read_and_not_counted(
    engine: Engine, world: World
) -> None:
    """An event export's protests, agreements and other non-violent developments came in
    as type "other" and were counted as violations."""
    header = (SAMPLES / "acled_constructed.csv").read_text(encoding="utf-8").splitlines()[0]
    body = (
        header
        + "\n"
        + "".join(
            [
                _acled(1, "Protests", "Peaceful protest"),
                _acled(2, "Strategic developments", "Agreement"),
                _acled(3, "Riots", "Mob violence"),
                _acled(4, "Strategic developments", "Looting/property destruction"),
                _acled(5, "Protests", "A sub-event type added later"),
                _acled(
                    6, "Strategic developments", "Disrupted weapons use", "Shahed drones downed"
                ),
                _acled(7, "Explosions/Remote violence", "Remote explosive/landmine/IED"),
                _acled(8, "Battles", "Armed clash"),
            ]
        )
    )
    summary, rejects = _run(engine, world, body.encode(), Layout.ACLED)
    assert rejects == []
    assert (summary.read, summary.not_violations, summary.inserted) == (8, 5, 3)
    with transaction(engine) as session:
        types = {
            r.source_id: r.type for r in session.execute(select(Report.source_id, Report.type))
        }
    assert types == {"UKR910006": "drone_strike", "UKR910007": "other", "UKR910008": "small_arms"}


def test_a_spreadsheet_resave_of_ucdp_dates_is_read(engine: Engine, world: World) -> None:
    """A re-save writes date_start as "3/10/2025 12:00:00 AM"; it was cut to ten
    characters and refused."""
    text = (SAMPLES / "ucdp_ged_constructed.csv").read_text(encoding="utf-8")
    resaved = (
        text.replace("2025-03-10 00:00:00.000", "3/10/2025 12:00:00 AM")
        .replace("2025-03-11 00:00:00.000", "3/11/2025 12:00:00 AM")
        # the third (refused for its latitude) tells the file's order: month first
        .replace("2025-03-12 00:00:00.000", "3/25/2025 12:00:00 AM")
    )
    assert "12:00:00 AM" in resaved
    summary, rejects = _run(engine, world, resaved.encode("utf-8"), Layout.UCDP)
    assert summary.inserted == 2 and [line for line, _ in rejects] == [4]
    with transaction(engine) as session:
        when = session.scalar(select(Report.occurred_at).where(Report.source_id == "900002"))
    assert when == dt.datetime(2025, 3, 11, tzinfo=dt.UTC)


def test_dates_are_never_guessed() -> None:
    assert parse_time("2025-03-04").day == 4
    assert parse_time("13/03/2025").month == 3
    assert parse_time("03/13/2025").day == 13
    assert parse_time("4 March 2025").month == 3
    for bad in ("03/04/2025", "03/04/25", "2025-02-30", "yesterday"):
        with pytest.raises(FieldError):
            parse_time(bad)


def test_a_known_order_reads_the_dates_either_way_could_be() -> None:
    assert parse_time("03/04/2025", order=DateOrder.DMY) == dt.datetime(2025, 4, 3, tzinfo=dt.UTC)
    assert parse_time("03/04/2025", order=DateOrder.MDY) == dt.datetime(2025, 3, 4, tzinfo=dt.UTC)
    # An order never overrides what a date says itself.
    assert parse_time("13/03/2025", order=DateOrder.MDY).month == 3
    # A spreadsheet's 12-hour clock, as a re-saved export writes it.
    assert parse_time("3/3/2015 12:00:00 AM") == dt.datetime(2015, 3, 3, tzinfo=dt.UTC)
    assert parse_time("3/3/2015 12:30:00 PM").hour == 12
    assert parse_time("3/3/2015 1:05 PM").hour == 13
    with pytest.raises(FieldError, match="time of day"):
        parse_time("3/3/2015 13:00:00 PM")


@given(st.lists(st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)), min_size=1, max_size=30))
def test_the_file_order_is_the_one_its_unambiguous_dates_show(days: list[dt.date]) -> None:
    as_dmy = [f"{d.day:02}/{d.month:02}/{d.year}" for d in days]
    as_mdy = [f"{d.month:02}/{d.day:02}/{d.year}" for d in days]
    telling = any(d.day > 12 for d in days)
    assert date_order_of(as_dmy) == (DateOrder.DMY if telling else None)
    assert date_order_of(as_mdy) == (DateOrder.MDY if telling else None)
    assert date_order_of([*as_dmy, "03/25/2025"]) is (None if telling else DateOrder.MDY)


def test_a_month_first_file_is_read_whole_from_its_telling_dates(
    engine: Engine, world: World
) -> None:
    """Every date whose day is 12 or less was refused, though the column was month first."""
    rows = [_row(i, when=f"03/{i:02}/2025 10:00") for i in range(1, 12)]
    summary, rejects = _run(engine, world, (HEADER + "".join(rows)).encode())
    # Nothing tells the order: none is guessed but 03/03, which reads the same either way.
    assert summary.inserted == 1 and len(rejects) == 10
    rows.append(_row(99, when="03/25/2025 10:00"))  # one date that can only be month first
    summary, rejects = _run(engine, world, (HEADER + "".join(rows)).encode())
    assert rejects == [] and (summary.inserted, summary.unchanged) == (11, 1)
    assert summary.date_order is DateOrder.MDY
    with transaction(engine) as session:
        when = session.scalar(select(Report.occurred_at).where(Report.source_id == "P-4"))
    assert when == dt.datetime(2025, 3, 4, 10, tzinfo=dt.UTC)
    given_order = [_row(200 + i, when=f"{i:02}/04/2025 10:00") for i in range(1, 5)]
    summary, rejects = _run(
        engine, world, (HEADER + "".join(given_order)).encode(), date_order=DateOrder.DMY
    )
    assert rejects == [] and summary.inserted == 4


def test_incidents_do_not_depend_on_the_order_of_arrival(engine: Engine, world: World) -> None:
    # One stream of reports that chain into merges, imported twice into two separate
    # compartments: in time order in one batch, and reversed in batches of three.
    import random

    from coalition.ceasefire.fields import read_report

    rnd = random.Random(5)
    raws = []
    for i in range(60):
        raws.append(
            {
                "source_kind": "uav",
                "source_name": f"stream {rnd.randrange(4)}",
                "source_id": str(i),
                "reliability": "B",
                "credibility": "2",
                "occurred_at": (
                    dt.datetime(2025, 3, 26, tzinfo=dt.UTC)
                    + dt.timedelta(minutes=rnd.randrange(0, 600))
                ).isoformat(),
                "latitude": f"{48 + rnd.uniform(0, 0.15):.4f}",
                "longitude": f"{37.5 + rnd.uniform(0, 0.15):.4f}",
                "type": rnd.choice(["shelling", "missile", "small_arms", "other"]),
            }
        )

    def store(order: list[dict[str, str]], marking: str, size: int) -> None:
        stamp = ingest.Stamp("GBR", marking, "")
        for n, start in enumerate(range(0, len(order), size)):
            rows = [
                (i, read_report({**raw, "source_id": f"{marking}-{raw['source_id']}"}, NOW))
                for i, raw in enumerate(order[start : start + size])
            ]
            with transaction(engine) as session:
                ingest.store_batch(session, stamp, rows, f"{marking}:{n}", marking)

    store(sorted(raws, key=lambda r: r["occurred_at"]), "PUBLIC", 100)
    store(list(reversed(raws)), "COALITION", 3)
    with transaction(engine) as session:
        members = [
            (sid.split("-")[0], sid.split("-")[1], incident)
            for sid, incident in session.execute(
                select(Report.source_id, IncidentMember.incident_id).join(
                    IncidentMember, IncidentMember.report_id == Report.id
                )
            )
        ]
        keys = {
            i.id: i.key.split("|")[0] + "|" + i.key.split("-")[1]
            for i in session.scalars(select(Incident))
        }
        counts = {i.id: i.report_count for i in session.scalars(select(Incident))}
        assert audit.verify(session).ok
    partitions: dict[str, set[frozenset[str]]] = {}
    for name in ("PUBLIC", "COALITION"):
        groups: dict[int, set[str]] = {}
        for source, sid, incident in members:
            if source == name:
                groups.setdefault(incident, set()).add(sid)
        partitions[name] = {frozenset(g) for g in groups.values()}
        for incident, g in groups.items():
            assert counts[incident] == len(g)
    assert partitions["PUBLIC"] == partitions["COALITION"]
    assert any(len(g) > 2 for g in partitions["PUBLIC"])
    public_keys = sorted(
        k for i, k in keys.items() if any(m[2] == i and m[0] == "PUBLIC" for m in members)
    )
    coalition_keys = sorted(
        k for i, k in keys.items() if any(m[2] == i and m[0] == "COALITION" for m in members)
    )
    assert public_keys == coalition_keys


def test_a_decision_survives_later_reports_of_its_incident(engine: Engine, world: World) -> None:
    from coalition.ceasefire import service
    from coalition.ceasefire.schemas import StatusChangeIn
    from coalition.ceasefire.vocabulary import Verification

    _run(engine, world, (HEADER + _row(1, when="2025-03-10T10:00:00Z")).encode())
    with transaction(engine) as session:
        incident = session.scalars(select(Incident)).one()
        service.set_status(
            session,
            world.principal("gbr.monitor"),
            incident.id,
            StatusChangeIn(status=Verification.VERIFIED, reason="seen by a patrol"),
        )
    # An hour later another source's report of the same event arrives in its own import.
    _run(engine, world, (HEADER + _row(2, when="2025-03-10T11:00:00Z", name="UAV")).encode())
    with transaction(engine) as session:
        incident = session.scalars(select(Incident)).one()
        assert (incident.report_count, incident.status) == (2, "verified")


def test_a_report_takes_the_region_its_position_lies_in(engine: Engine, world: World) -> None:
    header = HEADER.replace("type,", "region,type,")
    rows = [
        _row(1, lat="48.1", text="in Donetsk reported as Kharkiv").replace(
            ",shelling,", ",Kharkiv oblast,shelling,"
        ),
        _row(2, lat="44.0", text="at sea reported as Odessa").replace(
            ",37.7,shelling,", ",32.0,Odessa,shelling,"
        ),
    ]
    summary, rejects = _run(engine, world, (header + "".join(rows)).encode())
    assert summary.inserted == 2, rejects
    with transaction(engine) as session:
        got = {r.source_id: r.region for r in session.scalars(select(Report))}
        by_region = dict(
            session.execute(
                select(ReportRollup.region, func.sum(ReportRollup.reports)).group_by(
                    ReportRollup.region
                )
            ).all()
        )
    assert got == {"P-1": "Donetsk", "P-2": "Odesa"}
    with transaction(engine) as session:
        received = {r.source_id: r.reported_region for r in session.scalars(select(Report))}
        assert audit.verify(session).ok  # the digest covers the name as received
    assert received == {"P-1": "Kharkiv oblast", "P-2": "Odessa"}
    assert by_region == {"Donetsk": 1, "Odesa": 1}


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789/.-a \n", max_size=80))
def test_the_numeric_dates_found_are_those_the_whole_pattern_finds(text: str) -> None:
    from coalition.ceasefire.fields import _ANY_NUMERIC, _numeric_dates

    assert list(_numeric_dates(text)) == [(a, b) for a, b, _ in _ANY_NUMERIC.findall(text)]
