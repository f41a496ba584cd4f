"""Every command-line import leaves a run: its file's digest, counts, rejects and end.

Both importers are driven through the command line on both databases, as an operator
runs them; the database is never mocked. A failing import still leaves its run, failed,
with the reason; the same file imported again is recognised before it runs.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from coalition import cli
from coalition.ceasefire import commands as report_commands
from coalition.ceasefire import ingest
from coalition.ceasefire.model import Report
from coalition.commitments import commands as commitment_commands
from coalition.core import audit
from coalition.core.db import transaction
from coalition.imports import service
from coalition.imports.enums import RunState
from coalition.imports.model import ImportReject, ImportRun
from coalition.members import acting
from tests.ceasefire.test_import import HEADER, _row
from tests.commitments.test_import import sample_text
from tests.world import World


@pytest.fixture
def commands_on(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """The import commands, and the ``--as`` they read, on the test's database."""
    monkeypatch.setattr(report_commands, "get_engine", lambda: engine)
    monkeypatch.setattr(commitment_commands, "get_engine", lambda: engine)
    monkeypatch.setattr(acting, "get_engine", lambda: engine)
    return engine


def _runs(engine: Engine) -> list[ImportRun]:
    with transaction(engine) as session:
        return list(session.scalars(select(ImportRun).order_by(ImportRun.id)))


def _rejects(engine: Engine, run: ImportRun) -> list[tuple[int, str]]:
    with transaction(engine) as session:
        rows = session.execute(
            select(ImportReject.line, ImportReject.reason)
            .where(ImportReject.run_id == run.id)
            .order_by(ImportReject.line)
        )
        return [(line, reason) for line, reason in rows]


def _reports_file(tmp_path: Path) -> Path:
    path = tmp_path / "patrols.csv"
    path.write_text(HEADER + _row(1) + _row(2) + _row(3, lat="north"), encoding="utf-8")
    return path


def test_a_reports_import_records_its_run_and_a_second_import_is_recognised(
    commands_on: Engine, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = commands_on
    path = _reports_file(tmp_path)
    argv = ["import", "reports", str(path), "--as", "gbr.monitor", "--marking", "NATIONAL"]
    assert cli.main(argv) == 0
    first = capsys.readouterr()
    assert "read 3, inserted 2, unchanged 0, rejected 1" in first.out
    assert "imported on" not in first.err
    [run] = _runs(engine)
    assert (run.capability, run.layout, run.state) == ("reports", "csv", RunState.DONE)
    assert (run.read, run.inserted, run.unchanged, run.rejected) == (3, 2, 0, 1)
    assert run.file_name == "patrols.csv" and run.file_size == path.stat().st_size
    assert run.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (run.owner_code, run.marking, run.started_by) == ("GBR", "NATIONAL", "gbr.monitor")
    assert run.ended_at is not None and run.ended_at >= run.started_at
    assert run.options["illustrative"] is False and run.error == ""
    [(line, reason)] = _rejects(engine, run)
    assert line == 4 and reason
    with transaction(engine) as session:
        batches = set(session.scalars(select(Report.import_batch)))
    assert batches == {f"{run.key}:1"}, "each report leads back to its run"

    assert cli.main(argv) == 0
    second = capsys.readouterr()
    assert "read 3, inserted 0, unchanged 2, rejected 1" in second.out  # it still runs
    assert f"this file was imported on {run.started_at:%Y-%m-%d}" in second.err
    assert f"as run {run.key} (done): 2 inserted" in second.err
    again = _runs(engine)[-1]
    assert again.key != run.key and (again.inserted, again.unchanged) == (0, 2)
    with transaction(engine) as session:
        assert audit.verify(session).ok


def test_a_commitments_import_records_its_run(
    commands_on: Engine, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = commands_on
    path = tmp_path / "kiel.csv"
    path.write_text(sample_text(), encoding="utf-8")
    argv = ["import", "commitments", str(path), "--format", "kiel", "--as", "sec.contributor"]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert "read 10, inserted 8, updated 0, unchanged 0, rejected 2" in out
    [run] = _runs(engine)
    assert (run.capability, run.layout, run.state) == ("commitments", "kiel", "done")
    assert (run.read, run.inserted, run.updated, run.unchanged, run.rejected) == (10, 8, 0, 0, 2)
    assert run.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    # The run says what one member imported: that member's alone until it says otherwise.
    assert (run.owner_code, run.marking) == ("SEC", "NATIONAL")
    assert run.options["encoding"] in ("utf-8", "utf-8-sig")
    assert [line for line, _ in _rejects(engine, run)] == [10, 11]
    assert cli.main(argv) == 0
    assert f"as run {run.key} (done): 8 inserted" in capsys.readouterr().err


def test_a_failing_import_leaves_a_failed_run_with_its_error(
    commands_on: Engine,
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    engine = commands_on

    def disk_full(*args: Any, **kwargs: Any) -> Any:
        raise OSError("no space left on device")

    monkeypatch.setattr(ingest, "store_frame", disk_full)
    path = _reports_file(tmp_path)
    with pytest.raises(OSError, match="no space"):
        cli.main(["import", "reports", str(path), "--as", "gbr.monitor"])
    [run] = _runs(engine)
    assert run.state == RunState.FAILED and run.ended_at is not None
    assert run.error == "OSError: no space left on device"
    assert run.inserted == 0


def test_a_refused_file_and_a_broken_one_fail_their_runs_with_the_reason(
    commands_on: Engine, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = commands_on
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    argv = ["import", "commitments", str(wrong), "--format", "kiel", "--as", "sec.contributor"]
    assert cli.main(argv) == 2
    refused = capsys.readouterr().err
    [run] = _runs(engine)
    assert run.state == "failed" and run.error and run.error in refused

    cut = tmp_path / "cut.csv"
    cut.write_text(HEADER + _row(1) + _row(2, text='"cut in its quoted'), encoding="utf-8")
    assert cli.main(["import", "reports", str(cut), "--as", "gbr.monitor"]) == 2
    assert "breaks off at line" in capsys.readouterr().err
    broken = _runs(engine)[-1]
    assert broken.state == "failed" and "breaks off at line" in broken.error
    assert broken.read == 2 and broken.rejected >= 1
    assert len(_rejects(engine, broken)) == broken.rejected


def test_rejects_past_the_limit_are_counted_not_kept(
    engine: Engine, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "MAX_STORED_REJECTS", 3)
    path = tmp_path / "rows.csv"
    path.write_bytes(b"x\n" * 10)
    recorder = service.Recorder.begin(
        engine,
        world.principal("gbr.monitor"),
        capability="reports",
        layout="csv",
        path=path,
        options={},
        marking=service.Marking.COALITION,
    )
    for line in range(2, 9):
        recorder.reject(line, f"bad row {line}", column="latitude")
    recorder.finish({"read": 10, "inserted": 3, "rejected": 7})
    [run] = _runs(engine)
    assert (run.rejected, run.rejects_dropped) == (7, 4)
    assert _rejects(engine, run) == [(2, "bad row 2"), (3, "bad row 3"), (4, "bad row 4")]
    with pytest.raises(service.Conflict):
        recorder.finish({"read": 10})  # an ended run stays as it ended
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(ImportReject)) == 3


def test_the_digest_is_read_in_chunks_and_matches_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    body = bytes(range(256)) * (3 * service.CHUNK // 256 + 7)
    path.write_bytes(body)
    assert service.file_digest(path) == (len(body), hashlib.sha256(body).hexdigest())
