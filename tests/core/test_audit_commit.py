"""The audit chain is appended at commit: no writer holds the head while it works.

Every writer appends to one chain through one head row; a transaction that locked the head
at its first change made every other writer wait for the whole of its work (a back-dated
ceasefire report regrouping for seconds held up every commitment). Entries are now written
just before the COMMIT, and a savepoint rolled back takes its changes with it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select, text

from coalition.core import audit
from coalition.core.db import transaction
from coalition.meetings.model import Meeting
from tests.world import World


def _meeting(title: str) -> Meeting:
    return Meeting(
        title=title,
        kind="summit",
        held_on=dt.date(2025, 3, 2),
        format="virtual",
        level="leaders",
        owner_code="SEC",
        marking="PUBLIC",
    )


def _titles(engine: Engine) -> list[str]:
    with transaction(engine) as session:
        rows = session.scalars(
            select(audit.AuditEntry)
            .where(audit.AuditEntry.entity == "meetings", audit.AuditEntry.action == "create")
            .order_by(audit.AuditEntry.seq)
        )
        return [e.as_entry().after["title"] for e in rows]


def test_a_rolled_back_savepoint_takes_its_changes_with_it(engine: Engine, world: World) -> None:
    with transaction(engine, actor="alice@SEC") as session:
        session.add(_meeting("kept"))
        session.flush()
        try:
            with session.begin_nested():
                session.add(_meeting("dropped"))
                session.flush()
                raise RuntimeError("abort the savepoint")
        except RuntimeError:
            pass
        with session.begin_nested():
            session.add(_meeting("released"))
            session.flush()
        session.add(_meeting("last"))  # flushed by the commit itself
    assert _titles(engine) == ["kept", "released", "last"]
    with transaction(engine) as session:
        report = audit.verify(session)
    assert report.ok, report.problems


def test_a_commit_larger_than_one_statement_is_chained_in_order(
    engine: Engine, world: World
) -> None:
    # More changes than one insert writes: the entries go out in several statements,
    # each chained to the one before, and the whole chain still verifies.
    many = 2 * audit._APPEND_BATCH + 7
    with transaction(engine, actor="alice@SEC") as session:
        for n in range(many):
            session.add(_meeting(f"meeting {n:05d}"))
            if n % 500 == 0:
                session.flush()
    assert sorted(_titles(engine)) == [f"meeting {n:05d}" for n in range(many)]
    with transaction(engine) as session:
        report = audit.verify(session)
    assert report.ok, report.problems


def test_a_writer_at_work_holds_no_lock_on_the_head(engine: Engine, world: World) -> None:
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one writing transaction at a time: BEGIN IMMEDIATE")
    with transaction(engine, actor="alice@SEC") as slow:
        slow.add(_meeting("slow"))
        slow.flush()  # written, still at work: the head must stay free
        with transaction(engine, actor="bob@SEC") as quick:
            # Waiting on the slow writer would wait for ever: fail instead of hanging.
            quick.execute(text("SET LOCAL lock_timeout = '5s'"))
            quick.add(_meeting("quick"))
    assert _titles(engine) == ["quick", "slow"]
    with transaction(engine) as session:
        report = audit.verify(session)
    assert report.ok, report.problems


def test_verify_reads_one_snapshot_while_others_write(engine: Engine, world: World) -> None:
    """A row committed between the check's reads of the log and of the tables is not
    "a row with no audit entry": ``verify`` reads the database as it was when it began."""
    import threading

    from sqlalchemy import event
    from sqlalchemy.orm import ORMExecuteState

    def write() -> None:
        with transaction(engine, actor="alice@SEC") as other:
            other.add(_meeting("written meanwhile"))

    writer = threading.Thread(target=write)

    def between_reads(state: ORMExecuteState) -> None:
        # The log has been read; the meetings table is about to be. Another writer
        # commits a meeting and its entry now (on SQLite it must wait for this block).
        if (
            not writer.is_alive()
            and writer.ident is None
            and "FROM meetings" in str(state.statement)
        ):
            writer.start()
            writer.join(timeout=5 if engine.dialect.name == "postgresql" else 0.2)

    with transaction(engine, snapshot=True) as session:
        event.listen(session, "do_orm_execute", between_reads)
        report = audit.verify(session)
    writer.join()
    assert writer.ident is not None
    assert report.ok, report.problems
    assert "written meanwhile" in _titles(engine)
    with transaction(engine) as session:
        assert audit.verify(session).ok


def test_a_column_a_migration_added_keeps_older_rows_verified(engine: Engine, world: World) -> None:
    """Rows audited before a migration added a column (with its default) still match their
    last entry; a row whose new column was changed behind the log's back does not."""
    from sqlalchemy import insert

    from coalition.members.model import Member

    def add(code: str, standing: str) -> None:
        row = {
            "code": code,
            "name": f"Old {code}",
            "kind": "state",
            "standing": standing,
            "owner_code": "SEC",
            "marking": "PUBLIC",
            "rel_to": "",
            "version": 1,
        }
        with transaction(engine, actor="alice@SEC") as session:
            session.execute(insert(Member.__table__).values(**row))
            member = session.get(Member, code)
            assert member is not None
            after = audit.snapshot(member)
            del after["standing"]  # written before the column existed
            audit.record(session, [audit.Change("create", "members", code, None, after)])

    add("ZZA", "member")
    with transaction(engine) as session:
        report = audit.verify(session)
    assert report.ok, report.problems
    add("ZZB", "partner")  # the new column holds no default its entry could stand for
    with transaction(engine) as session:
        problems = audit.verify(session).problems
    assert [p.where for p in problems] == ["members ZZB"]
