"""``coalition forcegen solve`` prints a readable table of fill and gaps, and stores the plan."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from coalition.cli import main
from coalition.core.db import transaction
from coalition.forcegen import commands, demo
from coalition.forcegen.model import ForcePlan
from coalition.members.model import Member
from tests.world import World


def test_solve_prints_fill_gaps_and_the_backstop(
    engine: Engine,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with transaction(engine) as session:
        for code in ("NLD", "DNK", "NOR", "SWE", "FIN", "CAN", "AUS", "BEL", "TUR"):
            session.add(
                Member(code=code, name=code, kind="state", owner_code="SEC", marking="PUBLIC")
            )
        session.flush()
        demo.load(session)
    monkeypatch.setattr(commands, "get_engine", lambda: engine)
    assert (
        main(["forcegen", "solve", "--scenario", "reassurance-force", "--as", "fra.planner"]) == 0
    )
    out = capsys.readouterr().out
    assert "proven optimal" in out
    assert "Fill by line" in out and "Gaps (with the backstop)" in out
    assert "Field hospital for the force" in out
    # Each gap says which offers stayed out and why, with labels rather than codes.
    assert "POL offer" in out and "may not go to western Ukraine" in out
    assert "Ground-based air defence battery" in out and "GBAD_BTY" not in out
    assert "Rests on the backstop:" in out and "Air policing over Ukraine: 3 of 3 units" in out
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(ForcePlan)) == 1

    assert main(["forcegen", "solve", "--scenario", "no-such-thing"]) == 3
    assert "no scenario no-such-thing" in capsys.readouterr().err
