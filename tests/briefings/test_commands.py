"""The briefing commands on both databases: the daily report and the summit pack for the
public and for one reader, in each format, to standard output or a file; editions drafted,
reviewed and issued; bad input refused with its reason."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine

from coalition.core.marking import Marking
from tests.briefings.test_editions import claim
from tests.world import World


@pytest.fixture
def cli_on(engine: Engine, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from coalition import cli
    from coalition.briefings import commands
    from coalition.members import acting

    monkeypatch.setattr(commands, "get_engine", lambda: engine)
    monkeypatch.setattr(acting, "get_engine", lambda: engine)
    return cli.main


def run(cli_on: Any, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli_on(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_daily_report_for_the_public_and_for_one_reader(
    cli_on: Any, engine: Engine, world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    claim(engine, world, "FRA", Marking.NATIONAL, "hidden-claim of the French")
    code, out, err = run(
        cli_on, capsys, "briefing", "daily", "--date", "2025-03-10", "--format", "json"
    )
    assert code == 0, err
    public = json.loads(out)
    assert public["marking"] == "PUBLIC" and "hidden-claim" not in out
    code, out, err = run(
        cli_on,
        capsys,
        "briefing",
        "daily",
        "--date",
        "2025-03-10",
        "--format",
        "json",
        "--as",
        "fra.viewer",
    )
    assert code == 0, err
    assert json.loads(out)["marking"] == "NATIONAL (FRA)" and "hidden-claim" in out

    target = tmp_path / "daily.pdf"
    code, _, err = run(
        cli_on,
        capsys,
        "briefing",
        "daily",
        "--date",
        "2025-03-10",
        "--as",
        "fra.viewer",
        "--output",
        str(target),
    )
    assert code == 0, err
    reader = PdfReader(target)
    for page in reader.pages:
        assert (page.extract_text() or "").count("NATIONAL (FRA)") >= 2  # top and bottom
    code, out, err = run(
        cli_on, capsys, "briefing", "daily", "--date", "2025-03-10", "--format", "html"
    )
    assert code == 0, err
    assert out.lstrip().lower().startswith("<!doctype html")


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (("briefing", "daily", "--date", "10/03/2025"), "YYYY-MM-DD"),
        (("briefing", "daily", "--date", "2025-03-10", "--format", "docx"), "--format"),
        (("briefing", "summit", "--meeting", "987654"), "no meeting"),
        (("briefing", "daily", "--date", "2025-03-10", "--as", "nobody.here"), "nobody.here"),
        (
            ("briefing", "daily", "--date", "2025-03-10", "--output", "/nonexistent/dir/x.pdf"),
            "cannot write",
        ),
        (("briefing", "show", "987654"), "no edition"),
    ],
)
def test_bad_input_is_refused_with_its_reason(
    cli_on: Any, world: World, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], said: str
) -> None:
    code, out, err = run(cli_on, capsys, *argv)
    assert code != 0
    assert said in err, err
    assert not out.startswith("%PDF")


def test_an_edition_drafted_reviewed_and_issued_from_the_command_line(
    cli_on: Any, world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    judged = tmp_path / "judgements.json"
    judged.write_text(
        json.dumps([{"text": "It is likely that the line holds.", "confidence": "high"}])
    )
    code, out, err = run(
        cli_on,
        capsys,
        "briefing",
        "draft",
        "daily",
        "2025-03-10",
        "--as",
        "gbr.contributor",
        "--judgements",
        str(judged),
    )
    assert code == 0, err
    edition = int(out.split()[2].rstrip(":"))
    assert (
        run(cli_on, capsys, "briefing", "review", str(edition), "--as", "gbr.contributor")[
            1
        ].strip()
        == f"edition {edition} is review"
    )
    assert (
        run(cli_on, capsys, "briefing", "issue", str(edition), "--as", "gbr.contributor")[1].strip()
        == f"edition {edition} is issued"
    )
    code, out, err = run(cli_on, capsys, "briefing", "editions", "--as", "gbr.viewer")
    assert code == 0 and f"{edition}\tdaily" in out
    code, out, err = run(
        cli_on, capsys, "briefing", "show", str(edition), "--format", "json", "--as", "gbr.viewer"
    )
    assert code == 0, err
    assert "We have high confidence in this judgement." in out

    bad = tmp_path / "bad.json"
    for text in (
        "not json",
        json.dumps({"text": "x"}),
        json.dumps([{"text": "It will possibly hold.", "confidence": "high"}]),
    ):
        bad.write_text(text)
        code, _, err = run(
            cli_on,
            capsys,
            "briefing",
            "draft",
            "daily",
            "2025-03-10",
            "--as",
            "gbr.contributor",
            "--judgements",
            str(bad),
        )
        assert code != 0 and err.strip(), text
    code, _, err = run(
        cli_on, capsys, "briefing", "draft", "daily", "2025-03-10", "--as", "gbr.viewer"
    )
    assert code != 0 and "writing role" in err
