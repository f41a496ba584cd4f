"""The signed audit chain against someone who can write the database but holds no key.

Each test plays the attacker with the pure chain functions, straight SQL and no key (or
a key of its own), on both databases, and expects ``verify`` to name what was done. The
one rewrite a signed chain cannot catch alone, cutting the tail back to a state whose head
the attacker saw, is caught by a checkpoint kept outside the database.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from coalition.core import audit
from coalition.core.chain import (
    GENESIS,
    Checkpoint,
    Entry,
    Keyring,
    entry_hash,
    parse_checkpoints,
    parse_keyring,
)
from coalition.core.db import transaction
from coalition.core.settings import get_settings
from coalition.meetings.model import Meeting
from tests.core.test_migrations import empty_engine  # noqa: F401 - a fixture used below
from tests.world import World


def _meeting(engine: Engine, title: str = "m") -> int:
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


Checkpoints = Sequence[tuple[int, Checkpoint]]


def _verify(engine: Engine, checkpoints: Checkpoints = ()) -> audit.VerifyReport:
    with transaction(engine) as session:
        return audit.verify(session, checkpoints)


def _problems(engine: Engine, checkpoints: Checkpoints = ()) -> list[str]:
    return [str(p) for p in _verify(engine, checkpoints).problems]


def _entries(engine: Engine) -> list[Entry]:
    with transaction(engine) as session:
        return [
            row.as_entry()
            for row in session.scalars(select(audit.AuditEntry).order_by(audit.AuditEntry.seq))
        ]


def _head(engine: Engine) -> dict[str, object]:
    with engine.connect() as conn:
        return dict(
            conn.execute(text("SELECT seq, hash, key_id, mac FROM audit_head WHERE id = 1"))
            .mappings()
            .one()
        )


def _set_head(engine: Engine, head: dict[str, object]) -> None:
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_head SET seq = :seq, hash = :hash, key_id = :key_id, mac = :mac"),
            head,
        )


def _rewrite(engine: Engine, chain: list[Entry]) -> None:
    """Write ``chain`` over the log, as an attacker with write access would."""
    with engine.begin() as conn:
        for e in chain:
            conn.execute(
                text(
                    "UPDATE audit_entries SET actor = :actor, after = :after, prev_hash = :prev,"
                    " hash = :hash, key_id = :key_id, mac = :mac WHERE seq = :seq"
                ),
                {
                    "actor": e.actor,
                    "after": None if e.after is None else json.dumps(e.after, sort_keys=True),
                    "prev": e.prev_hash,
                    "hash": e.hash,
                    "key_id": e.key_id,
                    "mac": e.mac,
                    "seq": e.seq,
                },
            )
        last = chain[-1]
        conn.execute(
            text("UPDATE audit_head SET seq = :seq, hash = :hash, key_id = NULL, mac = NULL"),
            {"seq": last.seq, "hash": last.hash},
        )


def _recomputed(chain: list[Entry], sign: Keyring | str | None = None) -> list[Entry]:
    """Every hash recomputed from the first entry on; the MACs kept (``None``), stripped
    (``"strip"``) or made with the keyring given."""
    out, prev = [], GENESIS
    for e in chain:
        e = replace(e, prev_hash=prev)
        e = replace(e, hash=entry_hash(prev, e))
        if isinstance(sign, Keyring):
            e = sign.sign(e)
        elif sign == "strip":
            e = replace(e, key_id=None, mac=None)
        out.append(e)
        prev = e.hash
    return out


def _forge_meeting(engine: Engine, mid: int) -> list[Entry]:
    """Change meeting ``mid``'s title in its row and in its entry; return the chain."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE meetings SET title = 'forged' WHERE id = :id"), {"id": mid})
    chain = _entries(engine)
    i = next(i for i, e in enumerate(chain) if e.entity == "meetings")
    assert chain[i].after is not None
    chain[i] = replace(chain[i], after={**chain[i].after, "title": "forged"})
    return chain


def test_a_fresh_chain_is_signed_and_verifies(engine: Engine, world: World) -> None:
    _meeting(engine)
    entries = _entries(engine)
    assert entries and all(e.key_id == "test" and e.mac for e in entries)
    assert _head(engine)["key_id"] == "test"
    report = _verify(engine)
    assert report.ok, report.problems[:3]
    assert report.unsigned == 0


def test_a_row_and_its_entry_changed_and_the_chain_recomputed_without_the_key_fail(
    engine: Engine, world: World
) -> None:
    mid = _meeting(engine)
    chain = _forge_meeting(engine, mid)
    first = next(e.seq for e in chain if e.entity == "meetings")
    # Hashes recomputed, the old MACs left in place: the first changed entry is named.
    _rewrite(engine, _recomputed(chain))
    assert _problems(engine)[0] == (
        f"audit entry {first}: its MAC does not match: rewritten without the key"
    )


def test_a_chain_rebuilt_with_a_key_of_the_attackers_own_fails(
    engine: Engine, world: World
) -> None:
    mid = _meeting(engine)
    chain = _forge_meeting(engine, mid)
    for ring in ("test:" + "m" * 40, "mallory:" + "m" * 40):
        _rewrite(engine, _recomputed(chain, parse_keyring(ring)))
        problem = _problems(engine)[0]
        assert problem.startswith("audit entry 1: ")
        assert "MAC does not match" in problem or "'mallory'" in problem


def test_a_chain_stripped_of_every_mac_and_recomputed_fails(engine: Engine, world: World) -> None:
    mid = _meeting(engine)
    chain = _forge_meeting(engine, mid)
    _rewrite(engine, _recomputed(chain, "strip"))
    (problem,) = _problems(engine)
    assert problem.startswith(f"audit entries 1-{len(chain)}: unsigned, and no signed entry")


def test_the_tail_entry_removed_with_its_row_and_the_head_rewritten_fails(
    engine: Engine, world: World
) -> None:
    mid = _meeting(engine)
    chain = _entries(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM meetings WHERE id = :id"), {"id": mid})
        conn.execute(text("DELETE FROM audit_entries WHERE seq = :s"), {"s": chain[-1].seq})
    before = chain[-2]
    # The head pointed at the entry before, unsigned or with a MAC made without the key.
    for key_id, mac in ((None, None), ("test", "0" * 64)):
        _set_head(engine, {"seq": before.seq, "hash": before.hash, "key_id": key_id, "mac": mac})
        problem = _problems(engine)[0]
        assert problem in (
            "audit head: unsigned, after signed entries",
            "audit head: its MAC does not match: rewritten without the key",
        )


@pytest.fixture
def checkpoint_file(tmp_path: Path) -> Path:
    return tmp_path / "checkpoints.jsonl"


def _checkpoint(engine: Engine, path: Path) -> None:
    with transaction(engine) as session:
        point = audit.checkpoint(session, dt.datetime.now(dt.UTC))
    with path.open("a", encoding="utf-8") as f:
        f.write(point.line() + "\n")


def _read(path: Path) -> list[tuple[int, Checkpoint]]:
    with path.open(encoding="utf-8") as f:
        return parse_checkpoints(f)


def test_a_tail_cut_back_to_a_head_once_seen_is_caught_by_a_checkpoint(
    engine: Engine, world: World, checkpoint_file: Path
) -> None:
    seen = _head(engine)  # an attacker reading the database keeps the head as it was
    mid = _meeting(engine)
    _checkpoint(engine, checkpoint_file)
    assert _verify(engine, _read(checkpoint_file)).checkpoints == 1
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM meetings WHERE id = :id"), {"id": mid})
        conn.execute(text("DELETE FROM audit_entries WHERE seq > :s"), {"s": seen["seq"]})
    _set_head(engine, seen)
    # What the chain alone cannot tell from the state it once had:
    assert _verify(engine).ok
    # The checkpoint kept outside the database can.
    (problem,) = _problems(engine, _read(checkpoint_file))
    assert problem.startswith(f"checkpoint line 1: the chain ends at entry {seen['seq']} ")
    assert problem.endswith("entries were removed")


def test_a_chain_rewritten_with_the_key_is_caught_by_an_earlier_checkpoint(
    engine: Engine, world: World, checkpoint_file: Path
) -> None:
    mid = _meeting(engine)
    _checkpoint(engine, checkpoint_file)
    chain = _forge_meeting(engine, mid)
    # Someone holding the key re-signs everything, head included...
    ring = get_settings().audit_keyring()
    forged = _recomputed(chain, ring)
    _rewrite(engine, forged)
    key_id, mac = ring.mac("head", forged[-1].seq, forged[-1].hash)
    _set_head(
        engine, {"seq": forged[-1].seq, "hash": forged[-1].hash, "key_id": key_id, "mac": mac}
    )
    assert _verify(engine).ok
    # ...but the checkpoint taken before names the entry it vouched for.
    problems = _problems(engine, _read(checkpoint_file))
    assert problems[0].startswith(f"audit entry {chain[-1].seq}: differs from checkpoint line 1")


def test_legacy_entries_verify_once_a_signed_entry_follows(engine: Engine, world: World) -> None:
    # A database from before entries were signed: no MAC anywhere.
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET key_id = NULL, mac = NULL"))
        conn.execute(text("UPDATE audit_head SET key_id = NULL, mac = NULL"))
    legacy = _verify(engine)
    assert [p.where for p in legacy.problems] == [f"audit entries 1-{legacy.entries}"]
    _meeting(engine)  # the first change made now signs the chain, and covers the old entries
    report = _verify(engine)
    assert report.ok and report.unsigned == legacy.entries
    _meeting(engine, "second")
    # An unsigned entry after a signed one is refused.
    with engine.begin() as conn:
        top = conn.execute(text("SELECT max(seq) FROM audit_entries")).scalar_one()
        conn.execute(
            text("UPDATE audit_entries SET key_id = NULL, mac = NULL WHERE seq = :s"), {"s": top}
        )
    assert _problems(engine)[0] == f"audit entry {top}: unsigned, after signed entries"


def test_a_checkpoint_anchors_legacy_entries_with_no_signed_entry_after_them(
    engine: Engine, world: World, checkpoint_file: Path
) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET key_id = NULL, mac = NULL"))
        conn.execute(text("UPDATE audit_head SET key_id = NULL, mac = NULL"))
    _checkpoint(engine, checkpoint_file)
    report = _verify(engine, _read(checkpoint_file))
    assert report.ok and report.unsigned == report.entries


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """``keys("id:key,...")`` makes that keyring the settings' from now on."""

    def use(ring: str) -> None:
        monkeypatch.setenv("COALITION_AUDIT_KEYS", ring)
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()


def test_a_new_key_signs_while_the_old_one_still_verifies(
    engine: Engine, world: World, keys: Callable[[str], None]
) -> None:
    old, new = "test:" + "a" * 40, "2025b:" + "b" * 40  # the world was signed with "test"
    keys(f"{old},{new}")
    _meeting(engine)
    assert _entries(engine)[-1].key_id == "2025b"
    assert _verify(engine).ok
    keys(new)  # the old key dropped too early: what it signed can no longer be verified
    problem = _problems(engine)[0]
    assert "signed with key 'test', which the keyring does not hold" in problem


def test_checkpoint_refuses_a_head_already_cut(engine: Engine, world: World) -> None:
    from coalition.core.errors import IntegrityFailure

    chain = _entries(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE seq = :s"), {"s": chain[-1].seq})
    with (
        transaction(engine) as session,
        pytest.raises(IntegrityFailure, match="entries were removed"),
    ):
        audit.checkpoint(session, dt.datetime.now(dt.UTC))


# --- the commands --------------------------------------------------------------------


@pytest.fixture
def run(engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """``run(args)`` runs the CLI on the test database: ``(code, stdout, stderr)``."""
    from coalition import cli

    monkeypatch.setenv("COALITION_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()

    def invoke(args: list[str]) -> tuple[int, str, str]:
        code = cli.main(args)
        out, err = capsys.readouterr()
        return code, out, err

    yield invoke
    get_settings.cache_clear()


def test_checkpoint_then_verify_from_the_command_line(  # type: ignore[no-untyped-def]
    run, engine: Engine, world: World, tmp_path: Path
) -> None:
    path = tmp_path / "checkpoints.jsonl"
    seen = _head(engine)
    code, out, err = run(["audit", "checkpoint"])
    assert code == 0, err
    printed = json.loads(out)
    assert printed["seq"] == seen["seq"] and printed["key_id"] == "test"
    mid = _meeting(engine)
    code, out, _ = run(["audit", "checkpoint", "--out", str(path)])
    assert code == 0 and f"checkpoint of entry {int(seen['seq']) + 1} appended" in out  # type: ignore[call-overload]
    code, out, _ = run(["audit", "verify", "--checkpoints", str(path)])
    assert code == 0 and "checkpoints held: 1" in out
    # The tail cut back to the head as it was before the meeting.
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM meetings WHERE id = :id"), {"id": mid})
        conn.execute(text("DELETE FROM audit_entries WHERE seq > :s"), {"s": seen["seq"]})
    _set_head(engine, seen)
    assert run(["audit", "verify"])[0] == 0
    code, _, err = run(["audit", "verify", "--checkpoints", str(path)])
    assert code == 9
    assert err.startswith("error: audit check failed at checkpoint line 1: the chain ends at")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read the checkpoint file"),
        (b"{not json\n", "line 1 is not JSON"),
        (b"\xff\xfe\x00garbage", "is not UTF-8 text"),
        (b'{"seq": 1, "hash": "x", "taken": "t", "key_id": "k", "mac": "m"}\n', "64 hexadecimal"),
    ],
)
def test_a_bad_checkpoint_file_is_one_clear_line(  # type: ignore[no-untyped-def]
    run, world: World, tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "checkpoints.jsonl"
    if content is not None:
        path.write_bytes(content)
    code, _, err = run(["audit", "verify", "--checkpoints", str(path)])
    assert code == 2 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


# --- a database from before entries were signed ---------------------------------------


def test_a_database_upgraded_with_unsigned_entries_verifies_once_signed(
    empty_engine: Engine,  # noqa: F811 - the fixture imported above
) -> None:
    from coalition.core import migrate
    from coalition.members.model import Member

    migrate.upgrade(empty_engine, "0001_foundation")
    # Two entries as the application wrote them before 0010: hash-chained, no MAC.
    chain, prev = [], GENESIS
    for seq, code in enumerate(["FRA", "GBR"], 1):
        after = {"code": code}
        entry = Entry(
            seq, "2025-03-02T00:00:00+00:00", "test", "create", "x", code, None, after, prev
        )
        chain.append(replace(entry, hash=entry_hash(prev, entry)))
        prev = chain[-1].hash
    with empty_engine.begin() as conn:
        for e in chain:
            conn.execute(
                text(
                    "INSERT INTO audit_entries (seq, created, actor, action, entity, entity_id,"
                    " before, after, prev_hash, hash) VALUES (:seq, :created, 'test', 'create',"
                    " 'x', :id, NULL, :after, :prev, :hash)"
                ),
                {
                    "seq": e.seq,
                    "created": dt.datetime(2025, 3, 2, tzinfo=dt.UTC),
                    "id": e.entity_id,
                    "after": json.dumps(e.after),
                    "prev": e.prev_hash,
                    "hash": e.hash,
                },
            )
        conn.execute(text("UPDATE audit_head SET seq = 2, hash = :h"), {"h": prev})
    migrate.upgrade(empty_engine)
    unanchored = _verify(empty_engine)
    assert str(unanchored.problems[0]).startswith("audit entries 1-2: unsigned")
    with transaction(empty_engine, actor="test") as session:
        session.add(Member(code="SEC", name="Secretariat", kind="secretariat", owner_code="SEC"))
    report = _verify(empty_engine)
    assert report.ok, report.problems
    assert (report.entries, report.unsigned) == (3, 2)
