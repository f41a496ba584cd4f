"""The situation demo on both databases: the real claims with their reviews and the status
the rule gives them, the illustrative snapshots flagged as such, a NATIONAL snapshot kept
from other members, and a second load adding nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, select

from coalition.core import audit
from coalition.core.db import transaction
from coalition.core.errors import NotFound
from coalition.core.marking import Marking
from coalition.situation import claims, demo, territory
from coalition.situation.model import Claim, Evidence, Review, Snapshot
from coalition.situation.verdicts import EvidenceKind, Status
from tests.world import World

TABLES = (Claim, Review, Evidence, Snapshot)


def counts(engine: Engine) -> dict[str, int]:
    with transaction(engine) as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in TABLES
        }


def load(engine: Engine) -> None:
    with transaction(engine) as session:
        demo.load(session)


def test_the_kursk_claims_stand_refuted_from_the_first_review(engine: Engine, world: World) -> None:
    load(engine)
    with transaction(engine) as session:
        total, rows = claims.list_claims(session, world.principal(None))
        assert total == len(demo.CLAIMS) == 2
        for row in rows:
            claim = row.claim
            assert claim.marking == Marking.PUBLIC and claim.owner_code == "SEC"
            assert claim.kind == "encirclement"
            assert not claim.illustrative and claim.source_title and claim.source_ref
            seen = claims.view_claim(session, world.principal(None), claim.id)
            assert len(seen.reviews) == 2
            # ISW's firm "mostly false" of 14 March refutes it; the intelligence
            # assessments reported on 20 March agree, so the status does not change again.
            assert seen.history == [(demo._at(dt.date(2025, 3, 14)), Status.REFUTED)]
            assert seen.status is Status.REFUTED
            for review in seen.reviews:
                assert review.marking == Marking.PUBLIC and review.owner_code == "SEC"
                assert review.source_title and review.source_ref.startswith("https://")
                assert review.evidence and all(e.source and e.dated for e in review.evidence)
        putin = claims.find_claim(
            session, world.principal(None), demo.CLAIMS[0].summary, demo.CLAIMS[0].claimant
        )
        assert putin is not None
        assert putin.claimed_at == dt.datetime(2025, 3, 13, 12, tzinfo=dt.UTC)
        kinds = {
            e.kind
            for r in claims.reviews_of(session, world.principal(None), putin)
            for e in r.evidence
        }
        assert kinds == {k.value for k in EvidenceKind}


def test_every_snapshot_is_illustrative_and_the_national_one_stays_home(
    engine: Engine, world: World
) -> None:
    load(engine)
    with transaction(engine) as session:
        rows = list(session.scalars(select(Snapshot)))
        assert len(rows) == len(demo.snapshots()) == 6
        for row in rows:
            assert row.illustrative, row.source
            assert "invented for the demonstration" in row.method
            assert row.area_km2 > 0 and row.regions
        national = [r for r in rows if r.marking == Marking.NATIONAL]
        assert [(r.source, r.owner_code) for r in national] == [("gbr-assessment", "GBR")]

        for user, sees in (("gbr.viewer", True), ("fra.viewer", False), (None, False)):
            _, shown = territory.list_snapshots(session, world.principal(user), limit=100)
            assert ("gbr-assessment" in {s.source for s in shown}) is sees, user
        with pytest.raises(NotFound):
            territory.snapshot_on(
                session, world.principal("fra.viewer"), "gbr-assessment", demo.COMPARED_DAY
            )


def test_the_change_between_the_summits_shows_gains_and_losses(
    engine: Engine, world: World
) -> None:
    load(engine)
    with transaction(engine) as session:
        found = territory.change(
            session,
            world.principal("fra.viewer"),
            "illustrative-osint",
            dt.date(2025, 3, 2),
            dt.date(2025, 3, 15),
        )
        assert found.gained_km2 > 0 and found.lost_km2 > 0
        gained = {r.code for r in found.regions if r.gained_km2 > 0}
        lost = {r.code for r in found.regions if r.lost_km2 > 0}
        assert len(gained) >= 2 and lost
        compared = territory.compare(
            session,
            world.principal("fra.viewer"),
            "illustrative-osint",
            "illustrative-analytic",
            demo.COMPARED_DAY,
        )
        assert compared.only_a_km2 > 0 and compared.only_b_km2 > 0


def test_loading_twice_adds_nothing(engine: Engine, world: World) -> None:
    load(engine)
    first = counts(engine)
    load(engine)
    assert counts(engine) == first
    with transaction(engine) as session:
        assert audit.verify(session).ok
