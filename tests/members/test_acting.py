"""``--as USERNAME``: every command acts as an active user only, by one rule."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from coalition import cli
from coalition.core.db import transaction
from coalition.core.errors import Forbidden
from coalition.core.settings import get_settings
from coalition.members.model import User
from tests.world import World

Run = Callable[[list[str]], tuple[int, str, str]]


@pytest.fixture
def run(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Run]:
    monkeypatch.setenv("COALITION_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()

    def invoke(args: list[str]) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        code = cli.main(args)
        out, err = capsys.readouterr()
        return code, out, err

    yield invoke
    get_settings.cache_clear()


def _commands(user: str, tmp: Path) -> list[list[str]]:
    sample = tmp / "reports.csv"
    sample.write_text("source_id\n", encoding="utf-8")
    return [
        ["export", "commitments", "--as", user],
        ["export", "incidents", "--out", str(tmp / "incidents.csv"), "--as", user],
        ["ceasefire", "report", "--date", "2025-03-26", "--out", str(tmp), "--as", user],
        ["import", "reports", str(sample), "--as", user],
        ["forcegen", "solve", "--scenario", "reassurance-force", "--as", user],
    ]


def test_a_deactivated_user_cannot_act_through_any_command(
    run: Run, world: World, engine: Engine, tmp_path: Path
) -> None:
    code, out, err = run(["export", "commitments", "--as", "fra.planner"])
    assert code == 0, err  # while active, the user acts
    with transaction(engine, actor="test") as session:
        session.execute(update(User).where(User.username == "fra.planner").values(active=False))
    for argv in _commands("fra.planner", tmp_path):
        code, out, err = run(argv)
        assert code == Forbidden.exit_code, (argv, out, err)
        assert "error: user fra.planner is deactivated and cannot act" in err, argv
        assert out == ""


def test_an_unknown_user_is_not_found(run: Run, world: World, tmp_path: Path) -> None:
    for argv in _commands("nobody", tmp_path):
        code, _, err = run(argv)
        assert code == 3 and "error: no user nobody" in err, argv
