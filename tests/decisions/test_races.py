"""Concurrent position changes and closes: nothing lost, nothing closed twice.

Each thread opens its own transaction on the same database, as two application servers
(or two ``close-due`` runs) would; a barrier starts them together.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, select

from coalition.core import audit
from coalition.core.db import transaction
from coalition.core.errors import Conflict
from coalition.decisions import service
from coalition.decisions.model import Position, Proposal
from coalition.decisions.rules import Stance
from coalition.decisions.schemas import PositionIn
from tests.decisions.helpers import AFTER, DEADLINE, NOW, table
from tests.world import World


def together(*calls: Callable[[], Any]) -> list[Any]:
    """Run ``calls`` in threads released at once; each result or raised error, in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def stating(
    engine: Engine, world: World, user: str, pid: int, stance: Stance, at: dt.datetime
) -> Callable[[], int]:
    def call() -> int:
        with transaction(engine, actor=user) as session:
            position = service.state_position(
                session, world.principal(user), pid, PositionIn(stance=stance), now=at
            )
            return position.id

    return call


def test_two_changes_of_one_members_position_keep_both(engine: Engine, world: World) -> None:
    pid = table(engine, world)
    for round_ in range(3):
        at = NOW + dt.timedelta(minutes=round_)
        results = together(
            stating(engine, world, "gbr.contributor", pid, Stance.SUPPORT, at),
            stating(engine, world, "gbr.admin", pid, Stance.OBJECT, at),
        )
        assert all(isinstance(r, int) for r in results), results
    with transaction(engine) as session:
        rows = list(session.scalars(select(Position).where(Position.proposal_id == pid)))
        assert len(rows) == 6
        assert sum(1 for r in rows if r.superseded_at is None) == 1
        assert audit.verify(session).ok


def test_positions_racing_a_close_are_never_lost(engine: Engine, world: World) -> None:
    pid = table(engine, world, deadline=DEADLINE)
    just_before = DEADLINE - dt.timedelta(microseconds=1)
    results = together(
        stating(engine, world, "gbr.contributor", pid, Stance.SUPPORT, just_before),
        stating(engine, world, "fra.contributor", pid, Stance.OBJECT, just_before),
        lambda: service.close_due(engine, now=AFTER),
        lambda: service.close_due(engine, now=AFTER),
    )
    stated = {m for m, r in zip(("GBR", "FRA"), results[:2], strict=True) if isinstance(r, int)}
    for r in results[:2]:
        assert isinstance(r, int | Conflict), r
    closes = [c for r in results[2:] for c in r]
    assert len(closes) == 1, closes  # closed exactly once
    with transaction(engine) as session:
        proposal = session.get(Proposal, pid)
        assert proposal is not None
        positions = service.ballot_of(session, proposal).statements
        assert {s.member for s in positions} == stated  # every committed position counted
        expected = "rejected" if "FRA" in stated else "adopted"
        assert proposal.status == expected
        entries = audit.history(session, "proposals", str(pid))
        assert [e.action for e in entries] == ["create", "update"]
        assert audit.verify(session).ok
