"""How fast proposals close: ``close-due`` end to end against the pure rule alone.

Builds a fresh SQLite (or ``--url``) database with ``--members`` states, tables
``--proposals`` proposals under each rule in turn, states a position for every member
(plus one change of mind each), then times ``close_due`` over all of them and the pure
``rules.decide`` over the same ballots. Prints figures, then one JSON object.

    .venv/bin/python bench/decisions_close.py --proposals 200 --members 30
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import tempfile
import time

os.environ.setdefault("COALITION_ENVIRONMENT", "development")

from coalition.core import migrate
from coalition.core.audit import ensure_head
from coalition.core.db import get_engine, transaction
from coalition.core.marking import Marking
from coalition.core.principal import SYSTEM, Principal, Role
from coalition.decisions import rules, service
from coalition.decisions.model import Proposal
from coalition.decisions.rules import Rule, Stance
from coalition.decisions.schemas import PositionIn, ProposalCreate
from coalition.members.model import Member

START = dt.datetime(2025, 3, 16, 10, tzinfo=dt.UTC)
DEADLINE = START + dt.timedelta(days=5)


def code(i: int) -> str:
    return "X" + chr(65 + i // 26) + chr(65 + i % 26)


def build(url: str, proposals: int, members: int, seed: int) -> None:
    rnd = random.Random(seed)
    engine = get_engine(url)
    migrate.upgrade(engine)
    with transaction(engine, actor="bench") as session:
        ensure_head(session)
        session.add(Member(code="SEC", name="Secretariat", kind="secretariat",
                           owner_code="SEC", marking=Marking.PUBLIC.value))  # fmt: skip
        session.flush()
        for i in range(members):
            session.add(Member(code=code(i), name=f"State {i}", kind="state",
                               population=rnd.randint(400_000, 85_000_000),
                               owner_code="SEC", marking=Marking.PUBLIC.value))  # fmt: skip
        session.flush()
    all_rules = list(Rule)
    for n in range(proposals):
        with transaction(engine, actor="bench") as session:
            p = service.table_proposal(
                session,
                SYSTEM,
                ProposalCreate(title=f"Proposal {n}", rule=all_rules[n % 4], opens_at=START,
                               deadline=DEADLINE),
                now=START,
            )  # fmt: skip
            for i in range(members):
                who = Principal(username="bench", member=code(i), role=Role.CONTRIBUTOR)
                for k in range(2):  # a first position and a change of mind
                    stance = rnd.choices(list(Stance), weights=[8, 2, 1, 1])[0]
                    text = "x" if stance is Stance.RESERVE else ""
                    service.state_position(
                        session, who, p.id,
                        PositionIn(stance=stance, text=text, condition=text),
                        now=START + dt.timedelta(hours=1 + k, minutes=i),
                    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=200)
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--url", default="")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"

    t0 = time.perf_counter()
    build(url, args.proposals, args.members, args.seed)
    built = time.perf_counter() - t0
    engine = get_engine(url)

    with transaction(engine) as session:
        ballots = [
            service.ballot_of(session, p)
            for p in session.query(Proposal).order_by(Proposal.id).all()
        ]
    t0 = time.perf_counter()
    for ballot in ballots:
        rules.decide(ballot)
    pure = time.perf_counter() - t0

    t0 = time.perf_counter()
    closed = service.close_due(engine, now=DEADLINE)
    close = time.perf_counter() - t0
    again = service.close_due(engine, now=DEADLINE)

    statements = args.proposals * args.members * 2
    print(f"built {args.proposals} proposals, {statements} statements in {built:.1f} s")
    print(f"pure rule:  {pure / len(ballots) * 1e3:.3f} ms per proposal")
    print(f"close-due:  {close / len(closed) * 1e3:.2f} ms per proposal ({len(closed)} closed)")
    print(f"second run closed {len(again)}")
    print(json.dumps({
        "engine": engine.dialect.name,
        "proposals": args.proposals,
        "members": args.members,
        "state_per_statement_ms": round(built / statements * 1e3, 3),
        "pure_rule_ms": round(pure / len(ballots) * 1e3, 4),
        "close_due_ms": round(close / len(closed) * 1e3, 3),
        "closed_twice": len(again),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
