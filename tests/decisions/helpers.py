"""Tabling proposals in tests, at times chosen by the test rather than the clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine

from coalition.core.db import transaction
from coalition.decisions import service
from coalition.decisions.rules import Rule
from coalition.decisions.schemas import ProposalCreate
from tests.world import World

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
OPENS = NOW - dt.timedelta(hours=1)
DEADLINE = NOW + dt.timedelta(days=2)
AFTER = DEADLINE + dt.timedelta(seconds=1)


def table(
    engine: Engine,
    world: World,
    rule: Rule = Rule.CONSENSUS,
    by: str = "sec.contributor",
    **kw: Any,
) -> int:
    data = ProposalCreate(
        title=kw.pop("title", f"A {rule.label} proposal"),
        rule=rule,
        opens_at=kw.pop("opens_at", OPENS),
        deadline=kw.pop("deadline", DEADLINE),
        **kw,
    )
    with transaction(engine, actor=by) as session:
        return service.table_proposal(session, world.principal(by), data, now=NOW).id
