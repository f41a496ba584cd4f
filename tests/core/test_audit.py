"""The audit log: written with every change, and `verify` catches tampering and names it."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import text

from coalition.core import audit
from coalition.core.db import transaction
from coalition.meetings.model import Meeting


def _meeting(engine, title: str = "m") -> int:  # type: ignore[no-untyped-def]
    with transaction(engine, actor="alice@SEC") as session:
        m = Meeting(
            title=title,
            kind="summit",
            held_on=dt.date(2025, 3, 2),
            format="virtual",
            level="leaders",
            owner_code="SEC",
            marking="PUBLIC",
        )
        session.add(m)
        session.flush()
        return m.id


def _verify(engine) -> audit.VerifyReport:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        return audit.verify(session)


def test_every_change_is_logged_with_its_actor(engine, world) -> None:  # type: ignore[no-untyped-def]
    mid = _meeting(engine)
    with transaction(engine, actor="bob@GBR") as session:
        session.get(Meeting, mid).title = "renamed"
    with transaction(engine, actor="carol@SEC") as session:
        session.delete(session.get(Meeting, mid))
    with transaction(engine) as session:
        entries = audit.history(session, "meetings", str(mid))
    assert [(e.action, e.actor) for e in entries] == [
        ("create", "alice@SEC"),
        ("update", "bob@GBR"),
        ("delete", "carol@SEC"),
    ]
    assert '"title":"m"' in (entries[1].before or "") and '"title":"renamed"' in (
        entries[1].after or ""
    )
    assert _verify(engine).ok


def test_a_rolled_back_change_leaves_no_entry(engine, world) -> None:  # type: ignore[no-untyped-def]
    before = _verify(engine).entries
    try:
        with transaction(engine) as session:
            session.add(
                Meeting(
                    title="x",
                    kind="summit",
                    held_on=dt.date(2025, 3, 2),
                    format="virtual",
                    level="leaders",
                    owner_code="SEC",
                    marking="PUBLIC",
                )
            )
            session.flush()
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    assert _verify(engine).entries == before


def test_a_row_changed_behind_the_back_is_named(engine, world) -> None:  # type: ignore[no-untyped-def]
    mid = _meeting(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE meetings SET title = 'forged' WHERE id = :id"), {"id": mid})
    report = _verify(engine)
    assert not report.ok
    assert str(report.problems[0]) == f"meetings {mid}: row differs from its last audit entry"


def test_a_row_inserted_or_deleted_behind_the_back_is_named(engine, world) -> None:  # type: ignore[no-untyped-def]
    mid = _meeting(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM meeting_attendance WHERE meeting_id = :id"), {"id": mid})
        conn.execute(text("DELETE FROM meetings WHERE id = :id"), {"id": mid})
    problems = [str(p) for p in _verify(engine).problems]
    assert f"meetings {mid}: row in the log is missing from the table" in problems


def test_an_edited_entry_breaks_the_chain_at_that_entry(engine, world) -> None:  # type: ignore[no-untyped-def]
    _meeting(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 3"))
    report = _verify(engine)
    assert str(report.problems[0]).startswith("audit entry 3:")


def test_removing_the_newest_entries_is_caught(engine, world) -> None:  # type: ignore[no-untyped-def]
    _meeting(engine)
    with engine.begin() as conn:
        top = conn.execute(text("SELECT max(seq) FROM audit_entries")).scalar_one()
        conn.execute(text("DELETE FROM audit_entries WHERE seq = :s"), {"s": top})
    assert "entries were removed" in str(_verify(engine).problems[0])


def test_concurrent_writers_append_one_chain(engine, world) -> None:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(5):
                _meeting(engine, f"t{n}-{i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = _verify(engine)
    assert report.ok, report.problems[:3]
