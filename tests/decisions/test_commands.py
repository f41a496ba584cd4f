"""The ``coalition decisions`` commands, on the test database."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from coalition import cli
from coalition.decisions import commands
from coalition.decisions.rules import Rule, Stance
from tests.decisions.helpers import AFTER, table
from tests.decisions.test_service import state
from tests.world import World


def test_list_show_and_close_due(
    engine: Engine,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(commands, "get_engine", lambda: engine)
    pid = table(engine, world, Rule.SIMPLE_MAJORITY, title="Hold the next meeting in Paris")
    state(engine, world, "fra.contributor", pid, Stance.SUPPORT)

    assert cli.main(["decisions", "list"]) == 0
    out = capsys.readouterr().out
    assert "open" in out and "Hold the next meeting in Paris" in out

    assert cli.main(["decisions", "close-due", "--now", AFTER.isoformat()]) == 0
    assert "adopted: 1 for, 0 against" in capsys.readouterr().out
    assert cli.main(["decisions", "close-due", "--now", AFTER.isoformat()]) == 0
    assert "closed 0 proposals" in capsys.readouterr().out

    assert cli.main(["decisions", "show", str(pid)]) == 0
    out = capsys.readouterr().out
    assert "FRA   support" in out and "outcome: adopted" in out

    assert cli.main(["decisions", "show", "999999"]) == 3  # not found
    assert cli.main(["decisions", "close-due", "--now", "2025-03-20T12:00:00"]) == 2  # naive
