"""The ledger on both databases: recording, superseding, deliveries, figures, audit."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from coalition.commitments import money, service
from coalition.commitments.model import Commitment, Delivery
from coalition.commitments.schemas import CommitmentCreate, CommitmentUpdate, DeliveryCreate
from coalition.core import audit
from coalition.core.db import transaction, utcnow
from coalition.core.errors import Conflict, Forbidden, Invalid, NotFound
from coalition.core.marking import Marking
from tests.world import World


def pledge(**fields: object) -> CommitmentCreate:
    data: dict[str, object] = {
        "member": "GBR",
        "announced_on": "2025-03-02",
        "category": "military",
        "item": "Air defence missiles",
        "quantity": "50",
        "unit": "missiles",
        "value": "1000000",
        "currency": "GBP",
        "marking": "PUBLIC",
    }
    data.update(fields)
    return CommitmentCreate.model_validate(data)


def test_a_liaison_records_a_pledge_and_its_deliveries(engine, world: World) -> None:  # type: ignore[no-untyped-def]
    officer = world.principal("gbr.contributor")
    with transaction(engine, actor="t") as session:
        row = service.create_commitment(session, officer, pledge())
        record_id = row.record_id
        assert row.currency == "GBP" and row.value_eur is not None and row.value_eur > row.value
        assert row.rate_date == dt.date(2025, 2, 28)  # 2 March 2025 was a Sunday
    with transaction(engine) as session:
        service.add_delivery(
            session,
            officer,
            record_id,
            DeliveryCreate(delivered_on=dt.date(2025, 4, 1), quantity=Decimal(20)),
        )
        service.add_delivery(
            session,
            officer,
            record_id,
            DeliveryCreate(
                delivered_on=dt.date(2025, 5, 1), quantity=Decimal(30), value=Decimal(1000000)
            ),
        )
    with transaction(engine) as session:
        public = service.publish(
            session, officer, [service.get_commitment(session, officer, record_id)]
        )[0]
        assert public.delivered_quantity == Decimal(50)
        assert public.delivered_share == 1.0
        with pytest.raises(Invalid, match="beyond the 50"):
            service.add_delivery(
                session,
                officer,
                record_id,
                DeliveryCreate(delivered_on=dt.date(2025, 6, 1), quantity=Decimal(1)),
            )
    with transaction(engine) as session:
        assert audit.verify(session).ok


def test_only_the_own_nation_or_the_secretariat_records(engine, world: World) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        with pytest.raises(Forbidden):
            service.create_commitment(session, world.principal("fra.contributor"), pledge())
        with pytest.raises(Forbidden):
            service.create_commitment(session, world.principal("gbr.viewer"), pledge())
        assert service.create_commitment(session, world.principal("sec.contributor"), pledge())


def test_a_change_supersedes_and_history_answers_as_of(engine, world: World) -> None:  # type: ignore[no-untyped-def]
    officer = world.principal("gbr.contributor")
    with transaction(engine) as session:
        record_id = service.create_commitment(session, officer, pledge()).record_id
    between = utcnow()
    time.sleep(0.01)
    with transaction(engine) as session:
        new = service.update_commitment(
            session,
            officer,
            record_id,
            CommitmentUpdate(revision=1, quantity=Decimal(80), status="confirmed"),
        )
        assert new.revision == 2
    with transaction(engine) as session, pytest.raises(Conflict):
        service.update_commitment(
            session, officer, record_id, CommitmentUpdate(revision=1, item="x")
        )
    with transaction(engine) as session:
        rows = session.scalars(select(Commitment).where(Commitment.record_id == record_id)).all()
        assert len(rows) == 2 and sum(r.superseded_at is None for r in rows) == 1
        then = service.get_commitment(session, officer, record_id, as_of=between)
        assert then.quantity == Decimal(50) and then.revision == 1
        assert service.get_commitment(session, officer, record_id).quantity == Decimal(80)
        page = service.list_commitments(session, officer, service.Filters(as_of=between))
        assert [c.revision for c in page.items] == [1]
        assert audit.verify(session).ok


def test_restricting_a_record_hides_its_history(engine, world: World) -> None:  # type: ignore[no-untyped-def]
    officer = world.principal("gbr.contributor")
    with transaction(engine) as session:
        record_id = service.create_commitment(session, officer, pledge()).record_id
    between = utcnow()
    with transaction(engine) as session:
        service.update_commitment(
            session, officer, record_id, CommitmentUpdate(revision=1, marking=Marking.NATIONAL)
        )
    with transaction(engine) as session:
        for reader in (None, "fra.viewer"):
            with pytest.raises(NotFound):
                service.get_commitment(session, world.principal(reader), record_id, as_of=between)


def test_a_quantity_cannot_drop_below_what_was_delivered(engine, world: World) -> None:  # type: ignore[no-untyped-def]
    officer = world.principal("gbr.contributor")
    with transaction(engine) as session:
        record_id = service.create_commitment(session, officer, pledge()).record_id
        service.add_delivery(
            session,
            officer,
            record_id,
            DeliveryCreate(delivered_on=dt.date(2025, 4, 1), quantity=Decimal(40)),
        )
    with transaction(engine) as session, pytest.raises(Invalid, match="already delivered"):
        service.update_commitment(
            session, officer, record_id, CommitmentUpdate(revision=2, quantity=Decimal(10))
        )


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    committed=st.integers(min_value=1, max_value=1000),
    attempts=st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=8),
)
def test_delivered_never_exceeds_committed(
    engine: Engine, world: World, committed: int, attempts: list[int]
) -> None:
    officer = world.principal("gbr.contributor")
    with transaction(engine) as session:
        record_id = service.create_commitment(
            session,
            officer,
            pledge(quantity=str(committed), value=str(committed * 10), currency="EUR"),
        ).record_id
    for n in attempts:
        try:
            with transaction(engine) as session:
                service.add_delivery(
                    session,
                    officer,
                    record_id,
                    DeliveryCreate(
                        delivered_on=dt.date(2025, 4, 1), quantity=Decimal(n), value=Decimal(n * 10)
                    ),
                )
        except Invalid:
            pass
    with transaction(engine) as session:
        delivered = session.scalars(
            select(Delivery.quantity).where(Delivery.record_id == record_id)
        ).all()
        assert sum(delivered, Decimal(0)) <= committed
        accepted = 0
        for n in attempts:  # the same greedy sequence, replayed by hand
            if accepted + n <= committed:
                accepted += n
        assert sum(delivered, Decimal(0)) == accepted


def test_figures_count_only_what_the_reader_may_see(engine, world: World) -> None:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        service.create_commitment(
            session, world.principal("gbr.contributor"), pledge(value="100", currency="EUR")
        )
        service.create_commitment(
            session,
            world.principal("pol.contributor"),
            pledge(member="POL", value="900", currency="EUR", marking="NATIONAL"),
        )
        cancelled = service.create_commitment(
            session,
            world.principal("fra.contributor"),
            pledge(member="FRA", value="50", currency="EUR", status="cancelled"),
        )
        assert cancelled
    with transaction(engine) as session:
        public = service.summary(session, world.principal(None))
        assert public.pledged_eur == Decimal("100.00") and public.commitments == 1
        polish = service.summary(session, world.principal("pol.contributor"))
        assert polish.pledged_eur == Decimal("1000.00")
        assert [m.member for m in polish.by_member] == ["GBR", "POL"]
        assert polish.by_month[-1].cumulative_pledged_eur == Decimal("1000.00")


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=0, max_value=10**11, places=2),
            st.sampled_from(["EUR", "USD", "GBP", "PLN", "JPY"]),
            st.dates(min_value=dt.date(2022, 1, 1), max_value=dt.date(2025, 10, 1)),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_the_stored_euro_total_is_the_sum_of_converted_parts(engine, world: World, parts) -> None:  # type: ignore[no-untyped-def]
    sec = world.principal("sec.contributor")
    with transaction(engine) as session:
        # Examples share the database: rows from earlier ones stay in the totals.
        before = service.summary(session, sec).pledged_eur
        ids = [
            service.create_commitment(
                session, sec, pledge(value=str(v), currency=c, announced_on=d.isoformat())
            ).id
            for v, c, d in parts
        ]
    with transaction(engine) as session:
        stored = session.scalars(select(Commitment.value_eur).where(Commitment.id.in_(ids))).all()
        expected = [money.to_eur(v, c, d).value_eur for v, c, d in parts]
        assert sorted(stored) == sorted(expected)
        summary = service.summary(session, sec)
        assert summary.pledged_eur == before + sum(expected, Decimal("0.00"))
