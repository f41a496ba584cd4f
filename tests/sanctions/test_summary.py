"""The alignment's summary stays what a rewrite of it from the designations would be,
through every change that rewrites designations or clusters: an import, resolution by
rule, a person's judgement and its revisiting, a later snapshot that delists.

Each step is followed by a comparison of the summary as kept with the summary rewritten
whole, on the same database (the ``lists`` world of test_alignment.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, select

from coalition.core.db import transaction
from coalition.sanctions import alignment, resolution, summary
from coalition.sanctions.clusters import Judgement
from coalition.sanctions.model import Designation, HoldingCount, TargetPeriod
from tests.sanctions import test_alignment
from tests.sanctions.test_alignment import D1, D2, UK, load
from tests.world import World

lists = test_alignment.lists  # the same world: three lists, applied by four members

PERSON = ("eu_fsf:eu-2", "gb_fcdo_sanctions:uk-3")


def held(engine: Engine) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every period row and every non-zero count, without their ids, in one order."""
    with transaction(engine) as session:
        periods = sorted(
            tuple(row)
            for row in session.execute(
                select(*(c for c in TargetPeriod.__table__.c if c.key != "id"))
            )
        )
        counts = sorted(
            tuple(row)
            for row in session.execute(
                select(*(c for c in HoldingCount.__table__.c if c.key != "id")).where(
                    HoldingCount.change != 0
                )
            )
        )
    return periods, counts


def assert_kept(engine: Engine) -> None:
    kept = held(engine)
    with transaction(engine) as session:
        summary.refresh_all(session)
    assert kept == held(engine)
    assert kept[0], "the summary holds the lists' targets"


def test_the_summary_is_kept_exact_through_every_change(engine: Engine, lists: World) -> None:
    assert_kept(engine)
    with transaction(engine) as session:
        resolution.find_candidates(session, lists.principal("sec.admin"))
    assert_kept(engine)
    analyst = lists.principal("gbr.contributor")
    with transaction(engine) as session:
        resolution.judge(session, analyst, *PERSON, Judgement.SAME)
    assert_kept(engine)
    with transaction(engine) as session:
        resolution.revisit(session, analyst, *PERSON)
    assert_kept(engine)
    load(engine, lists, "gb_fcdo_sanctions", D2, [e for e in UK if not e["id"].startswith("uk-2")])
    assert_kept(engine)
    with transaction(engine) as session:
        ids = {i: code for code, i in summary.list_ids(session).items()}
        bank = session.scalar(
            select(Designation.canonical_coalition).where(
                Designation.ref == "gb_fcdo_sanctions:uk-2"
            )
        )
        periods = session.scalars(
            select(TargetPeriod)
            .where(
                TargetPeriod.scope == "canonical_coalition",
                TargetPeriod.theme == summary.ALL,
                TargetPeriod.target == bank,
            )
            .order_by(TargetPeriod.since)
        ).all()
    # The bank, on the UK's list until D2 and on OFAC's throughout (one target by its BIC).
    assert [
        (p.since, p.until, sorted(ids[i] for i in summary.split(p.holding)[1])) for p in periods
    ] == [
        (D1, D2, ["gb_fcdo_sanctions", "us_ofac_sdn"]),
        (D2, None, ["us_ofac_sdn"]),
    ]


def test_the_matrix_from_the_summary_is_the_matrix_from_the_rows(
    engine: Engine, lists: World
) -> None:
    with transaction(engine) as session:
        resolution.find_candidates(session, lists.principal("sec.admin"))
    load(engine, lists, "gb_fcdo_sanctions", D2, [e for e in UK if not e["id"].startswith("uk-2")])
    reader = lists.principal("gbr.viewer")
    with transaction(engine) as session:
        lists_now = set(alignment.members_by_list(session, reader, D2))
        for day in (D1 - dt.timedelta(days=1), D1, D2):
            fast = alignment._held_summary(session, reader, day)
            slow = alignment._held(session, reader, frozenset(lists_now), day)
            for party in ({"eu_fsf"}, {"gb_fcdo_sanctions"}, lists_now):
                key = frozenset(party)
                assert alignment._counts(key, *fast) == alignment._counts(key, *slow)
