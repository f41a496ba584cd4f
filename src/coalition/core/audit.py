"""The audit log: every mutation of an audited table, in the same transaction, chained.

Changes made through the ORM are recorded by a flush listener, so no service can forget
to audit; bulk paths that bypass the ORM call :func:`record` themselves. Changes wait in
the session until its transaction commits, and are appended to the chain then: the chain
head (``audit_head``, one row) is locked by an UPDATE just before the COMMIT, so concurrent
writers append one after the other and never fork the chain, and none holds the head
(which every writer needs) while it does its own work. A savepoint rolled back takes its
changes with it.

Each entry is signed with the audit keyring of the settings (see ``coalition.core.chain``),
so a chain rewritten by someone without the key fails :func:`verify`. ``verify`` also
recomputes the derived tables capabilities register (:func:`register_derived_check`) and
compares the chain with checkpoints kept outside the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from sqlalchemy import Integer, String, Text, event, insert, inspect, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from coalition.core.chain import (
    GENESIS,
    Checkpoint,
    Entry,
    Keyring,
    canonical,
    check_chain,
    checkpoint_problems,
    entry_hash,
    jsonable,
    make_checkpoint,
)
from coalition.core.db import Base, UTCDateTime, savepoint, utcnow
from coalition.core.errors import IntegrityFailure
from coalition.core.settings import get_settings


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(60), index=True)
    entity_id: Mapped[str] = mapped_column(String(200))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # The key that signed the entry and its MAC; both NULL on entries written before
    # entries were signed (migration 0010_audit_mac).
    key_id: Mapped[str | None] = mapped_column(String(16))
    mac: Mapped[str | None] = mapped_column(String(64))

    def as_entry(self) -> Entry:
        return Entry(
            seq=self.seq,
            created=self.created.isoformat(),
            actor=self.actor,
            action=self.action,
            entity=self.entity,
            entity_id=self.entity_id,
            before=json.loads(self.before) if self.before is not None else None,
            after=json.loads(self.after) if self.after is not None else None,
            prev_hash=self.prev_hash,
            hash=self.hash,
            key_id=self.key_id,
            mac=self.mac,
        )


class AuditHead(Base):
    """The last entry's sequence number and hash; one row, id 1, created by the migration."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS)
    # The head's own MAC over (seq, hash): removing the newest entries then needs a head
    # MAC the chain once had, not one made now. NULL until the first signed entry.
    key_id: Mapped[str | None] = mapped_column(String(16))
    mac: Mapped[str | None] = mapped_column(String(64))


@dataclass(frozen=True)
class Change:
    action: str  # create, update, delete
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _redact(obj: Any, key: str, value: Any) -> Any:
    # Secrets (password hashes, token digests) enter the log as a digest of themselves:
    # tampering is still detected, the secret itself is not copied into the log.
    if key in getattr(type(obj), "__audit_redact__", ()) and value is not None:
        return "sha256:" + hashlib.sha256(str(value).encode()).hexdigest()
    return value


def snapshot(obj: Any) -> dict[str, Any]:
    """Every column of ``obj`` as it is written into an audit entry."""
    mapper = inspect(obj).mapper
    return {
        attr.key: _redact(obj, attr.key, jsonable(getattr(obj, attr.key)))
        for attr in mapper.column_attrs
    }


def entity_key(obj: Any) -> str:
    """The primary key of ``obj`` as one string (parts joined by ``:``)."""
    identity = inspect(obj).mapper.primary_key_from_instance(obj)
    return ":".join(str(part) for part in identity)


def _before(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    values: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        value = history.deleted[0] if history.deleted else getattr(obj, attr.key)
        values[attr.key] = _redact(obj, attr.key, jsonable(value))
    version_col = state.mapper.version_id_col
    if version_col is not None:
        key = state.mapper.get_property_by_column(version_col).key
        if values[key] == getattr(obj, key):
            values[key] = getattr(obj, key) - 1
    return values


def _is_audited(obj: Any) -> bool:
    return bool(getattr(type(obj), "__audited__", False))


def _collect(session: Session) -> list[Change]:
    changes: list[Change] = []
    for obj in session.new:
        if _is_audited(obj):
            changes.append(
                Change("create", type(obj).__tablename__, entity_key(obj), None, snapshot(obj))
            )
    for obj in session.dirty:
        if _is_audited(obj) and session.is_modified(obj, include_collections=False):
            after = snapshot(obj)
            before = _before(obj)
            if before != after:
                changes.append(
                    Change("update", type(obj).__tablename__, entity_key(obj), before, after)
                )
    for obj in session.deleted:
        if _is_audited(obj):
            changes.append(
                Change("delete", type(obj).__tablename__, entity_key(obj), snapshot(obj), None)
            )
    # A deterministic order within one flush, so replaying a flush gives the same chain.
    changes.sort(key=lambda c: (c.entity, c.entity_id, c.action))
    return changes


# Keys of ``session.info``: the changes waiting for the commit, as (actor, changes); how
# many of them each open savepoint found; and whether the commit has appended them.
_PENDING = "audit_pending"
_MARKS = "audit_savepoints"
_APPENDED = "audit_appended"
_APPEND_BATCH = 2000  # entries written per statement


class _Held(NamedTuple):
    """A change waiting for the commit, its snapshots held as their canonical JSON: about
    half the memory of the dicts, for a transaction that writes a hundred thousand
    rows."""

    action: str
    entity: str
    entity_id: str
    before: str | None
    after: str | None


def _held(change: Change) -> _Held:
    return _Held(
        change.action,
        change.entity,
        change.entity_id,
        None if change.before is None else canonical(change.before),
        None if change.after is None else canonical(change.after),
    )


def record(session: Session, changes: Sequence[Change], actor: str | None = None) -> None:
    """Record ``changes`` in the session's current transaction: they are appended to the
    chain when it commits (at once, if it is already committing)."""
    if not changes:
        return
    actor = actor or str(session.info.get("actor", "system"))
    held = [_held(change) for change in changes]
    if session.info.get(_APPENDED):
        _append(session, held, actor)
    else:
        session.info.setdefault(_PENDING, []).append((actor, held))


def _append(session: Session, changes: Sequence[_Held], actor: str) -> None:
    """Append ``changes`` to the chain now, under the head's row lock."""
    keyring = get_settings().audit_keyring()
    conn = session.connection()
    conn.execute(
        update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + len(changes))
    )
    head = conn.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).one()
    seq = head.seq - len(changes)
    prev = head.hash
    created = utcnow()
    rows: list[dict[str, Any]] = []
    for change in changes:
        seq += 1
        entry = Entry(
            seq=seq,
            created=created.isoformat(),
            actor=actor,
            action=change.action,
            entity=change.entity,
            entity_id=change.entity_id,
            before=None if change.before is None else json.loads(change.before),
            after=None if change.after is None else json.loads(change.after),
            prev_hash=prev,
        )
        entry = keyring.sign(replace(entry, hash=entry_hash(prev, entry)))
        rows.append(
            {
                "seq": seq,
                "created": created,
                "actor": actor,
                "action": change.action,
                "entity": change.entity,
                "entity_id": change.entity_id,
                "before": change.before,
                "after": change.after,
                "prev_hash": prev,
                "hash": entry.hash,
                "key_id": entry.key_id,
                "mac": entry.mac,
            }
        )
        prev = entry.hash
        if len(rows) >= _APPEND_BATCH:  # a large commit is written as it goes, not held
            conn.execute(insert(AuditEntry), rows)
            rows = []
    if rows:
        conn.execute(insert(AuditEntry), rows)
    key_id, mac = keyring.mac("head", seq, prev)
    conn.execute(
        update(AuditHead).where(AuditHead.id == 1).values(hash=prev, key_id=key_id, mac=mac)
    )


@event.listens_for(Session, "after_flush")
def _audit_flush(session: Session, _context: Any) -> None:
    record(session, _collect(session))


@event.listens_for(Session, "before_commit")
def _append_pending(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: its changes wait for the transaction's commit
    session.flush()  # the last changes are queued too before the head is taken
    session.info[_APPENDED] = True
    pending: list[tuple[str, list[_Held]]] = session.info.pop(_PENDING, [])
    # One append (one round of head statements) per run of changes by one actor.
    while pending:
        actor, changes = pending.pop(0)
        while pending and pending[0][0] == actor:
            changes += pending.pop(0)[1]
        _append(session, changes, actor)


@event.listens_for(Session, "after_transaction_create")
def _mark_savepoint(session: Session, transaction: Any) -> None:
    if transaction.nested:
        session.info.setdefault(_MARKS, {})[transaction] = len(session.info.get(_PENDING, []))


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    # The innermost savepoint is the one rolled back; with none open, the transaction was.
    savepoint = session.get_nested_transaction()
    pending = session.info.get(_PENDING, [])
    if savepoint is None:
        pending.clear()
    else:
        del pending[session.info.get(_MARKS, {}).get(savepoint, 0) :]


@event.listens_for(Session, "after_transaction_end")
def _end(session: Session, transaction: Any) -> None:
    if transaction.nested:
        session.info.get(_MARKS, {}).pop(transaction, None)
    elif transaction.parent is None:
        for key in (_PENDING, _MARKS, _APPENDED):
            session.info.pop(key, None)


def ensure_head(session: Session) -> None:
    """Create the chain head row if it is missing (a new database)."""
    if session.get(AuditHead, 1) is None:
        session.execute(insert(AuditHead).values(id=1, seq=0, hash=GENESIS))


# --- verification -------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True)
class VerifyReport:
    entries: int
    rows: int
    problems: list[Problem]
    unsigned: int = 0  # legacy entries, before the first signed one
    checkpoints: int = 0  # checkpoints found still in the chain
    derived: list[str] = field(default_factory=list)  # derived tables recomputed

    @property
    def ok(self) -> bool:
        return not self.problems


def audited_models() -> list[type[Any]]:
    """Every mapped class whose mutations are audited, in table-name order."""
    classes = [m.class_ for m in Base.registry.mappers if getattr(m.class_, "__audited__", False)]
    return sorted(classes, key=lambda c: c.__tablename__)


# Bulk imports audit one entry per batch of rows instead of one per row. A capability
# registers, under its batch entries' entity name, the audited table the rows live in and
# a check that re-computes each batch's digest from the current rows; ``verify`` then
# counts the rows the check returns as covered by their batch entry.
BatchCheck = Callable[[Session, list[Entry]], tuple[set[str], list["Problem"]]]
BATCH_CHECKS: dict[str, tuple[str, BatchCheck]] = {}

# Tables derived from audited ones (rollups, summaries, fields located from others) are
# not audited row by row: ``verify`` recomputes them from their sources instead. Each
# check returns a problem per mismatch, naming the row and both values (a check may stop
# after the first few).
DerivedCheck = Callable[[Session], list[Problem]]
DERIVED_CHECKS: dict[str, DerivedCheck] = {}


def register_derived_check(name: str, check: DerivedCheck) -> None:
    """Have :func:`verify` run ``check``, under ``name`` (what it recomputes), once the
    chain holds. A capability calls this when its model module is imported."""
    DERIVED_CHECKS[name] = check


def _digest(snapshot_: dict[str, Any] | None) -> str | None:
    if snapshot_ is None:
        return None
    return hashlib.sha256(canonical(snapshot_).encode()).hexdigest()


def _defaults(model: Any) -> dict[str, Any]:
    """The value each column of ``model`` takes when a row does not give one."""
    found: dict[str, Any] = {}
    for column in model.__table__.columns:
        if column.default is not None and getattr(column.default, "is_scalar", False):
            found[column.key] = jsonable(column.default.arg)
    return found


def _matches(expected: str, names: frozenset[str] | None, obj: Any, model: Any) -> bool:
    """Whether ``obj`` is the state its last entry recorded. A column a migration added
    after that entry was written is not in it: the row matches when every such column
    still holds its default (the migration filled it so) and the rest match the entry."""
    current = snapshot(obj)
    added = current.keys() - names if names is not None else set()
    if added:
        defaults = _defaults(model)
        if any(k not in defaults or current[k] != defaults[k] for k in added):
            return False
        current = {k: v for k, v in current.items() if k in names}  # type: ignore[operator]
    return expected == _digest(current)


def verify(
    session: Session,
    checkpoints: Sequence[tuple[int, Checkpoint]] = (),
    keyring: Keyring | None = None,
) -> VerifyReport:
    """Re-check the chain and every MAC, its head, the ``checkpoints`` (numbered lines
    of a checkpoint file), that every audited row matches its last entry, and that every
    registered derived table equals its recomputation."""
    keyring = keyring or get_settings().audit_keyring()
    problems: list[Problem] = []
    last_state: dict[str, dict[str, str | None]] = {}  # entity -> key -> digest of after
    recorded: dict[str, dict[str, frozenset[str]]] = {}  # entity -> key -> columns it names
    shapes: dict[frozenset[str], frozenset[str]] = {}  # one set per distinct shape
    batches: dict[str, list[Entry]] = {}
    wanted = {cp.seq for _, cp in checkpoints}
    hash_at: dict[int, str] = {}
    count = 0

    rows_in_order = session.scalars(
        select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=5000)
    )

    def tracked() -> Iterator[Entry]:
        nonlocal count
        for row in rows_in_order:
            entry = row.as_entry()
            count += 1
            if entry.seq in wanted:
                hash_at[entry.seq] = entry.hash
            if entry.entity in BATCH_CHECKS:
                batches.setdefault(entry.entity, []).append(entry)
                yield entry
                continue
            last_state.setdefault(entry.entity, {})[entry.entity_id] = _digest(
                dict(entry.after) if entry.after is not None else None
            )
            if entry.after is not None:
                names = frozenset(entry.after)
                recorded.setdefault(entry.entity, {})[entry.entity_id] = shapes.setdefault(
                    names, names
                )
            yield entry

    try:
        chain = check_chain(tracked(), keyring)
    finally:
        rows_in_order.close()  # the check may stop early; release the server-side cursor
    if chain.broken is not None:
        problems.append(Problem(f"audit entry {chain.broken.seq}", chain.broken.reason))
        return VerifyReport(count, 0, problems, chain.unsigned)

    head = _head_problem(session, chain.head_seq, chain.head_hash, chain.unsigned, keyring)
    if head is not None:
        problems.append(head)
        return VerifyReport(count, 0, problems, chain.unsigned)

    held = checkpoint_problems(checkpoints, hash_at, chain.head_seq, keyring)
    problems.extend(Problem(where, reason) for where, reason in held)
    anchored = max((cp.seq for _, cp in checkpoints), default=0)
    if chain.unsigned and chain.unsigned == chain.entries and anchored < chain.unsigned:
        problems.append(
            Problem(
                f"audit entries 1-{chain.unsigned}",
                "unsigned, and no signed entry or checkpoint follows them, so nothing shows "
                "they were not rewritten (any change now signs the chain; or write a "
                "checkpoint with `coalition audit checkpoint`)",
            )
        )

    covered: dict[str, set[str]] = {}
    for batch_entity, (table, check) in sorted(BATCH_CHECKS.items()):
        keys, found = check(session, batches.get(batch_entity, []))
        covered.setdefault(table, set()).update(keys)
        problems.extend(found)

    rows = 0
    for model in audited_models():
        seen: set[str] = set()
        entity = model.__tablename__
        logged = last_state.get(entity, {})
        batched = covered.get(entity, set()).difference(logged)
        for key, obj in _audited_rows(session, model, batched):
            rows += 1
            seen.add(key)
            expected = logged.get(key, "missing")
            if expected == "missing":
                if key in batched:
                    continue
                problems.append(Problem(f"{entity} {key}", "row has no audit entry"))
            elif expected is None:
                problems.append(Problem(f"{entity} {key}", "row was deleted in the log but exists"))
            elif not _matches(expected, recorded.get(entity, {}).get(key), obj, model):
                problems.append(Problem(f"{entity} {key}", "row differs from its last audit entry"))
        for key, state in logged.items():
            if state is not None and key not in seen:
                problems.append(
                    Problem(f"{entity} {key}", "row in the log is missing from the table")
                )
        session.expunge_all()

    for name, recompute in sorted(DERIVED_CHECKS.items()):
        try:
            with savepoint(session):  # a failed statement must not end the others
                problems.extend(recompute(session))
        except Exception as exc:  # data too corrupt to recompute from is a finding too
            detail = (str(exc).splitlines() or [""])[0][:200]
            problems.append(
                Problem(name, f"could not be recomputed: {type(exc).__name__}: {detail}")
            )
    return VerifyReport(
        count,
        rows,
        problems,
        chain.unsigned,
        len(checkpoints) - len(held),
        sorted(DERIVED_CHECKS),
    )


def _head_problem(
    session: Session, last_seq: int, last_hash: str, unsigned: int, keyring: Keyring
) -> Problem | None:
    """What is wrong with the head row, given the chain's last entry and how many
    entries are unsigned, or ``None``."""
    head = session.get(AuditHead, 1)
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if (head_seq, head_hash) != (last_seq, last_hash):
        return Problem(
            f"audit entry {last_seq}",
            f"the chain head records entry {head_seq}: entries were removed",
        )
    if head is None or head.mac is None:
        if unsigned < last_seq:  # a signed entry was written, and signed the head
            return Problem("audit head", "unsigned, after signed entries")
        return None
    if last_seq and unsigned == last_seq:  # only a signed entry signs the head
        return Problem(f"audit entry {last_seq}", "unsigned, but the chain head is signed")
    reason = keyring.problem("head", head.key_id or "", head.mac, head.seq, head.hash)
    return Problem("audit head", reason) if reason else None


def _audited_rows(
    session: Session, model: type[Any], batched: set[str]
) -> Iterator[tuple[str, Any]]:
    """(key, row) for every row of ``model``. Rows whose key is in ``batched`` (covered by
    a batch digest, with no entry of their own) come as (key, None), read by primary key
    alone: a table of a million imported rows is not loaded object by object."""
    primary_key = inspect(model).primary_key
    if not batched or len(primary_key) != 1:
        for obj in session.scalars(select(model).execution_options(yield_per=5000)):
            yield entity_key(obj), obj
        return
    others = []
    for value in session.scalars(select(primary_key[0]).execution_options(yield_per=50_000)):
        key = str(value)
        if key in batched:
            yield key, None
        else:
            others.append(value)
    for start in range(0, len(others), 1000):
        chunk = others[start : start + 1000]
        for obj in session.scalars(select(model).where(primary_key[0].in_(chunk))):
            yield entity_key(obj), obj
        session.expunge_all()


def checkpoint(session: Session, taken: dt.datetime, keyring: Keyring | None = None) -> Checkpoint:
    """The chain's head, signed, to be kept outside the database.

    Refuses (``IntegrityFailure``) when the head row and the last entry disagree or the
    last entry's MAC does not hold: a checkpoint must never vouch for a chain already cut
    or rewritten. It does not re-check the whole chain: run ``verify`` first.
    """
    keyring = keyring or get_settings().audit_keyring()
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).first()
    last_seq, last_hash = (last.seq, last.hash) if last else (0, GENESIS)
    if last is not None and last.mac is not None:
        reason = keyring.mac_problem(last.key_id or "", last.hash, last.mac)
        if reason is not None:
            raise IntegrityFailure(f"audit entry {last.seq}: {reason}")
    unsigned = last_seq if last is not None and last.mac is None else 0
    problem = _head_problem(session, last_seq, last_hash, unsigned, keyring)
    if problem is not None:
        raise IntegrityFailure(f"no checkpoint taken: {problem}")
    return make_checkpoint(last_seq, last_hash, taken, keyring)


def history(session: Session, entity: str, entity_id: str) -> list[AuditEntry]:
    """The audit entries of one record, oldest first."""
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
            .order_by(AuditEntry.seq)
        )
    )


__all__ = [
    "BATCH_CHECKS",
    "DERIVED_CHECKS",
    "AuditEntry",
    "AuditHead",
    "Change",
    "Problem",
    "VerifyReport",
    "audited_models",
    "checkpoint",
    "ensure_head",
    "history",
    "record",
    "register_derived_check",
    "snapshot",
    "verify",
]
